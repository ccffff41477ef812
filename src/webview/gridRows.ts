/**
 * The grid body's row elements: a pool that grows to the visible rows plus overscan, row i always in
 * element i mod pool size. A scroll by a few rows refills only the rows that came into view; the others
 * keep their cells and just move (a transform: composited, no layout of their content).
 */
import type { Cell, ColumnInfo } from '../results/view/viewTypes';
import { el } from './dom';
import type { FormatContext } from './model/format';
import { alignsRight, formatCell } from './model/format';
import type { ScrollGeometry } from './model/virtualScroll';
import { physicalHeight, rowTop } from './model/virtualScroll';

export interface RowsFrame {
  readonly geometry: ScrollGeometry;
  readonly virtualTop: number;
  readonly scrollTop: number;
  /** Rows (relative to `base`) to show, overscan included. */
  readonly range: { first: number; end: number };
  readonly base: number;
  readonly columns: readonly ColumnInfo[];
  /** Columns meeting the horizontal viewport (model/virtualScroll `visibleColumns`); the others stay empty. */
  readonly shownColumns: { first: number; end: number };
  readonly widths: readonly number[];
  readonly totalWidth: number;
  /** Changes when the columns or their widths change (cell widths are set only then). */
  readonly layoutKey: string;
  /** A row filled under this key is not filled again until it changes; undefined: fill, and again next frame. */
  readonly fillKey: string | undefined;
  readonly selectedRow: number | undefined;
  readonly fmt: FormatContext;
  cell(row: number, column: string): Cell | undefined;
  selected(row: number, col: number): boolean;
  active(row: number, col: number): boolean;
}

export class RowPool {
  private readonly _rows: HTMLElement[] = [];

  constructor(private readonly _spacer: HTMLElement) {}

  render(f: RowsFrame): void {
    setStyle(this._spacer, 'height', `${physicalHeight(f.geometry)}px`);
    setStyle(this._spacer, 'width', `${f.totalWidth}px`);
    const needed = f.range.end - f.range.first;
    if (this._rows.length < needed) {
      // A larger pool changes which element holds which row: all are filled again once.
      while (this._rows.length < needed) {
        const row = el('div', { className: 'grid-row', attrs: { role: 'row' } });
        this._rows.push(row);
        this._spacer.append(row);
      }
      for (const r of this._rows) {
        r.dataset.key = '';
      }
    }
    const pool = this._rows.length;
    const used = new Uint8Array(pool);
    for (let i = f.range.first; i < f.range.end; i++) {
      const k = i % pool;
      used[k] = 1;
      const rowEl = this._rows[k]!;
      if (rowEl.hidden) {
        rowEl.hidden = false;
      }
      setStyle(rowEl, 'transform', `translateY(${rowTop(f.geometry, i, f.virtualTop, f.scrollTop)}px)`);
      this._fill(rowEl, f.base + i, f);
    }
    for (let k = 0; k < pool; k++) {
      const rowEl = this._rows[k]!;
      if (!used[k] && !rowEl.hidden) {
        rowEl.hidden = true;
      }
    }
  }

  private _fill(rowEl: HTMLElement, row: number, f: RowsFrame): void {
    const shown = f.shownColumns;
    const key = f.fillKey === undefined ? '' : `${row}|${f.layoutKey}|${f.fillKey}|${shown.first}-${shown.end}`;
    if (key !== '' && rowEl.dataset.key === key) {
      return;
    }
    rowEl.dataset.key = key;
    rowEl.dataset.row = String(row);
    rowEl.setAttribute('aria-rowindex', String(row + 2));
    rowEl.classList.toggle('selected-row', f.selectedRow === row);
    rowEl.classList.toggle('odd', row % 2 === 1);
    const columns = f.columns;
    while (rowEl.children.length > columns.length) {
      rowEl.lastElementChild?.remove();
    }
    while (rowEl.children.length < columns.length) {
      rowEl.append(el('div', { className: 'cell', attrs: { role: 'gridcell' } }));
    }
    const layout = rowEl.dataset.layout !== f.layoutKey;
    rowEl.dataset.layout = f.layoutKey;
    let pending = false;
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j]!;
      const cell = rowEl.children[j] as HTMLElement;
      if (layout) {
        cell.style.width = `${f.widths[j]}px`;
        cell.setAttribute('aria-colindex', String(j + 1));
      }
      if (j < shown.first || j >= shown.end) {
        // Out of sight: emptied (never another row's value), filled when a horizontal scroll brings it in.
        if (cell.firstChild) {
          cell.textContent = '';
          cell.removeAttribute('title');
        }
        if (cell.id) {
          // Another element may hold this row's id now: aria-activedescendant must find only that one.
          cell.removeAttribute('id');
        }
        continue;
      }
      cell.id = `cell-${row}-${j}`;
      const selected = f.selected(row, j);
      cell.className = `cell${alignsRight(c) ? ' num' : ''}${selected ? ' selected' : ''}${f.active(row, j) ? ' active' : ''}`;
      cell.setAttribute('aria-selected', selected ? 'true' : 'false');
      const value = f.cell(row, c.id);
      if (value === undefined) {
        pending = true;
        cell.textContent = '';
        cell.removeAttribute('title');
        continue;
      }
      const text = formatCell(value, c, f.fmt);
      cell.textContent = text.text;
      if (text.title) {
        cell.title = text.title;
      } else if (text.text.length > 20) {
        cell.title = text.text;
      } else {
        cell.removeAttribute('title');
      }
    }
    rowEl.classList.toggle('pending', pending);
    if (pending) {
      // Filled again when its window arrives.
      rowEl.dataset.key = '';
    }
  }
}

/** Writes a style property only when it changes (a write, even of the same value, can cost a style recalc). */
function setStyle(node: HTMLElement, property: 'height' | 'width' | 'transform', value: string): void {
  if (node.style[property] !== value) {
    node.style[property] = value;
  }
}
