import * as assert from 'node:assert/strict';
import { ResultsStore } from '../../../src/results/resultsStore';
import { openResultsView } from '../../../src/results/view';
import { ViewDatabase } from '../../../src/results/view/viewDatabase';
import type { ResultsView, ViewQuery } from '../../../src/results/view';
import { makeTempDir } from '../../fakes/tempDir';
import { generatedConversations, writeRun } from './viewRuns';

const conversations: ViewQuery = { grain: 'conversation', sort: [], filters: [] };

async function untilLoaded(view: ResultsView, deadlineMs = 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (view.loading() && !view.loading()?.error) {
    assert.ok(Date.now() < until, 'the background load ends');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('results view / a large result opens at its first batch', function () {
  this.timeout(120_000);
  const tmp = makeTempDir('gca-view-early-');
  const records = generatedConversations(3000, 7);
  const store = new ResultsStore({ root: tmp.path });

  before(async () => {
    const writer = await writeRun(store, 'run-big', records, 500);
    await writer.close();
  });

  after(() => tmp.remove());

  it('resolves with the first batch queryable, then grows to every row in order', async () => {
    const view = await openResultsView(store.runDir('run-big'), { openEarlyAbove: 1000, batchSize: 100, commitIntervalMs: 60_000, workers: 0 });
    try {
      const atOpen = view.loading();
      assert.ok(atOpen, 'still loading when it opened');
      assert.equal(atOpen.total, 3000);
      const first = await view.count(conversations);
      assert.ok(first >= 100 && first < 3000, `the first batch is queryable at once (${first})`);
      await untilLoaded(view);
      assert.equal(view.loading(), undefined);
      assert.equal(await view.count(conversations), 3000);
      const w = await view.window({ view: conversations, offset: 0, limit: 2000, columns: ['conversationId'] });
      assert.deepEqual(
        w.rows.map((r) => r[0]),
        records.slice(0, 2000).map((c) => c.conversationId),
      );
    } finally {
      await view.close();
    }
  });

  it('waits for every row when the load is not above the threshold', async () => {
    const view = await openResultsView(store.runDir('run-big'), { openEarlyAbove: 1000, batchSize: 100 });
    try {
      // view.duckdb kept the rows of the test before: nothing left to load, nothing in the background.
      assert.equal(view.loading(), undefined);
      assert.equal(await view.count(conversations), 3000);
    } finally {
      await view.close();
    }
  });

  it('stops its load when the view is closed; the next open goes on from the rows committed', async () => {
    const stopped = await writeRun(store, 'run-stop', records, 500);
    await stopped.close();
    const dir = store.runDir('run-stop');
    const view = await openResultsView(dir, { openEarlyAbove: 1000, batchSize: 100, commitIntervalMs: 0, workers: 0 });
    assert.ok(view.loading(), 'still loading when it opened');
    await view.close();
    const db = await ViewDatabase.acquire(dir);
    let left: number;
    try {
      left = await db.rowsToLoad();
    } finally {
      await db.release();
    }
    assert.ok(left > 0 && left < 3000, `the load stopped with the view (${left} of 3,000 rows left)`);
    const again = await openResultsView(dir, { batchSize: 100, workers: 0 });
    try {
      assert.equal(again.loading(), undefined);
      const w = await again.window({ view: conversations, offset: 0, limit: 2000, columns: ['conversationId'] });
      assert.equal(w.totalRows, 3000, 'every row once: none lost, none twice');
      assert.deepEqual(
        w.rows.map((r) => r[0]),
        records.slice(0, 2000).map((c) => c.conversationId),
      );
    } finally {
      await again.close();
    }
  });
});
