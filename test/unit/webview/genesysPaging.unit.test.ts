import * as assert from 'node:assert/strict';
import type { ColumnInfo } from '../../../src/results/view/viewTypes';
import type { HostMessage, PersistedViewState, RequestKind, RequestOf, RunStatus, WebviewMessage } from '../../../src/shared/protocol';
import { defaultViewState, PROTOCOL_VERSION } from '../../../src/shared/protocol';
import { Controller } from '../../../src/webview/controller';
import { activeGenesysPaging, cachedOnlyNote, effectivePageSize, pagerLabel } from '../../../src/webview/model/pager';

const columns: ColumnInfo[] = [{ id: 'conversationId', label: 'Conversation', type: 'string', defaultVisible: true }];

const status: RunStatus = {
  runId: 'r',
  title: 't',
  state: 'FULFILLED',
  fetching: false,
  partial: false,
  expired: false,
  conversations: 100,
  dataVersion: 0,
  warnings: [],
  genesysPaging: { pageSize: 100, totalHits: 5612, reachableRows: 5612, cachedPages: [1], cachedRows: 100 },
};

function setup(state: PersistedViewState) {
  const sent: WebviewMessage[] = [];
  const ctl = new Controller({ post: (m) => sent.push(m), savedState: () => undefined, saveState: () => undefined }, { render: () => undefined, scrolled: () => undefined });
  const requests = <K extends RequestKind>(kind: K): RequestOf<K>[] => sent.filter((m): m is RequestOf<K> => m.type === 'request' && m.kind === kind);
  const send = (m: HostMessage) => ctl.receive(m);
  send({ type: 'init', protocol: PROTOCOL_VERSION, state, status });
  const cols = requests('columns')[0] as RequestOf<'columns'>;
  send({ type: 'response', id: cols.id, kind: 'columns', ok: true, result: columns });
  return { ctl, sent, requests, send };
}

const page = (offset: number, n: number, sourceOffset: number) => ({
  offset,
  rows: Array.from({ length: n }, (_, i) => [`c${offset + i}`]),
  totalRows: 5612,
  names: {},
  sourceOffset,
});

describe('webview pager over Genesys pages', () => {
  it('pages through Genesys only for conversations in Pages mode without sort or filter, at the run\'s page size', () => {
    const s = { ...defaultViewState('r'), pageSize: 25 };
    assert.equal(activeGenesysPaging(s, status), status.genesysPaging);
    assert.equal(effectivePageSize(s, status), 100);
    assert.equal(activeGenesysPaging({ ...s, mode: 'scroll' }, status), undefined);
    assert.equal(activeGenesysPaging({ ...s, grain: 'segment' }, status), undefined);
    const sorted = { ...s, grains: { conversation: { columns: [], widths: {}, sort: [{ column: 'tTalk', direction: 'desc' as const }], filters: [] } } };
    assert.equal(activeGenesysPaging(sorted, status), undefined);
    assert.equal(effectivePageSize(sorted, status), 25);
    assert.equal(pagerLabel(3, 100, 5612), 'Page 3 of 57 · rows 201–300 of 5,612');
  });

  it('says when sort/filter work over the cached rows only', () => {
    const s = defaultViewState('r');
    assert.equal(cachedOnlyNote(s, status), undefined);
    const filtered = { ...s, grains: { conversation: { columns: [], widths: {}, sort: [], filters: [{ column: 'direction', op: 'equals' as const, value: 'inbound' }] } } };
    assert.match(cachedOnlyNote(filtered, status) ?? '', /^Sorted\/filtered over the 100 cached of 5,612 conversations\. Clear the sort and filters/);
    assert.match(cachedOnlyNote({ ...s, grain: 'segment' }, status) ?? '', /Showing rows of the 100 cached of 5,612 conversations/);
    assert.equal(cachedOnlyNote(filtered, { ...status, genesysPaging: undefined }), undefined);
  });

  it('asks for page 3 as a Genesys page, keeps a short page without asking again, and maps row details to cache rows', () => {
    const t = setup({ ...defaultViewState('r'), pageSize: 25 });
    const first = t.requests('window')[0] as RequestOf<'window'>;
    assert.deepEqual([first.params.offset, first.params.limit, first.params.genesysPage], [0, 100, true]);
    t.send({ type: 'response', id: first.id, kind: 'window', ok: true, result: page(0, 100, 0) });
    t.ctl.setPage(3);
    const third = t.requests('window').at(-1) as RequestOf<'window'>;
    assert.deepEqual([third.params.offset, third.params.limit, third.params.genesysPage], [200, 100, true]);
    // Page 3 arrived out of order: cache rows 100–197 (two duplicates dropped).
    t.send({ type: 'response', id: third.id, kind: 'window', ok: true, result: page(200, 98, 100) });
    const n = t.requests('window').length;
    t.ctl.visibleRows({ first: 200, end: 240 });
    assert.equal(t.requests('window').length, n, 'a short page is loaded, not asked for again');
    assert.equal(t.ctl.cell(205, 'conversationId'), 'c205');
    t.ctl.showDetails(205);
    const record = t.requests('rowRecord').at(-1);
    assert.equal(record?.params.offset, 105, 'row 206 of the query is cache row 106');
  });

  it('a sort leaves Genesys pages: the next request is over the cached rows, at the user\'s page size', () => {
    const t = setup({ ...defaultViewState('r'), pageSize: 25 });
    const first = t.requests('window')[0] as RequestOf<'window'>;
    t.send({ type: 'response', id: first.id, kind: 'window', ok: true, result: page(0, 100, 0) });
    t.ctl.sort('conversationId', false);
    const sorted = t.requests('window').at(-1) as RequestOf<'window'>;
    assert.equal(sorted.params.genesysPage, undefined);
    assert.equal(sorted.params.limit, 25);
  });
});

describe('webview pager over Genesys pages: a failed page', () => {
  it('shows the error with nothing asked again until Retry, and keeps the pages it had', () => {
    const t = setup(defaultViewState('r'));
    const first = t.requests('window')[0] as RequestOf<'window'>;
    t.send({ type: 'response', id: first.id, kind: 'window', ok: true, result: page(0, 100, 0) });
    t.ctl.setPage(4);
    const fourth = t.requests('window').at(-1) as RequestOf<'window'>;
    const n = t.requests('window').length;
    t.send({ type: 'response', id: fourth.id, kind: 'window', ok: false, superseded: false, error: 'The OAuth client lacks a permission' });
    assert.equal(t.requests('window').length, n, 'the error sent nothing new');
    assert.equal(t.ctl.model.error, 'The OAuth client lacks a permission');
    t.ctl.visibleRows({ first: 300, end: 340 });
    assert.equal(t.requests('window').length, n, 'a failed page is not fetched again on its own');
    t.ctl.retry();
    const again = t.requests('window').at(-1) as RequestOf<'window'>;
    assert.equal(t.requests('window').length, n + 1);
    assert.deepEqual([again.params.offset, again.params.genesysPage], [300, true]);
    t.ctl.setPage(1);
    assert.equal(t.requests('window').at(-1)?.params.offset, 0, 'page 1 is asked for (the host serves it from the cache)');
  });
});
