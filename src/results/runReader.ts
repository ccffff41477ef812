import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../genesys/types';
import { IDS_FILE, INDEX_FILE } from './manifest';
import { BlockRows } from './rowBlocks';
import type { RowFormat, RowSource, StoredBytes, StoredMember } from './rowSource';
import { detectRowFormat, PlainRows, rowsFileOf } from './rowSource';

/**
 * Random access to a run's rows by index: the offsets index gives each row's place, so rows
 * 500,000–500,200 of a million cost two small positional reads and (compressed cache) one member's inflate.
 * Safe while a writer is appending: rows are written before their index entries, so every indexed row is
 * complete. Reads run folders of either format (rowSource.ts).
 */
export class RunReader {
  private _closed = false;

  private constructor(
    private readonly _source: RowSource,
    private readonly _closeFiles: () => Promise<void>,
    private readonly _dir: string,
  ) {}

  static async open(dir: string): Promise<RunReader> {
    const format = await detectRowFormat(dir);
    const path = join(dir, rowsFileOf(format));
    const rows = await fsp.open(path, 'r');
    try {
      const index = await fsp.open(join(dir, INDEX_FILE), 'r');
      const source = format === 'plain' ? new PlainRows(rows, index, path) : new BlockRows(rows, index, path);
      return new RunReader(source, async () => {
        await rows.close();
        await index.close();
      }, dir);
    } catch (err) {
      await rows.close();
      throw err;
    }
  }

  /** The run folder's rows format (a folder from before the compressed cache stays `plain`). */
  get format(): RowFormat {
    return this._source.format;
  }

  /** Rows readable now (grows while the run is being fetched). */
  async rowCount(): Promise<number> {
    return this._source.indexedRows();
  }

  /**
   * Where the first `rows` rows end in the rows file (-1 when fewer are indexed): compared with an earlier
   * answer, tells whether those rows were cut back and written again (a writer reopened after a crash).
   */
  endOffset(rows: number): Promise<number> {
    return this._source.endMark(rows);
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
    return this._source.read(from, to);
  }

  /**
   * Rows from `start` on in whole stored blocks, at least `minRows` of them (fewer at the end): their lines
   * as UTF-8 bytes and, where a block is a gzip member, its stored bytes (a merge copies those as they are).
   */
  async readMembers(start: number, minRows: number): Promise<StoredMember[]> {
    if (this._closed) {
      throw new Error('Results reader is closed');
    }
    return this._source.readMembers(Math.max(0, Math.floor(start)), Math.max(1, Math.floor(minRows)));
  }

  /**
   * Rows from `start` on as whole gzip members, at least `minRows` rows (fewer at the end), not inflated,
   * with each row's id hash from the rows.ids sidecar. Undefined when they cannot be had that way (a plain
   * file, `start` inside a member, a sidecar shorter than the rows); `readMembers` reads any rows.
   */
  async readStoredMembers(start: number, minRows: number): Promise<{ members: StoredBytes[]; hashes: Uint32Array } | undefined> {
    if (this._closed) {
      throw new Error('Results reader is closed');
    }
    const from = Math.max(0, Math.floor(start));
    const members = this._source instanceof BlockRows ? await this._source.memberBytes(from, Math.max(1, Math.floor(minRows))) : undefined;
    if (!members) {
      return undefined;
    }
    const rows = members.reduce((n, m) => n + m.rows, 0);
    const bytes = Buffer.alloc(rows * 4);
    const ids = await fsp.open(join(this._dir, IDS_FILE), 'r').catch(() => undefined);
    if (!ids) {
      return undefined;
    }
    try {
      const { bytesRead } = await ids.read(bytes, 0, bytes.length, from * 4);
      if (bytesRead < bytes.length) {
        return undefined;
      }
    } finally {
      await ids.close();
    }
    const hashes = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) {
      hashes[i] = bytes.readUInt32LE(i * 4);
    }
    return { members, hashes };
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
    await this._closeFiles();
  }
}
