import * as assert from 'node:assert/strict';
import type { ColumnInfo } from '../../../src/results/view/viewTypes';
import type { HostMessage, RunStatus } from '../../../src/shared/protocol';
import { defaultViewState, PROTOCOL_VERSION } from '../../../src/shared/protocol';
import type { GridModel } from '../../../src/webview/model/gridModel';
import { initialModel, makeRequest, reduce, viewChanged } from '../../../src/webview/model/gridModel';

const status = (patch: Partial<RunStatus> = {}): RunStatus => ({
  runId: 'run-1',
  title: 'Job',
  state: 'FULFILLED',
  fetching: false,
  partial: false,
  expired: false,
  conversations: 10,
  dataVersion: 0,
  warnings: [],
  ...patch,
});

const init: HostMessage = { type: 'init', protocol: PROTOCOL_VERSION, state: defaultViewState('run-1'), status: status() };
const columns: ColumnInfo[] = [{ id: 'conversationId', label: 'Conversation', type: 'string', defaultVisible: true }];

function windowOf(model: GridModel, offset: number, limit: number): [GridModel, number] {
  const [next, msg] = makeRequest(model, 'window', { view: { grain: 'conversation', sort: [], filters: [] }, offset, limit, columns: ['conversationId'] });
  return [next, msg.id];
}

describe('webview grid model reducer', () => {
  it('starts from the host\'s init: state and status, nothing loaded, request ids kept increasing', () => {
    let m = reduce(initialModel(), init);
    assert.equal(m.state?.runId, 'run-1');
    assert.equal(m.status?.conversations, 10);
    assert.equal(m.window, undefined);
    [m] = windowOf(m, 0, 10);
    const again = reduce(m, init);
    assert.equal(again.nextId, m.nextId, 'ids are never reused, so a late answer to the old page cannot land');
  });

  it('takes in the answer to the newest window request with its columns and names, and drops older answers', () => {
    const [m1, first] = windowOf(reduce(initialModel(), init), 0, 100);
    const [m2, second] = windowOf(m1, 500, 100);
    let m = m2;
    assert.equal(m.loadingWindow, true);
    const stale = reduce(m, { type: 'response', id: first, kind: 'window', ok: true, result: { offset: 0, rows: [['old']], totalRows: 9, names: {} } });
    assert.equal(stale, m, 'an answer to a superseded request changes nothing');
    m = reduce(m, { type: 'response', id: second, kind: 'window', ok: true, result: { offset: 500, rows: [['c1']], totalRows: 1000, names: { q: 'Queue' } } });
    assert.equal(m.loadingWindow, false);
    assert.equal(m.total, 1000);
    assert.deepEqual(m.window, { offset: 500, rows: [['c1']], columns: ['conversationId'], names: { q: 'Queue' } });
    assert.equal(m.windowStale, false);
  });

  it('shows a failed window as an error, but ignores a superseded one', () => {
    const [m, id] = windowOf(reduce(initialModel(), init), 0, 10);
    const superseded = reduce(m, { type: 'response', id, kind: 'window', ok: false, superseded: true, error: 'x' });
    assert.equal(superseded.error, undefined);
    const failed = reduce(m, { type: 'response', id, kind: 'window', ok: false, superseded: false, error: 'Disk is gone' });
    assert.equal(failed.error, 'Disk is gone');
    assert.equal(failed.loadingWindow, false);
  });

  it('marks the loaded window stale when the run took in new rows (live count while fetching)', () => {
    const [m0, id] = windowOf(reduce(initialModel(), { ...init, status: status({ fetching: true, dataVersion: 1 }) } as HostMessage), 0, 10);
    let m = m0;
    m = reduce(m, { type: 'response', id, kind: 'window', ok: true, result: { offset: 0, rows: [], totalRows: 5, names: {} } });
    assert.equal(m.windowStale, false);
    const same = reduce(m, { type: 'status', status: status({ fetching: true, dataVersion: 1, conversations: 5 }) });
    assert.equal(same.windowStale, false);
    const grew = reduce(m, { type: 'status', status: status({ fetching: true, dataVersion: 2, conversations: 50 }) });
    assert.equal(grew.windowStale, true);
    assert.equal(grew.status?.conversations, 50);
  });

  it('fills columns, distinct values and row details only for the newest request of each kind', () => {
    let m = reduce(initialModel(), init);
    let msg;
    [m, msg] = makeRequest(m, 'columns', { grain: 'conversation' });
    m = reduce(m, { type: 'response', id: msg.id, kind: 'columns', ok: true, result: columns });
    assert.deepEqual(m.columns, columns);

    m = { ...m, distinct: { column: 'conversationId', names: {} } };
    [m, msg] = makeRequest(m, 'distinct', { view: { grain: 'conversation', sort: [], filters: [] }, column: 'conversationId', limit: 50 });
    m = reduce(m, { type: 'response', id: msg.id, kind: 'distinct', ok: true, result: { values: [{ value: 'a', count: 2 }], names: {} } });
    assert.deepEqual(m.distinct?.values, [{ value: 'a', count: 2 }]);

    m = { ...m, details: { offset: 3 } };
    [m, msg] = makeRequest(m, 'rowRecord', { view: { grain: 'conversation', sort: [], filters: [] }, offset: 3 });
    m = reduce(m, { type: 'response', id: msg.id, kind: 'rowRecord', ok: false, superseded: false, error: 'gone' });
    assert.equal(m.details?.error, 'gone');
  });

  it('on a view change keeps rows on screen (stale) but forgets columns when the grain changed', () => {
    const [m0, id] = windowOf(reduce(initialModel(), init), 0, 10);
    let m = reduce(m0, { type: 'response', id, kind: 'window', ok: true, result: { offset: 0, rows: [['a']], totalRows: 1, names: {} } });
    m = { ...m, columns };
    const sorted = viewChanged(m, m.state!, false);
    assert.equal(sorted.windowStale, true);
    assert.ok(sorted.window);
    const regrained = viewChanged(m, { ...m.state!, grain: 'segment' }, true);
    assert.equal(regrained.columns, undefined);
    assert.equal(regrained.window, undefined);
  });

  it('keeps a notice from the host for the status line', () => {
    assert.equal(reduce(initialModel(), { type: 'notice', text: 'Copied 3 rows' }).notice, 'Copied 3 rows');
  });
});
