/**
 * The virtualised grid: a header row (./gridHeader) and a scrolling body that holds only the visible rows.
 * Row elements come from a small pool, row i always in element i mod pool size: a scroll by a few rows
 * refills only the rows that came into view, the others just move (a transform, no layout of their
 * content). Geometry comes from ./model/virtualScroll (scroll scaling past the browser's element-height
 * limit); cell text from ./model/format. ARIA grid roles; keyboard: arrows, PageUp/PageDown, Home/End
 * (Ctrl = first/last row), Shift extends, Enter opens details, Ctrl+C copies. While the view moves fast
 * (a fling, a scrollbar drag) the rows are painted on a canvas over the body instead (./gridCanvas).
 */
import type { ColumnInfo } from '../results/view/viewTypes';
import type { Controller, CellSelection } from './controller';
import { el } from './dom';
import { defaultWidth, GridHeader } from './gridHeader';
import { RowCanvas } from './gridCanvas';
import type { RowsFrame } from './gridRows';
import { RowPool } from './gridRows';
import { FastScrollGate } from './model/fastScroll';
import type { GridModel } from './model/gridModel';
import type { FormatContext } from './model/format';
import type { Cursor } from './model/selection';
import { inRect, navigate, selectionRect } from './model/selection';
import * as vs from './model/viewState';
import type { ScrollGeometry } from './model/virtualScroll';
import {
  clampVirtualTop,
  physicalHeight,
  revealRow,
  rowsPerPage,
  scrollScale,
  scrollTopFromVirtualTop,
  virtualTopFromScrollTop,
  visibleColumns,
  visibleRange,
} from './model/virtualScroll';

export const ROW_HEIGHT = 24;
const OVERSCAN = 6;

export interface GridEvents {
  openFilter(column: ColumnInfo, anchor: HTMLElement): void;
  columnMenu(column: ColumnInfo, anchor: HTMLElement | { x: number; y: number }): void;
  cellMenu(at: { x: number; y: number }): void;
}

export class Grid {
  readonly element: HTMLElement;
  private readonly _header: GridHeader;
  private readonly _body: HTMLElement;
  /** The body's height, from its ResizeObserver. */
  private _viewport: number | undefined;
  /** The body's width (ResizeObserver) and horizontal scroll (scroll events): which columns to fill. */
  private _viewportWidth: number | undefined;
  private _scrollLeft = 0;
  private readonly _spacer: HTMLElement;
  private readonly _pool: RowPool;
  private readonly _canvas = new RowCanvas();
  private readonly _gate = new FastScrollGate();
  /** The view moved since the last render (scroll, wheel, keys): the gate decides canvas or rows. */
  private _scrolled = false;
  private _settleTimer: ReturnType<typeof setTimeout> | undefined;
  private _columns: ColumnInfo[] = [];
  private _widths: number[] = [];
  private _base = 0;
  private _count = 0;
  private _virtualTop = 0;
  private _expectedScrollTop: number | undefined;
  private _cursor: Cursor | undefined;
  private _anchor: Cursor | undefined;
  private _frame = 0;
  /** Bumped when cells must be refilled: the columns or their widths, or the data under the rows changed. */
  private _version = 0;
  private _dataKey = '';
  private _layoutKey = '';
  private _model: GridModel | undefined;
  private _fmt: FormatContext = { timeZone: 'utc', names: {} };
  private _scopeKey = '';
  private _copiedAt = 0;
  private _selecting = false;

