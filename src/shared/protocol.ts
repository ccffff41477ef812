/**
 * The one message protocol between the results panel (extension host, src/vscode/results) and the results
 * webview (src/webview). Both sides import this file; it imports only types from the engine contract so
 * neither side's code leaks into the other's bundle.
 *
 * Shape: each direction is a discriminated union on `type`. Data moves through request/response pairs
 * correlated by `id` (the webview numbers its requests); the host answers every request exactly once,
 * with `ok: false` when it failed or was superseded (newest request of a kind wins on both sides).
 * No message ever carries more than one window of rows (≤ MAX_WINDOW_ROWS).
 */
import type {
  Cell,
  ColumnFilter,
  ColumnInfo,
  DistinctValue,
  ExportFormat,
  FilterOp,
  Grain,
  SortKey,
  ViewQuery,
  WindowRequest,
  WindowResult,
} from '../results/view/viewTypes';
import type { GenesysPaging } from '../results/genesysPaging';

export const PROTOCOL_VERSION = 1;
/** Largest window the host serves in one response. */
export const MAX_WINDOW_ROWS = 2000;
/** Largest distinct-value list the filter popup asks for. */
export const MAX_DISTINCT_VALUES = 500;

export const GRAINS: readonly Grain[] = ['conversation', 'participant', 'session', 'segment'];
export const PAGE_SIZES: readonly number[] = [25, 50, 100, 250, 500, 1000];
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'ndjson', 'parquet'];
export const FILTER_OPS: readonly FilterOp[] = ['contains', 'equals', 'notEquals', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'notEmpty'];

// ---------------------------------------------------------------------------------------------------
// Persisted view state (webview getState/setState, handed back to the panel serializer after a reload)
// ---------------------------------------------------------------------------------------------------

export const VIEW_STATE_VERSION = 1;

/** Column layout, sort and filters of one grain; kept per grain so switching grains loses nothing. */
export interface GrainViewState {
  /** Visible column ids in display order; empty = the grain's default columns. */
  readonly columns: readonly string[];
  /** Pixel widths by column id. */
  readonly widths: Readonly<Record<string, number>>;
  readonly sort: readonly SortKey[];
  readonly filters: readonly ColumnFilter[];
}

export type TimeZoneMode = 'utc' | 'local';
export type ScrollMode = 'pager' | 'scroll';

export interface PersistedViewState {
  readonly version: typeof VIEW_STATE_VERSION;
  readonly runId: string;
  readonly grain: Grain;
  readonly grains: Readonly<Partial<Record<Grain, GrainViewState>>>;
  readonly mode: ScrollMode;
  readonly pageSize: number;
  /** 1-based. */
  readonly page: number;
  /** First visible row in continuous-scroll mode (0-based within the view). */
  readonly scrollRow: number;
  readonly timeZone: TimeZoneMode;
  /** Selected row (0-based within the view), if any. */
  readonly selectedRow?: number;
  readonly detailsOpen: boolean;
}

export function defaultViewState(runId: string): PersistedViewState {
  return {
    version: VIEW_STATE_VERSION,
    runId,
    grain: 'conversation',
    grains: {},
    mode: 'pager',
    pageSize: 100,
    page: 1,
    scrollRow: 0,
    timeZone: 'utc',
    detailsOpen: false,
  };
}

export function emptyGrainState(): GrainViewState {
  return { columns: [], widths: {}, sort: [], filters: [] };
}

/** The engine query a state describes. */
export function viewQueryOf(state: PersistedViewState): ViewQuery {
  const g = state.grains[state.grain] ?? emptyGrainState();
  return { grain: state.grain, sort: g.sort, filters: g.filters };
}

/** Column ids shown, in order: the user's choice (minus ids this grain no longer has) or the defaults. */
export function visibleColumns(state: PersistedViewState, columns: readonly ColumnInfo[]): string[] {
  const known = new Set(columns.map((c) => c.id));
  const chosen = (state.grains[state.grain] ?? emptyGrainState()).columns.filter((id) => known.has(id));
  if (chosen.length > 0) {
    return chosen;
  }
  const defaults = columns.filter((c) => c.defaultVisible).map((c) => c.id);
  return defaults.length > 0 ? defaults : columns.map((c) => c.id);
}

