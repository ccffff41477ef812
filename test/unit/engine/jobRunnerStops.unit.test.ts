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
});
