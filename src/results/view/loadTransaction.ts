import type { DuckDBAppender, DuckDBConnection } from './duckdb';
import { loadDuckDB, loadDuckDBBindings } from './duckdb';
import type { GrainColumns } from './grainBuffer';
import { appendGrainColumns } from './grainBuffer';
import type { Grain } from './viewTypes';

/**
 * One write transaction of a load, spanning many flattened batches: an appender per grain stays open
 * and each batch is appended synchronously, so a batch costs no round trip to DuckDB's threads. A
 * transaction per batch cost four (BEGIN, appender, view_meta, COMMIT) — at load average 10 on two
 * cores those hops took 27 s of a 39 s load of 100k conversations. Readers see rows when committed.
 */
export class LoadTransaction {
  private readonly _appenders = new Map<Grain, DuckDBAppender>();
  private _begunAt: number | undefined;

  constructor(private readonly _connection: DuckDBConnection) {}

  get open(): boolean {
    return this._begunAt !== undefined;
  }

  /** Milliseconds since the transaction began (0 when none is open). */
  age(now = Date.now()): number {
    return this._begunAt === undefined ? 0 : now - this._begunAt;
  }

  async append(batches: readonly GrainColumns[]): Promise<void> {
    const duckdb = await loadDuckDB();
    const bindings = await loadDuckDBBindings();
    if (this._begunAt === undefined) {
      await this._connection.run('BEGIN TRANSACTION');
      this._begunAt = Date.now();
    }
    for (const b of batches) {
      let appender = this._appenders.get(b.grain);
      if (!appender) {
        appender = await this._connection.createAppender(b.grain);
        this._appenders.set(b.grain, appender);
      }
      appendGrainColumns(duckdb, bindings, appender, b);
    }
  }

  /** Flushes the appenders, records the grains' progress (rows and end byte) and commits. */
  async commit(rows: number, endByte: number): Promise<readonly Grain[]> {
    if (this._begunAt === undefined) {
      return [];
    }
    const grains = [...this._appenders.keys()];
    this._closeAppenders(true);
    for (const grain of grains) {
      await this._connection.run(`UPDATE view_meta SET loaded_rows = $1::BIGINT, loaded_end = $2::BIGINT WHERE grain = $3`, [rows, endByte, grain]);
    }
    await this._connection.run('COMMIT');
    this._begunAt = undefined;
    return grains;
  }

  async rollback(): Promise<void> {
    if (this._begunAt === undefined) {
      return;
    }
    this._begunAt = undefined;
    try {
      this._closeAppenders(false);
    } finally {
      await this._connection.run('ROLLBACK').catch(() => undefined);
    }
  }

  private _closeAppenders(flush: boolean): void {
    const appenders = [...this._appenders.values()];
    this._appenders.clear();
    for (const a of appenders) {
      if (flush) {
        a.flushSync();
      }
      a.closeSync();
    }
  }
}
