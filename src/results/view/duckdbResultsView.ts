import type { DuckDBConnection } from './duckdb';
import { exportView } from './exportView';
import { GRAINS } from './grains';
import type { SqlParam, ViewStatement } from './sqlBuilder';
import { checkGrain, convIndexSql, countSql, distinctSql, selectSql, ViewRequestError } from './sqlBuilder';
import { toInfo } from './columnSpec';
import type { LoadProgress, ViewDatabase } from './viewDatabase';
import type { Cell, ColumnInfo, DistinctValue, ExportViewOptions, Grain, LoadState, ResultsView, ViewQuery, WindowRequest, WindowResult } from './viewTypes';

export const MAX_WINDOW_ROWS = 2000;
export const MAX_DISTINCT_VALUES = 10_000;

/** A load started by openResultsView: its progress, whether it ended, and how it failed. */
interface LoadRun {
  progress?: LoadProgress;
  done: boolean;
  error?: string;
}

/** ResultsView over a run's view.duckdb (see ViewDatabase for loading, sqlBuilder for the SQL). */
export class DuckDBResultsView implements ResultsView {
  private _closed = false;
  /** Row counts by view, valid for one database generation (scrolling asks for the same count again and again). */
  private _counts = new Map<string, number>();
  private _countsGeneration = -1;

  /** The load started by openResultsView, while it runs (or how it failed). */
  private _load: LoadRun = { done: true };
  private _firstCommit: Promise<void> | undefined;

  constructor(
    private readonly _db: ViewDatabase,
    private readonly _onLoadProgress?: (p: LoadProgress) => void,
  ) {}

  /** Takes in every row not loaded yet (openResultsView); `loading()` follows it, `firstCommit()` resolves at its first commit. */
  load(signal?: AbortSignal): Promise<number> {
    const state: LoadRun = { done: false };
    this._load = state;
    let committed!: () => void;
    this._firstCommit = new Promise<void>((resolve) => (committed = resolve));
    const loading = this._db.refresh((p) => {
      state.progress = p;
      committed();
      this._onLoadProgress?.(p);
    }, signal);
    loading.then(
      () => (state.done = true),
      (err: unknown) => {
        state.done = true;
        state.error = err instanceof Error ? err.message : String(err);
      },
    );
    return loading;
  }

  firstCommit(): Promise<void> {
    return this._firstCommit ?? Promise.resolve();
  }

  loading(): LoadState | undefined {
    const s = this._load;
    if (s.done && !s.error) {
      return undefined;
    }
    return { loaded: s.progress?.loaded ?? 0, total: s.progress?.total ?? 0, ...(s.error ? { error: s.error } : {}) };
  }

  columns(grain: Grain): Promise<readonly ColumnInfo[]> {
    return Promise.resolve(GRAINS[checkGrain(grain)].columns.map(toInfo));
  }

  async count(view: ViewQuery): Promise<number> {
    const statement = countSql(view);
    await this._ensure(view);
    if (this._countsGeneration !== this._db.generation) {
      this._counts.clear();
      this._countsGeneration = this._db.generation;
    }
    const key = JSON.stringify([statement.sql, statement.params]);
    const cached = this._counts.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const generation = this._db.generation;
    const rows = await this._rows(statement);
    const n = Number(rows[0]?.[0] ?? 0);
    if (generation === this._db.generation && this._counts.size < 256) {
      this._counts.set(key, n);
    }
    return n;
  }

  async window(request: WindowRequest): Promise<WindowResult> {
    const offset = wholeNumber(request.offset, 'offset');
    const limit = wholeNumber(request.limit, 'limit');
    if (limit > MAX_WINDOW_ROWS) {
      throw new ViewRequestError(`A window holds at most ${MAX_WINDOW_ROWS} rows (asked for ${limit}).`);
    }
    const statement = selectSql(request.view, request.columns, { offset, limit });
    await this._ensure(request.view);
    const [rows, totalRows] = await Promise.all([this._rows(statement), this.count(request.view)]);
    return { offset, rows: rows as Cell[][], totalRows };
  }

  async distinct(view: ViewQuery, column: string, limit: number): Promise<readonly DistinctValue[]> {
    const n = Math.min(wholeNumber(limit, 'limit'), MAX_DISTINCT_VALUES);
    const statement = distinctSql(view, column, n);
    await this._ensure(view);
    const rows = await this._rows(statement);
    return rows.map(([value, count]) => ({ value: value as Cell, count: Number(count) }));
  }

  async rowRecord(view: ViewQuery, offset: number): Promise<unknown> {
    const statement = convIndexSql(view, wholeNumber(offset, 'offset'));
    await this._ensure(view);
    const rows = await this._rows(statement);
    const index = rows[0]?.[0];
    if (typeof index !== 'number') {
      throw new ViewRequestError(`There is no row ${offset + 1} in this view.`);
    }
    const [record] = await this._db.reader.readRows(index, 1);
    return record;
  }

  async exportView(options: ExportViewOptions): Promise<{ rows: number; bytes: number }> {
    this._assertOpen();
    await this._ensure(options.view);
    return exportView(this._db, options);
  }

  refresh(): Promise<number> {
    this._assertOpen();
    return this._db.refresh(this._onLoadProgress);
  }

  alive(): boolean {
    return true;
  }

  async close(): Promise<void> {
    if (this._closed) {
      return;
    }
    this._closed = true;
    await this._db.release();
  }

  /** The finer grains are loaded on first use (most sessions only ever look at conversations). */
  private async _ensure(view: ViewQuery): Promise<void> {
    this._assertOpen();
    const grain = checkGrain(view?.grain);
    if (!this._db.isLoaded(grain)) {
      await this._db.ensureGrain(grain, this._onLoadProgress);
    }
  }

  private async _rows(statement: ViewStatement): Promise<unknown[][]> {
    this._assertOpen();
    return this._db.reads.use((c) => runRows(c, statement.sql, statement.params));
  }

  private _assertOpen(): void {
    if (this._closed) {
      throw new Error('This results view is closed.');
    }
  }
}

export async function runRows(connection: DuckDBConnection, sql: string, params: readonly SqlParam[]): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql, [...params]);
  return reader.getRowsJS() as unknown[][];
}

function wholeNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ViewRequestError(`${name} must be a whole number ≥ 0 (got ${JSON.stringify(value)}).`);
  }
  return value;
}
