import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ConversationRecord } from '../../../src/genesys/types';
import { INDEX_FILE, ROWS_FILE } from '../../../src/results/manifest';
import { WRITER_LOCK_FILE } from '../../../src/results/runWriter';
import { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';
import { damageMemberOf } from './cacheFiles';

const row = (i: number): ConversationRecord => ({ conversationId: `c-${String(i).padStart(7, '0')}`, conversationStart: '2026-01-01T00:00:00.000Z', n: i, text: 'é✓'.repeat(i % 3) });

describe('engine / resultsStore', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;

  beforeEach(() => {
    tmp = makeTempDir();
    store = new ResultsStore({ root: tmp.path });
  });
  afterEach(() => tmp.remove());

  it('reads back by random access exactly what was written, in pages', async () => {
    const writer = await store.create({ runId: 'run-a', kind: 'job', connectionId: 'x', body: { interval: 'i' } });
    for (let p = 0; p < 10; p++) {
      await writer.appendPage(Array.from({ length: 37 }, (_, k) => row(p * 37 + k)), { pages: p + 1, cursor: `c${p}` });
    }
    await writer.close();
    const reader = await store.openReader('run-a');
    assert.equal(await reader.rowCount(), 370);
    for (const [start, count] of [[0, 1], [0, 370], [36, 3], [200, 50], [369, 10], [370, 5], [500, 2]] as const) {
      const got = await reader.readRows(start, count);
      const want = Array.from({ length: Math.max(0, Math.min(370, start + count) - start) }, (_, k) => row(start + k));
      assert.deepEqual(got, want, `rows ${start}+${count}`);
    }
    await reader.close();
    const m = await store.readManifest('run-a');
    assert.equal(m?.rowCount, 370);
    assert.equal(m?.pages, 10);
    assert.equal(m?.cursor, 'c9');
  });

  it('marks a sync run left RUNNING by a dead process as interrupted (ERROR, partial, rows kept), never a live one', async () => {
    const crashed = await store.create({ runId: 'q-crashed', kind: 'query', connectionId: 'x', body: {} });
    await crashed.appendPage([row(1), row(2), row(3)], { pages: 1, nextPageNumber: 2 });
    await crashed.close();
    // As a killed window leaves it: the lock names a process that no longer exists.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await fsp.writeFile(join(store.runDir('q-crashed'), WRITER_LOCK_FILE), String(dead));
    const live = await store.create({ runId: 'q-live', kind: 'query', connectionId: 'x', body: {} });
    await live.appendPage([row(9)]);
    const job = await store.create({ runId: 'j-1', kind: 'job', connectionId: 'x', body: {} });
    await job.close();

    const changed = await store.recoverInterruptedQueries();

    assert.deepEqual(changed.map((m) => m.runId), ['q-crashed']);
    const m = await store.readManifest('q-crashed');
    assert.equal(m?.state, 'ERROR');
    assert.equal(m?.partial, true);
    assert.match(m?.error?.message ?? '', /interrupted .* after 3 row\(s\)/);
    const reader = await store.openReader('q-crashed');
    assert.deepEqual((await reader.readRows(0, 10)).map((r) => r.conversationId), [row(1), row(2), row(3)].map((r) => r.conversationId));
    await reader.close();
    assert.equal((await store.readManifest('q-live'))?.state, 'RUNNING');
    assert.equal((await store.readManifest('j-1'))?.state, 'QUEUED');
    await live.close();
  });

  it('marks a RUNNING sync run with damaged rows as ERROR with the reason, instead of leaving it running forever', async () => {
    const w = await store.create({ runId: 'q-damaged', kind: 'query', connectionId: 'x', body: {} });
    await w.appendPage([row(1), row(2)], { pages: 1, nextPageNumber: 2 });
    await w.close();
    await damageMemberOf(store.runDir('q-damaged'), 0);
    await fsp.writeFile(join(store.runDir('q-damaged'), WRITER_LOCK_FILE), String(spawnSync(process.execPath, ['-e', '']).pid));

    const changed = await store.recoverInterruptedQueries();

    assert.deepEqual(changed.map((m) => [m.runId, m.state]), [['q-damaged', 'ERROR']]);
    const m = await store.readManifest('q-damaged');
    assert.equal(m?.state, 'ERROR');
    assert.equal(m?.partial, true);
    assert.equal(m?.error?.kind, 'local-io');
    assert.match(m?.error?.message ?? '', /cannot be opened: .*cached rows of run q-damaged are damaged \(line 1 of .*rows\.ndjson\.gz; the block at bytes 0–\d+: incorrect data check\)/);
    await assert.rejects(fsp.stat(join(store.runDir('q-damaged'), WRITER_LOCK_FILE)), /ENOENT/, 'lock released');
    assert.deepEqual(await store.recoverInterruptedQueries(), [], 'reported once');
  });

  it('drops rows whose conversationId is already stored, and counts them', async () => {
    const writer = await store.create({ runId: 'run-d', kind: 'job', connectionId: 'x', body: {} });
    const r1 = await writer.appendPage([row(1), row(2)]);
    const r2 = await writer.appendPage([row(2), row(3), row(3)]);
    assert.deepEqual([r1, r2], [{ appended: 2, duplicates: 0 }, { appended: 1, duplicates: 2 }]);
    assert.equal(writer.manifest.duplicatesSkipped, 2);
    await writer.close();
  });

  it('serves reads while a writer is still appending', async () => {
    const writer = await store.create({ runId: 'run-live', kind: 'job', connectionId: 'x', body: {} });
    const reader = await store.openReader('run-live');
    for (let p = 0; p < 20; p++) {
      await writer.appendPage(Array.from({ length: 50 }, (_, k) => row(p * 50 + k)));
      const n = await reader.rowCount();
      assert.equal(n, (p + 1) * 50);
      const last = await reader.readRows(n - 2, 5);
      assert.deepEqual(last.map((r) => r.conversationId), [row(n - 2).conversationId, row(n - 1).conversationId]);
    }
    await reader.close();
    await writer.close();
  });

  it('cuts rows written after the last manifest update when reopened (crash between rows and manifest)', async () => {
    const writer = await store.create({ runId: 'run-crash', kind: 'job', connectionId: 'x', body: {} });
    await writer.appendPage([row(1), row(2)], { cursor: 'after-2' });
    await writer.close();
    // Simulate a process that appended a page's rows and index entries, then died before its manifest write.
    const dir = store.runDir('run-crash');
    const extra = gzipSync(`${JSON.stringify(row(3))}\n`);
    const size = (await fsp.stat(join(dir, ROWS_FILE))).size;
    await fsp.appendFile(join(dir, ROWS_FILE), extra);
    const idx = Buffer.alloc(8);
    idx.writeUIntLE(size + extra.length, 0, 6);
    await fsp.appendFile(join(dir, INDEX_FILE), idx);

    const reopened = await store.openWriter('run-crash');
    assert.equal(reopened.rowCount, 2);
    assert.equal(reopened.manifest.cursor, 'after-2');
    assert.equal(await reopened.has(row(3).conversationId), false);
    assert.equal(await reopened.has(row(2).conversationId), true);
    await reopened.appendPage([row(3), row(4)]);
    await reopened.close();
    const reader = await store.openReader('run-crash');
    assert.deepEqual((await reader.readRows(0, 10)).map((r) => r.conversationId), [1, 2, 3, 4].map((i) => row(i).conversationId));
    await reader.close();
  });

  it('flushes rows and index to disk before the manifest that claims them is renamed into place', async () => {
    const writer = await store.create({ runId: 'run-sync', kind: 'job', connectionId: 'x', body: {} });
    const probe = await fsp.open(join(store.runDir('run-sync'), 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void>; sync: () => Promise<void> };
    await probe.close();
    const events: string[] = [];
    const { datasync, sync } = proto;
    const rename = fsp.rename;
    proto.datasync = function (this: { fd: number }) {
      events.push(`datasync`);
      return datasync.call(this);
    };
    proto.sync = function (this: { fd: number }) {
      events.push('sync');
      return sync.call(this);
    };
    fsp.rename = async (from, to) => {
      events.push(`rename ${basename(String(to))}`);
      return rename(from, to);
    };
    try {
      await writer.appendPage([row(1), row(2)]);
    } finally {
      proto.datasync = datasync;
      proto.sync = sync;
      fsp.rename = rename;
    }
    await writer.close();
    const renamed = events.indexOf('rename manifest.json');
    assert.ok(renamed > 0, events.join(', '));
    assert.ok(events.slice(0, renamed).filter((e) => e === 'datasync' || e === 'sync').length >= 3, `rows, index and manifest synced first: ${events.join(', ')}`);
  });

  it('refuses a second writer on a run that is open here or in a live process, and takes over a dead one\'s lock', async () => {
    const first = await store.create({ runId: 'run-lock', kind: 'job', connectionId: 'x', body: {} });
    await first.appendPage([row(1)]);
    await assert.rejects(store.openWriter('run-lock'), /already being fetched/);
    await first.appendPage([row(2)]);
    await first.close();
    const lock = join(store.runDir('run-lock'), WRITER_LOCK_FILE);
    await fsp.writeFile(lock, String(process.ppid));
    await assert.rejects(store.openWriter('run-lock'), /already being fetched in another window/);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await fsp.writeFile(lock, String(dead));
    const second = await store.openWriter('run-lock');
    await second.appendPage([row(3)]);
    await second.close();
    await assert.rejects(fsp.stat(lock), /ENOENT/, 'lock released on close');
    const reader = await store.openReader('run-lock');
    assert.deepEqual((await reader.readRows(0, 10)).map((r) => r.conversationId), [1, 2, 3].map((i) => row(i).conversationId));
    await reader.close();
  });

  it('keeps memory flat for 200k rows and reads rows 150,000–150,200 quickly', async function () {
    this.timeout(60_000);
    const writer = await store.create({ runId: 'run-big', kind: 'job', connectionId: 'x', body: {} });
    const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    global.gc?.();
    const heapBefore = used();
    let peak = heapBefore;
    for (let p = 0; p < 200; p++) {
      await writer.appendPage(Array.from({ length: 1000 }, (_, k) => row(p * 1000 + k)));
      peak = Math.max(peak, used());
    }
    await writer.close();
    // The writer holds only the current page and the compact id index (~16 bytes a row): the peak is
    // page garbage awaiting GC, not rows. Generous bound so GC timing cannot make it flaky.
    const growthMb = (peak - heapBefore) / 1e6;
    assert.ok(growthMb < 80, `heap grew ${growthMb.toFixed(1)} MB`);
    const reader = await store.openReader('run-big');
    assert.equal(await reader.rowCount(), 200_000);
    const t = Date.now();
    const rows = await reader.readRows(150_000, 200);
    const ms = Date.now() - t;
    assert.equal(rows.length, 200);
    assert.deepEqual(rows[0], row(150_000));
    assert.deepEqual(rows[199], row(150_199));
    assert.ok(ms < 200, `random read took ${ms} ms`);
    await reader.close();
  });
});
