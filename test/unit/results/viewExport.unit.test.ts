import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCancelledError } from '../../../src/common/cancellation';
import { ResultsStore } from '../../../src/results/resultsStore';
import { openResultsView } from '../../../src/results/view';
import type { Cell, ResultsView, ViewQuery } from '../../../src/results/view';
import { loadDuckDB } from '../../../src/results/view/duckdb';
import { makeTempDir } from '../../fakes/tempDir';
import { generatedConversations, hostileConversation, writeRun } from './viewRuns';

/** RFC 4180 reader for the round trip (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += ch;
    }
  }
  assert.equal(cell, '', 'the file ends with a record delimiter');
  return rows;
}

/** As src/results/export.ts: text starting with = + - @ tab or CR is prefixed with ' in CSV. */
const guarded = (v: Cell): string => (v === null ? '' : typeof v === 'string' ? (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) : String(v));

describe('results view / export of the current view', function () {
  this.timeout(120_000);
  const tmp = makeTempDir('gca-view-export-');
  const records = generatedConversations(700, 23).map((c, i) => (i % 25 === 3 ? hostileConversation(c, Math.floor(i / 25)) : c));
  let view: ResultsView;
  const q: ViewQuery = {
    grain: 'conversation',
    sort: [{ column: 'ani', direction: 'asc' }],
    filters: [{ column: 'tTalk', op: 'notEmpty' }],
  };
  const columns = ['conversationId', 'ani', 'externalTag', 'conversationStart', 'tTalk', 'abandoned', 'queue'];

  before(async () => {
    const store = new ResultsStore({ root: join(tmp.path, 'store') });
    const writer = await writeRun(store, 'run-x', records);
    await writer.close();
    view = await openResultsView(store.runDir('run-x'));
  });

  after(async () => {
    await view?.close();
    tmp.remove();
  });

  async function expectedRows(): Promise<Cell[][]> {
    const total = await view.count(q);
    const w = await view.window({ view: q, offset: 0, limit: Math.min(2000, total), columns });
    assert.equal(w.rows.length, total);
    return w.rows.map((r) => [...r]);
  }

  it('writes CSV (RFC 4180 quoting, CRLF, unicode, formula guard) that reads back to the view', async () => {
    const expected = await expectedRows();
    assert.ok(expected.some((r) => typeof r[2] === 'string' && r[2].includes('\n')), 'the view holds a multi-line value');
    const dest = join(tmp.path, 'view.csv');
    const progress: number[] = [];
    const result = await view.exportView({ view: q, columns, format: 'csv', destination: dest, onProgress: (rows) => progress.push(rows) });
    assert.equal(result.rows, expected.length);
    const text = readFileSync(dest, 'utf8');
    assert.equal(result.bytes, Buffer.byteLength(text));
    const [header, ...rows] = parseCsv(text);
    assert.deepEqual(header, ['Conversation ID', 'ANI', 'External tag', 'Start', 'tTalk', 'Abandoned', 'Queue']);
    assert.deepEqual(rows, expected.map((r) => r.map(guarded)));
    assert.ok(text.includes(`"'=HYPERLINK(""http://x"")"`), 'formula cells are guarded and quoted');
    assert.ok(text.includes('Zoë – 東京 – 😀'));
    assert.equal(progress.at(-1), expected.length);
  });

  it('writes JSON (one array) and NDJSON objects keyed by column id', async () => {
    const expected = (await expectedRows()).map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
    const json = join(tmp.path, 'view.json');
    const nd = join(tmp.path, 'view.ndjson');
    assert.equal((await view.exportView({ view: q, columns, format: 'json', destination: json })).rows, expected.length);
    assert.equal((await view.exportView({ view: q, columns, format: 'ndjson', destination: nd })).rows, expected.length);
    assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), expected);
    assert.deepEqual(readFileSync(nd, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown), expected);
    const empty = join(tmp.path, 'empty.json');
    await view.exportView({ view: { ...q, filters: [{ column: 'ani', op: 'equals', value: 'nobody' }] }, columns, format: 'json', destination: empty });
    assert.deepEqual(JSON.parse(readFileSync(empty, 'utf8')), []);
  });

  it('writes Parquet with real types that DuckDB reads back equal to the view', async () => {
    const expected = await expectedRows();
    const dest = join(tmp.path, "it's a view.parquet");
    const result = await view.exportView({ view: q, columns, format: 'parquet', destination: dest });
    assert.equal(result.rows, expected.length);
    const duckdb = await loadDuckDB();
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    try {
      const c = await instance.connect();
      const reader = await c.runAndReadAll(
        `SELECT conversationId, ani, externalTag, strftime(conversationStart, '%Y-%m-%dT%H:%M:%S.%gZ'), CAST(tTalk AS DOUBLE), abandoned, queue, typeof(conversationStart), typeof(tTalk) FROM read_parquet($1)`,
        [dest],
      );
      const rows = reader.getRowsJS() as Cell[][];
      assert.deepEqual(rows.map((r) => r.slice(0, 7)), expected);
      assert.deepEqual(rows[0]!.slice(7), ['TIMESTAMP', 'BIGINT']);
      c.closeSync();
    } finally {
      instance.closeSync();
    }
  });

  it('leaves nothing behind when cancelled, before or during the export', async () => {
    const before = new AbortController();
    before.abort();
    const dest = join(tmp.path, 'cancelled.csv');
    await assert.rejects(view.exportView({ view: q, columns, format: 'csv', destination: dest, signal: before.signal }), isCancelledError);
    // Mid-way: the segment grain spans several DuckDB vectors; abort after the first one.
    const seg: ViewQuery = { grain: 'segment', sort: [{ column: 'duration', direction: 'desc' }], filters: [] };
    assert.ok((await view.count(seg)) > 2 * 2048);
    for (const format of ['csv', 'ndjson'] as const) {
      const file = join(tmp.path, `cancelled.${format}`);
      const ctl = new AbortController();
      await assert.rejects(
        view.exportView({ view: seg, columns: ['conversationId', 'segmentType'], format, destination: file, signal: ctl.signal, onProgress: () => ctl.abort() }),
        isCancelledError,
      );
      assert.ok(!existsSync(file), `${format}: no partial file`);
    }
    assert.deepEqual(readdirSync(tmp.path).filter((f) => f.includes('cancelled') || f.endsWith('.tmp')), []);
  });

  it('refuses an unknown format or column before writing anything', async () => {
    const dest = join(tmp.path, 'bad.out');
    await assert.rejects(view.exportView({ view: q, columns, format: 'xlsx' as 'csv', destination: dest }), /Unknown export format "xlsx"/);
    await assert.rejects(view.exportView({ view: q, columns: ['conversationId', '"; DROP TABLE conversation; --'], format: 'parquet', destination: dest }), /Unknown column/);
    assert.ok(!existsSync(dest));
  });
});
