import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Sandbox } from '../../../../src/sandbox';
import { HttpEventHub } from '../../../../src/genesys/httpObserver';
import { HistoryStore } from '../../../../src/history/historyStore';
import type { ConcurrencyState } from '../../../../src/jobs/splitRun/concurrencyPolicy';
import { SplitJobRunner } from '../../../../src/jobs/splitRun/splitJobRunner';
import type { SplitJobRunnerOptions } from '../../../../src/jobs/splitRun/splitJobRunner';
import type { ResultsStore } from '../../../../src/results/resultsStore';
import { makeTempDir } from '../../../fakes/tempDir';
import { withDeadline } from '../../../fakes/waitFor';
import type { TestClient } from '../engineHarness';
import { FULL_INTERVAL, makeClient, makeStore, resetFaults, startTestSandbox, storedIds } from '../engineHarness';

const DELETE_ROUTE = 'DELETE /api/v2/analytics/conversations/details/jobs/{jobId}';

describe('engine / split run: parallel sub-jobs against the sandbox', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;
  let history: HistoryStore;
  let hub: HttpEventHub;
  let tc: TestClient;

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(() => sandbox.close());
  beforeEach(async () => {
    resetFaults(sandbox);
    sandbox.configure({ maxRunningJobs: 0, resultsPageMsPer1000: 0 });
    tmp = makeTempDir();
    store = makeStore(join(tmp.path, 'results'));
    history = await HistoryStore.open({ dir: tmp.path });
    hub = new HttpEventHub();
    tc = makeClient(sandbox, { observer: hub });
  });
  afterEach(() => {
    tc.client.dispose();
    history.dispose();
    tmp.remove();
  });

  function runner(options: Partial<SplitJobRunnerOptions> = {}): SplitJobRunner {
    return new SplitJobRunner({
      api: tc.client, connectionId: 'sandbox', store, history, pageSize: 500, poll: { initialMs: 40, maxMs: 300 },
      maxParallel: 3, httpEvents: (l) => hub.listen(l), ...options,
    });
  }

  for (const order of ['asc', 'desc'] as const) {
    it(`merges ${order} sub-jobs into one run equal to the single job's ground truth, in order, without duplicates`, async () => {
      const body = { interval: FULL_INTERVAL, order };
      const truth = sandbox.groundTruth(body, 'job');
      const states: string[] = [];
      const handle = runner().start(body, { onProgress: (e) => e.type === 'state' && states.push(e.state) });
      const outcome = await withDeadline(handle.result, 50_000, 'split run');
      assert.equal(outcome.status, 'completed', outcome.error?.message ?? outcome.warnings.join('; '));
      // One progress stream: the run's state advances once per stage, whichever sub-job gets there first.
      assert.equal(states[0], 'QUEUED');
      assert.equal(states[states.length - 1], 'FULFILLED');
      assert.equal(new Set(states).size, states.length, `states repeat: ${states.join(',')}`);
      const ids = await storedIds(store, handle.runId);
      assert.equal(new Set(ids).size, ids.length, 'duplicates');
      assert.deepEqual(ids, truth, 'same conversations in the same order');
      // Conversations spanning a boundary came back from two sub-jobs and were kept once.
      assert.ok(sandbox.stats().jobsCreated >= 5, `split into ${sandbox.stats().jobsCreated} jobs`);
      assert.deepEqual(history.list().map((e) => e.runId), [handle.runId], 'one history entry');
      assert.equal(history.list()[0]!.state, 'FULFILLED');
      assert.deepEqual((await store.list()).map((m) => m.runId), [handle.runId], 'one run in the store (parts merged and removed)');
    });
  }

  it('halves its concurrency under a 429 storm and still ends equal to the ground truth', async () => {
    sandbox.configure({ faults: { rate429Share: 0.35, retryAfterSeconds: 0 } });
    const changes: ConcurrencyState[] = [];
    const body = { interval: FULL_INTERVAL };
    const handle = runner({ maxParallel: 4, concurrency: { initial: 4 }, onConcurrency: (s) => changes.push({ ...s }) }).start(body);
    const outcome = await withDeadline(handle.result, 50_000, 'split run');
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.ok(changes.some((s) => s.limit < 4), `never backed off: ${JSON.stringify(changes)}`);
    assert.ok(sandbox.stats().byStatus['429']! > 0);
    assert.deepEqual((await storedIds(store, handle.runId)).sort(), sandbox.groundTruth(body, 'job').sort());
  });

  it('learns a running-jobs cap from refused submissions, stays under it, and submits each sub-job once', async () => {
    sandbox.configure({ maxRunningJobs: 2 });
    const changes: ConcurrencyState[] = [];
    const body = { interval: FULL_INTERVAL };
    const handle = runner({ maxParallel: 4, concurrency: { initial: 4 }, onConcurrency: (s) => changes.push({ ...s }) }).start(body);
    const outcome = await withDeadline(handle.result, 50_000, 'split run');
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    // The sandbox's refusal names the cap (ErrorBody.limit.value), so it is learned exactly.
    const capped = changes.filter((s) => s.jobsCap !== undefined).pop();
    assert.equal(capped?.jobsCap, 2, `cap not learned: ${JSON.stringify(changes)}`);
    assert.equal(sandbox.stats().jobsCreated, 8, 'one job per sub-interval, none submitted twice');
    assert.deepEqual((await storedIds(store, handle.runId)).sort(), sandbox.groundTruth(body, 'job').sort());
  });

  it('submits the next sub-jobs while earlier ones walk, yet walks and runs no more jobs at once than the limit', async () => {
    // A cap of 2 running jobs at the server, 2 slots: submitting ahead must never be refused.
    sandbox.configure({ maxRunningJobs: 2, resultsPageMsPer1000: 1000 });
    const events: string[] = [];
    const changes: ConcurrencyState[] = [];
    const pages: Array<{ from: number; to: number }> = [];
    const stop = hub.listen((e) => {
      if (e.type === 'response' && e.operation === 'getJobResults') {
        pages.push({ from: Date.now() - e.durationMs, to: Date.now() });
      }
    });
    const body = { interval: FULL_INTERVAL };
    const handle = runner({ maxParallel: 2, pageSize: 100, onConcurrency: (s) => changes.push({ ...s }), onSubJob: (e) => events.push(`${e.type} ${e.index}`) }).start(body);
    const outcome = await withDeadline(handle.result, 50_000, 'split run');
    stop();
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.ok(events.indexOf('submitted 2') < events.indexOf('ended 0'), `the third sub-job submitted while the first walked: ${events.join(', ')}`);
    // Each walker has one results request out at a time, so requests out at once (counted where each
    // begins) are walkers at once.
    const peak = Math.max(...pages.map((p) => pages.filter((q) => q.from <= p.from && p.from < q.to).length));
    assert.equal(peak, 2, 'two sub-jobs walked at once, never more');
    assert.equal(sandbox.stats().byStatus['429'] ?? 0, 0, 'no submission refused');
    assert.deepEqual(changes.filter((s) => s.jobsCap !== undefined), [], 'no running-jobs cap met');
    assert.equal(sandbox.stats().jobsCreated, 4);
    assert.deepEqual((await storedIds(store, handle.runId)).sort(), sandbox.groundTruth(body, 'job').sort());
  });

  it('cancels every running sub-job (DELETE) and ends CANCELLED with the merged rows kept', async () => {
    sandbox.configure({ resultsPageMsPer1000: 400 });
    const controller = new AbortController();
    // Pages of 100 rows: every sub-job is mid-walk when the first page of any of them is stored.
    const handle = runner({ pageSize: 100 }).start({ interval: FULL_INTERVAL }, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'page') {
          controller.abort();
        }
      },
    });
    const outcome = await withDeadline(handle.result, 30_000, 'cancelled split run');
    assert.equal(outcome.status, 'cancelled', outcome.error?.message);
    const s = sandbox.stats();
    assert.ok(s.jobsCreated >= 1);
    assert.equal(s.byRoute[DELETE_ROUTE], s.jobsCreated, 'every submitted sub-job deleted');
    assert.equal(history.list()[0]!.state, 'CANCELLED');
    const ids = await storedIds(store, handle.runId);
    assert.ok(ids.length > 0 && ids.length === outcome.rowCount, `rows kept: ${ids.length} of ${outcome.rowCount}`);
    assert.equal(new Set(ids).size, ids.length, 'duplicates');
    assert.equal(outcome.partial, true);
  });

  it('runs one ordinary job when one sub-job at a time is allowed (the sequential walk)', async () => {
    const body = { interval: FULL_INTERVAL };
    const outcome = await withDeadline(runner({ maxParallel: 1 }).start(body).result, 30_000, 'job');
    assert.equal(outcome.status, 'completed');
    assert.ok(outcome.jobId, 'a job of its own');
    assert.equal(sandbox.stats().jobsCreated, 1);
    assert.deepEqual(await storedIds(store, outcome.runId), sandbox.groundTruth(body, 'job'));
  });

  it('runs a body it cannot split (a limit) as one ordinary job', async () => {
    const body = { interval: FULL_INTERVAL, limit: 700 };
    const handle = runner().start(body);
    const outcome = await withDeadline(handle.result, 30_000, 'job');
    assert.equal(outcome.status, 'completed');
    assert.equal(sandbox.stats().jobsCreated, 1);
    assert.deepEqual(await storedIds(store, handle.runId), sandbox.groundTruth(body, 'job'));
  });
});
