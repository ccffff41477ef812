/**
 * Row virtualisation with scroll scaling, as pure math (DOM-free, unit-tested).
 *
 * Why our own and not @tanstack/virtual-core: TanStack sizes one element to rows × rowHeight, so past
 * Chromium's ~16.7M px element height (about 700k rows of 24 px) the tail becomes unreachable
 * (TanStack/virtual#460). Here the scrollable spacer is capped at MAX_SCROLL_PX and a "virtual" top
 * (rows × rowHeight space) maps linearly onto the physical scrollTop. Dragging the scrollbar thumb uses the
 * linear map; wheel, keys and the pager move the virtual top by exact pixels, so a notch is always a few
 * rows however large the view is. Only the visible rows (plus overscan) exist in the DOM.
 */
export const MAX_SCROLL_PX = 10_000_000;

export interface ScrollGeometry {
  readonly rows: number;
  readonly rowHeight: number;
  /** Height of the scrolling viewport (px). */
  readonly viewport: number;
  /** Cap of the spacer height; MAX_SCROLL_PX unless a test says otherwise. */
  readonly maxPx?: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), Math.max(lo, hi));

export function virtualHeight(g: ScrollGeometry): number {
  return g.rows * g.rowHeight;
}

/** Height to give the spacer element. */
export function physicalHeight(g: ScrollGeometry): number {
  return Math.min(virtualHeight(g), g.maxPx ?? MAX_SCROLL_PX);
}

function virtualRange(g: ScrollGeometry): number {
  return Math.max(0, virtualHeight(g) - g.viewport);
}

function physicalRange(g: ScrollGeometry): number {
  return Math.max(0, physicalHeight(g) - g.viewport);
}

/** Virtual pixels per physical pixel of scrollTop (1 when the view fits under the cap). */
export function scrollScale(g: ScrollGeometry): number {
  const p = physicalRange(g);
  return p > 0 ? Math.max(1, virtualRange(g) / p) : 1;
}

export function clampVirtualTop(g: ScrollGeometry, virtualTop: number): number {
  return clamp(virtualTop, 0, virtualRange(g));
}

export function virtualTopFromScrollTop(g: ScrollGeometry, scrollTop: number): number {
  const p = physicalRange(g);
  if (p <= 0) {
    return 0;
  }
  // Snap the bottom of the scrollbar to the true end, whatever rounding did to scrollTop.
  if (scrollTop >= p - 0.5) {
    return virtualRange(g);
  }
  return clampVirtualTop(g, scrollTop * scrollScale(g));
}

export function scrollTopFromVirtualTop(g: ScrollGeometry, virtualTop: number): number {
  return clamp(clampVirtualTop(g, virtualTop) / scrollScale(g), 0, physicalRange(g));
}

export interface RowRange {
  /** First row to render (inclusive). */
  readonly first: number;
  /** One past the last row to render. */
  readonly end: number;
}

/** Rows to render for a virtual top, with `overscan` rows either side. */
export function visibleRange(g: ScrollGeometry, virtualTop: number, overscan = 0): RowRange {
  if (g.rows <= 0) {
    return { first: 0, end: 0 };
  }
  const top = clampVirtualTop(g, virtualTop);
  const first = Math.floor(top / g.rowHeight);
  const last = Math.ceil((top + g.viewport) / g.rowHeight);
  return { first: Math.max(0, first - overscan), end: Math.min(g.rows, last + overscan) };
}

/** Top of row `row` in the spacer's coordinates, given where the viewport is (scrollTop) and what it shows (virtualTop). */
export function rowTop(g: ScrollGeometry, row: number, virtualTop: number, scrollTop: number): number {
  return scrollTop + row * g.rowHeight - clampVirtualTop(g, virtualTop);
}

/** The virtual top that brings `row` fully into view, moving as little as possible. */
export function revealRow(g: ScrollGeometry, virtualTop: number, row: number): number {
  const top = row * g.rowHeight;
  const bottom = top + g.rowHeight;
  if (top < virtualTop) {
    return clampVirtualTop(g, top);
  }
  if (bottom > virtualTop + g.viewport) {
    return clampVirtualTop(g, bottom - g.viewport);
  }
  return clampVirtualTop(g, virtualTop);
}

/** Rows that fit in the viewport (at least 1): the PageUp/PageDown step. */
export function rowsPerPage(g: ScrollGeometry): number {
  return Math.max(1, Math.floor(g.viewport / g.rowHeight));
}

/** The window to ask the host for: the visible range plus `margin` rows each side, at most `maxRows`. */
export function windowFor(range: RowRange, rows: number, margin: number, maxRows: number): { offset: number; limit: number } {
  const wanted = range.end - range.first;
  const extra = Math.max(0, Math.min(margin, Math.floor((maxRows - wanted) / 2)));
  const offset = Math.max(0, range.first - extra);
  const end = Math.min(rows, Math.max(range.end + extra, offset + 1));
  return { offset, limit: Math.max(0, Math.min(maxRows, end - offset)) };
}

/** True when a loaded window [offset, offset + count) holds every row of `range` (clipped to `rows`). */
export function covers(window: { offset: number; count: number } | undefined, range: RowRange, rows: number): boolean {
  if (!window) {
    return range.end <= range.first;
  }
  const end = Math.min(range.end, rows);
  return window.offset <= range.first && window.offset + window.count >= end;
}

/**
 * Columns [first, end) that meet the body's horizontal viewport, plus `margin` on each side. Cells outside
 * are left empty: a default row (16 cells, ~2,400 px) is twice a 1280-px window, and a fling would
 * otherwise format, style and lay out every hidden cell of every new row.
 */
export function visibleColumns(widths: readonly number[], scrollLeft: number, viewportWidth: number, margin = 1): RowRange {
  let x = 0;
  let first = widths.length;
  let end = widths.length;
  for (let j = 0; j < widths.length; j++) {
    const right = x + widths[j]!;
    if (first === widths.length && right > scrollLeft) {
      first = j;
    }
    if (x >= scrollLeft + viewportWidth) {
      end = j;
      break;
    }
    x = right;
  }
  return { first: Math.max(0, Math.min(first, widths.length) - margin), end: Math.min(widths.length, end + margin) };
}
