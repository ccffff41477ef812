/**
 * Fetches further pages of a cached sync run on demand, for the results table's pager: page k of the
 * query comes from Genesys with real `paging.pageSize/pageNumber` (through SyncQueryRunner.fetchPage, so the
 * same validation and messages as a run, and the client's usual 429/5xx retries), is appended to the run's
 * cache and recorded in its page map (pageMap.ts), and is never fetched again.
 */
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { SerialQueue } from '../common/serialQueue';
import { invalidQueryError } from '../genesys/errors';
import { raceSignal } from '../genesys/raceSignal';
import type { HistoryEntry } from '../history/historyEntry';
import { historyEntryFromManifest } from '../history/historyEntry';
import type { RunManifest } from '../results/manifest';
import { isRunInProgress } from '../results/manifest';
import type { GenesysPaging, PageMapData, PageRange } from '../results/pageMap';
import { findPage, readPageMap, withPage, withPending, writePageMap } from '../results/pageMap';
import type { ResultsStore } from '../results/resultsStore';
import type { SyncPageResult } from './syncQueryRunner';
import { capWarning, DEEP_PAGING_CAP } from './syncQueryRunner';

/** The one call the pager needs from SyncQueryRunner (its fetchPage). */
export interface PageSource {
  fetchPage(body: unknown, pageNumber?: number, signal?: AbortSignal): Promise<SyncPageResult>;
}

export interface SyncPagerDeps {
  readonly store: ResultsStore;
  /** The runner of the run's connection, asked for each fetch; throws with a how-to-connect message when there is none. */
  readonly source: (connectionId: string) => PageSource;
  /** Row counts of fetched pages reach the Query History through this. */
  readonly history?: { upsert(entry: HistoryEntry): Promise<unknown> };
  readonly logger?: Logger;
  readonly deepPagingCap?: number;
}

export interface PageAnswer {
  readonly range: PageRange;
  /** True when this call fetched the page from Genesys (false: it was cached). */
  readonly fetched: boolean;
}

/**
 * How a run pages the Genesys way, or undefined when it does not: a finished sync run whose totalHits is
 * known and whose pages can be told apart, with pages still to fetch (or pages not in Genesys' order).
 */
export function genesysPagingOf(m: RunManifest, map: PageMapData | undefined, cap = DEEP_PAGING_CAP): GenesysPaging | undefined {
  if (!map || m.kind !== 'query' || isRunInProgress(m) || m.totalHits === undefined) {
    return undefined;
  }
  const { pageSize } = map;
  const reachableRows = Math.min(m.totalHits, Math.floor(cap / pageSize) * pageSize);
  const inOrder = map.pages.every((p) => p.start === (p.page - 1) * pageSize);
  if (m.rowCount >= reachableRows && inOrder) {
    return undefined; // every reachable row is cached in Genesys' order: local paging is the same thing
  }
  return {
    pageSize,
    totalHits: m.totalHits,
    reachableRows,
    cachedPages: map.pages.map((p) => p.page),
    cachedRows: m.rowCount,
    ...(m.totalHits > cap ? { capWarning: capWarning(m.totalHits, cap) } : {}),
  };
}

/** One run's on-demand pages. Appends are serialised; a page asked for twice while in flight is fetched once. */
export class SyncPager {
  private readonly _writes = new SerialQueue();
  private readonly _inflight = new Map<number, Promise<PageAnswer>>();
  private readonly _lifetime = new AbortController();
  private readonly _log: Logger;
  private readonly _cap: number;

  constructor(
    readonly runId: string,
    private readonly _deps: SyncPagerDeps,
  ) {
    this._log = _deps.logger ?? silentLogger;
    this._cap = _deps.deepPagingCap ?? DEEP_PAGING_CAP;
  }

  private get _dir(): string {
    return this._deps.store.runDir(this.runId);
  }

  /** The run's Genesys paging now (re-read from disk: another window may have fetched pages). */
  async paging(): Promise<GenesysPaging | undefined> {
    const m = await this._manifest();
    return genesysPagingOf(m, await readPageMap(this._dir, m), this._cap);
  }

  /**
   * Page `page`'s rows in the cache, fetching the page first when it is not there. `signal` only stops the
   * caller's wait: a fetch already sent completes and is cached (a later ask finds it).
   */
  page(page: number, signal?: AbortSignal): Promise<PageAnswer> {
    let p = this._inflight.get(page);
    if (!p) {
      p = this._page(page).finally(() => this._inflight.delete(page));
      this._inflight.set(page, p);
    }
    return raceSignal(p, signal);
  }

  private async _page(page: number): Promise<PageAnswer> {
    const m = await this._manifest();
    const map = await readPageMap(this._dir, m);
    const paging = genesysPagingOf(m, map, this._cap);
    if (!map) {
      throw new Error('The pages of this run cannot be told apart in its cache, so further pages cannot be fetched; run the query again.');
    }
    const cached = findPage(map, page);
    if (cached) {
      return { range: cached, fetched: false };
    }
    if (!paging) {
      throw new Error(`Page ${page} is not in this run's cache, and the run cannot fetch pages (it is still running, or its result is complete).`);
    }
    if (page * map.pageSize > this._cap) {
      throw invalidQueryError(capWarning(m.totalHits, this._cap), 'paging.pageNumber');
    }
    const body = { ...(m.body as Record<string, unknown>), paging: { pageSize: map.pageSize, pageNumber: page } };
    const started = Date.now();
    const got = await this._deps.source(m.connectionId).fetchPage(body, page, this._lifetime.signal);
    const range = await this._writes.run(() => this._append(page, got));
    this._log.info(`Run ${this.runId}: fetched page ${page} (${got.conversations.length} conversations, rows ${range.start}–${range.end}) in ${Date.now() - started} ms`);
    return { range, fetched: true };
  }

  /** Appends a fetched page with the crash-safe order of pageMap.ts: pending → rows, index, manifest → range. */
  private async _append(page: number, got: SyncPageResult): Promise<PageRange> {
    const writer = await this._deps.store.openWriter(this.runId);
    try {
      const map = await readPageMap(this._dir, writer.manifest);
      if (!map) {
        throw new Error('The page map of this run is damaged; run the query again.');
      }
      // Another window may have cached it meanwhile: keep its copy, drop ours.
      const already = findPage(map, page);
      if (already) {
        return already;
      }
      const start = writer.rowCount;
      await writePageMap(this._dir, withPending(map, page, start));
      await writer.appendPage(got.conversations, {
        pages: writer.manifest.pages + 1,
        ...(got.totalHits !== undefined ? { totalHits: got.totalHits } : {}),
        ...(got.warning && !writer.manifest.warnings.includes(got.warning) ? { warnings: [...writer.manifest.warnings, got.warning] } : {}),
      });
      const range: PageRange = { page, start, end: writer.rowCount };
      await writePageMap(this._dir, withPage(map, range));
      await this._deps.history?.upsert(historyEntryFromManifest(writer.manifest, writer.dir)).catch((err: unknown) => this._log.warn(`Run ${this.runId}: history update failed: ${String(err)}`));
      return range;
    } finally {
      await writer.close();
    }
  }

  private async _manifest(): Promise<RunManifest> {
    const m = await this._deps.store.readManifest(this.runId);
    if (!m) {
      throw new Error('The cached results of this run are gone (deleted or pruned). Run the query again.');
    }
    return m;
  }

  /** Stops fetches in flight (the panel closed). */
  dispose(): void {
    this._lifetime.abort();
  }
}
