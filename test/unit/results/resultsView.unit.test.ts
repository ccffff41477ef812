import * as assert from 'node:assert/strict';
import type { ConversationRecord } from '../../../src/genesys/types';
import { flattenConversation } from '../../../src/results/flatten';
import { ResultsStore } from '../../../src/results/resultsStore';
import { openResultsView } from '../../../src/results/view';
import type { Cell, ColumnFilter, ResultsView, SortKey, ViewQuery } from '../../../src/results/view';
import { makeTempDir } from '../../fakes/tempDir';
import { generatedConversations, HOSTILE, hostileConversation, writeRun } from './viewRuns';

const iso = (v: string | undefined): string | null => (v ? new Date(Date.parse(v)).toISOString() : null);
const n = (v: number | undefined): number | null => (v === undefined ? null : v);
/** Empty text is no value in the view (as in the table: an empty cell). */
const t = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);

/** The run: generated conversations with a hostile one every 40th row. */
function runRecords(): ConversationRecord[] {
  const base = generatedConversations(600);
  return base.map((c, i) => (i % 40 === 7 ? hostileConversation(c, Math.floor(i / 40)) : c));
}

/** UTF-8 byte order, as DuckDB compares VARCHARs. */
function compareCells(a: Cell, b: Cell): number {
  if (typeof a === 'string' && typeof b === 'string') {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  }
  return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
}

/** The reference: a plain JS sort of [rowIndex, ...cells] rows (empties last, then row order). */
function jsSort(rows: Cell[][], keys: readonly { index: number; direction: 'asc' | 'desc' }[]): Cell[][] {
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const x = a[k.index]!;
      const y = b[k.index]!;
      if (x === null || y === null) {
        if (x !== y) {
          return x === null ? 1 : -1;
        }
        continue;
      }
      const c = compareCells(x, y);
      if (c !== 0) {
        return k.direction === 'asc' ? c : -c;
      }
    }
    return (a[0] as number) - (b[0] as number);
  });
}

