import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { throwIfAborted } from '../../common/cancellation';
import { SerialQueue } from '../../common/serialQueue';
import { INDEX_FILE } from '../manifest';
import { RunReader } from '../runReader';
import { ident, KEY_COLUMNS, sqlType } from './columnSpec';
import type { DuckDBConnection, DuckDBInstance } from './duckdb';
import { loadDuckDB } from './duckdb';
import { GRAIN_NAMES, GRAINS } from './grains';
import { STAGING_STATEMENTS, STAGING_TABLES } from './staging';

/** File of the derived index inside a run folder (delete it and it is rebuilt from rows.ndjson). */
export const VIEW_DB_FILE = 'view.duckdb';

export interface ViewDatabaseOptions {
  /** Conversations parsed per load step (memory is about one batch of raw lines). Default 5,000. */
  batchSize?: number;
  /** DuckDB worker threads; default 2 (leave cores to the extension host). */
  threads?: number;
  /** DuckDB buffer limit, e.g. '256MB'; past it, sorts spill to `<runDir>/view.duckdb.tmp`. */
  memoryLimit?: string;
  /** Loads into memory instead of view.duckdb (a read-only run folder, or a second process holding the file). */
  inMemory?: boolean;
}

export interface LoadProgress {
  loaded: number;
  total: number;
}

/** Any change to the grains or the staging SQL changes this, and an old view.duckdb is rebuilt. */
const SCHEMA_VERSION = createHash('sha256')
  .update(JSON.stringify([GRAINS, STAGING_STATEMENTS, KEY_COLUMNS]))
  .digest('hex')
  .slice(0, 16);

/** One view.duckdb per run folder per process: two panels on one run share it (DuckDB locks the file). */
const shared = new Map<string, Promise<ViewDatabase>>();

/**
 * The DuckDB side of a run's view: opens or creates view.duckdb and keeps it in step with the raw cache.
 * Two connections: `read` serves windows and counts (it sees committed batches only, so the table
 * keeps answering while a batch loads); `write` loads batches, one transaction each.
 */
export class ViewDatabase {
  private readonly _queue = new SerialQueue();
  private _refs = 1;
  private _loaded = 0;
  private _loadedEnd = 0;

  private constructor(
    readonly runDir: string,
    readonly instance: DuckDBInstance,
    readonly read: DuckDBConnection,
    private readonly _write: DuckDBConnection,
    private readonly _reader: RunReader,
    private readonly _batchSize: number,
    private readonly _key: string,
  ) {}

  static async acquire(runDir: string, options: ViewDatabaseOptions = {}): Promise<ViewDatabase> {
    const key = `${options.inMemory ? 'mem:' : 'file:'}${runDir}`;
    const existing = shared.get(key);
    if (existing) {
      const db = await existing;
      db._refs++;
      return db;
    }
    const opening = ViewDatabase._open(runDir, key, options);
    shared.set(key, opening);
    opening.catch(() => shared.delete(key));
    return opening;
  }

  private static async _open(runDir: string, key: string, options: ViewDatabaseOptions): Promise<ViewDatabase> {
    const duckdb = await loadDuckDB();
    const reader = await RunReader.open(runDir);
    let instance: DuckDBInstance | undefined;
    try {
      const config: Record<string, string> = {
        threads: String(options.threads ?? 2),
        memory_limit: options.memoryLimit ?? '256MB',
        // Rows are always read with an ORDER BY; without this, loads would buffer to keep insertion order.
        preserve_insertion_order: 'false',
      };
      instance = await duckdb.DuckDBInstance.create(options.inMemory ? ':memory:' : join(runDir, VIEW_DB_FILE), config);
      const read = await instance.connect();
      const write = await instance.connect();
      const db = new ViewDatabase(runDir, instance, read, write, reader, options.batchSize ?? 5000, key);
      await db._prepareSchema();
      return db;
    } catch (err) {
      instance?.closeSync();
      await reader.close();
      throw err;
    }
  }

  get loadedRows(): number {
    return this._loaded;
  }

  get reader(): RunReader {
    return this._reader;
  }

