import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../../src/sandbox';
import { HistoryStore } from '../../../src/history/historyStore';
import { SyncPager } from '../../../src/jobs/syncPager';
import { SyncQueryRunner } from '../../../src/jobs/syncQueryRunner';
import type { RunManifest } from '../../../src/results/manifest';
import type { PageMapData } from '../../../src/results/pageMap';
import { derivePageMap, PAGES_FILE, readPageMap, reconcilePageMap, withPending, writePageMap } from '../../../src/results/pageMap';
import type { ResultsStore } from '../../../src/results/resultsStore';
import { runOnePage } from '../../../src/vscode/runs/onePageRun';
import { silentLogger } from '../../../src/common/logger';
import { makeTempDir } from '../../fakes/tempDir';
import type { TestClient } from './engineHarness';
import { FULL_INTERVAL, genesysRejection, makeClient, makeStore, resetFaults, startTestSandbox, storedIds } from './engineHarness';

const QUERY_ROUTE = 'POST /api/v2/analytics/conversations/details/query';
const PAGE = 100;

function manifest(over: Partial<RunManifest>): RunManifest {
  return {
    version: 1,
    runId: 'r',
    kind: 'query',
    connectionId: 'sandbox',
    body: { interval: FULL_INTERVAL, paging: { pageSize: PAGE, pageNumber: 1 } },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    state: 'FULFILLED',
    partial: false,
    rowCount: 0,
    bytes: 0,
    pages: 0,
    duplicatesSkipped: 0,
    pageSize: PAGE,
    warnings: [],
    ...over,
  };
}

describe('engine / page map bookkeeping (pages.json)', () => {
  it('derives the pages of a one-page run from its body, at its pageNumber', () => {
    const map = derivePageMap(manifest({ body: { interval: FULL_INTERVAL, paging: { pageSize: PAGE, pageNumber: 4 } }, pages: 1, rowCount: 97 }));
    assert.deepEqual(map?.pages, [{ page: 4, start: 0, end: 97 }]);
  });

  it('derives consecutive pages of an all-pages run, the last one short', () => {
    const map = derivePageMap(manifest({ pages: 3, rowCount: 250 }));
    assert.deepEqual(map?.pages, [
      { page: 1, start: 0, end: 100 },
      { page: 2, start: 100, end: 200 },
      { page: 3, start: 200, end: 250 },
    ]);
  });

  it('cannot derive the pages of a multi-page run that skipped duplicates, nor of a job run', () => {
    assert.equal(derivePageMap(manifest({ pages: 3, rowCount: 240, duplicatesSkipped: 10 })), undefined);
    assert.equal(derivePageMap(manifest({ kind: 'job', pages: 1, rowCount: 10 })), undefined);
  });

  it('settles a pending page whose rows reached the manifest (crash after the writer, before the map)', () => {
    const map: PageMapData = withPending({ version: 1, pageSize: PAGE, pages: [{ page: 1, start: 0, end: 100 }] }, 7, 100);
    assert.deepEqual(reconcilePageMap(map, 180).pages, [
      { page: 1, start: 0, end: 100 },
      { page: 7, start: 100, end: 180 },
    ]);
  });

  it('forgets a pending page whose rows never reached the manifest (crash before it), and ranges past the rows', () => {
    const map: PageMapData = withPending({ version: 1, pageSize: PAGE, pages: [{ page: 1, start: 0, end: 100 }, { page: 2, start: 100, end: 200 }] }, 7, 200);
    const settled = reconcilePageMap(map, 150);
    assert.deepEqual(settled.pages, [{ page: 1, start: 0, end: 100 }]);
    assert.equal(settled.pending, undefined);
  });

  it('reads a damaged pages.json as "pages unknown", never as a derived guess', async () => {
    const tmp = makeTempDir();
    try {
      await fsp.writeFile(join(tmp.path, PAGES_FILE), '{"version":1,"pageSize":100,"pa');
      assert.equal(await readPageMap(tmp.path, manifest({ pages: 2, rowCount: 200 })), undefined);
      await writePageMap(tmp.path, { version: 1, pageSize: PAGE, pages: [{ page: 9, start: 0, end: 100 }] });
      assert.deepEqual((await readPageMap(tmp.path, manifest({ pages: 1, rowCount: 100 })))?.pages, [{ page: 9, start: 0, end: 100 }]);
    } finally {
      tmp.remove();
    }
  });
});

