/** Pager arithmetic (pages are 1-based in state and labels). */
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
