import * as assert from 'node:assert/strict';
import { ResultsStore } from '../../../src/results/resultsStore';
import { openResultsView } from '../../../src/results/view';
import type { IdKind, NameResolver, ResultsView, WindowRequest } from '../../../src/results/view';
import { defaultViewState } from '../../../src/shared/protocol';
import type { PersistedViewState } from '../../../src/shared/protocol';
import { ResultsSession } from '../../../src/vscode/results/resultsSession';
import { makeTempDir } from '../../fakes/tempDir';
import { generatedConversations, writeRun } from './viewRuns';

/** The real view, with its window calls recorded. */
function recorded(view: ResultsView): { view: ResultsView; windows: WindowRequest[] } {
  const windows: WindowRequest[] = [];
  return {
    windows,
    view: new Proxy(view, {
      get(target, prop, receiver) {
        if (prop === 'window') {
          return (request: WindowRequest) => {
            windows.push(request);
            return target.window(request);
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }),
  };
}

describe('results session / warm: the first window runs while the page loads', function () {
  this.timeout(60_000);
  const tmp = makeTempDir('gca-session-warm-');
  const store = new ResultsStore({ root: tmp.path });
  let view: ResultsView;

  before(async () => {
    const writer = await writeRun(store, 'run-warm', generatedConversations(120, 5), 60);
    await writer.close();
    view = await openResultsView(store.runDir('run-warm'), { workers: 0 });
  });

  after(async () => {
    await view.close();
    tmp.remove();
  });

  it("asks for the state's page with its chosen columns, and resolves the names in them", async () => {
    const columns = await view.columns('conversation');
    const queue = columns.find((c) => c.idKind === 'queue');
    assert.ok(queue, 'the conversation grain has a queue column');
    const chosen = [columns[0]!.id, queue.id];
    const base = defaultViewState('run-warm');
    const state: PersistedViewState = {
      ...base,
      mode: 'pager',
      pageSize: 25,
      page: 3,
      grains: { conversation: { columns: chosen, widths: {}, sort: [{ column: columns[0]!.id, direction: 'desc' }], filters: [] } },
    };
    const asked: { kind: IdKind; ids: readonly string[] }[] = [];
    const names: NameResolver = {
      names: (kind, ids) => {
        asked.push({ kind, ids });
        return Promise.resolve(new Map());
      },
    };
    const r = recorded(view);
    await new ResultsSession({ view: r.view, names }).warm(state);
    assert.deepEqual(r.windows, [{ view: { grain: 'conversation', sort: [{ column: columns[0]!.id, direction: 'desc' }], filters: [] }, offset: 50, limit: 25, columns: chosen }]);
    const queues = asked.find((a) => a.kind === 'queue');
    assert.ok(queues && queues.ids.length > 0, 'the queue ids of the page were looked up');
  });

  it('in continuous scroll, starts at the saved scroll row with the default columns', async () => {
    const columns = await view.columns('conversation');
    const r = recorded(view);
    await new ResultsSession({ view: r.view }).warm({ ...defaultViewState('run-warm'), mode: 'scroll', scrollRow: 40 });
    assert.equal(r.windows.length, 1);
    assert.equal(r.windows[0]!.offset, 40);
    assert.deepEqual(r.windows[0]!.columns, columns.filter((c) => c.defaultVisible).map((c) => c.id));
  });

  it('never throws: a failing view only loses the head start', async () => {
    const failing = new Proxy(view, {
      get: (target, prop) => (prop === 'window' || prop === 'columns' ? () => Promise.reject(new Error('closed')) : (Reflect.get(target, prop) as unknown)),
    });
    await new ResultsSession({ view: failing }).warm(defaultViewState('run-warm'));
  });
});