describe('engine / SyncPager against the sandbox', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;
  let history: HistoryStore;
  let tc: TestClient;
  const body = { interval: FULL_INTERVAL };
  let truth: string[];

  before(async () => {
    sandbox = await startTestSandbox();
    truth = sandbox.groundTruth(body, 'query');
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    resetFaults(sandbox);
    sandbox.configure({ permissions: ['analytics:conversationDetail:view'] });
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

  function runner(cap?: number): SyncQueryRunner {
    return new SyncQueryRunner({ api: tc.client, connectionId: 'sandbox', store, history, ...(cap ? { deepPagingCap: cap } : {}) });
  }

  async function onePageRun(pageNumber = 1): Promise<string> {
    const handle = runOnePage(runner(), { api: tc.client, connectionId: 'sandbox', store, history, logger: silentLogger }, body, { pageSize: PAGE, pageNumber });
    const outcome = await handle.result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    sandbox.resetStats();
    return handle.runId;
  }

  function pager(runId: string, cap?: number): SyncPager {
    const r = runner(cap);
    return new SyncPager(runId, { store, history, source: () => r, ...(cap ? { deepPagingCap: cap } : {}) });
  }

  const queries = (): number => sandbox.stats().byRoute[QUERY_ROUTE] ?? 0;

  it('a one-page run pages like Genesys: totalHits, the cached page, the reachable rows', async () => {
    const runId = await onePageRun();
    const paging = await pager(runId).paging();
    assert.deepEqual(paging, { pageSize: PAGE, totalHits: truth.length, reachableRows: truth.length, cachedPages: [1], cachedRows: PAGE });
  });

  it('fetches page 3 with one request, stores it in Genesys order, and never fetches it again', async () => {
    const runId = await onePageRun();
    const p = pager(runId);
    const first = await p.page(3);
    assert.equal(queries(), 1);
    assert.deepEqual(first, { range: { page: 3, start: PAGE, end: 2 * PAGE }, fetched: true });
    const ids = await storedIds(store, runId);
    assert.deepEqual(ids.slice(PAGE), truth.slice(2 * PAGE, 3 * PAGE), 'page 3 is the rows Genesys returns for pageNumber 3');
    const again = await p.page(3);
    assert.deepEqual(again, { range: first.range, fetched: false });
    // A new pager (the window reloaded) reads the map from disk: still no request.
    assert.equal((await pager(runId).page(3)).fetched, false);
    assert.equal(queries(), 1);
    assert.deepEqual((await p.paging())?.cachedPages, [1, 3]);
    assert.equal(history.get(runId)?.rowCount, 2 * PAGE, "history's row count includes the fetched page");
  });

  it('keeps out-of-order pages apart: 5, then 2, each its own range with its own rows', async () => {
    const runId = await onePageRun();
    const p = pager(runId);
    const five = await p.page(5);
    const two = await p.page(2);
    assert.deepEqual([five.range, two.range], [
      { page: 5, start: 100, end: 200 },
      { page: 2, start: 200, end: 300 },
    ]);
    const ids = await storedIds(store, runId);
    assert.deepEqual(ids.slice(five.range.start, five.range.end), truth.slice(400, 500));
    assert.deepEqual(ids.slice(two.range.start, two.range.end), truth.slice(100, 200));
    const m = await store.readManifest(runId);
    assert.equal(m?.pages, 3);
    assert.equal(m?.rowCount, 300);
  });

  it('fetches a page asked for twice at once only once', async () => {
    const runId = await onePageRun();
    const p = pager(runId);
    const [a, b] = await Promise.all([p.page(4), p.page(4)]);
    assert.deepEqual(a.range, b.range);
    assert.equal(queries(), 1);
    assert.equal((await store.readManifest(runId))?.rowCount, 2 * PAGE);
  });

  it('a crash after the rows were written (pages.json still pending) keeps the page, without a second fetch', async () => {
    const runId = await onePageRun();
    const dir = store.runDir(runId);
    // Steps 1–2 of the append, by hand, then "crash" before step 3.
    const rows = (await runner().fetchPage({ ...body, paging: { pageSize: PAGE, pageNumber: 6 } }, 6)).conversations;
    const writer = await store.openWriter(runId);
    const map = await readPageMap(dir, writer.manifest);
    await writePageMap(dir, withPending(map as PageMapData, 6, writer.rowCount));
    await writer.appendPage(rows, { pages: writer.manifest.pages + 1 });
    await writer.close();
    sandbox.resetStats();
    const answer = await pager(runId).page(6);
    assert.deepEqual(answer, { range: { page: 6, start: PAGE, end: 2 * PAGE }, fetched: false });
    assert.equal(queries(), 0);
  });

  it('a crash before the rows reached the manifest fetches the page again, once, into the right place', async () => {
    const runId = await onePageRun();
    const dir = store.runDir(runId);
    const m = (await store.readManifest(runId)) as RunManifest;
    await writePageMap(dir, withPending((await readPageMap(dir, m)) as PageMapData, 6, m.rowCount));
    const answer = await pager(runId).page(6);
    assert.deepEqual(answer, { range: { page: 6, start: PAGE, end: 2 * PAGE }, fetched: true });
    assert.equal(queries(), 1);
    const saved = JSON.parse(await fsp.readFile(join(dir, PAGES_FILE), 'utf8')) as PageMapData;
    assert.equal(saved.pending, undefined);
  });

  it('refuses a page past the deep-paging cap with the runner\'s advice, sending nothing', async () => {
    const runId = await onePageRun();
    const err = await genesysRejection(pager(runId, 300).page(4));
    assert.equal(err.kind, 'invalidQuery');
    assert.match(err.message, /can page through only the first 300\. Run it as an async job/);
    assert.equal(queries(), 0);
    const paging = await pager(runId, 300).paging();
    assert.equal(paging?.reachableRows, 300);
    assert.match(paging?.capWarning ?? '', /async job/);
  });

  it('a failing page (403) rejects with the clear message and keeps every cached page', async () => {
    const runId = await onePageRun();
    const p = pager(runId);
    await p.page(2);
    sandbox.configure({ permissions: [] });
    const fresh = makeClient(sandbox);
    try {
      const r = new SyncQueryRunner({ api: fresh.client, connectionId: 'sandbox', store });
      const err = await genesysRejection(new SyncPager(runId, { store, source: () => r }).page(3));
      assert.equal(err.kind, 'permission');
      assert.match(err.message, /permission/i);
    } finally {
      fresh.client.dispose();
    }
    const ids = await storedIds(store, runId);
    assert.deepEqual(ids, [...truth.slice(0, PAGE), ...truth.slice(PAGE, 2 * PAGE)]);
    assert.deepEqual((await p.paging())?.cachedPages, [1, 2]);
  });
});
