import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError } from '../../../src/common/cancellation';
import { ResultsStore } from '../../../src/results/resultsStore';
import { openResultsView, ViewRequestError } from '../../../src/results/view';
import type { ResultsView, ViewQuery } from '../../../src/results/view';
import { EngineStoppedError, ResultsEngineProcess } from '../../../src/results/viewProcess/viewProcess';
import { makeTempDir } from '../../fakes/tempDir';
import { generatedConversations, hostileConversation, writeRun } from './viewRuns';

const sorted: ViewQuery = { grain: 'conversation', sort: [{ column: 'tTalk', direction: 'desc' }, { column: 'conversationId', direction: 'asc' }], filters: [] };
const filtered: ViewQuery = { grain: 'session', sort: [{ column: 'sessionId', direction: 'asc' }], filters: [{ column: 'mediaType', op: 'equals', value: 'voice' }] };
const columns = ['conversationId', 'conversationStart', 'tTalk', 'abandoned', 'queue', 'ani', 'externalTag'];

async function until(what: string, ok: () => boolean | Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await ok())) {
    assert.ok(Date.now() < end, what);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The results engine in its own process (src/results/viewProcess): the same answers as the view in this
 * process, the same errors, and a crash that fails the open views plainly instead of taking the host down.
 */
describe('results view / in the engine process', function () {
  this.timeout(120_000);
  const tmp = makeTempDir('gca-view-process-');
  const store = new ResultsStore({ root: tmp.path });
  const engines: ResultsEngineProcess[] = [];
  const engine = (idleMs = 60_000): ResultsEngineProcess => {
    const e = new ResultsEngineProcess({ idleMs });
    engines.push(e);
    return e;
  };

  before(async () => {
    const records = generatedConversations(1500, 5).map((c, i) => (i % 40 === 7 ? hostileConversation(c, i) : c));
    await (await writeRun(store, 'run', records, 500)).close();
    await (await writeRun(store, 'run-big', generatedConversations(3000, 9), 500)).close();
  });

  after(() => {
    engines.forEach((e) => e.dispose());
    tmp.remove();
  });

  it('answers windows, counts, distinct values, row records and exports exactly as the view in this process', async () => {
    const dir = store.runDir('run');
    const local = await openResultsView(dir);
    const remote = await engine().openView(dir);
    try {
      const ask = async (v: ResultsView, name: string): Promise<unknown> => {
        const dest = join(tmp.path, `${name}.csv`);
        const progress: number[] = [];
        const exported = await v.exportView({ view: sorted, columns, format: 'csv', destination: dest, onProgress: (rows) => progress.push(rows) });
        return {
          columns: await v.columns('segment'),
          window: await v.window({ view: sorted, offset: 100, limit: 300, columns }),
          count: await v.count(filtered),
          session: await v.window({ view: filtered, offset: 0, limit: 50, columns: ['sessionId', 'mediaType', 'tTalk'] }),
          distinct: await v.distinct(sorted, 'queue', 100),
          record: await v.rowRecord(sorted, 17),
          exported,
          lastProgress: progress.at(-1),
          csv: readFileSync(dest, 'utf8'),
        };
      };
      const here = await ask(local, 'local');
      const there = await ask(remote, 'remote');
      assert.deepEqual(there, here);
      assert.equal((there as { window: { rows: unknown[] } }).window.rows.length, 300);
      assert.equal(remote.loading(), undefined);
    } finally {
      await local.close();
      await remote.close();
    }
  });

  it('keeps a refused request a ViewRequestError and a cancelled export a CancelledError', async () => {
    const remote = await engine().openView(store.runDir('run'));
    try {
      await assert.rejects(remote.window({ view: sorted, offset: 0, limit: 10, columns: ['"; DROP TABLE conversation; --'] }), (err: unknown) => err instanceof ViewRequestError && /Unknown column/.test(err.message));
      await assert.rejects(remote.window({ view: sorted, offset: -1, limit: 10, columns }), ViewRequestError);
      const abort = new AbortController();
      abort.abort();
      await assert.rejects(remote.exportView({ view: sorted, columns, format: 'csv', destination: join(tmp.path, 'never.csv'), signal: abort.signal }), CancelledError);
      // Still answering after the refusals.
      assert.equal(await remote.count(sorted), 1500);
    } finally {
      await remote.close();
    }
  });

  it('opens a large result at its first batch and reports its background load until every row is in', async () => {
    const progress: number[] = [];
    const remote = await engine().openView(store.runDir('run-big'), { openEarlyAbove: 1000, batchSize: 100, commitIntervalMs: 0, workers: 0, onLoadProgress: (p) => progress.push(p.loaded) });
    try {
      const atOpen = remote.loading();
      assert.ok(atOpen && atOpen.total === 3000 && atOpen.loaded < 3000, `still loading when it opened (${JSON.stringify(atOpen)})`);
      await until('the background load ends', () => remote.loading() === undefined);
      assert.equal(await remote.count({ grain: 'conversation', sort: [], filters: [] }), 3000);
      assert.equal(progress.at(-1), 3000);
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only grows');
    } finally {
      await remote.close();
    }
  });

  it('fails the open views plainly when the engine process dies, and starts a new one on the next open', async () => {
    const e = engine();
    const dir = store.runDir('run');
    const view = await e.openView(dir);
    assert.equal(view.alive(), true);
    const first = await e.stats();
    assert.ok(first && first.views === 1 && first.rssBytes > 0);
    assert.equal(first.notReady, undefined, 'DuckDB and its C API bindings loaded');
    process.kill(first.pid, 'SIGKILL');
    await assert.rejects(view.window({ view: sorted, offset: 0, limit: 10, columns }), (err: unknown) => err instanceof EngineStoppedError && /stopped \(signal SIGKILL\).*starts it again/.test(err.message));
    assert.match(view.loading()?.error ?? '', /results engine stopped/, 'the table is told (its load state carries the error)');
    assert.equal(view.alive(), false);
    await view.close();
    const again = await e.openView(dir);
    try {
      const second = await e.stats();
      assert.ok(second && second.pid !== first.pid, 'a new process');
      assert.equal(await again.count(sorted), 1500);
    } finally {
      await again.close();
    }
  });

  it('stops the process once its last view has been closed for the idle time, and starts it again when needed', async () => {
    const e = engine(200);
    const view = await e.openView(store.runDir('run'));
    const pid = (await e.stats())!.pid;
    await view.close();
    await until('the idle engine stops', async () => (await e.stats()) === undefined);
    await until('the process is gone', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'ESRCH';
      }
    });
    const again = await e.openView(store.runDir('run'));
    try {
      assert.equal(await again.count(sorted), 1500);
    } finally {
      await again.close();
    }
  });
});