// ---------------------------------------------------------------------------------------------------
// Run status (host → webview), derived from the run manifest
// ---------------------------------------------------------------------------------------------------

export interface RunStatus {
  readonly runId: string;
  /** Short title for the panel and the header ("Job · 2026-12-01 10:00 UTC"). */
  readonly title: string;
  /** The manifest state (RUNNING, FULFILLED, PARTIAL, EXPIRED, ERROR, …). */
  readonly state: string;
  /** Rows may still arrive (a job being paged, a sync query running). */
  readonly fetching: boolean;
  /** Rows are a prefix of the result (expired, cancelled, capped, error). */
  readonly partial: boolean;
  /** The job results expired before every page was fetched: a re-fetch is the only way to the rest. */
  readonly expired: boolean;
  /** Conversations on disk. */
  readonly conversations: number;
  /** Bumped whenever the engine took in new rows; the webview re-requests what it shows. */
  readonly dataVersion: number;
  readonly error?: string;
  readonly warnings: readonly string[];
  /** A sync run with pages still at Genesys: the pager fetches them on demand (src/jobs/syncPager.ts). */
  readonly genesysPaging?: GenesysPaging;
  /** The table is still taking the cached rows in (a large result opens at once): `conversations` are queryable of `total`. */
  readonly loading?: { readonly total: number; readonly error?: string };
}

// ---------------------------------------------------------------------------------------------------
// Requests (webview → host) and their results
// ---------------------------------------------------------------------------------------------------

/** id → display name, for every ID that appears in the answer and that the NameResolver knows. */
export type NameMap = Readonly<Record<string, string>>;

export interface WindowResponse extends WindowResult {
  readonly names: NameMap;
  /** Genesys pages: the cache row of the window's first row (offsets in the plain conversation view for row details). */
  readonly sourceOffset?: number;
}

/**
 * A window request. `genesysPage`: the offset/limit are one Genesys page of the run (offset = (pageNumber − 1) ×
 * the run's pageSize, conversation grain, no sort or filter); the host fetches the page when it is not cached.
 */
export type WindowParams = WindowRequest & { readonly genesysPage?: boolean };

export interface DistinctResponse {
  readonly values: readonly DistinctValue[];
  readonly names: NameMap;
}

export interface RequestMap {
  columns: { params: { readonly grain: Grain }; result: readonly ColumnInfo[] };
  /** The visible window (plus a margin) of the view. Newest wins. */
  window: { params: WindowParams; result: WindowResponse };
  /** Rows for a copy that reaches beyond the loaded window; its own kind so scrolling never aborts it. */
  copyRows: { params: WindowRequest; result: WindowResponse };
  distinct: { params: { readonly view: ViewQuery; readonly column: string; readonly limit: number }; result: DistinctResponse };
  rowRecord: { params: { readonly view: ViewQuery; readonly offset: number }; result: unknown };
}

export type RequestKind = keyof RequestMap;
export const REQUEST_KINDS: readonly RequestKind[] = ['columns', 'window', 'copyRows', 'distinct', 'rowRecord'];

export type RequestMessage = {
  [K in RequestKind]: { readonly type: 'request'; readonly id: number; readonly kind: K; readonly params: RequestMap[K]['params'] };
}[RequestKind];

export type RequestOf<K extends RequestKind> = Extract<RequestMessage, { kind: K }>;

export type ResponseMessage =
  | {
      [K in RequestKind]: { readonly type: 'response'; readonly id: number; readonly kind: K; readonly ok: true; readonly result: RequestMap[K]['result'] };
    }[RequestKind]
  | {
      readonly type: 'response';
      readonly id: number;
      readonly kind: RequestKind;
      readonly ok: false;
      /** True when a newer request of the same kind replaced this one: not an error to show. */
      readonly superseded: boolean;
      readonly error: string;
    };

export type ResponseOf<K extends RequestKind> = Extract<ResponseMessage, { kind: K; ok: true }>;

// ---------------------------------------------------------------------------------------------------
// The two directions
// ---------------------------------------------------------------------------------------------------

export type CopyFormat = 'tsv' | 'json';

