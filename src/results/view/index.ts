import { DuckDBResultsView } from './duckdbResultsView';
import type { LoadProgress, ViewDatabaseOptions } from './viewDatabase';
import { ViewDatabase } from './viewDatabase';
import type { ResultsView } from './viewTypes';

export type * from './viewTypes';
export type { LoadProgress } from './viewDatabase';
export { VIEW_DB_FILE } from './viewDatabase';
export { ViewRequestError } from './sqlBuilder';

export interface OpenResultsViewOptions extends ViewDatabaseOptions {
  /** Called after each loaded batch, by the first load and by every refresh(). */
  onLoadProgress?: (progress: LoadProgress) => void;
  /** Stops the first load between batches (the rows loaded so far stay in view.duckdb for next time). */
  signal?: AbortSignal;
  /**
   * With more rows than this to take in, resolves once the first batch is queryable and goes on loading
   * in the background (`ResultsView.loading()` says how far; counts and windows grow with every commit):
   * a million-row result opens at once. Default: resolve when every row is loaded.
   */
  openEarlyAbove?: number;
}

/**
 * Opens the queryable view of one run folder (its raw cache, rows.ndjson.gz + rows.idx): loads DuckDB on first use, opens
 * or creates `<runDir>/view.duckdb`, takes in every row not loaded yet, and resolves when they are
 * queryable. Call `refresh()` while a job is still fetching; `close()` when the panel goes away.
 */
export async function openResultsView(runDir: string, options: OpenResultsViewOptions = {}): Promise<ResultsView> {
  const db = await ViewDatabase.acquire(runDir, options);
  const view = new DuckDBResultsView(db, options.onLoadProgress);
  try {
    const early = options.openEarlyAbove !== undefined && (await db.rowsToLoad()) > options.openEarlyAbove;
    const loading = view.load(options.signal);
    await (early ? Promise.race([view.firstCommit(), loading]) : loading);
  } catch (err) {
    await db.release();
    throw err;
  }
  return view;
}
