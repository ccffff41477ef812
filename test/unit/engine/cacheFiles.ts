import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../../../src/genesys/types';
import type { RunManifest } from '../../../src/results/manifest';
import { INDEX_FILE, MANIFEST_FILE, PLAIN_ROWS_FILE, ROWS_FILE } from '../../../src/results/manifest';

/**
 * Test helpers that reach into a run folder's files as they lie on disk (src/results/rowBlocks.ts layout:
 * rows.idx holds per row the uint48 LE end of its gzip member and its uint16 LE line in it), to damage
 * them on purpose or to write a run folder the way the extension did before the compressed cache.
 */

/** Byte range of the gzip member that holds `row` in rows.ndjson.gz. */
export async function memberOf(dir: string, row: number): Promise<{ start: number; end: number }> {
  const index = await fsp.readFile(join(dir, INDEX_FILE));
  const end = index.readUIntLE(row * 8, 6);
  const before = row - index.readUInt16LE(row * 8 + 6) - 1;
  return { start: before < 0 ? 0 : index.readUIntLE(before * 8, 6), end };
}

/** Flips the bits of the CRC-32 of the member holding `row`: inflating it then fails ("incorrect data check"). */
export async function damageMemberOf(dir: string, row: number): Promise<void> {
  const { end } = await memberOf(dir, row);
  const fh = await fsp.open(join(dir, ROWS_FILE), 'r+');
  try {
    const crc = Buffer.alloc(4);
    await fh.read(crc, 0, 4, end - 8);
    crc.writeUInt32LE(~crc.readUInt32LE(0) >>> 0, 0);
    await fh.write(crc, 0, 4, end - 8);
  } finally {
    await fh.close();
  }
}

/**
 * A run folder exactly as versions before the compressed cache wrote it: rows.ndjson (one JSON line a
 * row), rows.idx (uint64 LE end offset a row), manifest.json with `bytes` of rows.ndjson; no rows.ids.
 */
export async function writePlainRunFolder(dir: string, runId: string, records: readonly ConversationRecord[], extra: Partial<RunManifest> = {}): Promise<RunManifest> {
  await fsp.mkdir(dir, { recursive: true });
  const lines = records.map((r) => `${JSON.stringify(r)}\n`);
  const index = Buffer.alloc(lines.length * 8);
  let end = 0;
  lines.forEach((line, i) => {
    end += Buffer.byteLength(line);
    index.writeBigUInt64LE(BigInt(end), i * 8);
  });
  await fsp.writeFile(join(dir, PLAIN_ROWS_FILE), lines.join(''));
  await fsp.writeFile(join(dir, INDEX_FILE), index);
  const now = new Date().toISOString();
  const manifest: RunManifest = {
    version: 1, runId, kind: 'job', connectionId: 'sandbox', body: {}, createdAt: now, updatedAt: now, state: 'FULFILLED', partial: false,
    rowCount: records.length, bytes: end, pages: 1, duplicatesSkipped: 0, warnings: [], phase: 'done', ...extra,
  };
  await fsp.writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 1));
  return manifest;
}