  /** Loads rows the run wrote since the last call; returns the conversation count now queryable. */
  refresh(onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<number> {
    return this._queue.run(async () => {
      let total = await this._reader.rowCount();
      if (total < this._loaded || (this._loaded > 0 && (await this._endOffset(this._loaded)) !== this._loadedEnd)) {
        // The raw cache was cut back (a writer reopened after a crash) or replaced: start over.
        await this._resetTables();
        total = await this._reader.rowCount();
      }
      while (this._loaded < total) {
        throwIfAborted(signal);
        const lines = await this._reader.readRawRows(this._loaded, Math.min(this._batchSize, total - this._loaded));
        if (lines.length === 0) {
          break;
        }
        await this._loadBatch(this._loaded, lines);
        onProgress?.({ loaded: this._loaded, total });
      }
      return this._loaded;
    });
  }

  /** Runs `fn` between load batches (exports read a stable snapshot anyway; this keeps them off a busy write). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this._queue.run(fn);
  }

  async release(): Promise<void> {
    if (--this._refs > 0) {
      return;
    }
    shared.delete(this._key);
    await this._queue.run(async () => {
      this.read.closeSync();
      this._write.closeSync();
      this.instance.closeSync();
      await this._reader.close();
    });
  }

  private async _prepareSchema(): Promise<void> {
    const w = this._write;
    await w.run(`CREATE TABLE IF NOT EXISTS view_meta (schema_version VARCHAR, loaded_rows BIGINT, loaded_end BIGINT)`);
    const meta = (await (await w.runAndReadAll(`SELECT schema_version, loaded_rows::DOUBLE, loaded_end::DOUBLE FROM view_meta`)).getRowsJS()) as [string, number, number][];
    const row = meta[0];
    if (row && row[0] === SCHEMA_VERSION) {
      this._loaded = row[1];
      this._loadedEnd = row[2];
      return;
    }
    await this._resetTables();
  }

  private async _resetTables(): Promise<void> {
    const w = this._write;
    await w.run('BEGIN TRANSACTION');
    try {
      for (const grain of GRAIN_NAMES) {
        const def = GRAINS[grain];
        const keys = KEY_COLUMNS[grain].map((k) => `${k} ${k === 'conv_idx' ? 'BIGINT' : 'INTEGER'}`);
        const cols = def.columns.map((c) => `${ident(c.id)} ${sqlType(c.type)}`);
        await w.run(`CREATE OR REPLACE TABLE ${ident(grain)} (${[...keys, ...cols].join(', ')})`);
      }
      await w.run(`DELETE FROM view_meta`);
      await w.run(`INSERT INTO view_meta VALUES ($1, 0, 0)`, [SCHEMA_VERSION]);
      await w.run('COMMIT');
    } catch (err) {
      await w.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    this._loaded = 0;
    this._loadedEnd = 0;
  }

  private async _loadBatch(first: number, lines: readonly string[]): Promise<void> {
    const duckdb = await loadDuckDB();
    const w = this._write;
    const idx = lines.map((_, i) => first + i);
    const end = await this._endOffset(first + lines.length);
    await w.run('BEGIN TRANSACTION');
    try {
      const params = [duckdb.listValue(idx), duckdb.listValue([...lines])];
      const types = [duckdb.LIST(duckdb.BIGINT), duckdb.LIST(duckdb.VARCHAR)];
      await w.run(STAGING_STATEMENTS[0]!, params, types);
      for (const sql of STAGING_STATEMENTS.slice(1)) {
        await w.run(sql);
      }
      for (const grain of GRAIN_NAMES) {
        const def = GRAINS[grain];
        const keys = KEY_COLUMNS[grain];
        const select = [...keys, ...def.columns.map((c) => `${c.expr} AS ${ident(c.id)}`)].join(',\n  ');
        await w.run(`INSERT INTO ${ident(grain)} BY NAME ${def.with} SELECT ${select} ${def.from}`);
      }
      await w.run(`UPDATE view_meta SET loaded_rows = $1::BIGINT, loaded_end = $2::BIGINT`, [first + lines.length, end]);
      await w.run('COMMIT');
    } catch (err) {
      await w.run('ROLLBACK').catch(() => undefined);
      throw damaged(err, this.runDir, first, lines.length);
    } finally {
      for (const t of STAGING_TABLES) {
        await w.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
      }
    }
    this._loaded = first + lines.length;
    this._loadedEnd = end;
  }

  /** End byte (in rows.ndjson) of the first `rows` rows, from the offsets index. */
  private async _endOffset(rows: number): Promise<number> {
    if (rows === 0) {
      return 0;
    }
    const handle = await fsp.open(join(this.runDir, INDEX_FILE), 'r');
    try {
      const buf = Buffer.alloc(8);
      const { bytesRead } = await handle.read(buf, 0, 8, (rows - 1) * 8);
      return bytesRead === 8 ? Number(buf.readBigUInt64LE(0)) : -1;
    } finally {
      await handle.close();
    }
  }
}

function damaged(err: unknown, runDir: string, first: number, count: number): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (/JSON|Malformed|json/.test(message)) {
    return new Error(`The cached rows ${first + 1}–${first + count} of ${runDir} could not be read (${message}). Delete the run and run the query again.`, { cause: err });
  }
  return err instanceof Error ? err : new Error(message);
}
