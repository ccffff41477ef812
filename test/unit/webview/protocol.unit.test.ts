import * as assert from 'node:assert/strict';
import {
  defaultViewState,
  isHostMessage,
  isPersistedViewState,
  isWebviewMessage,
  MAX_WINDOW_ROWS,
  migrateViewState,
  PROTOCOL_VERSION,
  runIdOfSavedState,
} from '../../../src/shared/protocol';

const view = { grain: 'conversation', sort: [{ column: 'a', direction: 'asc' }], filters: [{ column: 'b', op: 'between', value: 1, value2: 2 }] };

describe('results webview protocol guards', () => {
  it('accepts every well-formed webview message', () => {
    const ok: unknown[] = [
      { type: 'ready' },
      { type: 'ready', state: defaultViewState('r') },
      { type: 'request', id: 1, kind: 'columns', params: { grain: 'segment' } },
      { type: 'request', id: 2, kind: 'window', params: { view, offset: 0, limit: MAX_WINDOW_ROWS, columns: ['a'] } },
      { type: 'request', id: 3, kind: 'copyRows', params: { view, offset: 10, limit: 5, columns: [] } },
      { type: 'request', id: 4, kind: 'distinct', params: { view, column: 'a', limit: 100 } },
      { type: 'request', id: 5, kind: 'rowRecord', params: { view, offset: 7 } },
      { type: 'copy', text: 'a\tb', description: '1 row' },
      { type: 'openJson', view, offset: 0 },
      { type: 'export', view, columns: ['a'], format: 'parquet' },
      { type: 'refetch' },
      { type: 'log', level: 'error', message: 'x' },
    ];
    for (const m of ok) {
      assert.ok(isWebviewMessage(m), JSON.stringify(m));
    }
  });

  it('rejects malformed or oversized webview messages', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'nope' },
      { type: 'request', id: -1, kind: 'columns', params: { grain: 'conversation' } },
      { type: 'request', id: 1, kind: 'columns', params: { grain: 'call' } },
      { type: 'request', id: 1, kind: 'drop', params: {} },
      { type: 'request', id: 1, kind: 'window', params: { view, offset: 0, limit: MAX_WINDOW_ROWS + 1, columns: [] } },
      { type: 'request', id: 1, kind: 'window', params: { view, offset: 0.5, limit: 1, columns: [] } },
      { type: 'request', id: 1, kind: 'window', params: { view: { ...view, filters: [{ column: 'a', op: 'like', value: '%' }] }, offset: 0, limit: 1, columns: [] } },
      { type: 'request', id: 1, kind: 'window', params: { view: { ...view, filters: [{ column: 'a', op: 'equals', value: { $gt: 1 } }] }, offset: 0, limit: 1, columns: [] } },
      { type: 'request', id: 1, kind: 'window', params: { view: { ...view, sort: [{ column: 'a', direction: 'sideways' }] }, offset: 0, limit: 1, columns: [] } },
      { type: 'request', id: 1, kind: 'distinct', params: { view, column: 'a', limit: 1_000_000 } },
      { type: 'export', view, columns: ['a'], format: 'xlsx' },
      { type: 'copy', text: 1 },
    ];
    for (const m of bad) {
      assert.ok(!isWebviewMessage(m), JSON.stringify(m));
    }
  });

  it('checks host messages, including every cell of a window', () => {
    const status = { runId: 'r', title: 't', state: 'RUNNING', fetching: true, partial: false, expired: false, conversations: 3, dataVersion: 1, warnings: [] };
    assert.ok(isHostMessage({ type: 'init', protocol: PROTOCOL_VERSION, state: defaultViewState('r'), status }));
    assert.ok(!isHostMessage({ type: 'init', protocol: PROTOCOL_VERSION + 1, state: defaultViewState('r'), status }));
    assert.ok(isHostMessage({ type: 'status', status }));
    assert.ok(!isHostMessage({ type: 'status', status: { ...status, conversations: -1 } }));
    // A large result still being taken into the table, or its load stopped.
    assert.ok(isHostMessage({ type: 'status', status: { ...status, loading: { total: 1_000_000 } } }));
    assert.ok(isHostMessage({ type: 'status', status: { ...status, loading: { total: 10, error: 'damaged' } } }));
    assert.ok(!isHostMessage({ type: 'status', status: { ...status, loading: { total: -1 } } }));
    assert.ok(!isHostMessage({ type: 'status', status: { ...status, loading: { total: 5, error: 3 } } }));
    const win = { offset: 0, totalRows: 1, rows: [['a', 1, true, null]], names: {} };
    assert.ok(isHostMessage({ type: 'response', id: 1, kind: 'window', ok: true, result: win }));
    assert.ok(!isHostMessage({ type: 'response', id: 1, kind: 'window', ok: true, result: { ...win, rows: [[{ html: '<b>' }]] } }));
    assert.ok(isHostMessage({ type: 'response', id: 1, kind: 'rowRecord', ok: false, superseded: true, error: 'x' }));
    assert.ok(!isHostMessage({ type: 'response', id: 1, kind: 'rowRecord', ok: false, error: 'x' }));
  });

  it('validates the persisted view state and falls back to defaults for other versions or runs', () => {
    const s = defaultViewState('run-1');
    assert.ok(isPersistedViewState(s));
    assert.ok(!isPersistedViewState({ ...s, pageSize: 33 }));
    assert.ok(!isPersistedViewState({ ...s, page: 0 }));
    assert.ok(!isPersistedViewState({ ...s, grains: { call: { columns: [], widths: {}, sort: [], filters: [] } } }));
    const saved = { ...s, page: 4, timeZone: 'local' as const };
    assert.equal(migrateViewState(saved, 'run-1'), saved);
    assert.deepEqual(migrateViewState({ ...saved, version: 0 }, 'run-1'), s);
    assert.deepEqual(migrateViewState(saved, 'run-2'), defaultViewState('run-2'));
    assert.equal(runIdOfSavedState({ version: 0, runId: 'old' }), 'old');
    assert.equal(runIdOfSavedState('x'), undefined);
  });
});
