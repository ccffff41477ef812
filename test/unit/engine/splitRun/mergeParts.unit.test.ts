import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ConversationRecord } from '../../../../src/genesys/types';
import { mergePart } from '../../../../src/jobs/splitRun/mergeParts';
import { splitSpan } from '../../../../src/jobs/splitRun/splitInterval';
import { ResultsStore } from '../../../../src/results/resultsStore';
import { RunReader } from '../../../../src/results/runReader';
import { makeTempDir } from '../../../fakes/tempDir';
import { storedIds } from '../engineHarness';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function conv(id: string, startMs: number, extra: Record<string, unknown> = {}): ConversationRecord {
  return { conversationId: id, conversationStart: new Date(startMs).toISOString(), conversationEnd: new Date(startMs + 3_600_000).toISOString(), ...extra } as ConversationRecord;
}

describe('engine / split run: merging sub-job caches', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;
  beforeEach(() => {
    tmp = makeTempDir();
    store = new ResultsStore({ root: tmp.path });
  });
  afterEach(() => tmp.remove());

  async function part(runId: string, rows: ConversationRecord[]): Promise<string> {
    const w = await store.create({ runId, kind: 'job', connectionId: 'x', body: {} });
    await w.appendPage(rows);
    await w.close();
    return store.runDir(runId);
  }

  it('keeps a conversation spanning midnight once, from the span it started in, copying rows byte for byte', async () => {
    const spans = splitSpan({ startMs: T0, endMs: T0 + 2 * DAY }, 2);
    // "b" starts 23:30 on day 1 and is still running after midnight: both sub-jobs return it.
    const early = conv('early', T0 - 1800_000, { note: '<img src=x onerror=alert(1)> \u202e' });
    const a = conv('a', T0 + 3_600_000);
    const b = conv('b', T0 + DAY - 1_800_000);
    const c = conv('c', T0 + DAY + 60_000);
    const p0 = await part('part-0', [early, a, b]);
    const p1 = await part('part-1', [b, c]);
    const merged = await store.create({ runId: 'merged', kind: 'job', connectionId: 'x', body: {} });
    assert.equal(await mergePart(merged, p0, spans, 0), 3);
    assert.equal(await mergePart(merged, p1, spans, 1), 1);
    await merged.close();
    assert.deepEqual(await storedIds(store, 'merged'), ['early', 'a', 'b', 'c']);
    const reader = await store.openReader('merged');
    assert.deepEqual(await reader.readRawRows(0, 1), [JSON.stringify(early)]);
    await reader.close();
  });

  it('merged newest span first (desc) still keeps each conversation once', async () => {
    const spans = splitSpan({ startMs: T0, endMs: T0 + 2 * DAY }, 2);
    const b = conv('b', T0 + DAY - 1_800_000);
    const p0 = await part('part-0', [b, conv('a', T0 + 60_000)]);
    const p1 = await part('part-1', [conv('c', T0 + DAY + 60_000), b]);
    const merged = await store.create({ runId: 'merged', kind: 'job', connectionId: 'x', body: {} });
    await mergePart(merged, p1, spans, 1);
    await mergePart(merged, p0, spans, 0);
    const m = merged.manifest;
    await merged.close();
    assert.deepEqual(await storedIds(store, 'merged'), ['c', 'b', 'a']);
    assert.equal(m.rowCount, 3);
    assert.equal(m.duplicatesSkipped, 0, 'the owner filter, not the id filter, dropped the repeat');
  });

  it('copies each stored block whose rows are all kept as its gzip member, and writes again one that loses a row', async () => {
    const spans = splitSpan({ startMs: T0, endMs: T0 + 2 * DAY }, 2);
    // 250 rows of span 1 (blocks of 100, 100, 50); row 10 started in span 0, row 120 is stored already.
    const rows = Array.from({ length: 250 }, (_, i) => conv(`r${i}`, i === 10 ? T0 + 60_000 : T0 + DAY + i * 1000, { note: `ü ${i}` }));
    // The part's blocks are gzip members stamped with an mtime, which our own compression never writes: a
    // stamped member in the merged file was copied, not compressed again.
    const stamped = (from: number, to: number): Buffer => {
      const member = gzipSync(Buffer.from(rows.slice(from, to).map((r) => `${JSON.stringify(r)}\n`).join('')));
      member.writeUInt32LE(0x5eed, 4);
      return member;
    };
    const w = await store.create({ runId: 'part-1', kind: 'job', connectionId: 'x', body: {} });
    const raw = (from: number, to: number) => rows.slice(from, to).map((r) => ({ conversationId: r.conversationId, json: JSON.stringify(r) }));
    await w.appendStoredBlocks([0, 100, 200].map((from) => ({ rows: raw(from, from + 100), gzip: stamped(from, from + 100) })));
    await w.close();
    const merged = await store.create({ runId: 'merged', kind: 'job', connectionId: 'x', body: {} });
    await merged.appendPage([rows[120]!]);
    assert.equal(await mergePart(merged, store.runDir('part-1'), spans, 1), 248);
    const m = merged.manifest;
    await merged.close();
    const want = rows.filter((_, i) => i !== 10).map((r) => r.conversationId);
    assert.deepEqual(await storedIds(store, 'merged'), ['r120', ...want.filter((id) => id !== 'r120')]);
    assert.equal(m.duplicatesSkipped, 1);
    const mergedFile = readFileSync(join(store.runDir('merged'), 'rows.ndjson.gz'));
    assert.ok(mergedFile.includes(stamped(200, 250)), 'the block kept whole is copied as stored');
    const header = stamped(0, 1).subarray(0, 10);
    let copies = 0;
    for (let at = mergedFile.indexOf(header); at >= 0; at = mergedFile.indexOf(header, at + 1)) {
      copies++;
    }
    assert.equal(copies, 1, 'the blocks that lost a row (out of span, duplicate) are written again');
    const reader = await store.openReader('merged');
    assert.deepEqual(await reader.readRawRows(1, 248), want.filter((id) => id !== 'r120').map((id) => JSON.stringify(rows[Number(id.slice(1))])));
    await reader.close();
  });

  describe('a sub-job cache holding only its own rows', () => {
    let reads = 0;
    const readMembers = RunReader.prototype.readMembers;
    beforeEach(() => {
      reads = 0;
      RunReader.prototype.readMembers = function (this: RunReader, ...args: Parameters<RunReader['readMembers']>) {
        reads++;
        return readMembers.apply(this, args);
      };
    });
    afterEach(() => {
      RunReader.prototype.readMembers = readMembers;
    });

    const spans = splitSpan({ startMs: T0, endMs: T0 + 2 * DAY }, 2);
    const rows = Array.from({ length: 2500 }, (_, i) => conv(`o${i}`, T0 + DAY + i * 1000, { note: `ü ${i}` }));

    it('is copied as stored, its rows never read: the merged file is the part file byte for byte', async () => {
      const p1 = await part('part-1', rows);
      const merged = await store.create({ runId: 'merged', kind: 'job', connectionId: 'x', body: {} });
      assert.equal(await mergePart(merged, p1, spans, 1, true), 2500);
      await merged.close();
      assert.equal(reads, 0, 'no row was read');
      assert.ok(readFileSync(join(store.runDir('merged'), 'rows.ndjson.gz')).equals(readFileSync(join(p1, 'rows.ndjson.gz'))));
      assert.deepEqual(await storedIds(store, 'merged'), rows.map((r) => r.conversationId));
      // The duplicate filter knows every copied row (from the hashes copied with them).
      const again = await store.openWriter('merged');
      assert.equal((await again.appendPage([rows[2222]!])).duplicates, 1);
      await again.close();
    });

    it('has a batch read row by row when the duplicate filter may know one of its ids, and that row dropped', async () => {
      const p1 = await part('part-1', rows);
      const merged = await store.create({ runId: 'merged', kind: 'job', connectionId: 'x', body: {} });
      await merged.appendPage([rows[1500]!]);
      assert.equal(await mergePart(merged, p1, spans, 1, true), 2499);
      const m = merged.manifest;
      await merged.close();
      assert.ok(reads >= 1, 'the batch holding the known id was read');
      assert.equal(m.duplicatesSkipped, 1);
      const ids = await storedIds(store, 'merged');
      assert.deepEqual(ids, ['o1500', ...rows.map((r) => r.conversationId).filter((id) => id !== 'o1500')]);
    });
  });
});
