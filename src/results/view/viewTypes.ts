/**
 * The contract between the results table (src/vscode/results, src/webview) and the local analytical
 * engine over a run's cached rows (DuckDB, src/results/view). Plain data only, so the same shapes cross
 * the webview protocol (src/shared/protocol.ts) and reach the export code unchanged.
 */

/** One row per conversation, participant, session or segment of the run. */
export type Grain = 'conversation' | 'participant' | 'session' | 'segment';

export type ColumnType = 'string' | 'number' | 'boolean' | 'time' | 'duration';

/** What an ID column names, so the table can show the name and keep the ID on hover and in copies. */
export type IdKind = 'queue' | 'user' | 'wrapupcode' | 'division';

export interface ColumnInfo {
  /** Stable id; the only column reference the webview may send back (checked against this list). */
  readonly id: string;
  readonly label: string;
  readonly type: ColumnType;
  /** Shown before the user picks columns. */
  readonly defaultVisible: boolean;
  readonly idKind?: IdKind;
}

export type FilterOp = 'contains' | 'equals' | 'notEquals' | 'gt' | 'gte' | 'lt' | 'lte' | 'between' | 'empty' | 'notEmpty';

export interface ColumnFilter {
  readonly column: string;
  readonly op: FilterOp;
  /** ISO time for time columns, milliseconds for durations. Always a bound parameter, never spliced into SQL. */
  readonly value?: string | number | boolean;
  /** Upper bound for 'between'. */
  readonly value2?: string | number | boolean;
}

export interface SortKey {
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

/** What the user is looking at: a grain, filtered and sorted. Export writes exactly this. */
export interface ViewQuery {
  readonly grain: Grain;
  readonly sort: readonly SortKey[];
  readonly filters: readonly ColumnFilter[];
}

/** A cell as it crosses to the webview: raw values; the webview formats times, durations and names. */
export type Cell = string | number | boolean | null;

export interface WindowRequest {
  readonly view: ViewQuery;
  /** Row offset within the filtered, sorted view (0-based). */
  readonly offset: number;
  /** At most 2,000. */
  readonly limit: number;
  /** Column ids in display order; each is checked against columns(grain). */
  readonly columns: readonly string[];
}

export interface WindowResult {
  readonly offset: number;
  readonly rows: readonly (readonly Cell[])[];
  /** Rows in the whole filtered view. */
  readonly totalRows: number;
}

export interface DistinctValue {
  readonly value: Cell;
  readonly count: number;
}

export type ExportFormat = 'csv' | 'json' | 'ndjson' | 'parquet';

export interface ExportViewOptions {
  readonly view: ViewQuery;
  readonly columns: readonly string[];
  readonly format: ExportFormat;
  /** Absolute file path. */
  readonly destination: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (rowsWritten: number) => void;
}

/** One run's rows, queryable. Opened lazily (DuckDB loads on first use, never at activation). */
export interface LoadState {
  /** Conversations queryable so far, of `total` to load. */
  readonly loaded: number;
  readonly total: number;
  /** The load stopped: the rows loaded so far stay queryable. */
  readonly error?: string;
}

export interface ResultsView {
  columns(grain: Grain): Promise<readonly ColumnInfo[]>;
  count(view: ViewQuery): Promise<number>;
  window(request: WindowRequest): Promise<WindowResult>;
  distinct(view: ViewQuery, column: string, limit: number): Promise<readonly DistinctValue[]>;
  /** The full JSON of the conversation behind row `offset` of the view (row details, Open as JSON). */
  rowRecord(view: ViewQuery, offset: number): Promise<unknown>;
  exportView(options: ExportViewOptions): Promise<{ rows: number; bytes: number }>;
  /** Takes in rows the run wrote since the last call (a job still fetching); returns the conversation count. */
  refresh(): Promise<number>;
  /** The first load, while it still runs in the background (openResultsView's `openEarlyAbove`), or how it failed. */
  loading(): LoadState | undefined;
  /**
   * False once the engine behind the view has stopped under it (its process died: src/results/viewProcess):
   * every call fails from then on, and the caller opens the view again.
   */
  alive(): boolean;
  close(): Promise<void>;
}

/**
 * Turns IDs into names for display (queues, users, wrap-up codes, divisions), from the connection's list
 * endpoints, cached per connection. Unknown IDs are simply absent from the map.
 */
export interface NameResolver {
  names(kind: IdKind, ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string>>;
}
