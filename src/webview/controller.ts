/**
 * Owns the model: applies host messages through the pure reducer, turns user gestures into new view states,
 * and asks the host for exactly what is on screen (plus a margin). Rendering is delegated to the Ui.
 */
import type { Cell, ColumnFilter, ColumnInfo, ExportFormat, Grain } from '../results/view/viewTypes';
import type { CopyFormat, PersistedViewState, RequestKind, RequestMap, ResponseOf, ScrollMode, TimeZoneMode } from '../shared/protocol';
import { isHostMessage, MAX_DISTINCT_VALUES, MAX_WINDOW_ROWS, viewQueryOf } from '../shared/protocol';
import type { GridModel } from './model/gridModel';
import { initialModel, makeRequest, reduce, viewChanged } from './model/gridModel';
import { formatCell, toJsonRows, toTsv, formatCount } from './model/format';
import { activeGenesysPaging, clampPage, effectivePageSize, pageRows } from './model/pager';
import * as vs from './model/viewState';
import type { RowRange } from './model/virtualScroll';
import { covers, windowFor } from './model/virtualScroll';
import type { HostChannel } from './vscodeApi';

/** Rows fetched beyond each edge of the visible range in continuous mode. */
const SCROLL_MARGIN = 150;

export interface Scope {
  /** First view row shown by the grid (page start in pager mode). */
  readonly base: number;
  /** Rows the grid scrolls over (a page, or the whole view). */
  readonly count: number;
}

export interface Ui {
  render(model: GridModel, controller: Controller): void;
  /** The visible rows moved (continuous scrolling): refresh what shows the position, nothing else. */
  scrolled(): void;
}

export interface CellSelection {
  readonly rows: RowRange;
  /** Column ids, in display order. */
  readonly columns: readonly string[];
}

