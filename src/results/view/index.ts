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
}

/**
 * Opens the queryable view of one run folder (its raw cache, rows.ndjson.gz + rows.idx): loads DuckDB on first use, opens
 * or creates `<runDir>/view.duckdb`, takes in every row not loaded yet, and resolves when they are
 * queryable. Call `refresh()` while a job is still fetching; `close()` when the panel goes away.
 */
export async function openResultsView(runDir: string, options: OpenResultsViewOptions = {}): Promise<ResultsView> {
  const db = await ViewDatabase.acquire(runDir, options);
  try {
    await db.refresh(options.onLoadProgress, options.signal);
  } catch (err) {
    await db.release();
    throw err;
  }
  return new DuckDBResultsView(db, options.onLoadProgress);
}