  constructor(
    private readonly _ctl: Controller,
    private readonly _events: GridEvents,
  ) {
    this._header = new GridHeader(_ctl, {
      openFilter: (c, anchor) => this._events.openFilter(c, anchor),
      columnMenu: (c, anchor) => this._events.columnMenu(c, anchor),
      resized: (i, width, done) => this._resized(i, width, done),
    });
    this._spacer = el('div', { className: 'grid-spacer' });
    this._pool = new RowPool(this._spacer);
    this._body = el('div', { className: 'grid-body', attrs: { role: 'rowgroup', tabindex: '0', 'aria-label': 'Rows' } }, [this._spacer]);
    const viewport = el('div', { className: 'grid-viewport' }, [this._body, this._canvas.element]);
    this.element = el('div', { className: 'grid', attrs: { role: 'grid', 'aria-multiselectable': 'true' } }, [this._header.element, viewport]);

    this._body.addEventListener('scroll', () => this._onScroll());
    this._body.addEventListener('wheel', (e) => this._onWheel(e), { passive: false });
    this._body.addEventListener('keydown', (e) => this._onKey(e));
    this._body.addEventListener('mousedown', (e) => this._onMouseDown(e));
    this._body.addEventListener('mousemove', (e) => this._onMouseMove(e));
    window.addEventListener('mouseup', () => (this._selecting = false));
    this._body.addEventListener('dblclick', (e) => {
      const hit = this._hit(e);
      if (hit) {
        this._ctl.showDetails(hit.row);
      }
    });
    this._body.addEventListener('contextmenu', (e) => {
      const hit = this._hit(e);
      if (hit) {
        e.preventDefault();
        if (!this._inSelection(hit)) {
          this._setCursor(hit, false);
        }
        this._events.cellMenu({ x: e.clientX, y: e.clientY });
      }
    });
    // VS Code routes Ctrl+C in a webview to a document `copy`; a keydown handled here covers plain browsers.
    document.addEventListener('copy', (e) => {
      if (document.activeElement === this._body && Date.now() - this._copiedAt > 500) {
        e.preventDefault();
        void this.copySelection('tsv');
      }
    });
    new ResizeObserver((entries) => {
      // Kept here so scroll and wheel handlers never read clientHeight (a forced layout per event).
      this._viewport = entries[entries.length - 1]?.contentRect.height;
      this._viewportWidth = entries[entries.length - 1]?.contentRect.width;
      this._schedule();
    }).observe(this._body);
  }

  focus(): void {
    this._body.focus();
  }

  /** Re-renders for a new model (new rows, columns, widths, sort, scope). */
  update(model: GridModel): void {
    this._model = model;
    const state = model.state;
    if (!state) {
      return;
    }
    const cols = this._ctl.shownColumns();
    const gs = vs.grainState(state);
    this._fmt = { timeZone: state.timeZone, names: model.window?.names ?? {} };
    this._columns = cols;
    this._widths = cols.map((c) => gs.widths[c.id] ?? defaultWidth(c));
    const scope = this._ctl.scope();
    const scopeKey = `${state.mode}|${state.grain}|${JSON.stringify(gs.sort)}|${JSON.stringify(gs.filters)}|${state.mode === 'pager' ? `${state.page}|${state.pageSize}` : ''}`;
    const scopeChanged = scopeKey !== this._scopeKey;
    this._base = scope.base;
    this._count = scope.count;
    if (scopeChanged) {
      this._scopeKey = scopeKey;
      // A new page, sort or filter starts at its top; continuous mode comes back to the saved row.
      this._virtualTop = state.mode === 'scroll' ? state.scrollRow * ROW_HEIGHT : 0;
      this._cursor = state.selectedRow !== undefined && state.selectedRow >= scope.base && state.selectedRow < scope.base + scope.count ? { row: state.selectedRow, col: 0 } : undefined;
      this._anchor = this._cursor;
      this._applyVirtualTop();
    }
    this.element.setAttribute('aria-rowcount', String((model.total ?? 0) + 1));
    this.element.setAttribute('aria-colcount', String(cols.length));
    this._header.render(state, cols, this._widths, model.loadingWindow);
    // Rows already shown keep their cells unless what they show changed: the columns, their widths, the
    // view (scope), the row count (live data), names or time zone. A window that only adds rows fills
    // the pending ones.
    const layoutKey = JSON.stringify([cols.map((c) => c.id), this._widths]);
    const dataKey = JSON.stringify([scopeKey, model.total, state.timeZone, model.window?.names ?? {}]);
    if (layoutKey !== this._layoutKey || dataKey !== this._dataKey) {
      this._layoutKey = layoutKey;
      this._dataKey = dataKey;
      this._version++;
    }
    this._renderBody();
  }

