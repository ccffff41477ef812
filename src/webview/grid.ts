/**
 * The virtualised grid: a header row and a scrolling body that holds only the visible rows (a small pool of
 * row elements reused as it scrolls). Geometry comes from ./model/virtualScroll (scroll scaling past the
 * browser's element-height limit); cell text from ./model/format. ARIA grid roles; keyboard: arrows,
 * PageUp/PageDown, Home/End (Ctrl = first/last row), Shift extends, Enter opens details, Ctrl+C copies.
 */
import type { ColumnInfo } from '../results/view/viewTypes';
import type { Controller, CellSelection } from './controller';
import { el, icon } from './dom';
import type { GridModel } from './model/gridModel';
import type { FormatContext } from './model/format';
import { formatCell, zoneLabel } from './model/format';
import * as vs from './model/viewState';
import type { ScrollGeometry } from './model/virtualScroll';
import {
  clampVirtualTop,
  physicalHeight,
  revealRow,
  rowsPerPage,
  rowTop,
  scrollScale,
  scrollTopFromVirtualTop,
  virtualTopFromScrollTop,
  visibleRange,
} from './model/virtualScroll';

export const ROW_HEIGHT = 24;
const DEFAULT_WIDTH = 160;
const OVERSCAN = 6;

export interface GridEvents {
  openFilter(column: ColumnInfo, anchor: HTMLElement): void;
  columnMenu(column: ColumnInfo, anchor: HTMLElement | { x: number; y: number }): void;
  cellMenu(at: { x: number; y: number }): void;
}

interface Cursor {
  row: number;
  col: number;
}

export class Grid {
  readonly element: HTMLElement;
  private readonly _header: HTMLElement;
  private readonly _headerRow: HTMLElement;
  private readonly _body: HTMLElement;
  private readonly _spacer: HTMLElement;
  private readonly _rows: HTMLElement[] = [];
  private _columns: ColumnInfo[] = [];
  private _widths: number[] = [];
  private _base = 0;
  private _count = 0;
  private _virtualTop = 0;
  private _expectedScrollTop: number | undefined;
  private _cursor: Cursor | undefined;
  private _anchor: Cursor | undefined;
  private _frame = 0;
  private _version = 0;
  private _model: GridModel | undefined;
  private _fmt: FormatContext = { timeZone: 'utc', names: {} };
  private _scopeKey = '';
  private _copiedAt = 0;
  private _selecting = false;

  constructor(
    private readonly _ctl: Controller,
    private readonly _events: GridEvents,
  ) {
    this._headerRow = el('div', { className: 'grid-row grid-header-row', attrs: { role: 'row', 'aria-rowindex': '1' } });
    this._header = el('div', { className: 'grid-header', attrs: { role: 'rowgroup' } }, [this._headerRow]);
    this._spacer = el('div', { className: 'grid-spacer' });
    this._body = el('div', { className: 'grid-body', attrs: { role: 'rowgroup', tabindex: '0', 'aria-label': 'Rows' } }, [this._spacer]);
    this.element = el('div', { className: 'grid', attrs: { role: 'grid', 'aria-multiselectable': 'true' } }, [this._header, this._body]);

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
    new ResizeObserver(() => this._schedule()).observe(this._body);
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
    this._renderHeader(state, model);
    this._version++;
    this._renderBody();
  }