export type WebviewMessage =
  /** The page loaded (first time, after being hidden, after a reload); carries its saved state if any. */
  | { readonly type: 'ready'; readonly state?: PersistedViewState }
  | RequestMessage
  /** Text already formatted by the webview, for the host clipboard. */
  | { readonly type: 'copy'; readonly text: string; readonly description: string }
  | { readonly type: 'openJson'; readonly view: ViewQuery; readonly offset: number }
  | { readonly type: 'export'; readonly view: ViewQuery; readonly columns: readonly string[]; readonly format: ExportFormat }
  | { readonly type: 'refetch' }
  /** The page hit an unexpected error; the host logs it. */
  | { readonly type: 'log'; readonly level: 'error' | 'info'; readonly message: string };

export type HostMessage =
  /** Answer to `ready`: the run and the view state to start from; the columns of its grain when the host has them at hand. */
  | { readonly type: 'init'; readonly protocol: typeof PROTOCOL_VERSION; readonly state: PersistedViewState; readonly status: RunStatus; readonly columns?: readonly ColumnInfo[] }
  | { readonly type: 'status'; readonly status: RunStatus }
  | ResponseMessage
  /** A short confirmation for the status line (copied, exported). */
  | { readonly type: 'notice'; readonly text: string };

// ---------------------------------------------------------------------------------------------------
// Guards: both ends check what arrives (the webview is a less trusted context than the host)
// ---------------------------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export function isGrain(v: unknown): v is Grain {
  return typeof v === 'string' && (GRAINS as readonly string[]).includes(v);
}

function isScalar(v: unknown): boolean {
  return v === undefined || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

export function isSortKey(v: unknown): v is SortKey {
  return isObject(v) && typeof v.column === 'string' && (v.direction === 'asc' || v.direction === 'desc');
}

export function isColumnFilter(v: unknown): v is ColumnFilter {
  return (
    isObject(v) &&
    typeof v.column === 'string' &&
    typeof v.op === 'string' &&
    (FILTER_OPS as readonly string[]).includes(v.op) &&
    isScalar(v.value) &&
    isScalar(v.value2)
  );
}

export function isViewQuery(v: unknown): v is ViewQuery {
  return isObject(v) && isGrain(v.grain) && Array.isArray(v.sort) && v.sort.every(isSortKey) && Array.isArray(v.filters) && v.filters.every(isColumnFilter);
}

export function isWindowRequest(v: unknown): v is WindowRequest {
  return (
    isObject(v) &&
    isViewQuery(v.view) &&
    isNonNegInt(v.offset) &&
    isNonNegInt(v.limit) &&
    v.limit <= MAX_WINDOW_ROWS &&
    isStringArray(v.columns) &&
    (v.genesysPage === undefined || typeof v.genesysPage === 'boolean')
  );
}

function isRequestParams(kind: RequestKind, p: unknown): boolean {
  if (!isObject(p)) {
    return false;
  }
  switch (kind) {
    case 'columns':
      return isGrain(p.grain);
    case 'window':
    case 'copyRows':
      return isWindowRequest(p);
    case 'distinct':
      return isViewQuery(p.view) && typeof p.column === 'string' && isNonNegInt(p.limit) && p.limit <= MAX_DISTINCT_VALUES;
    case 'rowRecord':
      return isViewQuery(p.view) && isNonNegInt(p.offset);
  }
}

function isGrainViewState(v: unknown): v is GrainViewState {
  return (
    isObject(v) &&
    isStringArray(v.columns) &&
    isObject(v.widths) &&
    Object.values(v.widths).every((w) => typeof w === 'number' && Number.isFinite(w)) &&
    Array.isArray(v.sort) &&
    v.sort.every(isSortKey) &&
    Array.isArray(v.filters) &&
    v.filters.every(isColumnFilter)
  );
}

export function isPersistedViewState(v: unknown): v is PersistedViewState {
  return (
    isObject(v) &&
    v.version === VIEW_STATE_VERSION &&
    typeof v.runId === 'string' &&
    isGrain(v.grain) &&
    isObject(v.grains) &&
    Object.entries(v.grains).every(([g, s]) => isGrain(g) && isGrainViewState(s)) &&
    (v.mode === 'pager' || v.mode === 'scroll') &&
    PAGE_SIZES.includes(v.pageSize as number) &&
    isNonNegInt(v.page) &&
    v.page >= 1 &&
    isNonNegInt(v.scrollRow) &&
    (v.timeZone === 'utc' || v.timeZone === 'local') &&
    (v.selectedRow === undefined || isNonNegInt(v.selectedRow)) &&
    typeof v.detailsOpen === 'boolean'
  );
}

/**
 * Reads a state saved by any version of the webview: the current version as is, anything else (an
 * older or damaged state) falls back to the defaults for the run rather than failing the restore.
 */
export function migrateViewState(saved: unknown, runId: string): PersistedViewState {
  if (isPersistedViewState(saved) && saved.runId === runId) {
    return saved;
  }
  return defaultViewState(runId);
}

/** The run id a saved state belongs to, if it looks like one of ours (any version). */
export function runIdOfSavedState(saved: unknown): string | undefined {
  return isObject(saved) && typeof saved.runId === 'string' ? saved.runId : undefined;
}

export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObject(v) || typeof v.type !== 'string') {
    return false;
  }
  switch (v.type) {
    case 'ready':
      return v.state === undefined || isObject(v.state);
    case 'request':
      return (
        isNonNegInt(v.id) && typeof v.kind === 'string' && (REQUEST_KINDS as readonly string[]).includes(v.kind) && isRequestParams(v.kind as RequestKind, v.params)
      );
    case 'copy':
      return typeof v.text === 'string' && typeof v.description === 'string';
    case 'openJson':
      return isViewQuery(v.view) && isNonNegInt(v.offset);
    case 'export':
      return isViewQuery(v.view) && isStringArray(v.columns) && (EXPORT_FORMATS as readonly string[]).includes(v.format as string);
    case 'refetch':
      return true;
    case 'log':
      return (v.level === 'error' || v.level === 'info') && typeof v.message === 'string';
    default:
      return false;
  }
}