  /** A column's grip dragged (live) or released (saved to the view state). */
  private _resized(i: number, width: number, done: boolean): void {
    if (done) {
      this._ctl.resizeColumn(this._columns[i]?.id ?? '', width);
      return;
    }
    this._widths[i] = width;
    this._header.row.style.width = `${this._totalWidth()}px`;
    this._version++;
    this._renderBody();
  }

  private _totalWidth(): number {
    return this._widths.reduce((a, b) => a + b, 0);
  }

  private _geometry(): ScrollGeometry {
    return { rows: this._count, rowHeight: ROW_HEIGHT, viewport: Math.max(ROW_HEIGHT, (this._viewport ??= this._body.clientHeight)) };
  }

  private _schedule(): void {
    if (!this._frame) {
      this._frame = requestAnimationFrame(() => {
        this._frame = 0;
        this._renderBody();
      });
    }
  }

  /** Puts the scrollbar where the virtual top says (our own moves: wheel, keys, restore). */
  private _applyVirtualTop(): void {
    const g = this._geometry();
    const height = `${physicalHeight(g)}px`;
    if (this._spacer.style.height !== height) {
      // Written only on change: the scrollTop write below would otherwise lay out the whole body again.
      this._spacer.style.height = height;
    }
    this._virtualTop = clampVirtualTop(g, this._virtualTop);
    const st = scrollTopFromVirtualTop(g, this._virtualTop);
    this._expectedScrollTop = st;
    this._body.scrollTop = st;
  }

  private _onScroll(): void {
    const g = this._geometry();
    const st = this._body.scrollTop;
    if (this._expectedScrollTop === undefined || Math.abs(st - this._expectedScrollTop) > 1.5) {
      // The user dragged the scrollbar (or the browser scrolled): map the thumb position linearly.
      this._virtualTop = virtualTopFromScrollTop(g, st);
    }
    this._expectedScrollTop = undefined;
    this._scrollLeft = this._body.scrollLeft;
    this._header.element.scrollLeft = this._scrollLeft;
    this._scrolled = true;
    this._schedule();
  }

  /** Scaled views take wheel deltas in exact pixels, so one notch is always a few rows. */
  private _onWheel(e: WheelEvent): void {
    const g = this._geometry();
    if (scrollScale(g) <= 1 || e.ctrlKey) {
      return;
    }
    e.preventDefault();
    const unit = e.deltaMode === 1 ? ROW_HEIGHT : e.deltaMode === 2 ? g.viewport : 1;
    this._virtualTop = clampVirtualTop(g, this._virtualTop + e.deltaY * unit);
    this._body.scrollLeft += e.deltaX * unit;
    this._applyVirtualTop();
    this._scrolled = true;
    this._schedule();
  }