  private _renderHeader(state: NonNullable<GridModel['state']>, model: GridModel): void {
    const gs = vs.grainState(state);
    const zone = zoneLabel(state.timeZone);
    const cells = this._columns.map((c, i) => {
      const sortIndex = gs.sort.findIndex((s) => s.column === c.id);
      const sort = gs.sort[sortIndex];
      const filtered = gs.filters.some((f) => f.column === c.id);
      const label = vs.columnLabel(c, zone);
      const name = el('span', { className: 'hcell-label', text: label, title: `${label} — click to sort, Shift+click to add to the sort, drag to move` });
      const cell = el(
        'div',
        {
          className: `hcell${sort ? ' sorted' : ''}${c.type === 'number' || c.type === 'duration' ? ' num' : ''}`,
          attrs: {
            role: 'columnheader',
            'aria-colindex': String(i + 1),
            'aria-sort': sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none',
            draggable: 'true',
            'data-col': c.id,
          },
        },
        [name],
      );
      cell.style.width = `${this._widths[i]}px`;
      if (sort) {
        cell.append(icon(sort.direction === 'asc' ? 'arrow-up' : 'arrow-down', 'sort-icon'));
        if (gs.sort.length > 1) {
          cell.append(el('span', { className: 'sort-index', text: String(sortIndex + 1) }));
        }
      }
      const filterBtn = el('button', {
        className: `hbtn${filtered ? ' active' : ''}`,
        title: filtered ? `Filter on ${c.label} (active)` : `Filter ${c.label}`,
        attrs: { type: 'button', 'aria-label': `Filter ${c.label}`, 'data-action': 'filter' },
      }, [icon(filtered ? 'filter-filled' : 'filter')]);
      filterBtn.addEventListener('click', (e) => {
        e.stopPropagation();
        this._events.openFilter(c, cell);
      });
      const menuBtn = el('button', { className: 'hbtn', title: `${c.label}: column menu`, attrs: { type: 'button', 'aria-label': `${c.label} column menu` } }, [icon('ellipsis')]);
      menuBtn.addEventListener('click', (e) => {
        e.stopPropagation();
        this._events.columnMenu(c, menuBtn);
      });
      const grip = el('div', { className: 'resize-grip', attrs: { 'aria-hidden': 'true' } });
      grip.addEventListener('pointerdown', (e) => this._startResize(e, c, i, cell));
      grip.addEventListener('click', (e) => e.stopPropagation());
      cell.append(filterBtn, menuBtn, grip);
      cell.addEventListener('click', (e) => this._ctl.sort(c.id, e.shiftKey));
      cell.addEventListener('contextmenu', (e) => {
        e.preventDefault();
        this._events.columnMenu(c, { x: e.clientX, y: e.clientY });
      });
      cell.addEventListener('dragstart', (e) => {
        e.dataTransfer?.setData('text/plain', c.id);
        cell.classList.add('dragging');
      });
      cell.addEventListener('dragend', () => cell.classList.remove('dragging'));
      cell.addEventListener('dragover', (e) => {
        e.preventDefault();
        cell.classList.add('drop-target');
      });
      cell.addEventListener('dragleave', () => cell.classList.remove('drop-target'));
      cell.addEventListener('drop', (e) => {
        e.preventDefault();
        cell.classList.remove('drop-target');
        const id = e.dataTransfer?.getData('text/plain');
        if (id && id !== c.id) {
          this._ctl.moveColumn(id, i);
        }
      });
      return cell;
    });
    this._headerRow.replaceChildren(...cells);
    this._headerRow.style.width = `${this._totalWidth()}px`;
    this._header.classList.toggle('loading', model.loadingWindow);
  }

