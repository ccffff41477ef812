import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { readFully } from '../common/fileIo';
import { PLAIN_ROWS_FILE, ROWS_FILE } from './manifest';

/**
 * How a run folder stores its rows: `blocks` (rows.ndjson.gz, one gzip member per page, see rowBlocks.ts) or
 * `plain` (rows.ndjson, one line per row: every run folder written before the compressed cache).
 */
export type RowFormat = 'blocks' | 'plain';

/** The read side of a run's rows over its open rows and index files, in either format. */
export interface RowSource {
  readonly format: RowFormat;
  /** The rows file, for messages. */
  readonly path: string;
  /** Rows the index holds now (grows while a writer appends). */
  indexedRows(): Promise<number>;
  /** Rows [from, to) as their JSON text (one line each, no newline); `to` must not pass `indexedRows()`. */
  read(from: number, to: number): Promise<string[]>;
  /**
   * Rows from `from` on, at least `minRows` of them (fewer at the end), in whole stored blocks: each
   * block's lines (UTF-8, no newline) and, when the block is a gzip member read whole, its bytes as stored.
   */
  readMembers(from: number, minRows: number): Promise<StoredMember[]>;
  /**
   * A number that changes when the first `rows` rows are cut back and written again differently (their end
   * in the rows file), -1 when the index does not hold that many rows; 0 for none.
   */
  endMark(rows: number): Promise<number>;
}

/** Stored rows read as they lie in the rows file (see RowSource.readMembers). */
export interface StoredMember {
  lines: Uint8Array[];
  /** The gzip member holding exactly these lines, as stored (absent for plain files or a member read in part). */
  gzip?: Buffer;
}

/** A whole gzip member of rows.ndjson.gz as stored, and how many rows (lines) it holds. */
export interface StoredBytes {
  gzip: Buffer;
  rows: number;
}

/**
 * The format of the run folder `dir`: a folder that holds rows.ndjson and no rows.ndjson.gz was written
 * before the compressed cache and stays plain (read and appended in place, never migrated); anything
 * else, a new folder included, is `blocks`.
 */
export async function detectRowFormat(dir: string): Promise<RowFormat> {
  const exists = (name: string): Promise<boolean> =>
    fsp.stat(join(dir, name)).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') {
          return false;
        }
        throw err;
      },
    );
  return !(await exists(ROWS_FILE)) && (await exists(PLAIN_ROWS_FILE)) ? 'plain' : 'blocks';
}

export function rowsFileOf(format: RowFormat): string {
  return format === 'plain' ? PLAIN_ROWS_FILE : ROWS_FILE;
}

/** rows.ndjson with rows.idx holding each row's uint64 LE end offset: a window is two positional reads. */
export class PlainRows implements RowSource {
  readonly format = 'plain';

  constructor(
    private readonly _rows: FileHandle,
    private readonly _index: FileHandle,
    readonly path: string,
  ) {}

  async indexedRows(): Promise<number> {
    return Math.floor((await this._index.stat()).size / 8);
  }

  async read(from: number, to: number): Promise<string[]> {
    if (to <= from) {
      return [];
    }
    // End offsets of rows from-1 .. to-1: the first gives the start byte of row `from`.
    const firstIdx = from === 0 ? 0 : from - 1;
    const idxBuf = Buffer.alloc((to - firstIdx) * 8);
    await readIndex(this._index, idxBuf, firstIdx * 8);
    const startByte = from === 0 ? 0 : Number(idxBuf.readBigUInt64LE(0));
    const endByte = Number(idxBuf.readBigUInt64LE(idxBuf.length - 8));
    const data = Buffer.alloc(endByte - startByte);
    await readRowsFile(this._rows, data, startByte);
    // One decode per row at the index's offsets: several times cheaper in V8 than decoding the batch as one
    // string and splitting it (src/results/README.md, "Loading").
    const lines = new Array<string>(to - from);
    let lineStart = 0;
    for (let k = 0; k < lines.length; k++) {
      const lineEnd = Number(idxBuf.readBigUInt64LE((from === 0 ? k : k + 1) * 8)) - startByte;
      lines[k] = data.toString('utf8', lineStart, lineEnd - 1); // without its '\n'
      lineStart = lineEnd;
    }
    return lines;
  }

  async readMembers(from: number, minRows: number): Promise<StoredMember[]> {
    const to = Math.min(await this.indexedRows(), from + minRows);
    return to > from ? [{ lines: (await this.read(from, to)).map((line) => Buffer.from(line)) }] : [];
  }

  async endMark(rows: number): Promise<number> {
    if (rows === 0) {
      return 0;
    }
    const buf = Buffer.alloc(8);
    const { bytesRead } = await this._index.read(buf, 0, 8, (rows - 1) * 8);
    return bytesRead === 8 ? Number(buf.readBigUInt64LE(0)) : -1;
  }
}

/** Rows the index claims cannot be read back (a gzip member fails its check, lines are missing). */
export class DamagedRowsError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong, e.g. "the block at bytes 0–5120: incorrect data check". */
    readonly detail: string,
  ) {
    super(`The cached rows in ${path} are damaged (${detail}). Delete the run and run the query again.`);
    this.name = 'DamagedRowsError';
  }
}

/** A row's line: its JSON text, as a string or as UTF-8 bytes, without the newline. */
export type Line = string | Uint8Array;

/** The plain file's bytes for `lines` written at byte `at`, and their index entries (end offsets). */
export function encodePlain(lines: readonly Line[], at: number): { bytes: Buffer; index: Buffer } {
  const index = Buffer.alloc(lines.length * 8);
  let end = at;
  lines.forEach((line, i) => {
    end += byteLength(line) + 1;
    index.writeBigUInt64LE(BigInt(end), i * 8);
  });
  return { bytes: ndjsonOf(lines), index };
}

/**
 * `lines` as NDJSON bytes (UTF-8, each followed by '\n') in one buffer. Each line is written in place:
 * joining strings first costs about ten times as much (≈ 30 against 3 ms per 1,000 conversations), most
 * of all when one line holds a character beyond Latin-1 and the joined string becomes two bytes a character.
 */
export function ndjsonOf(lines: readonly Line[]): Buffer {
  let size = lines.length;
  for (const line of lines) {
    size += byteLength(line);
  }
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  for (const line of lines) {
    if (typeof line === 'string') {
      at += bytes.write(line, at);
    } else {
      bytes.set(line, at);
      at += line.length;
    }
    bytes[at++] = 0x0a;
  }
  return bytes;
}

function byteLength(line: Line): number {
  return typeof line === 'string' ? Buffer.byteLength(line) : line.length;
}

/** Reads index entries; an index shorter than asked means rows were cut back under the caller. */
export async function readIndex(index: FileHandle, buffer: Buffer, position: number): Promise<void> {
  await readFully(index, buffer, position).catch((err: unknown) => {
    throw new Error(`The results index is shorter than expected (${err instanceof Error ? err.message : String(err)})`);
  });
}

/** Reads row bytes the index claims. */
export async function readRowsFile(rows: FileHandle, buffer: Buffer, position: number): Promise<void> {
  await readFully(rows, buffer, position).catch((err: unknown) => {
    throw new Error(`Results file is shorter than its index (${err instanceof Error ? err.message : String(err)})`);
  });
}