function isCell(v: unknown): v is Cell {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number';
}

function isRunStatus(v: unknown): v is RunStatus {
  return (
    isObject(v) &&
    typeof v.runId === 'string' &&
    typeof v.title === 'string' &&
    typeof v.state === 'string' &&
    typeof v.fetching === 'boolean' &&
    typeof v.partial === 'boolean' &&
    typeof v.expired === 'boolean' &&
    isNonNegInt(v.conversations) &&
    isNonNegInt(v.dataVersion) &&
    (v.error === undefined || typeof v.error === 'string') &&
    isStringArray(v.warnings) &&
    (v.loading === undefined || (isObject(v.loading) && isNonNegInt(v.loading.total) && (v.loading.error === undefined || typeof v.loading.error === 'string'))) &&
    (v.genesysPaging === undefined || (isObject(v.genesysPaging) && isNonNegInt(v.genesysPaging.pageSize) && isNonNegInt(v.genesysPaging.reachableRows) && Array.isArray(v.genesysPaging.cachedPages)))
  );
}

/** Checks the envelope (and the rows of a window); the webview trusts the host for the rest. */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isObject(v) || typeof v.type !== 'string') {
    return false;
  }
  switch (v.type) {
    case 'init':
      return v.protocol === PROTOCOL_VERSION && isPersistedViewState(v.state) && isRunStatus(v.status) && (v.columns === undefined || Array.isArray(v.columns));
    case 'status':
      return isRunStatus(v.status);
    case 'notice':
      return typeof v.text === 'string';
    case 'response': {
      if (!isNonNegInt(v.id) || !(REQUEST_KINDS as readonly string[]).includes(v.kind as string)) {
        return false;
      }
      if (v.ok === false) {
        return typeof v.error === 'string' && typeof v.superseded === 'boolean';
      }
      if (v.ok !== true) {
        return false;
      }
      if (v.kind === 'window' || v.kind === 'copyRows') {
        const r = v.result;
        return isObject(r) && isNonNegInt(r.offset) && isNonNegInt(r.totalRows) && Array.isArray(r.rows) && r.rows.every((row) => Array.isArray(row) && row.every(isCell)) && isObject(r.names);
      }
      return true;
    }
    default:
      return false;
  }
}
