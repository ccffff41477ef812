/**
 * Serves one panel's requests from its ResultsView (vscode-free): validates column ids against the grain,
 * caps windows at MAX_WINDOW_ROWS, resolves IDs to names, and lets the newest request of each kind win
 * (STYLE §2.8): a new request aborts the previous one of its kind, whose answer is then `superseded`.
 */
import type { Logger } from '../../common/logger';
import { silentLogger } from '../../common/logger';
import type { RunManifest } from '../../results/manifest';
import { isRunInProgress } from '../../results/manifest';
import type { Cell, ColumnInfo, Grain, IdKind, NameResolver, ResultsView, WindowRequest } from '../../results/view/viewTypes';
import type { SyncPager } from '../../jobs/syncPager';
import type { GenesysPaging } from '../../results/pageMap';
import type { NameMap, PersistedViewState, RequestKind, RequestMessage, ResponseMessage, RunStatus, WindowParams, WindowResponse } from '../../shared/protocol';
import { MAX_DISTINCT_VALUES, MAX_WINDOW_ROWS, viewQueryOf, visibleColumns } from '../../shared/protocol';

export interface ResultsSessionOptions {
  readonly view: ResultsView;
  /** Optional: without it the table shows IDs. */
  readonly names?: NameResolver;
  readonly log?: Logger;
  /** A sync run's further pages at Genesys (window requests with `genesysPage`). */
  readonly pager?: SyncPager;
  /** A page was fetched into the cache and the view took it in; `conversations` is the new count. */
  readonly onPageFetched?: (conversations: number) => void;
}

/** Rows a continuous-scroll page asks for first: about a screen of rows and a margin. */
const WARM_SCROLL_ROWS = 100;

export class ResultsSession {
  private readonly _view: ResultsView;
  private readonly _names: NameResolver | undefined;
  private readonly _log: Logger;
  private readonly _pager: SyncPager | undefined;
  private readonly _onPageFetched: ((conversations: number) => void) | undefined;
  private readonly _controllers = new Map<RequestKind, AbortController>();
  private readonly _columns = new Map<Grain, Promise<readonly ColumnInfo[]>>();
  private _disposed = false;

  constructor(options: ResultsSessionOptions) {
    this._view = options.view;
    this._names = options.names;
    this._log = options.log ?? silentLogger;
    this._pager = options.pager;
    this._onPageFetched = options.onPageFetched;
  }

  get view(): ResultsView {
    return this._view;
  }

  /** Answers one request; never throws. */
  async handle(request: RequestMessage): Promise<ResponseMessage> {
    this._controllers.get(request.kind)?.abort();
    const controller = new AbortController();
    this._controllers.set(request.kind, controller);
    const { signal } = controller;
    const superseded = (): ResponseMessage => ({ type: 'response', id: request.id, kind: request.kind, ok: false, superseded: true, error: 'Superseded by a newer request' });
    try {
      const result = await this._answer(request, signal);
      if (signal.aborted || this._disposed) {
        return superseded();
      }
      return { type: 'response', id: request.id, kind: request.kind, ok: true, result } as ResponseMessage;
    } catch (err) {
      if (signal.aborted || this._disposed) {
        return superseded();
      }
      const message = err instanceof Error ? err.message : String(err);
      this._log.warn(`Results ${request.kind} request failed: ${message}`);
      return { type: 'response', id: request.id, kind: request.kind, ok: false, superseded: false, error: message };
    } finally {
      if (this._controllers.get(request.kind) === controller) {
        this._controllers.delete(request.kind);
      }
    }
  }

  columns(grain: Grain): Promise<readonly ColumnInfo[]> {
    let p = this._columns.get(grain);
    if (!p) {
      p = this._view.columns(grain);
      // A failure is not cached: the next request tries again.
      p.catch(() => this._columns.delete(grain));
      this._columns.set(grain, p);
    }
    return p;
  }

  /**
   * Runs the window the page will most likely ask for first (its state's view and columns at its page or
   * scroll row), while the page loads its script: the first window query of a view pays DuckDB's first read
   * of the table's columns and the host's first pass through this path (50–110 ms at 100k conversations),
   * which the page's own first request then does not wait for. Names are resolved too (the resolver caches
   * them). The answer is dropped; never throws (the page's own request meets any error).
   */
  async warm(state: PersistedViewState): Promise<void> {
    try {
      const columns = visibleColumns(state, await this.columns(state.grain));
      const pager = state.mode === 'pager';
      const offset = pager ? (state.page - 1) * state.pageSize : state.scrollRow;
      await this._window({ view: viewQueryOf(state), offset, limit: pager ? state.pageSize : WARM_SCROLL_ROWS, columns }, new AbortController().signal);
    } catch {
      // Only a head start: nothing to report.
    }
  }

  private async _answer(request: RequestMessage, signal: AbortSignal): Promise<unknown> {
    switch (request.kind) {
      case 'columns':
        return this.columns(request.params.grain);
      case 'window':
        return request.params.genesysPage ? this._genesysPage(request.params, signal) : this._window(request.params, signal);
      case 'copyRows':
        return this._window(request.params, signal);
      case 'distinct': {
        const { view, column, limit } = request.params;
        const info = await this._column(view.grain, column);
        const values = await this._view.distinct(view, column, Math.min(limit, MAX_DISTINCT_VALUES));
        const names = info.idKind ? await this._resolve(new Map([[info.idKind, idsOf(values.map((v) => v.value))]]), signal) : {};
        return { values, names };
      }
      case 'rowRecord':
        return this._view.rowRecord(request.params.view, request.params.offset);
    }
  }

