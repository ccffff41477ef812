import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../../../src/genesys/types';
import { IDS_FILE } from '../../../src/results/manifest';
import { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';
import { damageMemberOf } from './cacheFiles';

const row = (i: number): ConversationRecord => ({ conversationId: `c-${String(i).padStart(7, '0')}`, n: i });
const rows = (from: number, count: number): ConversationRecord[] => Array.from({ length: count }, (_, k) => row(from + k));

/** Resume rebuilds the duplicate filter from rows.ids (4 bytes a row), not by parsing every stored row. */
describe('engine / id index sidecar (rows.ids)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;

  beforeEach(async () => {
    tmp = makeTempDir();
    store = new ResultsStore({ root: tmp.path });
    const w = await store.create({ runId: 'run-s', kind: 'job', connectionId: 'x', body: {} });
    for (let p = 0; p < 3; p++) {
      await w.appendPage(rows(p * 1000, 1000), { pages: p + 1 });
    }
    await w.close();
  });
  afterEach(() => tmp.remove());

  const file = (name: string): string => join(store.runDir('run-s'), name);

  /** Damages the gzip member holding row `i` (rows 100 k … 100 k + 99) so it no longer inflates (same length: offsets stay right). */
  const damageRow = (i: number): Promise<void> => damageMemberOf(store.runDir('run-s'), i);

  async function reopenAndAppend(): Promise<{ appended: number; duplicates: number; rowCount: number }> {
    const w = await store.openWriter('run-s');
    try {
      const r = await w.appendPage([row(0), row(2345), row(2999), row(5000), row(5001)]);
      return { ...r, rowCount: w.rowCount };
    } finally {
      await w.close();
    }
  }

  it('keeps one uint32 per row in rows.ids, written with the rows', async () => {
    assert.equal((await fsp.stat(file(IDS_FILE))).size, 3000 * 4);
  });

  it('reopens without parsing the stored rows (a damaged middle row is not even read) and still drops duplicates', async () => {
    await damageRow(1500);
    assert.deepEqual(await reopenAndAppend(), { appended: 2, duplicates: 3, rowCount: 3002 });
    assert.equal((await fsp.stat(file(IDS_FILE))).size, 3002 * 4);
  });

  it('opens an old run folder without rows.ids, parsing the rows once and writing the sidecar', async () => {
    await fsp.rm(file(IDS_FILE));
    assert.deepEqual(await reopenAndAppend(), { appended: 2, duplicates: 3, rowCount: 3002 });
    assert.equal((await fsp.stat(file(IDS_FILE))).size, 3002 * 4);
    await damageRow(1500);
    const w = await store.openWriter('run-s');
    assert.equal(w.rowCount, 3002, 'the second open used the rebuilt sidecar');
    await w.close();
  });

  it('completes a sidecar that is shorter than the rows (rows appended by an older version)', async () => {
    await fsp.truncate(file(IDS_FILE), 1000 * 4);
    assert.deepEqual(await reopenAndAppend(), { appended: 2, duplicates: 3, rowCount: 3002 });
    assert.equal((await fsp.stat(file(IDS_FILE))).size, 3002 * 4);
  });

  it('cuts sidecar entries past the manifest (a crash after the sidecar write, before the manifest)', async () => {
    await fsp.appendFile(file(IDS_FILE), Buffer.alloc(40, 0xab));
    assert.deepEqual(await reopenAndAppend(), { appended: 2, duplicates: 3, rowCount: 3002 });
    const again = await store.openWriter('run-s');
    assert.deepEqual(await again.appendPage([row(5000), row(5002)]), { appended: 1, duplicates: 1 });
    await again.close();
  });

  it('rebuilds from the rows when the sidecar disagrees with them, and explains a damaged first row', async () => {
    const ids = await fsp.readFile(file(IDS_FILE));
    ids.writeUInt32LE((ids.readUInt32LE(0) ^ 1) >>> 0, 0);
    await fsp.writeFile(file(IDS_FILE), ids);
    assert.deepEqual(await reopenAndAppend(), { appended: 2, duplicates: 3, rowCount: 3002 });
    await damageRow(0);
    await assert.rejects(store.openWriter('run-s'), /cached rows of run run-s are damaged \(line 1 of .*rows\.ndjson\.gz; the block at bytes 0–\d+: incorrect data check\)/);
  });
});
