import * as assert from 'node:assert/strict';
import { HistoryStore } from '../../../src/history/historyStore';
import { SyncQueryRunner } from '../../../src/jobs/syncQueryRunner';
import type { Sandbox } from '../../../src/sandbox';
import { runOnePage } from '../../../src/vscode/runs/onePageRun';
import { RunMetaStore } from '../../../src/vscode/runs/runsEngine';
import { silentLogger } from '../../../src/common/logger';
import { makeTempDir } from '../../fakes/tempDir';
import { FULL_INTERVAL, makeClient, makeStore, startTestSandbox, storedIds } from '../engine/engineHarness';

/** A Map-backed Memento (globalState) for the metadata store. */
class MemoryMemento {
  private readonly _data = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this._data.keys()];
  }
  get<T>(key: string, defaultValue?: T): T {
    return (this._data.has(key) ? this._data.get(key) : defaultValue) as T;
  }
  update(key: string, value: unknown): Thenable<void> {
    this._data.set(key, value);
    return Promise.resolve();
  }
}

describe('one-page sync run and run metadata', () => {
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  const body = { interval: FULL_INTERVAL, order: 'asc', orderBy: 'conversationStart' };

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.remove());

  it('caches exactly the requested page as a run, listed in history with its paging', async () => {
    const { client } = makeClient(sandbox);
    const store = makeStore(tmp.path);
    const history = await HistoryStore.open({ dir: tmp.path });
    const deps = { api: client, connectionId: 'sandbox', store, history, logger: silentLogger };
    const runner = new SyncQueryRunner(deps);
    const outcome = await runOnePage(runner, deps, body, { pageSize: 40, pageNumber: 3 }).result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.equal(outcome.rowCount, 40);
    assert.deepEqual(await storedIds(store, outcome.runId), sandbox.groundTruth(body, 'query').slice(80, 120));
    const entry = history.get(outcome.runId);
    assert.equal(entry?.state, 'FULFILLED');
    assert.deepEqual((entry?.body as { paging?: unknown }).paging, { pageSize: 40, pageNumber: 3 });
    history.dispose();
    client.dispose();
  });

  it('rejects a bad page size before sending anything', async () => {
    const { client, metrics } = makeClient(sandbox);
    const store = makeStore(tmp.path);
    const deps = { api: client, connectionId: 'sandbox', store, logger: silentLogger };
    assert.throws(() => runOnePage(new SyncQueryRunner(deps), deps, body, { pageSize: 500, pageNumber: 1 }), /pageSize must be a whole number from 1 to 100/);
    assert.equal(metrics.requests, 0);
    client.dispose();
  });

  it('ends cancelled (no error) when aborted, and keeps nothing', async () => {
    sandbox.configure({ latencyMs: 300 });
    const { client } = makeClient(sandbox);
    const store = makeStore(tmp.path);
    const deps = { api: client, connectionId: 'sandbox', store, logger: silentLogger };
    const controller = new AbortController();
    const handle = runOnePage(new SyncQueryRunner(deps), deps, body, { pageSize: 10, pageNumber: 1 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const outcome = await handle.result;
    sandbox.configure({ latencyMs: 0 });
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.rowCount, 0);
    client.dispose();
  });

  it('remembers labels and modes per run and forgets runs no longer in history', async () => {
    const meta = new RunMetaStore(new MemoryMemento());
    await meta.set('a', { label: 'week.gcquery.json', mode: 'all' });
    await meta.set('b', { mode: 'page' });
    assert.deepEqual(meta.get('a'), { label: 'week.gcquery.json', mode: 'all' });
    assert.deepEqual([...meta.labels()], [['a', 'week.gcquery.json']]);
    await meta.retain(new Set(['b']));
    assert.equal(meta.get('a'), undefined);
    assert.deepEqual(meta.get('b'), { mode: 'page' });
  });
});