  private _renderBody(): void {
    const g = this._geometry();
    const vt = clampVirtualTop(g, this._virtualTop);
    const rect = selectionRect(this._anchor, this._cursor);
    const frame: RowsFrame = {
      geometry: g,
      virtualTop: vt,
      scrollTop: this._body.scrollTop,
      range: visibleRange(g, vt, OVERSCAN),
      base: this._base,
      columns: this._columns,
      shownColumns: visibleColumns(this._widths, this._scrollLeft, this._viewportWidth ?? Number.POSITIVE_INFINITY),
      widths: this._widths,
      totalWidth: this._totalWidth(),
      layoutKey: this._layoutKey,
      // Rows filled from a window of an older view are filled again once the new one arrives.
      fillKey: this._model?.windowStale ? undefined : `${this._version}|${this._selectionKey()}|${this._model?.state?.selectedRow}`,
      selectedRow: this._model?.state?.selectedRow,
      cell: (row, col) => this._ctl.cell(row, col),
      selected: (row, j) => inRect(rect, row, j),
      active: (row, j) => this._cursor?.row === row && this._cursor.col === j,
      fmt: this._fmt,
    };
    const shown = visibleRange(g, vt, 0);
    const fast = this._canvas.canPaint && this._gate.frame(performance.now(), shown.first, shown.end - shown.first, this._scrolled);
    this._scrolled = false;
    if (fast) {
      if (!this._canvas.shown) {
        this._canvas.show();
      }
      this._canvas.paint(frame, this._viewportWidth ?? this._body.clientWidth, g.viewport, this._scrollLeft);
      this._settleLater();
    } else {
      this._pool.render(frame);
      if (this._canvas.shown) {
        // Hidden in the same task that refilled the rows: the next frame shows them, never a gap.
        this._canvas.hide();
      }
    }
    this._ctl.visibleRows({ first: this._base + shown.first, end: this._base + shown.end });
    this._ctl.scrolledTo(this._base + shown.first);
    this._updateActiveDescendant();
  }

  /** Back to the row elements once the view has stopped moving for a moment. */
  private _settleLater(): void {
    if (this._settleTimer !== undefined) {
      return;
    }
    const check = (): void => {
      const wait = this._gate.settleIn(performance.now());
      if (wait > 0) {
        this._settleTimer = setTimeout(check, wait);
        return;
      }
      this._settleNow();
    };
    this._settleTimer = setTimeout(check, this._gate.settleIn(performance.now()));
  }

  private _settleNow(): void {
    clearTimeout(this._settleTimer);
    this._settleTimer = undefined;
    if (this._gate.fast) {
      this._gate.settle();
      this._renderBody();
    }
  }

  // --- selection ----------------------------------------------------------------------------------

  private _selectionKey(): string {
    return `${this._cursor?.row},${this._cursor?.col},${this._anchor?.row},${this._anchor?.col}`;
  }

  private _inSelection(p: Cursor): boolean {
    return inRect(selectionRect(this._anchor, this._cursor), p.row, p.col);
  }

  selection(): CellSelection | undefined {
    const r = selectionRect(this._anchor, this._cursor);
    if (!r) {
      return undefined;
    }
    return { rows: { first: r.r0, end: r.r1 + 1 }, columns: this._columns.slice(r.c0, r.c1 + 1).map((c) => c.id) };
  }

  /** The whole row of the cursor, every visible column. */
  cursorRow(): CellSelection | undefined {
    const c = this._cursor;
    return c ? { rows: { first: c.row, end: c.row + 1 }, columns: this._columns.map((x) => x.id) } : undefined;
  }

  cursorCell(): CellSelection | undefined {
    const c = this._cursor;
    const col = c ? this._columns[c.col] : undefined;
    return c && col ? { rows: { first: c.row, end: c.row + 1 }, columns: [col.id] } : undefined;
  }

  get cursor(): { row: number; col: number } | undefined {
    return this._cursor;
  }

  copySelection(format: 'tsv' | 'json'): Promise<void> {
    this._copiedAt = Date.now();
    const sel = this.selection();
    return sel ? this._ctl.copy(sel, format) : Promise.resolve();
  }

  private _setCursor(p: Cursor, extend: boolean): void {
    const row = Math.min(Math.max(p.row, this._base), this._base + Math.max(0, this._count - 1));
    const col = Math.min(Math.max(p.col, 0), Math.max(0, this._columns.length - 1));
    this._cursor = { row, col };
    if (!extend || !this._anchor) {
      this._anchor = this._cursor;
    }
    const g = this._geometry();
    const next = revealRow(g, this._virtualTop, row - this._base);
    if (next !== this._virtualTop) {
      this._virtualTop = next;
      this._applyVirtualTop();
      this._scrolled = true;
    }
    this._revealColumn(col);
    this._ctl.select(row);
    this._renderBody();
  }