  /**
   * One Genesys page of the run: fetched first when not cached (SyncPager), then served as its row range of
   * the plain conversation view, in the order Genesys returned it. Offsets stay in Genesys' numbering.
   */
  private async _genesysPage(params: WindowParams, signal: AbortSignal): Promise<WindowResponse> {
    const { view, offset, columns } = params;
    if (view.grain !== 'conversation' || view.sort.length > 0 || view.filters.length > 0) {
      throw new Error('Genesys pages are pages of conversations, unsorted and unfiltered; sorting or filtering works over the cached rows.');
    }
    const paging: GenesysPaging | undefined = await this._pager?.paging();
    if (!this._pager || !paging) {
      // Every page is cached in Genesys' order (or the run cannot page): the plain view is the same thing.
      return this._window({ view, offset, limit: params.limit, columns }, signal);
    }
    if (offset % paging.pageSize !== 0) {
      throw new Error(`A Genesys page starts at a multiple of the run's page size (${paging.pageSize}), not at row ${offset}.`);
    }
    const answer = await this._pager.page(offset / paging.pageSize + 1, signal);
    let totalRows = paging.reachableRows;
    if (answer.fetched) {
      const count = await this._view.refresh();
      this._onPageFetched?.(count);
      totalRows = (await this._pager.paging())?.reachableRows ?? totalRows;
    }
    const { start, end } = answer.range;
    const result = await this._window({ view, offset: start, limit: Math.max(0, Math.min(end - start, params.limit)), columns }, signal, end - start);
    return { ...result, offset, totalRows, sourceOffset: start };
  }

  private async _window(params: WindowRequest, signal: AbortSignal, exactRows?: number): Promise<WindowResponse> {
    const infos = await Promise.all(params.columns.map((c) => this._column(params.view.grain, c)));
    const limit = Math.min(params.limit, MAX_WINDOW_ROWS);
    const result = exactRows === 0 ? { offset: params.offset, rows: [], totalRows: 0 } : await this._view.window({ ...params, limit: Math.max(1, limit) });
    const wanted = new Map<IdKind, Set<string>>();
    infos.forEach((info, i) => {
      if (info.idKind) {
        const set = wanted.get(info.idKind) ?? new Set<string>();
        for (const id of idsOf(result.rows.map((r) => r[i] ?? null))) {
          set.add(id);
        }
        wanted.set(info.idKind, set);
      }
    });
    const names = await this._resolve(new Map([...wanted].map(([k, v]) => [k, [...v]])), signal);
    return { ...result, names };
  }

  private async _column(grain: Grain, id: string): Promise<ColumnInfo> {
    const info = (await this.columns(grain)).find((c) => c.id === id);
    if (!info) {
      throw new Error(`The ${grain} table has no column '${id}'.`);
    }
    return info;
  }

  /** Names are a nicety: a resolver failure shows IDs and is logged, never fails the request. */
  private async _resolve(ids: ReadonlyMap<IdKind, readonly string[]>, signal: AbortSignal): Promise<NameMap> {
    const resolver = this._names;
    if (!resolver) {
      return {};
    }
    const out: Record<string, string> = {};
    await Promise.all(
      [...ids].map(async ([kind, list]) => {
        if (list.length === 0) {
          return;
        }
        try {
          for (const [id, name] of await resolver.names(kind, list, signal)) {
            out[id] = name;
          }
        } catch (err) {
          if (!signal.aborted) {
            this._log.warn(`Could not resolve ${kind} names: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      }),
    );
    return out;
  }

  dispose(): void {
    this._disposed = true;
    this._pager?.dispose();
    for (const c of this._controllers.values()) {
      c.abort();
    }
    this._controllers.clear();
  }
}

/** Distinct IDs in cells (multi-valued cells are ';'-joined). */
function idsOf(cells: readonly Cell[]): string[] {
  const set = new Set<string>();
  for (const c of cells) {
    if (typeof c === 'string' && c !== '') {
      for (const id of c.split(';')) {
        if (id) {
          set.add(id);
        }
      }
    }
  }
  return [...set];
}

/** What the webview shows about the run, from its manifest. */
export function runStatusOf(manifest: RunManifest, dataVersion: number, conversations = manifest.rowCount, now = Date.now(), label?: string, genesysPaging?: GenesysPaging): RunStatus {
  const expiry = manifest.expirationDate ? Date.parse(manifest.expirationDate) : NaN;
  const expired = manifest.state === 'EXPIRED' || (manifest.partial && !Number.isNaN(expiry) && expiry <= now);
  return {
    runId: manifest.runId,
    title: runTitle(manifest, label),
    state: manifest.state,
    fetching: isRunInProgress(manifest),
    partial: manifest.partial,
    expired,
    conversations,
    dataVersion,
    ...(manifest.error?.message || manifest.errorMessage ? { error: manifest.error?.message ?? manifest.errorMessage } : {}),
    warnings: manifest.warnings,
    ...(genesysPaging ? { genesysPaging } : {}),
  };
}

/** "Yesterday's calls · Job · 2026-12-01 10:00 UTC · 2026-11-30T00:00Z/2026-12-01T00:00Z" (the label when the run has one). */
export function runTitle(manifest: Pick<RunManifest, 'kind' | 'createdAt' | 'body'>, label?: string): string {
  const when = manifest.createdAt.slice(0, 16).replace('T', ' ');
  const body = manifest.body as { interval?: unknown } | null;
  const interval = body && typeof body === 'object' && typeof body.interval === 'string' ? ` · ${body.interval}` : '';
  return `${label ? `${label} · ` : ''}${manifest.kind === 'job' ? 'Job' : 'Query'} · ${when} UTC${interval}`;
}
