import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { RowSource } from './rowSource';
import { DamagedRowsError, readIndex, readRowsFile } from './rowSource';

/**
 * The compressed rows file (rows.ndjson.gz): each appended page is one gzip member of its NDJSON lines, so
 * the file is a multi-member gzip stream (`zcat` and DuckDB's read_ndjson read it whole) and any row is one
 * member's inflate away. rows.idx keeps 8 bytes a row: the end byte of the row's member (uint48 LE) and the
 * row's line in it (uint16 LE); the member starts where the previous one ends, the end of the row just
 * before the member's first line. Written rows → index → manifest, like the plain file, so a cache cut back
 * after a crash is cut at a member boundary.
 */

/** Lines per gzip member at most: a 1,000-row page is one member; larger batches are split (the line field is 16 bits). */
export const BLOCK_MAX_ROWS = 1000;

/**
 * zlib level. Measured on sandbox conversations (1,000-row members, CPU per 1,000 rows): level 1 0.73 KB a
 * conversation at ≈ 17 ms, level 4 0.63 KB at ≈ 25 ms, level 6 (zlib's default) 0.58 KB at ≈ 40 ms. The
 * size goal (≤ 1 KB) is met by all; 4 keeps the fetch's CPU low. Members of 100 rows compress almost as well
 * (deflate's window is 32 KB, about seven conversations), so small pages are not batched.
 */
export const GZIP_LEVEL = 4;

const ENTRY = 8;
/** Decompressed members kept per reader: a window across a member boundary, or the next window in order, inflates nothing again. */
const BLOCKS_CACHED = 2;
/** Smallest possible gzip member (10-byte header, empty deflate, 8-byte trailer). */
const MIN_MEMBER = 20;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Compresses `lines` (each ending in '\n') into members of at most BLOCK_MAX_ROWS lines to be written at
 * byte `at` of the rows file, with their index entries. Runs on zlib's thread pool, off the event loop.
 */
export async function encodeBlocks(lines: readonly string[], at: number): Promise<{ bytes: Buffer; index: Buffer }> {
  const members: Buffer[] = [];
  const index = Buffer.alloc(lines.length * ENTRY);
  let end = at;
  for (let first = 0; first < lines.length; first += BLOCK_MAX_ROWS) {
    const chunk = lines.slice(first, first + BLOCK_MAX_ROWS);
    const member = await gzipAsync(Buffer.from(chunk.join('')), { level: GZIP_LEVEL });
    end += member.length;
    members.push(member);
    for (let line = 0; line < chunk.length; line++) {
      index.writeUIntLE(end, (first + line) * ENTRY, 6);
      index.writeUInt16LE(line, (first + line) * ENTRY + 6);
    }
  }
  return { bytes: members.length === 1 ? members[0]! : Buffer.concat(members), index };
}

const endAt = (index: Buffer, i: number): number => index.readUIntLE(i * ENTRY, 6);
const lineAt = (index: Buffer, i: number): number => index.readUInt16LE(i * ENTRY + 6);

interface Block {
  start: number;
  end: number;
  /** The member's CRC-32 and length: tells a cached member from different bytes written over the same range. */
  trailer: Buffer;
  data: Buffer;
  /** Byte where each line starts, plus data.length. */
  lineStarts: number[];
}

/** Reads rows of rows.ndjson.gz through rows.idx, keeping the last members it inflated. */
export class BlockRows implements RowSource {
  readonly format = 'blocks';
  private _cache: Block[] = [];

  constructor(
    private readonly _rows: FileHandle,
    private readonly _index: FileHandle,
    readonly path: string,
  ) {}

  async indexedRows(): Promise<number> {
    return Math.floor((await this._index.stat()).size / ENTRY);
  }

  async read(from: number, to: number): Promise<string[]> {
    if (to <= from) {
      return [];
    }
    // Entries from-1 .. to-1: the one before the window ends the member before row `from`'s when that row opens a member.
    const base = Math.max(0, from - 1);
    const index = Buffer.alloc((to - base) * ENTRY);
    await readIndex(this._index, index, base * ENTRY);
    const at = from - base;
    let start = await this._memberStart(from, lineAt(index, at), index, base);
    const out: string[] = [];
    for (let i = at; i < to - base; ) {
      const end = endAt(index, i);
      let j = i + 1;
      while (j < to - base && endAt(index, j) === end) {
        j++;
      }
      const firstLine = lineAt(index, i);
      const lastLine = lineAt(index, j - 1);
      const block = await this._block(start, end);
      if (lastLine - firstLine !== j - 1 - i || lastLine + 1 >= block.lineStarts.length) {
        throw this._damaged(start, end, `the index names lines ${firstLine}–${lastLine} of ${block.lineStarts.length - 1}`);
      }
      const text = block.data.toString('utf8', block.lineStarts[firstLine], block.lineStarts[lastLine + 1]! - 1);
      out.push(...text.split('\n'));
      start = end;
      i = j;
    }
    return out;
  }

  async endMark(rows: number): Promise<number> {
    if (rows === 0) {
      return 0;
    }
    const entry = Buffer.alloc(ENTRY);
    const { bytesRead } = await this._index.read(entry, 0, ENTRY, (rows - 1) * ENTRY);
    // The line in the member counts too: a view loaded to the middle of a member is told from one loaded to its end.
    return bytesRead === ENTRY ? endAt(entry, 0) * 65_536 + lineAt(entry, 0) : -1;
  }

  /** First byte of the member holding `row` (line `line` in it): the end of the member before. */
  private async _memberStart(row: number, line: number, index: Buffer, base: number): Promise<number> {
    const before = row - line - 1;
    if (before < 0) {
      return 0;
    }
    if (before >= base) {
      return endAt(index, before - base);
    }
    const entry = Buffer.alloc(ENTRY);
    await readIndex(this._index, entry, before * ENTRY);
    return endAt(entry, 0);
  }

  private async _block(start: number, end: number): Promise<Block> {
    if (end - start < MIN_MEMBER) {
      throw this._damaged(start, end, 'too short for a gzip member');
    }
    const hit = this._cache.find((b) => b.start === start && b.end === end);
    if (hit) {
      const trailer = Buffer.alloc(8);
      await readRowsFile(this._rows, trailer, end - 8);
      if (trailer.equals(hit.trailer)) {
        return hit;
      }
    }
    const raw = Buffer.alloc(end - start);
    await readRowsFile(this._rows, raw, start);
    let data: Buffer;
    try {
      data = await gunzipAsync(raw);
    } catch (err) {
      throw this._damaged(start, end, err instanceof Error ? err.message : String(err));
    }
    const lineStarts = [0];
    for (let p = data.indexOf(10); p !== -1; p = data.indexOf(10, p + 1)) {
      lineStarts.push(p + 1);
    }
    if (lineStarts.at(-1) !== data.length) {
      throw this._damaged(start, end, 'its last line is not complete');
    }
    const block: Block = { start, end, trailer: Buffer.from(raw.subarray(raw.length - 8)), data, lineStarts };
    this._cache = [block, ...this._cache.filter((b) => b !== hit)].slice(0, BLOCKS_CACHED);
    return block;
  }

  private _damaged(start: number, end: number, why: string): Error {
    return new DamagedRowsError(this.path, `the block at bytes ${start}–${end}: ${why}`);
  }
}
