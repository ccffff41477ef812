import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConversationRecord } from '../genesys/types';
import { INDEX_FILE, ROWS_FILE } from './manifest';

/**
 * Random access to a run's rows by index: the offsets index gives each row's end byte, so rows
 * 500,000–500,200 of a million cost two small positional reads. Safe while a writer is appending:
 * rows are written before their index entries, so every indexed row is complete.
 */
export class RunReader {
  private _closed = false;

  private constructor(
    private readonly _rows: FileHandle,
    private readonly _index: FileHandle,
  ) {}

  static async open(dir: string): Promise<RunReader> {
    const rows = await fsp.open(join(dir, ROWS_FILE), 'r');
    try {
      const index = await fsp.open(join(dir, INDEX_FILE), 'r');
      return new RunReader(rows, index);
    } catch (err) {
      await rows.close();
      throw err;
    }
  }

  /** Rows readable now (grows while the run is being fetched). */
  async rowCount(): Promise<number> {
    const stat = await this._index.stat();
    return Math.floor(stat.size / 8);
  }

  /** Rows [start, start+count) as parsed records; fewer at the end. */
  async readRows(start: number, count: number): Promise<ConversationRecord[]> {
    return (await this.readRawRows(start, count)).map((line) => JSON.parse(line) as ConversationRecord);
  }

  /** Rows [start, start+count) as their NDJSON text, without parsing (for export). */
  async readRawRows(start: number, count: number): Promise<string[]> {
    if (this._closed) {
      throw new Error('Results reader is closed');
    }
    const total = await this.rowCount();
    const from = Math.max(0, Math.floor(start));
    const to = Math.min(total, from + Math.max(0, Math.floor(count)));
    if (to <= from) {
      return [];
    }
    // Read end offsets of rows from-1 .. to-1: the first gives the start byte of row `from`.
    const firstIdx = from === 0 ? 0 : from - 1;
    const idxBuf = Buffer.alloc((to - firstIdx) * 8);
    await readFully(this._index, idxBuf, firstIdx * 8);
    const startByte = from === 0 ? 0 : Number(idxBuf.readBigUInt64LE(0));
    const endByte = Number(idxBuf.readBigUInt64LE(idxBuf.length - 8));
    const data = Buffer.alloc(endByte - startByte);
    await readFully(this._rows, data, startByte);
    // One decode per row, cut at the index's offsets: several times cheaper in V8 than decoding the
    // batch as one string and splitting it (measured: 4 MB batches, 0.05 s against 0.6 s per 87 MB).
    const lines = new Array<string>(to - from);
    let lineStart = 0;
    for (let k = 0; k < lines.length; k++) {
      const lineEnd = Number(idxBuf.readBigUInt64LE((from === 0 ? k : k + 1) * 8)) - startByte;
      lines[k] = data.toString('utf8', lineStart, lineEnd - 1); // without its '\n'
      lineStart = lineEnd;
    }
    return lines;
  }

  /** Streams every row in batches (for export); sees rows appended while iterating. */
  async *iterateRaw(batchSize = 1000): AsyncGenerator<string[]> {
    let next = 0;
    for (;;) {
      const batch = await this.readRawRows(next, batchSize);
      if (batch.length === 0) {
        return;
      }
      next += batch.length;
      yield batch;
    }
  }

  async close(): Promise<void> {
    if (this._closed) {
      return;
    }
    this._closed = true;
    await this._rows.close();
    await this._index.close();
  }
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, position + offset);
    if (bytesRead === 0) {
      throw new Error(`Results file is shorter than its index (read ${offset} of ${buffer.length} bytes at ${position})`);
    }
    offset += bytesRead;
  }
}