  private _startResize(e: PointerEvent, c: ColumnInfo, i: number, cell: HTMLElement): void {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startW = this._widths[i] ?? DEFAULT_WIDTH;
    const target = e.target as HTMLElement;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent): void => {
      const w = Math.max(vs.MIN_COLUMN_WIDTH, startW + ev.clientX - startX);
      cell.style.width = `${w}px`;
      this._widths[i] = w;
      this._headerRow.style.width = `${this._totalWidth()}px`;
      this._version++;
      this._renderBody();
    };
    const up = (ev: PointerEvent): void => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      this._ctl.resizeColumn(c.id, startW + ev.clientX - startX);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  }

  private _totalWidth(): number {
    return this._widths.reduce((a, b) => a + b, 0);
  }

  private _geometry(): ScrollGeometry {
    return { rows: this._count, rowHeight: ROW_HEIGHT, viewport: Math.max(ROW_HEIGHT, this._body.clientHeight) };
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
    this._spacer.style.height = `${physicalHeight(g)}px`;
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
    this._header.scrollLeft = this._body.scrollLeft;
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
    this._schedule();
  }

  private _renderBody(): void {
    const g = this._geometry();
    this._spacer.style.height = `${physicalHeight(g)}px`;
    this._spacer.style.width = `${this._totalWidth()}px`;
    const st = this._body.scrollTop;
    const vt = clampVirtualTop(g, this._virtualTop);
    const range = visibleRange(g, vt, OVERSCAN);
    const needed = range.end - range.first;
    while (this._rows.length < needed) {
      const row = el('div', { className: 'grid-row', attrs: { role: 'row' } });
      this._rows.push(row);
      this._spacer.append(row);
    }
    for (let k = 0; k < this._rows.length; k++) {
      const rowEl = this._rows[k] as HTMLElement;
      if (k >= needed) {
        rowEl.hidden = true;
        continue;
      }
      rowEl.hidden = false;
      const i = range.first + k;
      rowEl.style.top = `${rowTop(g, i, vt, st)}px`;
      this._fillRow(rowEl, this._base + i);
    }
    const shown = visibleRange(g, vt, 0);
    this._ctl.visibleRows({ first: this._base + shown.first, end: this._base + shown.end });
    this._ctl.scrolledTo(this._base + shown.first);
    this._updateActiveDescendant();
  }

  private _fillRow(rowEl: HTMLElement, row: number): void {
    const key = `${row}|${this._version}|${this._selectionKey()}`;
    if (rowEl.dataset.key === key) {
      return;
    }
    rowEl.dataset.key = key;
    rowEl.dataset.row = String(row);
    rowEl.setAttribute('aria-rowindex', String(row + 2));
    const selectedRow = this._model?.state?.selectedRow === row;
    rowEl.classList.toggle('selected-row', selectedRow);
    rowEl.classList.toggle('odd', row % 2 === 1);
    while (rowEl.children.length > this._columns.length) {
      rowEl.lastElementChild?.remove();
    }
    while (rowEl.children.length < this._columns.length) {
      rowEl.append(el('div', { className: 'cell', attrs: { role: 'gridcell' } }));
    }
    let pending = false;
    this._columns.forEach((c, j) => {
      const cell = rowEl.children[j] as HTMLElement;
      cell.style.width = `${this._widths[j]}px`;
      cell.setAttribute('aria-colindex', String(j + 1));
      cell.id = `cell-${row}-${j}`;
      const value = this._ctl.cell(row, c.id);
      cell.className = `cell${c.type === 'number' || c.type === 'duration' ? ' num' : ''}${this._isSelected(row, j) ? ' selected' : ''}${this._cursor?.row === row && this._cursor.col === j ? ' active' : ''}`;
      cell.setAttribute('aria-selected', this._isSelected(row, j) ? 'true' : 'false');
      if (value === undefined) {
        pending = true;
        cell.textContent = '';
        cell.removeAttribute('title');
        return;
      }
      const f = formatCell(value, c, this._fmt);
      cell.textContent = f.text;
      if (f.title) {
        cell.title = f.title;
      } else if (f.text.length > 20) {
        cell.title = f.text;
      } else {
        cell.removeAttribute('title');
      }
    });
    rowEl.classList.toggle('pending', pending);
    if (pending) {
      // Filled again when the window arrives (the version changes then).
      rowEl.dataset.key = '';
    }
  }

  // --- selection ----------------------------------------------------------------------------------

  private _selectionKey(): string {
    return `${this._cursor?.row},${this._cursor?.col},${this._anchor?.row},${this._anchor?.col}`;
  }

  private _rect(): { r0: number; r1: number; c0: number; c1: number } | undefined {
    const a = this._anchor ?? this._cursor;
    const c = this._cursor;
    if (!a || !c) {
      return undefined;
    }
    return { r0: Math.min(a.row, c.row), r1: Math.max(a.row, c.row), c0: Math.min(a.col, c.col), c1: Math.max(a.col, c.col) };
  }

  private _isSelected(row: number, col: number): boolean {
    const r = this._rect();
    return !!r && row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1;
  }

  private _inSelection(p: Cursor): boolean {
    return this._isSelected(p.row, p.col);
  }

  selection(): CellSelection | undefined {
    const r = this._rect();
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
    const cell = (e.target as HTMLElement).closest('.cell');
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
    const hit = this._hit(e);
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
    let next: Cursor | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = { row: this._cursor ? c.row + 1 : c.row, col: c.col };
        break;
      case 'ArrowUp':
        next = { row: c.row - 1, col: c.col };
        break;
      case 'ArrowRight':
        next = { row: c.row, col: c.col + 1 };
        break;
      case 'ArrowLeft':
        next = { row: c.row, col: c.col - 1 };
        break;
      case 'PageDown':
        next = { row: c.row + page, col: c.col };
        break;
      case 'PageUp':
        next = { row: c.row - page, col: c.col };
        break;
      case 'Home':
        next = mod ? { row: this._base, col: 0 } : { row: c.row, col: 0 };
        break;
      case 'End':
        next = mod ? { row: last, col: this._columns.length - 1 } : { row: c.row, col: this._columns.length - 1 };
        break;
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
    e.preventDefault();
    if (this._count > 0) {
      this._setCursor(next, e.shiftKey);
    }
  }
}

function defaultWidth(c: ColumnInfo): number {
  switch (c.type) {
    case 'time':
      return 185;
    case 'duration':
      return 120;
    case 'number':
      return 100;
    case 'boolean':
      return 90;
    default:
      return c.idKind ? 180 : DEFAULT_WIDTH;
  }
}
