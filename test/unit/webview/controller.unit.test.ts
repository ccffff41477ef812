import * as assert from 'node:assert/strict';
import type { ColumnInfo } from '../../../src/results/view/viewTypes';
import type { HostMessage, PersistedViewState, RequestKind, RequestOf, WebviewMessage } from '../../../src/shared/protocol';
import { defaultViewState, PROTOCOL_VERSION } from '../../../src/shared/protocol';
import { Controller } from '../../../src/webview/controller';

const columns: ColumnInfo[] = [
  { id: 'conversationId', label: 'Conversation', type: 'string', defaultVisible: true },
  { id: 'duration', label: 'Duration', type: 'duration', defaultVisible: true },
];

function setup(state: PersistedViewState = { ...defaultViewState('r'), mode: 'scroll' }) {
  const sent: WebviewMessage[] = [];
  const saved: PersistedViewState[] = [];
  let renders = 0;
  const ctl = new Controller(
    { post: (m) => sent.push(m), savedState: () => undefined, saveState: (s) => saved.push(s) },
    { render: () => renders++, scrolled: () => undefined },
  );
  const requests = <K extends RequestKind>(kind: K): RequestOf<K>[] => sent.filter((m): m is RequestOf<K> => m.type === 'request' && m.kind === kind);
  const send = (m: HostMessage) => ctl.receive(m);
  send({ type: 'init', protocol: PROTOCOL_VERSION, state, status: { runId: 'r', title: 't', state: 'FULFILLED', fetching: false, partial: false, expired: false, conversations: 5000, dataVersion: 0, warnings: [] } });
  const cols = requests('columns')[0];
  assert.ok(cols, 'asks for the grain\'s columns first');
  send({ type: 'response', id: cols.id, kind: 'columns', ok: true, result: columns });
  return { ctl, sent, saved, requests, send, renders: () => renders };
}

const rows = (offset: number, n: number) => ({ offset, rows: Array.from({ length: n }, (_, i) => [`c${offset + i}`, 1000 * (offset + i)]), totalRows: 5000, names: {} });

describe('webview controller (request flow)', () => {
  it('asks for the visible rows plus a margin, then nothing more while they are loaded', () => {
    const t = setup();
    const first = t.requests('window')[0];
    assert.ok(first);
    assert.deepEqual(first.params.columns, ['conversationId', 'duration']);
    t.send({ type: 'response', id: first.id, kind: 'window', ok: true, result: rows(0, 210) });
    const before = t.requests('window').length;
    t.ctl.visibleRows({ first: 10, end: 35 });
    t.ctl.visibleRows({ first: 30, end: 55 });
    assert.equal(t.requests('window').length, before, 'rows 10–55 are loaded');
    assert.equal(t.ctl.cell(30, 'duration'), 30_000);
    t.ctl.visibleRows({ first: 1000, end: 1025 });
    const next = t.requests('window').at(-1);
    assert.ok(next && next.params.offset <= 1000 && next.params.offset + next.params.limit >= 1025 && next.params.limit <= 2000);
  });

  it('asks for the first rows at once when init brings the columns (no columns round trip)', () => {
    const sent: WebviewMessage[] = [];
    const ctl = new Controller({ post: (m) => sent.push(m), savedState: () => undefined, saveState: () => undefined }, { render: () => undefined, scrolled: () => undefined });
    const status = { runId: 'r', title: 't', state: 'FULFILLED' as const, fetching: false, partial: false, expired: false, conversations: 5000, dataVersion: 0, warnings: [] };
    ctl.receive({ type: 'init', protocol: PROTOCOL_VERSION, state: { ...defaultViewState('r'), mode: 'scroll' }, status, columns });
    const kinds = sent.flatMap((m) => (m.type === 'request' ? [m.kind] : []));
    assert.deepEqual(kinds, ['window']);
    const w = sent[0] as RequestOf<'window'>;
    assert.deepEqual(w.params.columns, ['conversationId', 'duration']);
    assert.equal(w.params.offset, 0);
  });

  it('does not send a request again when an older, superseded one is answered (a fling never feeds itself)', () => {
    const t = setup();
    const initial = t.requests('window')[0] as RequestOf<'window'>;
    t.send({ type: 'response', id: initial.id, kind: 'window', ok: true, result: rows(0, 210) });
    t.ctl.visibleRows({ first: 1000, end: 1025 });
    t.ctl.visibleRows({ first: 2000, end: 2025 });
    const [a, b] = t.requests('window').slice(-2) as [RequestOf<'window'>, RequestOf<'window'>];
    // While b is in flight and covers what is visible, scrolling within it sends nothing.
    t.ctl.visibleRows({ first: 2005, end: 2030 });
    const count = t.requests('window').length;
    t.send({ type: 'response', id: a.id, kind: 'window', ok: false, superseded: true, error: 'Superseded' });
    assert.equal(t.requests('window').length, count, 'the superseded answer sent nothing new');
    t.send({ type: 'response', id: b.id, kind: 'window', ok: true, result: rows(b.params.offset, b.params.limit) });
    assert.equal(t.requests('window').length, count);
    assert.equal(t.ctl.model.loadingWindow, false);
    assert.equal(t.ctl.cell(2010, 'conversationId'), 'c2010');
  });

  it('re-requests the same rows when the run took in new rows, and after a sort', () => {
    const t = setup();
    const w = t.requests('window')[0] as RequestOf<'window'>;
    t.send({ type: 'response', id: w.id, kind: 'window', ok: true, result: rows(0, 210) });
    const n = t.requests('window').length;
    t.send({ type: 'status', status: { runId: 'r', title: 't', state: 'RUNNING', fetching: true, partial: false, expired: false, conversations: 6000, dataVersion: 1, warnings: [] } });
    assert.equal(t.requests('window').length, n + 1);
    t.ctl.sort('duration', false);
    const sorted = t.requests('window').at(-1);
    assert.deepEqual(sorted?.params.view.sort, [{ column: 'duration', direction: 'asc' }]);
    assert.equal(sorted?.params.offset, 0, 'a new sort starts at the top');
  });

  it('asks for a whole page in pager mode and goes to the last page when a saved page is past the end', () => {
    const t = setup({ ...defaultViewState('r'), page: 90, pageSize: 100 });
    const w = t.requests('window')[0] as RequestOf<'window'>;
    assert.deepEqual([w.params.offset, w.params.limit], [8900, 100]);
    t.send({ type: 'response', id: w.id, kind: 'window', ok: true, result: { offset: 8900, rows: [], totalRows: 5000, names: {} } });
    assert.equal(t.ctl.state?.page, 50);
    const again = t.requests('window').at(-1) as RequestOf<'window'>;
    assert.deepEqual([again.params.offset, again.params.limit], [4900, 100]);
  });

  it('copies loaded cells as TSV with headers and formatted values through the host', async () => {
    const t = setup();
    const w = t.requests('window')[0] as RequestOf<'window'>;
    t.send({ type: 'response', id: w.id, kind: 'window', ok: true, result: rows(0, 210) });
    await t.ctl.copy({ rows: { first: 1, end: 3 }, columns: ['conversationId', 'duration'] }, 'tsv');
    const copy = t.sent.filter((m) => m.type === 'copy').at(-1);
    assert.deepEqual(copy, { type: 'copy', text: 'Conversation\tDuration\nc1\t0:00:01\nc2\t0:00:02', description: '2 rows as TSV' });
  });
});