describe('results view / DuckDB engine over a cached run', function () {
  this.timeout(120_000);
  const tmp = makeTempDir('gca-view-');
  const records = runRecords();
  let view: ResultsView;
  const all: ViewQuery = { grain: 'conversation', sort: [], filters: [] };

  before(async () => {
    const store = new ResultsStore({ root: tmp.path });
    const writer = await writeRun(store, 'run-a', records);
    await writer.close();
    view = await openResultsView(store.runDir('run-a'));
  });

  after(async () => {
    await view?.close();
    tmp.remove();
  });

  async function everyRow(q: ViewQuery, columns: string[]): Promise<Cell[][]> {
    const out: Cell[][] = [];
    for (let offset = 0; ; offset += 2000) {
      const w = await view.window({ view: q, offset, limit: 2000, columns });
      out.push(...w.rows.map((r) => [...r]));
      if (offset + 2000 >= w.totalRows) {
        return out;
      }
    }
  }

  it('lists each grain’s columns with the §6 defaults visible and ID columns marked', async () => {
    const conv = await view.columns('conversation');
    const shown = conv.filter((c) => c.defaultVisible).map((c) => c.id);
    assert.deepEqual(shown, ['conversationId', 'conversationStart', 'conversationEnd', 'duration', 'originatingDirection', 'mediaType', 'queue', 'agent', 'ani', 'dnis', 'wrapUpCode', 'tHandle', 'tTalk', 'tHeld', 'tAcw', 'abandoned']);
    const byId = new Map(conv.map((c) => [c.id, c]));
    assert.equal(byId.get('wrapUpCode')?.idKind, 'wrapupcode');
    assert.equal(byId.get('queueIds')?.idKind, 'queue');
    assert.equal(byId.get('agentIds')?.idKind, 'user');
    assert.equal(byId.get('divisionIds')?.idKind, 'division');
    assert.equal(byId.get('tTalk')?.type, 'duration');
    assert.equal(byId.get('conversationStart')?.type, 'time');
    for (const grain of ['participant', 'session', 'segment'] as const) {
      const cols = await view.columns(grain);
      assert.ok(cols.some((c) => c.id === 'queueId' && c.idKind === 'queue' && c.defaultVisible), grain);
      assert.ok(cols.some((c) => c.id === 'userId' && c.idKind === 'user'), grain);
      assert.ok(cols.some((c) => !c.defaultVisible), `${grain} offers hidden columns`);
    }
    assert.ok((await view.columns('session')).some((c) => c.id === 'flow_flowName'), 'session fields beyond the defaults');
  });

  it('flattens the conversation grain like src/results/flatten.ts, one row per cached conversation in order', async () => {
    const cols = ['conversationId', 'conversationStart', 'conversationEnd', 'duration', 'originatingDirection', 'mediaType', 'queue', 'agent', 'ani', 'dnis', 'wrapUpCode', 'tHandle', 'tTalk', 'tHeld', 'tAcw', 'abandoned', 'divisionIds', 'queueIds', 'agentIds', 'all_tAcd'];
    const rows = await everyRow(all, cols);
    assert.equal(rows.length, records.length);
    rows.forEach((row, i) => {
      const f = flattenConversation(records[i]!);
      const expected: Cell[] = [f.conversationId, iso(f.conversationStart), iso(f.conversationEnd), n(f.durationMs), f.originatingDirection ?? null, f.mediaType ?? null];
      assert.deepEqual(row.slice(0, 6), expected, `row ${i}`);
      // Joined lists are compared as sets (flatten.ts keeps first-seen order, so do we).
      assert.deepEqual(row[6], f.queues ?? null, `queue of row ${i}`);
      assert.deepEqual(row[7], f.agents ?? null, `agent of row ${i}`);
      assert.deepEqual(row.slice(8, 16), [t(f.ani), t(f.dnis), t(f.wrapUpCode), n(f.tHandle), n(f.tTalk), n(f.tHeld), n(f.tAcw), f.abandoned], `row ${i}`);
      assert.deepEqual(row.slice(16), [f.divisionIds || null, f.queueIds ?? null, f.agentIds ?? null, n(f.tAcd)], `row ${i}`);
    });
  });

  it('has one participant, session and segment row for each in the records, with their own keys', async () => {
    let participants = 0;
    let sessions = 0;
    let segments = 0;
    for (const c of records) {
      for (const p of c.participants ?? []) {
        participants++;
        for (const s of p.sessions ?? []) {
          sessions++;
          segments += s.segments?.length ?? 0;
        }
      }
    }
    assert.equal(await view.count({ ...all, grain: 'participant' }), participants);
    assert.equal(await view.count({ ...all, grain: 'session' }), sessions);
    assert.equal(await view.count({ ...all, grain: 'segment' }), segments);
    // The first conversation's segments, in record order.
    const first = records[0]!;
    const expected = (first.participants ?? []).flatMap((p) =>
      (p.sessions ?? []).flatMap((s) => (s.segments ?? []).map((g) => [first.conversationId, p.purpose ?? null, g.segmentType ?? null, g.queueId ?? null, iso(g.segmentStart), Date.parse(g.segmentEnd!) - Date.parse(g.segmentStart!)])),
    );
    const seg = await view.window({ view: { ...all, grain: 'segment' }, offset: 0, limit: expected.length, columns: ['conversationId', 'purpose', 'segmentType', 'queueId', 'segmentStart', 'duration'] });
    assert.deepEqual(seg.rows, expected);
    const sessionRows = await view.window({ view: { ...all, grain: 'session' }, offset: 0, limit: 50, columns: ['conversationId', 'sessionId', 'tTalk'] });
    const firstSessions = (first.participants ?? []).flatMap((p) => (p.sessions ?? []).map((s) => [first.conversationId, s.sessionId ?? null, s.metrics?.find((m) => m.name === 'tTalk')?.value ?? null]));
    assert.deepEqual(sessionRows.rows.slice(0, firstSessions.length), firstSessions);
  });

  it('returns windows equal to a plain JS sort of the same rows, for several sort and filter combinations', async () => {
    const cols = ['conversationId', 'mediaType', 'tTalk', 'ani', 'conversationStart', 'abandoned', 'queue'];
    const base = (await everyRow(all, cols)).map((r, i) => [i, ...r]);
    const idx = (c: string): number => cols.indexOf(c) + 1;
    const cases: { sort: SortKey[]; filters: ColumnFilter[]; keep: (r: Cell[]) => boolean }[] = [
      { sort: [{ column: 'mediaType', direction: 'asc' }, { column: 'tTalk', direction: 'desc' }], filters: [], keep: () => true },
      { sort: [{ column: 'ani', direction: 'desc' }], filters: [{ column: 'tTalk', op: 'gt', value: 60_000 }], keep: (r) => r[idx('tTalk')] !== null && (r[idx('tTalk')] as number) > 60_000 },
      {
        sort: [{ column: 'conversationStart', direction: 'desc' }],
        filters: [{ column: 'queue', op: 'contains', value: 'SUPPORT' }, { column: 'abandoned', op: 'equals', value: false }],
        keep: (r) => typeof r[idx('queue')] === 'string' && (r[idx('queue')] as string).toLowerCase().includes('support') && r[idx('abandoned')] === false,
      },
      {
        sort: [{ column: 'queue', direction: 'asc' }, { column: 'conversationStart', direction: 'asc' }],
        filters: [{ column: 'conversationStart', op: 'between', value: '2026-01-10T00:00:00Z', value2: '2026-01-12T12:00:00.000Z' }, { column: 'tTalk', op: 'notEmpty' }],
        keep: (r) => (r[idx('conversationStart')] as string) >= '2026-01-10T00:00:00.000Z' && (r[idx('conversationStart')] as string) <= '2026-01-12T12:00:00.000Z' && r[idx('tTalk')] !== null,
      },
    ];
    for (const c of cases) {
      const q: ViewQuery = { grain: 'conversation', sort: c.sort, filters: c.filters };
      const expected = jsSort(base.filter(c.keep), c.sort.map((k) => ({ index: idx(k.column), direction: k.direction }))).map((r) => r.slice(1));
      assert.ok(expected.length > 10, `case ${JSON.stringify(c.sort)} selects enough rows`);
      for (const offset of [0, 7, Math.max(0, expected.length - 5)]) {
        const w = await view.window({ view: q, offset, limit: 25, columns: cols });
        assert.equal(w.totalRows, expected.length);
        assert.equal(w.offset, offset);
        assert.deepEqual(w.rows, expected.slice(offset, offset + 25), `${JSON.stringify(c)} at ${offset}`);
      }
    }
  });

  it('matches hostile values exactly, as data: quotes, SQL, newlines, unicode', async () => {
    const anis = (await everyRow(all, ['ani'])).map((r) => r[0]);
    for (const value of HOSTILE.filter((h) => h !== '')) {
      const count = await view.count({ ...all, filters: [{ column: 'ani', op: 'equals', value }] });
      assert.equal(count, anis.filter((a) => a === value).length, JSON.stringify(value));
      assert.ok(count > 0, `${JSON.stringify(value)} is in the run`);
    }
    assert.equal(await view.count({ ...all, filters: [{ column: 'ani', op: 'contains', value: '東京' }] }), anis.filter((a) => typeof a === 'string' && a.includes('東京')).length);
    assert.equal(await view.count({ ...all, filters: [{ column: 'externalTag', op: 'contains', value: 'DROP TABLE' }] }), anis.filter((a) => a === HOSTILE[0]).length);
    assert.equal(await view.count({ ...all, filters: [{ column: 'ani', op: 'notEquals', value: HOSTILE[0]! }] }), records.length - anis.filter((a) => a === HOSTILE[0]).length);
    // Still all there.
    assert.equal(await view.count(all), records.length);
  });

  it('counts distinct values, most frequent first, within the current filter', async () => {
    const media = (await everyRow(all, ['mediaType'])).map((r) => r[0]);
    const counts = new Map<Cell, number>();
    media.forEach((m) => counts.set(m, (counts.get(m) ?? 0) + 1));
    const expected = [...counts.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).map(([value, count]) => ({ value, count }));
    assert.deepEqual(await view.distinct(all, 'mediaType', 100), expected);
    assert.deepEqual(await view.distinct(all, 'mediaType', 2), expected.slice(0, 2));
    const voice = await view.distinct({ ...all, filters: [{ column: 'mediaType', op: 'equals', value: 'voice' }] }, 'mediaType', 10);
    assert.deepEqual(voice, [{ value: 'voice', count: counts.get('voice') }]);
  });

  it('returns the full cached record behind a row of a sorted, filtered view', async () => {
    const q: ViewQuery = { grain: 'segment', sort: [{ column: 'duration', direction: 'desc' }], filters: [{ column: 'segmentType', op: 'equals', value: 'interact' }] };
    for (const offset of [0, 3, 41]) {
      const w = await view.window({ view: q, offset, limit: 1, columns: ['conversationId'] });
      const record = (await view.rowRecord(q, offset)) as ConversationRecord;
      assert.equal(record.conversationId, w.rows[0]![0]);
      assert.deepEqual(record, records.find((r) => r.conversationId === record.conversationId));
    }
    await assert.rejects(view.rowRecord(all, records.length), /There is no row/);
  });

  it('rejects bad requests with clear errors', async () => {
    await assert.rejects(view.window({ view: all, offset: 0, limit: 5000, columns: ['conversationId'] }), /at most 2000 rows/);
    await assert.rejects(view.window({ view: all, offset: -1, limit: 5, columns: ['conversationId'] }), /offset must be a whole number/);
    await assert.rejects(view.window({ view: all, offset: 0, limit: 5, columns: ['conversationId; DROP TABLE conversation'] }), /Unknown column/);
    await assert.rejects(view.count({ grain: 'calls' as 'conversation', sort: [], filters: [] }), /Unknown grain/);
    assert.equal(await view.count(all), records.length);
  });
});
