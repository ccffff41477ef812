import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../../src/sandbox';
import { JobRunner } from '../../../src/jobs/jobRunner';
import type { JobRunnerOptions } from '../../../src/jobs/jobRunner';
import type { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';
import { waitFor } from '../../fakes/waitFor';
import type { TestClient } from './engineHarness';
import { FULL_INTERVAL, makeClient, makeStore, resetFaults, startTestSandbox } from './engineHarness';

const body = { interval: FULL_INTERVAL };

/** How a job run stops early: on a local failure, or because Genesys expired the job. */
describe('engine / JobRunner stopping early', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;
  let tc: TestClient;

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    resetFaults(sandbox);
    tmp = makeTempDir();
    store = makeStore(join(tmp.path, 'results'));
    tc = makeClient(sandbox, { timeoutMs: 10_000 });
  });
  afterEach(() => {
    tc.client.dispose();
    tmp.remove();
  });

  function runner(options: Partial<JobRunnerOptions> = {}): JobRunner {
    return new JobRunner({ api: tc.client, connectionId: 'sandbox', store, poll: { initialMs: 40, maxMs: 300 }, ...options });
  }

  it('aborts the prefetched results request when writing the current page fails', async () => {
    let broken = false;
    const outcome = await runner({ pageSize: 100 }).start(body, {
      onProgress: (e) => {
        if (e.type === 'page' && e.pages === 1 && !broken) {
          broken = true;
          // From now on every results page takes 6 s, and the next manifest write fails for real
          // (a folder where the manifest is renamed to: EISDIR).
          sandbox.configure({ faults: { slowShare: 1, slowMs: 6_000 } });
          const manifest = join(store.runDir(e.runId), 'manifest.json');
          rmSync(manifest);
          mkdirSync(manifest);
        }
      },
    }).result;
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'local-io', outcome.error?.message);
    assert.equal(outcome.partial, true);
    // The page after the failed one was already being fetched: it must not run on (and retry) for nothing.
    await waitFor(() => sandbox.stats().clientAborts >= 1, 'the prefetch to be aborted', 3_000);
  });

  it('ends a job that expires mid-walk with an expired GenesysError saying when, how many rows are kept, and that Re-fetch re-submits', async () => {
    sandbox.configure({ faults: { expireJobsAfterPages: 2 } });
    const outcome = await runner({ pageSize: 100 }).start(body).result;
    assert.equal(outcome.status, 'expired');
    assert.equal(outcome.partial, true);
    assert.equal(outcome.rowCount, 200);
    assert.equal(outcome.error?.kind, 'expired');
    assert.match(outcome.error?.message ?? '', /expired at \d{4}-\d\d-\d\dT[\d:.]+Z\. The 200 row\(s\) fetched before that are kept and marked partial\. Re-fetch re-submits the job/);
    const m = await store.readManifest(outcome.runId);
    assert.equal(m?.error?.kind, 'expired');
    assert.ok(m?.expirationDate);
  });

  it('says the same when the job expired before its first page (no rows kept)', async () => {
    sandbox.configure({ jobTtlSeconds: 0 });
    try {
      const outcome = await runner({ pageSize: 100 }).start(body).result;
      assert.equal(outcome.status, 'expired');
      assert.equal(outcome.rowCount, 0);
      assert.equal(outcome.error?.kind, 'expired', 'an expired job carries the expired error');
      assert.match(outcome.error?.message ?? '', /expired at \d{4}-.*before the first page was fetched, so no rows were kept\. Re-fetch re-submits the job/);
      assert.match(outcome.warnings.join(' '), /Re-fetch/);
    } finally {
      sandbox.configure({ jobTtlSeconds: 172800 });
    }
  });
});
