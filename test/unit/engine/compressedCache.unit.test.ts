import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ConversationRecord } from '../../../src/genesys/types';
import { INDEX_FILE, PLAIN_ROWS_FILE, ROWS_FILE } from '../../../src/results/manifest';
import { ResultsStore } from '../../../src/results/resultsStore';
import { BLOCK_MAX_ROWS } from '../../../src/results/rowBlocks';
import { RunReader } from '../../../src/results/runReader';
import { ndjsonOf } from '../../../src/results/rowSource';
import type { RunWriter } from '../../../src/results/runWriter';
import { makeTempDir } from '../../fakes/tempDir';
import { memberOf, writePlainRunFolder } from './cacheFiles';

const row = (i: number, extra: Record<string, unknown> = {}): ConversationRecord => ({ conversationId: `c-${String(i).padStart(7, '0')}`, n: i, ...extra });
const rows = (from: number, count: number): ConversationRecord[] => Array.from({ length: count }, (_, k) => row(from + k));
const ids = (records: readonly ConversationRecord[]): string[] => records.map((r) => r.conversationId);

/** rows.ndjson.gz (one gzip member per page) with rows.idx pointing at members: src/results/rowBlocks.ts. */
describe('engine / compressed results cache (rows.ndjson.gz)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;

  beforeEach(() => {
    tmp = makeTempDir();
    store = new ResultsStore({ root: tmp.path });
  });
  afterEach(() => tmp.remove());

  it('encodes lines as NDJSON exactly as joining them would (Latin-1, two-byte, astral, empty, bytes)', () => {
    const cases = [[], [''], ['{"a":1}'], ['caf\u00e9', '\u05e9\u05dc\u05d5\u05dd \u200b', '\ud83d\ude00 ok', 'x'.repeat(10_000)]];
    for (const lines of cases) {
      const expected = Buffer.from(lines.map((l) => `${l}\n`).join(''));
      assert.ok(ndjsonOf(lines).equals(expected), JSON.stringify(lines).slice(0, 60));
      // The same lines as UTF-8 bytes (a scanned results page), and mixed with strings.
      assert.ok(ndjsonOf(lines.map((l) => Buffer.from(l))).equals(expected));
      assert.ok(ndjsonOf(lines.map((l, i) => (i % 2 ? Buffer.from(l) : l))).equals(expected));
    }
  });

  async function written(runId: string, pages: readonly (readonly ConversationRecord[])[]): Promise<RunWriter> {
    const w = await store.create({ runId, kind: 'job', connectionId: 'x', body: {} });
    for (const page of pages) {
      await w.appendPage(page, { pages: w.manifest.pages + 1 });
    }
    return w;
  }

  async function readAll(runId: string): Promise<string[]> {
    const reader = await store.openReader(runId);
    try {
      return (await reader.readRows(0, Number.MAX_SAFE_INTEGER)).map((r) => r.conversationId);
    } finally {
      await reader.close();
    }
  }

  it('round-trips rows exactly (unicode, 10 KB strings, raw rows), compressed, and zcat-able as the NDJSON', async () => {
    const big = 'x'.repeat(10_240);
    const page1 = [row(1, { name: 'Zoë – 東京 – 😀', note: 'quote " backslash \\ tab \t newline \n' }), row(2, { blob: big, also: `${big}é` })];
    const page2 = rows(3, 998);
    const w = await written('rt', [page1, page2]);
    await w.appendRawRows([{ conversationId: 'raw-1', json: '{"conversationId":"raw-1","k":"ü"}' }]);
    await w.close();
    const all = [...page1, ...page2, { conversationId: 'raw-1', k: 'ü' }];
    const reader = await store.openReader('rt');
    assert.equal(reader.format, 'blocks');
    assert.deepEqual(await reader.readRows(0, 5000), all);
    const rawLines = await reader.readRawRows(0, 5000);
    await reader.close();
    const dir = store.runDir('rt');
    assert.equal(existsSync(join(dir, PLAIN_ROWS_FILE)), false, 'no plain rows file in a new run folder');
    const gz = await fsp.readFile(join(dir, ROWS_FILE));
    assert.equal(gz.length, (await store.readManifest('rt'))?.bytes, 'the manifest counts compressed bytes');
    assert.ok(gz.length < Buffer.byteLength(rawLines.join('\n')) / 3, `compressed ${gz.length} bytes`);
    // What `zcat rows.ndjson.gz` prints: every member inflated in turn, the rows as NDJSON lines.
    assert.equal(gunzipSync(gz).toString('utf8'), `${rawLines.join('\n')}\n`);
    assert.deepEqual(rawLines.map((l) => JSON.parse(l) as unknown), all);
  });

  it('reads every window across member boundaries (pages of 1, 999, 2,500 and 37 rows, split in members of BLOCK_MAX_ROWS)', async () => {
    const sizes = [1, 999, 2500, 37];
    const pages: ConversationRecord[][] = [];
    let next = 0;
    for (const n of sizes) {
      pages.push(rows(next, n));
      next += n;
    }
    await (await written('win', pages)).close();
    const dir = store.runDir('win');
    // Pages longer than BLOCK_MAX_ROWS (100) become several members: 1 + 10 + 25 + 1.
    const index = await fsp.readFile(join(dir, INDEX_FILE));
    const members = new Set(Array.from({ length: next }, (_, r) => index.readUIntLE(r * 8, 6)));
    assert.equal(members.size, sizes.reduce((n, size) => n + Math.ceil(size / BLOCK_MAX_ROWS), 0));
    assert.equal(members.size, 37);
    const reader = await RunReader.open(dir);
    try {
      assert.equal(await reader.rowCount(), next);
      const expected = ids(pages.flat());
      const starts = [0, 1, 2, 99, 100, 101, 999, 1000, 1001, 1999, 2000, 2999, 3000, 3499, 3500, 3536, 3537];
      for (const start of starts) {
        for (const count of [0, 1, 2, 200, 1001, 5000]) {
          assert.deepEqual(ids(await reader.readRows(start, count)), expected.slice(start, start + count), `rows ${start} +${count}`);
        }
      }
      // Reading backwards and jumping about: the reader's cached members must never serve the wrong rows.
      for (const start of [3400, 10, 2990, 999, 1500, 0, 3536]) {
        assert.deepEqual(ids(await reader.readRows(start, 200)), expected.slice(start, start + 200), `again ${start}`);
      }
    } finally {
      await reader.close();
    }
  });

  it('cuts a member written before a crash (before its index entries, or before the manifest) and loses nothing claimed', async () => {
    const w = await written('crash', [rows(0, 1000), rows(1000, 500)]);
    await w.close();
    const dir = store.runDir('crash');
    const claimed = (await fsp.stat(join(dir, ROWS_FILE))).size;
    // Crash 1: a whole member appended, then the process died before writing its index entries.
    await fsp.appendFile(join(dir, ROWS_FILE), gzipSync(rows(1500, 10).map((r) => `${JSON.stringify(r)}\n`).join('')));
    let again = await store.openWriter('crash');
    assert.equal(again.rowCount, 1500);
    assert.equal((await fsp.stat(join(dir, ROWS_FILE))).size, claimed, 'the unclaimed member is cut off');
    assert.equal(await again.has(row(1505).conversationId), false);
    await again.close();
    // Crash 2: member and index entries written, manifest not.
    const member = gzipSync(rows(1500, 3).map((r) => `${JSON.stringify(r)}\n`).join(''));
    await fsp.appendFile(join(dir, ROWS_FILE), member);
    const entries = Buffer.alloc(3 * 8);
    for (let k = 0; k < 3; k++) {
      entries.writeUIntLE(claimed + member.length, k * 8, 6);
      entries.writeUInt16LE(k, k * 8 + 6);
    }
    await fsp.appendFile(join(dir, INDEX_FILE), entries);
    const early = await RunReader.open(dir);
    assert.equal(await early.rowCount(), 1503, 'a reader sees the indexed rows before the writer reopens');
    await early.close();
    again = await store.openWriter('crash');
    assert.equal(again.rowCount, 1500);
    assert.equal((await fsp.stat(join(dir, INDEX_FILE))).size, 1500 * 8);
    await again.appendPage([row(1500), row(7), row(1501)]);
    await again.close();
    assert.deepEqual(await readAll('crash'), ids([...rows(0, 1500), row(1500), row(1501)]));
  });

  it('cuts a torn final gzip member on open; a claimed member that is torn is reported as damaged, naming the file', async () => {
    await (await written('torn', [rows(0, 300), rows(300, 300)])).close();
    const dir = store.runDir('torn');
    const claimed = (await fsp.stat(join(dir, ROWS_FILE))).size;
    const member = gzipSync(rows(600, 300).map((r) => `${JSON.stringify(r)}\n`).join(''));
    await fsp.appendFile(join(dir, ROWS_FILE), member.subarray(0, Math.floor(member.length / 2)));
    const w = await store.openWriter('torn');
    assert.equal((await fsp.stat(join(dir, ROWS_FILE))).size, claimed);
    await w.appendPage(rows(600, 300));
    await w.close();
    assert.deepEqual(await readAll('torn'), ids(rows(0, 900)));

    // The last claimed member cut short under the manifest (e.g. lost in a power cut on a disk that lied about syncing).
    const { start, end } = await memberOf(dir, 899);
    await fsp.truncate(join(dir, ROWS_FILE), end - 5);
    const reader = await RunReader.open(dir);
    try {
      assert.deepEqual(ids(await reader.readRows(0, 600)), ids(rows(0, 600)), 'the members before it still read');
      await assert.rejects(reader.readRows(850, 10), /Results file is shorter than its index/);
      await fsp.appendFile(join(dir, ROWS_FILE), Buffer.alloc(5));
      await assert.rejects(reader.readRows(850, 10), (err: Error) => {
        assert.match(err.message, new RegExp(`^The cached rows in .*rows\\.ndjson\\.gz are damaged \\(the block at bytes ${start}–${end}: .+\\)\\. Delete the run and run the query again\\.$`));
        return true;
      });
    } finally {
      await reader.close();
    }
  });

  it("a member whose gzip trailer lies about its size is reported as damaged; the members before it still read", async () => {
    await (await written('isize', [rows(0, 300), rows(300, 300)])).close();
    const dir = store.runDir('isize');
    const { start, end } = await memberOf(dir, 350);
    const file = await fsp.open(join(dir, ROWS_FILE), 'r+');
    const writeIsize = (n: number): Promise<unknown> => {
      const isize = Buffer.alloc(4);
      isize.writeUInt32LE(n);
      return file.write(isize, 0, 4, end - 4);
    };
    try {
      for (const isize of [1, 0xffffffff]) {
        await writeIsize(isize);
        const reader = await RunReader.open(dir);
        try {
          assert.deepEqual(ids(await reader.readRows(0, 300)), ids(rows(0, 300)), 'the members before it still read');
          await assert.rejects(reader.readRows(345, 10), (err: Error) => {
            assert.match(err.message, new RegExp(`are damaged \\(the block at bytes ${start}–${end}: `));
            return true;
          });
        } finally {
          await reader.close();
        }
      }
    } finally {
      await file.close();
    }
  });

  it('never serves a cached member for different bytes written over the same range (a cache cut back and rewritten)', async () => {
    const a = [{ conversationId: 'aaaa-1' }, { conversationId: 'aaaa-2' }];
    const b = [{ conversationId: 'bbbb-1' }, { conversationId: 'bbbb-2' }];
    const w = await written('same', [rows(0, 5), a]);
    await w.close();
    const dir = store.runDir('same');
    const reader = await RunReader.open(dir);
    try {
      assert.deepEqual(ids(await reader.readRows(5, 2)), ids(a));
      // A writer that died before its manifest claimed `a` reopens (cutting it) and appends `b` in its place.
      const m = (await store.readManifest('same'))!;
      const cut = (await memberOf(dir, 4)).end;
      await fsp.writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...m, rowCount: 5, bytes: cut }));
      const again = await store.openWriter('same');
      await again.appendPage(b);
      await again.close();
      assert.equal((await memberOf(dir, 5)).end - cut, gzipSync(`${a.map((r) => JSON.stringify(r)).join('\n')}\n`, { level: 4 }).length, 'same member length as before');
      assert.deepEqual(ids(await reader.readRows(5, 2)), ids(b));
    } finally {
      await reader.close();
    }
  });

  it('opens a run folder written before the compressed cache: reads it as it is, appends to it in its format, loses no row', async () => {
    const dir = store.runDir('old');
    await writePlainRunFolder(dir, 'old', rows(0, 1200), { phase: 'paging', cursor: 'c-2' });
    const reader = await RunReader.open(dir);
    assert.equal(reader.format, 'plain');
    assert.deepEqual(ids(await reader.readRows(995, 10)), ids(rows(995, 10)));
    assert.equal(await reader.endOffset(1200), (await fsp.stat(join(dir, PLAIN_ROWS_FILE))).size);
    await reader.close();

    // A resumed old run: duplicates found by reading the plain rows, new rows appended as plain lines.
    const w = await store.openWriter('old');
    assert.deepEqual(await w.appendPage([row(3), row(1199), ...rows(1200, 50)]), { appended: 50, duplicates: 2 });
    await w.close();
    assert.equal(existsSync(join(dir, ROWS_FILE)), false, 'not migrated: no compressed file beside the plain one');
    const text = await fsp.readFile(join(dir, PLAIN_ROWS_FILE), 'utf8');
    assert.deepEqual(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as ConversationRecord).conversationId), ids(rows(0, 1250)));
    assert.deepEqual(await readAll('old'), ids(rows(0, 1250)));
  });
});
