import * as assert from 'node:assert/strict';
import { ResultsStore } from '../../../src/results/resultsStore';
import { openResultsView } from '../../../src/results/view';
import type { ViewQuery } from '../../../src/results/view';
import { makeTempDir } from '../../fakes/tempDir';
import { generatedConversations, writeRun } from './viewRuns';

/**
 * A panel's page, its warm-up and the pager ask for windows and counts at once, and a panel can close while
 * they run. When they shared one DuckDB connection, a request could hang forever (seen within 3 cycles of
 * the loop below) and the extension host once died of SIGSEGV in a run of the integration suite.
 */
describe('results view / overlapping requests and a close while they run', function () {
  this.timeout(120_000);
  const tmp = makeTempDir('gca-view-conc-');
  const records = generatedConversations(1500);
  let store: ResultsStore;

  before(async () => {
    store = new ResultsStore({ root: tmp.path });
    await (await writeRun(store, 'run-c', records)).close();
  });

  after(() => tmp.remove());

  it('answers 16 overlapping requests correctly, and each one settles when the view closes under them', async () => {
    const ids = records.map((r) => r.conversationId);
    for (let cycle = 0; cycle < 12; cycle++) {
      const view = await openResultsView(store.runDir('run-c'));
      const requests: Promise<unknown>[] = [];
      for (let i = 0; i < 16; i++) {
        const q: ViewQuery = { grain: 'conversation', sort: i % 4 === 1 ? [{ column: 'conversationId', direction: 'desc' }] : [], filters: [] };
        requests.push(i % 2 === 0 ? view.count(q) : view.window({ view: q, offset: i * 50, limit: 200, columns: ['conversationId'] }));
      }
      if (cycle % 2 === 0) {
        // Every answer is the right one.
        const answers = await Promise.all(requests);
        answers.forEach((a, i) => {
          if (i % 2 === 0) {
            assert.equal(a, records.length, `count ${i}, cycle ${cycle}`);
          } else {
            const sorted = i % 4 === 1 ? [...ids].sort().reverse() : ids;
            const w = a as { rows: unknown[][]; totalRows: number };
            assert.deepEqual(w.rows.map((r) => r[0]), sorted.slice(i * 50, i * 50 + 200), `window ${i}, cycle ${cycle}`);
          }
        });
        await view.close();
      } else {
        // Closed with the requests in flight: each ends, with its answer or the view's "closed" error.
        await new Promise((resolve) => setTimeout(resolve, cycle % 5));
        const closing = view.close();
        const settled = await Promise.allSettled(requests);
        await closing;
        for (const s of settled) {
          if (s.status === 'rejected') {
            assert.match(String(s.reason), /This results view is closed/);
          }
        }
      }
    }
  });
});
