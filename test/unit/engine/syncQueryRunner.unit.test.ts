import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Sandbox } from '../../../src/sandbox';
import { isGenesysError } from '../../../src/genesys/errors';
import { HistoryStore } from '../../../src/history/historyStore';
import { SyncQueryRunner } from '../../../src/jobs/syncQueryRunner';
import type { SyncQueryRunnerOptions } from '../../../src/jobs/syncQueryRunner';
import type { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';
import type { TestClient } from './engineHarness';
import { FULL_INTERVAL, makeClient, makeStore, resetFaults, sorted, startTestSandbox, storedIds } from './engineHarness';

const QUERY_ROUTE = 'POST /api/v2/analytics/conversations/details/query';

describe('engine / SyncQueryRunner against the sandbox', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;
  let history: HistoryStore;
  let tc: TestClient;

  before(async () => {
    sandbox = await startTestSandbox();
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

  function runner(options: Partial<SyncQueryRunnerOptions> = {}): SyncQueryRunner {
    return new SyncQueryRunner({ api: tc.client, connectionId: 'sandbox', store, history, ...options });
  }

  it('fetches every page into the cache: ids equal the ground truth, history FULFILLED', async () => {
    const body = { interval: FULL_INTERVAL, paging: { pageSize: 100, pageNumber: 1 } };
    const truth = sandbox.groundTruth(body, 'query');
    const handle = runner().runAll(body);
    const outcome = await handle.result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    const ids = await storedIds(store, handle.runId);
    assert.equal(ids.length, truth.length);
    assert.deepEqual(ids, truth, 'same rows in the same order');
    assert.equal(sandbox.stats().byRoute[QUERY_ROUTE], Math.ceil(truth.length / 100));
    const h = history.get(handle.runId)!;
    assert.equal(h.kind, 'query');
    assert.equal(h.id, handle.runId);
    assert.equal(h.state, 'FULFILLED');
    assert.equal(h.rowCount, truth.length);
  });

  it('fetches one page on demand for the pager', async () => {
    const body = { interval: FULL_INTERVAL };
    const truth = sandbox.groundTruth(body, 'query');
    const page = await runner({ defaultPageSize: 50 }).fetchPage(body, 3);
    assert.deepEqual(page.conversations.map((c) => c.conversationId), truth.slice(100, 150));
    assert.equal(page.totalHits, truth.length);
    assert.equal(page.hasMore, true);
  });

  for (const [name, body, pattern] of [
    ['pageSize 0', { interval: FULL_INTERVAL, paging: { pageSize: 0, pageNumber: 1 } }, /pageSize/],
    ['pageSize 101', { interval: FULL_INTERVAL, paging: { pageSize: 101, pageNumber: 1 } }, /pageSize/],
    ['pageNumber 0', { interval: FULL_INTERVAL, paging: { pageSize: 10, pageNumber: 0 } }, /pageNumber/],
    ['a malformed interval', { interval: '2026-01-08/tomorrow' }, /not an ISO-8601/],
    ['start after end', { interval: `${FULL_INTERVAL.split('/')[1]}/${FULL_INTERVAL.split('/')[0]}` }, /starts at or after/],
  ] as const) {
    it(`refuses ${name} with a clear error and sends no request`, async () => {
      assert.throws(() => runner().runAll(body), (e: unknown) => isGenesysError(e, 'invalidQuery') && pattern.test(e.message));
      await assert.rejects(runner().fetchPage(body), (e: unknown) => isGenesysError(e, 'invalidQuery'));
      assert.equal(sandbox.stats().requests, 0);
    });
  }

  it('keeps every row through 429s, 5xx, resets and truncated JSON', async () => {
    sandbox.configure({ faults: { rate429Share: 0.2, retryAfterSeconds: 1, error5xxShare: 0.15, resetShare: 0.1, malformedJsonShare: 0.1 } });
    const body = { interval: FULL_INTERVAL, paging: { pageSize: 100, pageNumber: 1 } };
    const truth = sandbox.groundTruth(body, 'query');
    const outcome = await runner().runAll(body).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.deepEqual(sorted(await storedIds(store, outcome.runId)), sorted(truth));
    assert.ok(tc.metrics.retries > 5, `retries: ${tc.metrics.retries}`);
  });

  it('stops at the deep-paging cap with advice to use a job (partial, no error)', async () => {
    const body = { interval: FULL_INTERVAL, paging: { pageSize: 100, pageNumber: 1 } };
    const truth = sandbox.groundTruth(body, 'query');
    const outcome = await runner({ deepPagingCap: 500 }).runAll(body).result;
    assert.equal(outcome.status, 'partial');
    assert.equal(outcome.rowCount, 500);
    assert.match(outcome.warnings.join(' '), /only the first 500.*async job/);
    assert.deepEqual(await storedIds(store, outcome.runId), truth.slice(0, 500));
    assert.equal(sandbox.stats().byRoute[QUERY_ROUTE], 5);
    const page = await runner({ deepPagingCap: 500 }).fetchPage(body, 1);
    assert.match(page.warning ?? '', /async job/);
  });

  it('also stops cleanly when the server enforces a lower paging ceiling than ours', async () => {
    sandbox.configure({ deepPagingCap: 300 });
    try {
      const body = { interval: FULL_INTERVAL, paging: { pageSize: 100, pageNumber: 1 } };
      const outcome = await runner().runAll(body).result;
      assert.equal(outcome.status, 'partial', outcome.error?.message);
      assert.equal(outcome.rowCount, 300);
      assert.match(outcome.warnings.join(' '), /async job/);
    } finally {
      sandbox.configure({ deepPagingCap: 100000 });
    }
  });

  it('cancels mid-run: rows kept, partial, history CANCELLED', async () => {
    sandbox.configure({ latencyMs: 20 });
    const controller = new AbortController();
    const handle = runner().runAll({ interval: FULL_INTERVAL }, { signal: controller.signal, onProgress: (e) => e.type === 'page' && e.pages === 2 && controller.abort() });
    const outcome = await handle.result;
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.partial, true);
    assert.equal(outcome.rowCount, 200);
    assert.equal(history.get(handle.runId)?.state, 'CANCELLED');
  });

  it('turns a wrong secret into an error outcome (auth), not a rejection', async () => {
    tc.client.dispose();
    tc = makeClient(sandbox, { clientSecret: 'nope' });
    const outcome = await runner().runAll({ interval: FULL_INTERVAL }).result;
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'auth');
    assert.equal(history.get(outcome.runId)?.state, 'ERROR');
  });
});
