import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Sandbox } from '../../../src/sandbox';
import { isGenesysError } from '../../../src/genesys/errors';
import { HistoryStore } from '../../../src/history/historyStore';
import { JobRunner } from '../../../src/jobs/jobRunner';
import type { JobRunnerOptions } from '../../../src/jobs/jobRunner';
import type { RunOutcome, RunProgress } from '../../../src/jobs/runTypes';
import type { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';
import { withDeadline } from '../../fakes/waitFor';
import { damageMemberOf } from './cacheFiles';
import type { TestClient } from './engineHarness';
import { FULL_INTERVAL, makeClient, makeStore, resetFaults, sorted, startTestSandbox, storedIds } from './engineHarness';

const body = { interval: FULL_INTERVAL };
const route = 'GET /api/v2/analytics/conversations/details/jobs/{jobId}/results';

describe('engine / JobRunner against the sandbox', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;
  let history: HistoryStore;
  let tc: TestClient;
  let truth: string[];

  before(async () => {
    sandbox = await startTestSandbox();
    truth = sandbox.groundTruth(body, 'job');
    assert.ok(truth.length > 2000, `enough data (${truth.length})`);
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    resetFaults(sandbox);
    tmp = makeTempDir();
    store = makeStore(join(tmp.path, 'results'));
    history = await HistoryStore.open({ dir: tmp.path });
    tc = makeClient(sandbox);
  });
  afterEach(() => {
    tc.client.dispose();
    history.dispose();
    tmp.remove();
  });

  function runner(options: Partial<JobRunnerOptions> = {}): JobRunner {
    return new JobRunner({ api: tc.client, connectionId: 'sandbox', store, history, poll: { initialMs: 40, maxMs: 300 }, ...options });
  }

  async function assertComplete(runId: string): Promise<void> {
    const ids = await storedIds(store, runId);
    assert.equal(ids.length, truth.length, 'row count');
    assert.deepEqual(sorted(ids), sorted(truth));
  }

  it('runs a clean job: states reported, every page walked at pageSize 1000, history FULFILLED', async () => {
    const events: RunProgress[] = [];
    // QUEUED long enough that the first poll sees it even on a loaded machine (submission bookkeeping
    // fsyncs the manifest and the history before the first poll).
    sandbox.configure({ jobQueuedMs: 600 });
    const handle = runner().start(body, { onProgress: (e) => events.push(e) });
    const outcome = await withDeadline(handle.result, 20_000, 'job').finally(() => sandbox.configure({ jobQueuedMs: 80 }));
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.equal(outcome.state, 'FULFILLED');
    assert.equal(outcome.partial, false);
    assert.equal(outcome.pages, Math.ceil(truth.length / 1000));
    await assertComplete(handle.runId);
    const states = events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
    assert.deepEqual(states.filter((s, i) => states.indexOf(s) === i), ['QUEUED', 'PENDING', 'FULFILLED']);
    assert.equal(sandbox.stats().byRoute[route], outcome.pages);
    const h = history.get(handle.runId)!;
    assert.equal(h.state, 'FULFILLED');
    assert.equal(h.id, outcome.jobId);
    assert.equal(h.rowCount, truth.length);
    assert.ok(h.expirationDate && h.completedAt);
  });

  it('rejects a body with paging before sending anything', () => {
    assert.throws(() => runner().start({ ...body, paging: { pageSize: 100, pageNumber: 1 } }), (e: unknown) => isGenesysError(e, 'invalidQuery') && /paging/.test(e.message));
    assert.equal(sandbox.stats().requests, 0);
  });

  it('survives a 429 storm, waiting Retry-After each time', async () => {
    sandbox.configure({ faults: { rate429Share: 0.3, retryAfterSeconds: 1 } });
    tc = makeClient(sandbox, { retry: { rateLimitWaitCapMs: Number.POSITIVE_INFINITY } });
    const outcome = await runner({ pageSize: 500 }).start(body).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.ok((sandbox.stats().byStatus['429'] ?? 0) > 0);
    assert.ok(tc.metrics.waitedMs >= 1000 * tc.metrics.rateLimitRetries);
    await assertComplete(outcome.runId);
  });

  it('survives 500/503 bursts and connection resets mid-page', async () => {
    // From the submission on: a submission that fails after sending is never retried (jobSubmission tests).
    const faults = { faults: { error5xxShare: 0.25, resetShare: 0.15, malformedJsonShare: 0.1 } };
    const outcome = await runner({ pageSize: 200 }).start(body, { onProgress: (e) => e.type === 'submitted' && sandbox.configure(faults) }).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    const s = sandbox.stats().byStatus;
    assert.ok((s['500'] ?? 0) + (s['503'] ?? 0) > 0);
    assert.ok(tc.metrics.retries > 0);
    await assertComplete(outcome.runId);
  });

  it('survives connections dropping mid-body, storing every row once from the reused page buffers', async () => {
    // Pages are read into pooled buffers that the next page reuses once the rows are stored: a body
    // given back too early would show here as rows of one page stored with another's bytes.
    const faults = { faults: { cutBodyShare: 0.2 } };
    const outcome = await runner({ pageSize: 200 }).start(body, { onProgress: (e) => e.type === 'submitted' && sandbox.configure(faults) }).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.ok(tc.metrics.retries > 0, 'some bodies were cut and asked for again');
    await assertComplete(outcome.runId);
  });

  it('signs in again when the token is revoked mid-walk and continues', async () => {
    let revoked = false;
    const outcome = await runner({ pageSize: 300 }).start(body, {
      onProgress: (e) => {
        if (e.type === 'page' && e.pages === 2 && !revoked) {
          revoked = true;
          sandbox.revokeTokens();
        }
      },
    }).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.equal(sandbox.stats().byRoute['POST /oauth/token'], 2);
    await assertComplete(outcome.runId);
  });

  it('reports a FAILED job with its errorMessage', async () => {
    sandbox.configure({ faults: { failJobs: true } });
    const outcome = await runner().start(body).result;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.state, 'FAILED');
    assert.match(outcome.errorMessage ?? '', /failed/i);
    assert.equal(history.get(outcome.runId)?.state, 'FAILED');
    assert.match(history.get(outcome.runId)?.errorMessage ?? '', /failed/i);
  });

  it('keeps partial rows when the job EXPIRES mid-paging, then re-fetches it as a linked new run', async () => {
    sandbox.configure({ faults: { expireJobsAfterPages: 3 } });
    const r = runner({ pageSize: 200 });
    const outcome = await r.start(body).result;
    assert.equal(outcome.status, 'expired');
    assert.equal(outcome.partial, true);
    assert.equal(outcome.rowCount, 3 * 200);
    assert.match(outcome.warnings.join(' '), /expired.*Re-fetch/);
    assert.deepEqual(await storedIds(store, outcome.runId), truth.slice(0, 600));
    const m = await store.readManifest(outcome.runId);
    assert.equal(m?.partial, true);
    assert.equal(history.get(outcome.runId)?.state, 'EXPIRED');

    sandbox.configure({ faults: { expireJobsAfterPages: 0 } });
    const again = r.refetch(outcome.runId);
    const refetched = await again.result;
    assert.equal(refetched.status, 'completed', refetched.error?.message);
    assert.equal(refetched.refetchOf, outcome.runId);
    assert.notEqual(refetched.jobId, outcome.jobId);
    await assertComplete(again.runId);
    assert.equal(history.get(outcome.runId)?.refetchedBy, again.runId);
    assert.equal(history.get(again.runId)?.refetchOf, outcome.runId);
  });

  it('walks through repeated and empty pages without losing or duplicating rows', async () => {
    sandbox.configure({ faults: { repeatPageShare: 0.2, emptyPageShare: 0.2 } });
    const outcome = await runner({ pageSize: 150, pageGuard: { maxEmptyRun: 8, maxRepeatRun: 8 } }).start(body).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.ok(outcome.pages > Math.ceil(truth.length / 150), 'extra (repeated/empty) pages were seen');
    await assertComplete(outcome.runId);
  });

  it('stops a cursor loop (every page repeated) with a warning and keeps the rows', async () => {
    sandbox.configure({ faults: { repeatPageShare: 1 } });
    const outcome = await runner({ pageSize: 100 }).start(body).result;
    assert.equal(outcome.status, 'partial');
    assert.equal(outcome.rowCount, 100);
    assert.match(outcome.warnings.join(' '), /same results page/);
  });

  it('cancels mid-walk: DELETEs the job, which shows CANCELLED, and history says CANCELLED', async () => {
    sandbox.configure({ latencyMs: 20 });
    const controller = new AbortController();
    const handle = runner({ pageSize: 100 }).start(body, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'page' && e.pages === 3) {
          controller.abort();
        }
      },
    });
    const outcome = await withDeadline(handle.result, 10_000, 'cancel');
    assert.equal(outcome.status, 'cancelled', outcome.error?.stack);
    assert.equal(outcome.partial, true);
    assert.ok(outcome.rowCount >= 300 && outcome.rowCount < truth.length);
    assert.equal(sandbox.stats().byRoute['DELETE /api/v2/analytics/conversations/details/jobs/{jobId}'], 1);
    assert.equal((await tc.client.getJobStatus(outcome.jobId!)).state, 'CANCELLED');
    assert.equal(history.get(handle.runId)?.state, 'CANCELLED');
  });

  it('cancels while polling: DELETEs the job before any results page', async () => {
    sandbox.configure({ jobRunMs: 5_000 });
    try {
      const controller = new AbortController();
      const handle = runner().start(body, { signal: controller.signal, onProgress: (e) => e.type === 'state' && e.state === 'PENDING' && controller.abort() });
      const outcome = await withDeadline(handle.result, 10_000, 'cancel');
      assert.equal(outcome.status, 'cancelled', outcome.error?.stack);
      assert.equal(sandbox.stats().byRoute[route], undefined);
      assert.equal(sandbox.stats().byRoute['DELETE /api/v2/analytics/conversations/details/jobs/{jobId}'], 1);
      assert.equal(history.get(handle.runId)?.state, 'CANCELLED');
    } finally {
      sandbox.configure({ jobRunMs: 150 });
    }
  });

  it('warns when the interval ends after the data availability date', async () => {
    const future = { interval: `2026-01-08T00:00:00.000Z/${new Date(Date.now() + 86_400_000).toISOString()}` };
    const outcome = await runner().start(future).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.match(outcome.warnings.join(' '), /availability date/);
  });

  it('resumes after the process running it is SIGKILLed mid-walk, with no row lost or duplicated', async function () {
    this.timeout(40_000);
    sandbox.configure({ latencyMs: 25 });
    const root = join(tmp.path, 'results');
    const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'jobChild.js')], {
      env: { ...process.env, JOB_CHILD: JSON.stringify({ url: sandbox.url, root, body, pageSize: 100 }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let runId = '';
    let pagesSeen = 0;
    const killed = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const e = JSON.parse(line) as { type: string; runId?: string; pages?: number };
        if (e.type === 'started') {
          runId = e.runId!;
        }
        if (e.type === 'page') {
          pagesSeen = e.pages!;
          if (pagesSeen === 6) {
            child.kill('SIGKILL');
          }
        }
        if (e.type === 'exit') {
          reject(new Error('child finished before it was killed'));
        }
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    await withDeadline(killed, 20_000, 'child killed');
    assert.ok(runId, 'child reported its run id');
    const before = await store.readManifest(runId);
    assert.ok(before && before.rowCount >= 500 && before.rowCount < truth.length, `killed mid-walk (${before?.rowCount} rows)`);
    assert.equal(before.phase, 'paging');
    assert.deepEqual((await store.listResumable()).map((m) => m.runId), [runId]);

    sandbox.configure({ latencyMs: 0 });
    // The setting changed meanwhile: the resumed walk still uses the page size its cursor was issued for.
    const outcome = await withDeadline(runner({ pageSize: 1000 }).resume(runId).result, 20_000, 'resume');
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    await assertComplete(runId);
    const m = await store.readManifest(runId);
    assert.equal(m?.duplicatesSkipped, 0);
    assert.equal(m?.pages, Math.ceil(truth.length / 100));
  });

  it('ends with a resumable error when the server keeps failing mid-walk, then resumes to completion', async () => {
    const r = runner({ pageSize: 200 });
    const handle = r.start(body, {
      onProgress: (e) => {
        if (e.type === 'page' && e.pages === 4) {
          sandbox.configure({ faults: { error5xxShare: 1 } });
        }
      },
    });
    const outcome = await handle.result;
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'transient');
    assert.ok(outcome.rowCount >= 800 && outcome.rowCount < truth.length);
    assert.equal(history.get(handle.runId)?.state, 'ERROR');
    assert.equal((await store.readManifest(handle.runId))?.phase, 'paging');

    sandbox.configure({ faults: { error5xxShare: 0 } });
    const statesWhileResumed: Array<string | undefined> = [];
    const resumed = await runner({ pageSize: 200 }).resume(handle.runId, {
      onProgress: (e) => e.type === 'page' && statesWhileResumed.push(history.get(handle.runId)?.state),
    }).result;
    assert.equal(resumed.status, 'completed', resumed.error?.message);
    assert.ok(statesWhileResumed.length > 0 && !statesWhileResumed.includes('ERROR'), `history while resumed: ${statesWhileResumed.join(',')}`);
    assert.equal((await store.readManifest(handle.runId))?.error, undefined, 'the old error is cleared');
    await assertComplete(handle.runId);
  });

  it('refuses to resume a run that is already being fetched (no interleaved writes), leaving it intact', async () => {
    sandbox.configure({ latencyMs: 15 });
    const r = runner({ pageSize: 200 });
    let second: Promise<RunOutcome> | undefined;
    const handle = r.start(body, { onProgress: (e) => e.type === 'page' && e.pages === 2 && !second && (second = r.resume(handle.runId).result) });
    const outcome = await handle.result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    const dup = await second!;
    assert.equal(dup.status, 'error');
    assert.match(dup.error?.message ?? '', /already being fetched/);
    await assertComplete(handle.runId);
    assert.equal((await store.readManifest(handle.runId))?.state, 'FULFILLED');
  });

  it('resumes a run whose last page was stored but not yet marked done, without fetching any page again', async () => {
    const done = await runner({ pageSize: 500 }).start(body).result;
    assert.equal(done.status, 'completed', done.error?.message);
    // The state a crash between the last page's write and the final manifest update leaves behind.
    const w = await store.openWriter(done.runId);
    await w.update({ phase: 'paging', state: 'FULFILLED', cursor: undefined });
    await w.close();
    sandbox.resetStats();
    const outcome = await runner({ pageSize: 500 }).resume(done.runId).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.equal(outcome.pages, done.pages);
    assert.equal(sandbox.stats().byRoute[route], undefined, 'no results page fetched again');
    assert.equal((await store.readManifest(done.runId))?.phase, 'done');
    await assertComplete(done.runId);
  });

  it('explains a damaged cache on resume instead of blaming Genesys for a malformed response', async () => {
    const w = await store.create({ runId: 'run-damaged', kind: 'job', connectionId: 'sandbox', body, pageSize: 1000, jobId: 'j-1' });
    await w.appendPage([{ conversationId: 'c-1' }], { phase: 'paging', pages: 1, cursor: 'next' });
    await w.close();
    const dir = store.runDir('run-damaged');
    await damageMemberOf(dir, 0);
    const rowsOutcome = await runner().resume('run-damaged').result;
    assert.equal(rowsOutcome.status, 'error');
    assert.notEqual(rowsOutcome.error?.kind, 'transient');
    assert.match(rowsOutcome.error?.message ?? '', /cached rows of run run-damaged are damaged.*Delete the run/);
    await fsp.writeFile(join(dir, 'manifest.json'), '{"version":1,');
    const manifestOutcome = await runner().resume('run-damaged').result;
    assert.notEqual(manifestOutcome.error?.kind, 'transient');
    assert.match(manifestOutcome.error?.message ?? '', /cached results of run 'run-damaged' are damaged.*Delete the run/);
    assert.equal(sandbox.stats().requests, 0);
  });

  it('submits nothing when cancelled before the run starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await runner().start(body, { signal: controller.signal }).result;
    assert.equal(outcome.status, 'cancelled');
    assert.equal(sandbox.stats().byRoute['POST /api/v2/analytics/conversations/details/jobs'], undefined);
    assert.equal(sandbox.stats().byRoute['DELETE /api/v2/analytics/conversations/details/jobs/{jobId}'], undefined);
  });

  it('ends a cancel promptly even when the DELETE keeps failing (bounded, not the whole retry budget)', async () => {
    tc = makeClient(sandbox, { retry: { baseDelayMs: 1_500, maxDelayMs: 1_500, maxAttempts: 8, totalBudgetMs: 60_000 } });
    const controller = new AbortController();
    let abortedAt = 0;
    const handle = runner({ pageSize: 200, cancelDeleteTimeoutMs: 300 }).start(body, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'page' && e.pages === 2 && !abortedAt) {
          sandbox.configure({ faults: { error5xxShare: 1 } });
          abortedAt = Date.now();
          controller.abort();
        }
      },
    });
    const outcome = await withDeadline(handle.result, 10_000, 'cancel');
    const took = Date.now() - abortedAt;
    assert.equal(outcome.status, 'cancelled', outcome.error?.stack);
    assert.ok(took < 2_000, `cancel took ${took} ms`);
    assert.ok((sandbox.stats().byRoute['DELETE /api/v2/analytics/conversations/details/jobs/{jobId}'] ?? 0) >= 1, 'a DELETE was tried');
  });

  it('resumes a run interrupted while polling (e.g. a window reload)', async () => {
    sandbox.configure({ jobRunMs: 600 });
    try {
      const controller = new AbortController();
      // Simulate an interrupted process: write a manifest in the polling phase by hand via a real submit.
      const jobId = await tc.client.submitJob(body);
      const w = await store.create({ runId: 'run-reload', kind: 'job', connectionId: 'sandbox', body, pageSize: 1000, jobId });
      await w.update({ phase: 'polling', state: 'QUEUED' });
      await w.close();
      const outcome = await runner().resume('run-reload', { signal: controller.signal }).result;
      assert.equal(outcome.status, 'completed', outcome.error?.message);
      assert.equal(outcome.jobId, jobId);
      await assertComplete('run-reload');
      const again = await runner().resume('run-reload').result;
      assert.equal(again.status, 'completed');
    } finally {
      sandbox.configure({ jobRunMs: 150 });
    }
  });
});