export class Controller {
  private _model: GridModel = initialModel();
  private _visible: RowRange = { first: 0, end: 0 };
  /** The window request in flight (key of its params, and id): an identical one is not sent again. */
  private _inflightKey: string | undefined;
  private _inflightId: number | undefined;
  /** What the request in flight will cover: while it does cover the visible rows, scrolling sends nothing new. */
  private _inflightCover: { view: string; offset: number; count: number } | undefined;
  /** The window request that just failed: not sent again by itself (a Genesys page would be re-fetched in a loop), only by Retry or after another. */
  private _failedKey: string | undefined;
  private _columnsRequested: Grain | undefined;
  private _copyWaiters = new Map<number, (r: ResponseOf<'copyRows'> | undefined) => void>();
  private _saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _host: HostChannel,
    private readonly _ui: Ui,
  ) {}

  get model(): GridModel {
    return this._model;
  }

  start(): void {
    const saved = this._host.savedState();
    this._host.post({ type: 'ready', ...(saved && typeof saved === 'object' ? { state: saved as PersistedViewState } : {}) });
  }

  receive(raw: unknown): void {
    if (!isHostMessage(raw)) {
      this._host.post({ type: 'log', level: 'error', message: 'Ignored a malformed message from the extension' });
      return;
    }
    if (raw.type === 'response' && raw.kind === 'copyRows') {
      const waiter = this._copyWaiters.get(raw.id);
      this._copyWaiters.delete(raw.id);
      waiter?.(raw.ok ? raw : undefined);
      if (!raw.ok && !raw.superseded) {
        this._update({ ...this._model, notice: `Copy failed: ${raw.error}` });
      }
      return;
    }
    if (raw.type === 'response' && raw.kind === 'window' && raw.id === this._inflightId) {
      this._failedKey = raw.ok || raw.superseded ? undefined : this._inflightKey;
    }
    if (raw.type === 'init' || (raw.type === 'response' && raw.kind === 'window' && raw.id === this._inflightId)) {
      // Only the answer to the request in flight frees it: an older, superseded answer must not make the
      // same request go out again (it would supersede itself forever).
      this._inflightKey = undefined;
      this._inflightId = undefined;
      this._inflightCover = undefined;
    }
    if (raw.type === 'init') {
      this._failedKey = undefined;
      this._columnsRequested = undefined;
    }
    const before = this._model;
    let next = reduce(before, raw);
    if (next !== before && raw.type === 'response' && raw.kind === 'window' && raw.ok && next.state && next.state.mode === 'pager') {
      // A saved page past the end (fewer rows now, a new filter): go to the last page.
      const page = clampPage(next.state.page, raw.result.totalRows, effectivePageSize(next.state, next.status));
      if (page !== next.state.page) {
        next = { ...next, state: vs.setPage(next.state, page), windowStale: true };
      }
    }
    this._update(next);
  }

  // --- derived values ---------------------------------------------------------------------------

  get state(): PersistedViewState | undefined {
    return this._model.state;
  }

  /** Column infos of the visible columns, in display order. */
  shownColumns(): ColumnInfo[] {
    const { state, columns } = this._model;
    if (!state || !columns) {
      return [];
    }
    const byId = new Map(columns.map((c) => [c.id, c]));
    return vs.visibleColumns(state, columns).flatMap((id) => byId.get(id) ?? []);
  }

  scope(): Scope {
    const { state, total } = this._model;
    if (!state) {
      return { base: 0, count: 0 };
    }
    if (state.mode === 'scroll') {
      return { base: 0, count: total ?? 0 };
    }
    const size = this.pageSize();
    const { start, end } = pageRows(state.page, size, total ?? state.page * size);
    return { base: start, count: end - start };
  }

  /** Rows per page (the run's Genesys page size while paging through Genesys). */
  pageSize(): number {
    const { state, status } = this._model;
    return state ? effectivePageSize(state, status) : 0;
  }

  /**
   * The offset of view row `row` for row details and Open as JSON: itself, or while paging through Genesys
   * (rows numbered as Genesys does) its row in the cache; undefined while that row's page is not loaded.
   */
  recordOffset(row: number): number | undefined {
    const w = this._model.window;
    if (!activeGenesysPaging(this._model.state, this._model.status) || w?.sourceOffset === undefined) {
      return row;
    }
    return row >= w.offset && row < w.offset + w.rows.length ? w.sourceOffset + (row - w.offset) : undefined;
  }

  /** A loaded cell, or undefined while its row is not in the window. */
  cell(row: number, column: string): Cell | undefined {
    const w = this._model.window;
    if (!w || row < w.offset || row >= w.offset + w.rows.length) {
      return undefined;
    }
    const i = w.columns.indexOf(column);
    return i < 0 ? undefined : (w.rows[row - w.offset]?.[i] ?? null);
  }

  // --- requests ---------------------------------------------------------------------------------

  private _request<K extends RequestKind>(kind: K, params: RequestMap[K]['params']): number {
    const [model, message] = makeRequest(this._model, kind, params);
    this._model = model;
    this._host.post(message);
    return message.id;
  }

  /** The grid reports which rows it shows; fetch them if they are not loaded. */
  visibleRows(range: RowRange): void {
    this._visible = range;
    this._ensureWindow();
  }

  private _ensureColumns(): void {
    const { state, columns } = this._model;
    if (state && !columns && this._columnsRequested !== state.grain) {
      this._columnsRequested = state.grain;
      this._request('columns', { grain: state.grain });
    }
  }

  private _ensureWindow(): void {
    const m = this._model;
    const state = m.state;
    const shown = this.shownColumns().map((c) => c.id);
    if (!state || shown.length === 0) {
      return;
    }
    const scope = this.scope();
    let offset: number;
    let limit: number;
    let range: RowRange;
    const genesys = !!activeGenesysPaging(state, m.status);
    if (state.mode === 'pager') {
      const size = this.pageSize();
      offset = (clampPage(state.page, m.total ?? Number.MAX_SAFE_INTEGER, size) - 1) * size;
      limit = size;
      range = { first: offset, end: offset + (m.total === undefined ? 1 : scope.count) };
    } else {
      range = m.total === undefined ? { first: state.scrollRow, end: state.scrollRow + 60 } : this._visible;
      ({ offset, limit } = windowFor(range, m.total ?? range.end + SCROLL_MARGIN, SCROLL_MARGIN, MAX_WINDOW_ROWS));
    }
    const loaded = m.window ? { offset: m.window.offset, count: m.window.rows.length } : undefined;
    const hasColumns = !!m.window && shown.every((c) => m.window?.columns.includes(c));
    // A Genesys page may hold fewer rows than a full page (duplicates dropped, a shorter page): loaded
    // is whatever the page's answer held. Switching between Genesys and cached numbering reloads.
    const sameSource = !m.window || (m.window.sourceOffset !== undefined) === genesys;
    const pageLoaded = genesys && m.window?.offset === offset;
    const need = m.windowStale || !hasColumns || !sameSource || !(pageLoaded || covers(loaded, range, m.total ?? range.end));
    if (!need) {
      return;
    }
    const params = { view: viewQueryOf(state), offset, limit: Math.max(1, limit), columns: shown, ...(genesys ? { genesysPage: true } : {}) };
    const viewKey = JSON.stringify([params.view, shown, m.status?.dataVersion, genesys]);
    const key = JSON.stringify([viewKey, offset, limit]);
    const pending = this._inflightCover;
    if (key === this._inflightKey || key === this._failedKey || (pending?.view === viewKey && covers(pending, range, m.total ?? range.end))) {
      return;
    }
    this._failedKey = undefined;
    this._inflightKey = key;
    this._inflightCover = { view: viewKey, offset: params.offset, count: params.limit };
    this._inflightId = this._request('window', params);
    if (genesys) {
      // The page may be on its way from Genesys (seconds): render the loading state now, not at the next change.
      this._ui.render(this._model, this);
    }
  }

  private _ensureDetails(): void {
    const { state, details } = this._model;
    if (state?.detailsOpen && state.selectedRow !== undefined && details?.offset !== state.selectedRow) {
      const offset = this.recordOffset(state.selectedRow);
      if (offset === undefined) {
        return; // its Genesys page is still loading: asked again once it is here
      }
      this._model = { ...this._model, details: { offset: state.selectedRow } };
      this._request('rowRecord', { view: viewQueryOf(state), offset });
    }
  }

  private _update(model: GridModel): void {
    const stateChanged = model.state !== this._model.state;
    this._model = model;
    this._ensureColumns();
    this._ensureDetails();
    if (stateChanged && model.state) {
      this._saveSoon(model.state);
    }
    this._ui.render(this._model, this);
    this._ensureWindow();
  }

  private _saveSoon(state: PersistedViewState): void {
    if (this._saveTimer) {
      clearTimeout(this._saveTimer);
    }
    this._saveTimer = setTimeout(() => {
      this._saveTimer = undefined;
      this._host.saveState(state);
    }, 100);
  }

  /** Saves at once (the page may be torn down any moment when hidden). */
  flushState(): void {
    if (this._saveTimer && this._model.state) {
      clearTimeout(this._saveTimer);
      this._saveTimer = undefined;
      this._host.saveState(this._model.state);
    }
  }

  // --- gestures ---------------------------------------------------------------------------------

  private _setState(next: PersistedViewState, kind: 'view' | 'grain' | 'layout'): void {
    const current = this._model.state;
    if (!current || next === current) {
      return;
    }
    if (kind === 'layout') {
      this._update({ ...this._model, state: next });
    } else {
      this._update(viewChanged(this._model, next, kind === 'grain'));
    }
  }

  private _with(fn: (s: PersistedViewState) => PersistedViewState, kind: 'view' | 'grain' | 'layout'): void {
    if (this._model.state) {
      this._setState(fn(this._model.state), kind);
    }
  }

  sort(column: string, multi: boolean): void {
    this._with((s) => vs.toggleSort(s, column, multi), 'view');
  }

  setFilter(column: string, filter: ColumnFilter | undefined): void {
    this._with((s) => vs.setFilter(s, column, filter), 'view');
  }

  clearFilters(): void {
    this._with(vs.clearFilters, 'view');
  }

  setGrain(grain: Grain): void {
    this._with((s) => vs.setGrain(s, grain), 'grain');
  }

  setColumns(ids: readonly string[]): void {
    this._with((s) => vs.setColumns(s, ids), 'layout');
  }

  hideColumn(column: string): void {
    this._with((s) => vs.hideColumn(s, this._model.columns ?? [], column), 'layout');
  }

  showColumn(column: string): void {
    this._with((s) => vs.showColumn(s, this._model.columns ?? [], column), 'layout');
  }

  moveColumn(column: string, to: number): void {
    this._with((s) => vs.moveColumn(s, this._model.columns ?? [], column, to), 'layout');
  }

  resizeColumn(column: string, width: number): void {
    this._with((s) => vs.setWidth(s, column, width), 'layout');
  }

  setTimeZone(tz: TimeZoneMode): void {
    this._with((s) => vs.setTimeZone(s, tz), 'layout');
  }

  setMode(mode: ScrollMode): void {
    this._with((s) => vs.setMode(s, mode, s.mode === 'scroll' ? this._visible.first : this.scope().base), 'layout');
  }

  setPage(page: number): void {
    const total = this._model.total ?? 0;
    const size = this.pageSize();
    this._with((s) => vs.setPage(s, clampPage(page, total, size)), 'layout');
  }

  setPageSize(size: number): void {
    this._with((s) => vs.setPageSize(s, size), 'layout');
  }

  /** The grid scrolled (continuous mode): remember where, without re-rendering anything. */
  scrolledTo(firstRow: number): void {
    const s = this._model.state;
    if (s && s.mode === 'scroll' && s.scrollRow !== firstRow) {
      this._model = { ...this._model, state: { ...s, scrollRow: firstRow } };
      this._saveSoon(this._model.state as PersistedViewState);
      this._ui.scrolled();
    }
  }

  /** Rows the grid shows now (view row numbers). */
  get visible(): RowRange {
    return this._visible;
  }

  select(row: number | undefined): void {
    this._with((s) => (s.selectedRow === row ? s : { ...s, selectedRow: row }), 'layout');
  }

  showDetails(row: number): void {
    this._with((s) => ({ ...s, selectedRow: row, detailsOpen: true }), 'layout');
  }

  toggleDetails(open: boolean): void {
    this._with((s) => ({ ...s, detailsOpen: open }), 'layout');
  }

  requestDistinct(column: string): void {
    const state = this._model.state;
    if (!state) {
      return;
    }
    // Values present under the other columns' filters: this column's own filter would hide the alternatives.
    const view = viewQueryOf(vs.setFilter(state, column, undefined));
    this._model = { ...this._model, distinct: { column, names: {} } };
    this._request('distinct', { view, column, limit: MAX_DISTINCT_VALUES });
    this._ui.render(this._model, this);
  }

  closeDistinct(): void {
    this._model = { ...this._model, distinct: undefined };
  }

  openJson(row: number): void {
    const offset = this.recordOffset(row);
    if (this._model.state && offset !== undefined) {
      this._host.post({ type: 'openJson', view: viewQueryOf(this._model.state), offset });
    }
  }

  exportView(format: ExportFormat): void {
    const state = this._model.state;
    if (state) {
      this._host.post({ type: 'export', view: viewQueryOf(state), columns: this.shownColumns().map((c) => c.id), format });
    }
  }

  refetch(): void {
    this._host.post({ type: 'refetch' });
  }

  retry(): void {
    this._failedKey = undefined;
    this._inflightKey = undefined;
    this._inflightId = undefined;
    this._inflightCover = undefined;
    this._update({ ...this._model, error: undefined, windowStale: true, ...(this._model.columns ? {} : { columns: undefined }) });
    this._columnsRequested = undefined;
    this._ensureColumns();
  }

  /** Copies a block of cells: TSV of what is shown (names, h:mm:ss, zone) with headers, or raw JSON. */
  async copy(sel: CellSelection, format: CopyFormat, headers = true): Promise<void> {
    const state = this._model.state;
    const columns = this._model.columns;
    if (!state || !columns) {
      return;
    }
    const infos = sel.columns.flatMap((id) => columns.find((c) => c.id === id) ?? []);
    const first = sel.rows.first;
    const count = Math.min(sel.rows.end - first, MAX_WINDOW_ROWS);
    if (count <= 0 || infos.length === 0) {
      return;
    }
    let rows: (readonly Cell[])[];
    let names = this._model.window?.names ?? {};
    const loaded = Array.from({ length: count }, (_, i) => infos.map((c) => this.cell(first + i, c.id)));
    if (loaded.every((r) => r.every((c) => c !== undefined))) {
      rows = loaded as Cell[][];
    } else if (activeGenesysPaging(state, this._model.status)) {
      // Rows are numbered as Genesys numbers them, not as the cache does: copy what the page holds.
      rows = loaded.filter((r): r is Cell[] => r.every((c) => c !== undefined));
    } else {
      const id = this._request('copyRows', { view: viewQueryOf(state), offset: first, limit: count, columns: infos.map((c) => c.id) });
      const answer = await new Promise<ResponseOf<'copyRows'> | undefined>((resolve) => this._copyWaiters.set(id, resolve));
      if (!answer) {
        return;
      }
      rows = answer.result.rows.map((r) => [...r]);
      names = answer.result.names;
    }
    const what = rows.length === 1 && infos.length === 1 ? 'cell' : `${formatCount(rows.length)} row${rows.length === 1 ? '' : 's'}`;
    let text: string;
    if (format === 'json') {
      text = toJsonRows(
        infos.map((c) => c.id),
        rows,
      );
    } else {
      const ctx = { timeZone: state.timeZone, names };
      const body = rows.map((r) => r.map((v, i) => formatCell(v, infos[i] as ColumnInfo, ctx).text));
      text = toTsv(headers ? infos.map((c) => c.label) : undefined, body);
    }
    const capped = sel.rows.end - first > count ? ` (first ${formatCount(count)})` : '';
    this._host.post({ type: 'copy', text, description: `${what}${capped} as ${format.toUpperCase()}` });
  }
}
