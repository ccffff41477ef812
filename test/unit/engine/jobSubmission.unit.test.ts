import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Sandbox } from '../../../src/sandbox';
import { JobRunner } from '../../../src/jobs/jobRunner';
import type { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';
import type { TestClient } from './engineHarness';
import { FULL_INTERVAL, genesysRejection, makeClient, makeStore, resetFaults, startTestSandbox } from './engineHarness';

const body = { interval: FULL_INTERVAL };
const SUBMIT = 'POST /api/v2/analytics/conversations/details/jobs';

/** A job submission is never sent twice without the user's say (common rules); reads are retried freely. */
describe('engine / job submission is never sent twice', function () {
  this.timeout(20_000);
  let sandbox: Sandbox;
  let tc: TestClient;
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    resetFaults(sandbox);
    tc = makeClient(sandbox);
    await tc.client.login();
    sandbox.resetStats();
    tmp = makeTempDir();
    store = makeStore(join(tmp.path, 'results'));
  });
  afterEach(() => {
    tc.client.dispose();
    tmp.remove();
  });

  it('does not resend a submission whose response was dropped after the job was created: one job, an ambiguous error', async () => {
    sandbox.configure({ faults: { dropJobResponseShare: 1 } });
    const e = await genesysRejection(tc.client.submitJob(body));
    assert.equal(e.kind, 'ambiguous');
    assert.equal(e.retryable, false);
    assert.match(e.message, /a job may have been created/);
    assert.match(e.message, /Retry would submit the job again/);
    assert.equal(sandbox.stats().jobsCreated, 1, 'exactly one job created');
    assert.equal(sandbox.stats().byRoute[SUBMIT], 1, 'sent once');
  });

  it('does not resend a submission answered 5xx (the server may have created the job)', async () => {
    sandbox.configure({ faults: { error5xxShare: 1 } });
    const e = await genesysRejection(tc.client.submitJob(body));
    assert.equal(e.kind, 'ambiguous');
    assert.ok(e.status === 500 || e.status === 503);
    assert.ok(e.correlationId, 'correlation id kept for support');
    assert.equal(sandbox.stats().byRoute[SUBMIT], 1);
  });

  it('does not resend a submission that timed out', async () => {
    sandbox.configure({ faults: { slowShare: 1, slowMs: 1_000 } });
    const slow = makeClient(sandbox, { timeoutMs: 200 });
    try {
      await slow.client.login();
      const e = await genesysRejection(slow.client.submitJob(body));
      assert.equal(e.kind, 'ambiguous');
      assert.equal(e.errno, 'ETIMEDOUT');
      assert.equal(sandbox.stats().jobsCreated, 1);
    } finally {
      slow.client.dispose();
    }
  });

  it('retries a submission answered 429 (provably nothing created) and creates exactly one job', async () => {
    sandbox.configure({ faults: { rate429Share: 0.6 } });
    for (let i = 0; i < 3; i++) {
      assert.ok(await tc.client.submitJob(body));
    }
    assert.ok((sandbox.stats().byStatus['429'] ?? 0) > 0, 'some 429s were seen');
    assert.equal(sandbox.stats().jobsCreated, 3);
  });

  it('still retries sync query POSTs (they create nothing) after resets and 5xx', async () => {
    sandbox.configure({ faults: { resetShare: 0.3, error5xxShare: 0.3 } });
    for (let i = 1; i <= 5; i++) {
      await tc.client.querySync({ interval: FULL_INTERVAL, paging: { pageSize: 10, pageNumber: i } });
    }
    assert.ok(tc.metrics.retries > 0);
  });

  it('ends the run ERROR (ambiguous) without a second job, and neither start-up resume nor resume() submits again', async () => {
    sandbox.configure({ faults: { dropJobResponseShare: 1 } });
    const r = new JobRunner({ api: tc.client, connectionId: 'sandbox', store, poll: { initialMs: 40, maxMs: 300 } });
    const outcome = await r.start(body).result;
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'ambiguous');
    assert.match(outcome.error?.message ?? '', /may have been created.*Retry would submit/);
    const m = await store.readManifest(outcome.runId);
    assert.equal(m?.state, 'ERROR');
    assert.equal(m?.error?.kind, 'ambiguous');
    assert.deepEqual(await store.listResumable(), [], 'not picked up by start-up resume');

    sandbox.configure({ faults: { dropJobResponseShare: 0 } });
    const again = await r.resume(outcome.runId).result;
    assert.equal(again.status, 'error');
    assert.equal(sandbox.stats().jobsCreated, 1, 'resume did not submit again');
  });

  it('does not submit again when resuming a run whose submission was in flight when the process died', async () => {
    const w = await store.create({ runId: 'run-crashed-submit', kind: 'job', connectionId: 'sandbox', body, pageSize: 1000 });
    await w.update({ submitSentAt: '2026-01-15T00:00:00.000Z' });
    await w.close();
    assert.equal((await store.listResumable()).length, 1);
    const r = new JobRunner({ api: tc.client, connectionId: 'sandbox', store });
    const outcome = await r.resume('run-crashed-submit').result;
    assert.equal(outcome.error?.kind, 'ambiguous');
    assert.match(outcome.error?.message ?? '', /interrupted at 2026-01-15T00:00:00.000Z/);
    assert.equal(sandbox.stats().requests, 0, 'nothing sent');
    assert.deepEqual(await store.listResumable(), []);
  });

  it('submits again on resume when the previous submission provably created nothing (host unreachable)', async () => {
    const w = await store.create({ runId: 'run-refused', kind: 'job', connectionId: 'sandbox', body, pageSize: 1000 });
    await w.close();
    const down = makeClient({ ...sandbox, url: 'http://127.0.0.1:1' } as Sandbox, { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    try {
      const failed = await new JobRunner({ api: down.client, connectionId: 'sandbox', store }).resume('run-refused').result;
      assert.equal(failed.error?.kind, 'network');
      assert.equal((await store.readManifest('run-refused'))?.submitSentAt, undefined);
    } finally {
      down.client.dispose();
    }
    const outcome = await new JobRunner({ api: tc.client, connectionId: 'sandbox', store, poll: { initialMs: 40, maxMs: 300 } }).resume('run-refused').result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.equal(sandbox.stats().jobsCreated, 1);
  });
});
