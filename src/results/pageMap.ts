/**
 * Which Genesys page of a sync run is which rows of its cache. A sync run fetched as one page (or capped,
 * cancelled) holds some pages of the query's result; the results table's pager fetches further pages on
 * demand and appends them to rows.ndjson in the order they arrive, so page k is not at row (k − 1) × size.
 * `pages.json` records each cached page's pageNumber → [start, end) of the run's rows.
 *
 * Crash safety, with the writer's own order (rows → index → manifest) in the middle:
 *   1. pages.json gets `pending: {page, start}` (atomic write) before the page's rows are appended;
 *   2. RunWriter.appendPage writes rows, index, manifest;
 *   3. pages.json gets the page's range and loses `pending` (atomic write).
 * A crash after 2 leaves the rows and a pending entry: reading reconciles it to [start, manifest.rowCount).
 * A crash before the manifest leaves rowCount = start (the writer cuts torn rows off): the page is simply
 * not cached. An entry is never trusted beyond manifest.rowCount.
 */
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../common/atomicFile';
import type { RunManifest } from './manifest';

export type { GenesysPaging } from './genesysPaging';

export const PAGES_FILE = 'pages.json';

/** Page `page` (1-based, at the map's pageSize) is rows [start, end) of the run, in Genesys' order. */
export interface PageRange {
  readonly page: number;
  readonly start: number;
  readonly end: number;
}

export interface PageMapData {
  readonly version: 1;
  readonly pageSize: number;
  /** Sorted by page; ranges do not overlap. */
  readonly pages: readonly PageRange[];
  /** A page whose rows are being appended from row `start` (step 1 above). */
  readonly pending?: { readonly page: number; readonly start: number };
}

/** The sync page size of a run: the manifest's, else its body's paging. */
export function runPageSize(m: Pick<RunManifest, 'pageSize' | 'body'>): number | undefined {
  const paging = (m.body as { paging?: { pageSize?: unknown } } | null)?.paging;
  const size = m.pageSize ?? (typeof paging?.pageSize === 'number' ? paging.pageSize : undefined);
  return size !== undefined && Number.isInteger(size) && size > 0 ? size : undefined;
}

function firstPageNumber(m: Pick<RunManifest, 'body'>): number {
  const n = (m.body as { paging?: { pageNumber?: unknown } } | null)?.paging?.pageNumber;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * The map of a sync run that has no pages.json yet (fetched by "Run as Query", one page or all): its pages
 * are consecutive from the body's pageNumber, `pageSize` rows each. Undefined when that cannot be known:
 * not a sync run, no page size, or duplicates were skipped across several pages (then rows ≠ pages × size).
 */
export function derivePageMap(m: RunManifest): PageMapData | undefined {
  const pageSize = runPageSize(m);
  if (m.kind !== 'query' || pageSize === undefined) {
    return undefined;
  }
  if (m.pages > 1 && m.duplicatesSkipped > 0) {
    return undefined;
  }
  const first = firstPageNumber(m);
  const pages: PageRange[] = [];
  for (let i = 0; i < m.pages; i++) {
    const start = Math.min(i * pageSize, m.rowCount);
    // One page holds whatever it stored (a short last page, or one with duplicates dropped).
    const end = m.pages === 1 ? m.rowCount : Math.min((i + 1) * pageSize, m.rowCount);
    pages.push({ page: first + i, start, end });
  }
  return { version: 1, pageSize, pages };
}

/** Settles a pending page against the rows on disk and drops anything claiming rows that are not there. */
export function reconcilePageMap(map: PageMapData, rowCount: number): PageMapData {
  const pages = map.pages.filter((p) => p.end <= rowCount && p.start <= p.end);
  const pending = map.pending;
  if (pending && rowCount > pending.start && !pages.some((p) => p.page === pending.page)) {
    pages.push({ page: pending.page, start: pending.start, end: rowCount });
  }
  return { version: 1, pageSize: map.pageSize, pages: sortPages(pages) };
}

export function withPage(map: PageMapData, range: PageRange): PageMapData {
  return { version: 1, pageSize: map.pageSize, pages: sortPages([...map.pages.filter((p) => p.page !== range.page), range]) };
}

export function withPending(map: PageMapData, page: number, start: number): PageMapData {
  return { ...map, pending: { page, start } };
}

export function findPage(map: PageMapData, page: number): PageRange | undefined {
  return map.pages.find((p) => p.page === page);
}

function sortPages(pages: PageRange[]): PageRange[] {
  return pages.sort((a, b) => a.page - b.page);
}

function isPageRange(v: unknown): v is PageRange {
  const p = v as Partial<PageRange> | null;
  return !!p && typeof p === 'object' && [p.page, p.start, p.end].every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) && (p.page ?? 0) >= 1;
}

function isPageMapData(v: unknown): v is PageMapData {
  const m = v as Partial<PageMapData> | null;
  const pending = m?.pending as Partial<PageRange> | undefined;
  return (
    !!m &&
    typeof m === 'object' &&
    m.version === 1 &&
    typeof m.pageSize === 'number' &&
    Number.isInteger(m.pageSize) &&
    m.pageSize > 0 &&
    Array.isArray(m.pages) &&
    m.pages.every(isPageRange) &&
    (pending === undefined || (typeof pending.page === 'number' && typeof pending.start === 'number'))
  );
}

/**
 * The run's page map: pages.json reconciled with the manifest, or derived from the manifest when the run
 * has no pages.json (none of its pages came from the pager yet). Undefined when the run's pages cannot be
 * told apart: see derivePageMap, or a damaged pages.json (its pages may have arrived out of order, so
 * deriving them again would misplace rows; the table then pages over the cached rows only).
 */
export async function readPageMap(dir: string, manifest: RunManifest): Promise<PageMapData | undefined> {
  let saved: unknown;
  try {
    saved = await readJsonFile(join(dir, PAGES_FILE));
  } catch {
    return undefined;
  }
  if (saved === undefined) {
    const derived = derivePageMap(manifest);
    return derived && reconcilePageMap(derived, manifest.rowCount);
  }
  return isPageMapData(saved) && saved.pageSize === runPageSize(manifest) ? reconcilePageMap(saved, manifest.rowCount) : undefined;
}

export async function writePageMap(dir: string, map: PageMapData): Promise<void> {
  await writeFileAtomic(join(dir, PAGES_FILE), `${JSON.stringify(map)}\n`);
}

