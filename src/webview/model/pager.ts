/** Pager arithmetic (pages are 1-based in state and labels). */
import type { GenesysPaging } from '../../results/genesysPaging';
import type { PersistedViewState, RunStatus } from '../../shared/protocol';
import { formatCount } from './format';

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export function clampPage(page: number, total: number, pageSize: number): number {
  if (!Number.isFinite(page)) {
    return 1;
  }
  return Math.min(Math.max(1, Math.floor(page)), pageCount(total, pageSize));
}

/** Rows [start, end) of a page within the view. */
export function pageRows(page: number, pageSize: number, total: number): { start: number; end: number } {
  const start = Math.min((clampPage(page, total, pageSize) - 1) * pageSize, total);
  return { start, end: Math.min(start + pageSize, total) };
}

/** "Page 3 of 57 · rows 201–300 of 5,612" ("No rows" for an empty view). */
export function pagerLabel(page: number, pageSize: number, total: number): string {
  if (total === 0) {
    return 'No rows';
  }
  const p = clampPage(page, total, pageSize);
  const { start, end } = pageRows(p, pageSize, total);
  return `Page ${formatCount(p)} of ${formatCount(pageCount(total, pageSize))} · rows ${formatCount(start + 1)}–${formatCount(end)} of ${formatCount(total)}`;
}

/** The page that keeps row `row` in view after the page size changes. */
export function pageOfRow(row: number, pageSize: number): number {
  return Math.floor(Math.max(0, row) / pageSize) + 1;
}

/**
 * The run's Genesys paging when the pager pages through it: a sync run with pages at Genesys, in Pages mode,
 * one row per conversation (a Genesys page is conversations), neither sorted nor filtered (an order over
 * rows that are not all here would be a lie). Otherwise the table works over the cached rows.
 */
export function activeGenesysPaging(state: PersistedViewState | undefined, status: RunStatus | undefined): GenesysPaging | undefined {
  const paging = status?.genesysPaging;
  if (!paging || !state || state.mode !== 'pager' || state.grain !== 'conversation') {
    return undefined;
  }
  const g = state.grains.conversation;
  return g && (g.sort.length > 0 || g.filters.length > 0) ? undefined : paging;
}

/** Rows per page: the run's Genesys page size while paging through Genesys, else the user's choice. */
export function effectivePageSize(state: PersistedViewState, status: RunStatus | undefined): number {
  return activeGenesysPaging(state, status)?.pageSize ?? state.pageSize;
}

/** What the table says when a run has pages at Genesys but the view works over the cached rows only. */
export function cachedOnlyNote(state: PersistedViewState | undefined, status: RunStatus | undefined): string | undefined {
  const paging = status?.genesysPaging;
  if (!paging || !state || activeGenesysPaging(state, status)) {
    return undefined;
  }
  const of = `the ${formatCount(paging.cachedRows)} cached of ${formatCount(paging.totalHits)} conversations`;
  const g = state.grains[state.grain];
  const sortedOrFiltered = !!g && (g.sort.length > 0 || g.filters.length > 0);
  const what = sortedOrFiltered ? `Sorted/filtered over ${of}` : `Showing rows of ${of}`;
  const how =
    state.grain !== 'conversation' || state.mode !== 'pager'
      ? 'Pages of conversations (Rows: Conversations, Pages), without sort or filter, fetch further pages from Genesys.'
      : 'Clear the sort and filters to page through all of them; further pages are fetched from Genesys.';
  return `${what}. ${how}`;
}