  private _revealColumn(col: number): void {
    let left = 0;
    for (let j = 0; j < col; j++) {
      left += this._widths[j] ?? 0;
    }
    const right = left + (this._widths[col] ?? 0);
    if (left < this._body.scrollLeft) {
      this._body.scrollLeft = left;
    } else if (right > this._body.scrollLeft + this._body.clientWidth) {
      this._body.scrollLeft = right - this._body.clientWidth;
    }
  }

  private _updateActiveDescendant(): void {
    const c = this._cursor;
    if (c && document.getElementById(`cell-${c.row}-${c.col}`)) {
      this._body.setAttribute('aria-activedescendant', `cell-${c.row}-${c.col}`);
    } else {
      this._body.removeAttribute('aria-activedescendant');
    }
  }

  private _hit(e: MouseEvent): Cursor | undefined {
    return this._hitElement(e.target as Element);
  }

  private _hitElement(target: Element): Cursor | undefined {
    const cell = target.closest('.cell');
    const rowEl = cell?.parentElement;
    if (!cell || !rowEl?.dataset.row) {
      return undefined;
    }
    return { row: Number(rowEl.dataset.row), col: Array.prototype.indexOf.call(rowEl.children, cell) as number };
  }

  private _onMouseDown(e: MouseEvent): void {
    if (e.button !== 0) {
      return;
    }
    let target: Element | null = e.target as Element;
    if (this._gate.fast) {
      // The canvas showed where the rows are now; the row elements are put there before the hit test.
      this._settleNow();
      target = document.elementFromPoint(e.clientX, e.clientY);
    }
    const hit = target ? this._hitElement(target) : undefined;
    if (hit) {
      this._body.focus();
      this._setCursor(hit, e.shiftKey);
      this._selecting = true;
    }
  }

  private _onMouseMove(e: MouseEvent): void {
    if (!this._selecting || (e.buttons & 1) === 0) {
      return;
    }
    const hit = this._hit(e);
    if (hit && (hit.row !== this._cursor?.row || hit.col !== this._cursor?.col)) {
      this._setCursor(hit, true);
    }
  }

  private _onKey(e: KeyboardEvent): void {
    const c = this._cursor ?? { row: this._base, col: 0 };
    const page = rowsPerPage(this._geometry());
    const mod = e.ctrlKey || e.metaKey;
    const last = this._base + this._count - 1;
    const next = navigate(e.key, c, !!this._cursor, { page, first: this._base, last, lastCol: this._columns.length - 1, mod });
    if (next) {
      e.preventDefault();
      if (this._count > 0) {
        this._setCursor(next, e.shiftKey);
      }
      return;
    }
    switch (e.key) {
      case 'Enter':
        e.preventDefault();
        this._ctl.showDetails(c.row);
        return;
      case 'c':
      case 'C':
        if (mod) {
          e.preventDefault();
          void this.copySelection(e.shiftKey ? 'json' : 'tsv');
        }
        return;
      case 'a':
        if (mod) {
          e.preventDefault();
          this._anchor = { row: this._base, col: 0 };
          this._cursor = { row: last, col: this._columns.length - 1 };
          this._renderBody();
        }
        return;
      case 'ContextMenu':
      case 'F10':
        if (e.key === 'ContextMenu' || e.shiftKey) {
          e.preventDefault();
          const active = this._cursor && document.getElementById(`cell-${this._cursor.row}-${this._cursor.col}`);
          const box = (active ?? this._body).getBoundingClientRect();
          this._events.cellMenu({ x: box.left + 8, y: box.bottom });
        }
        return;
      default:
        return;
    }
  }
}
