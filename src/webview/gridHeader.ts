/**
 * The grid's header row: one cell per shown column with its sort state, filter and menu buttons, a resize
 * grip and drag-to-move. Rebuilt only when what it shows changes (not on every window that arrives).
 */
import type { ColumnInfo } from '../results/view/viewTypes';
import type { Controller } from './controller';
import { el, icon } from './dom';
import type { PersistedViewState } from '../shared/protocol';
import { alignsRight, zoneLabel } from './model/format';
import * as vs from './model/viewState';

export interface HeaderEvents {
  openFilter(column: ColumnInfo, anchor: HTMLElement): void;
  columnMenu(column: ColumnInfo, anchor: HTMLElement | { x: number; y: number }): void;
  /** A column's width while its grip is dragged (the body follows live); `done` on release. */
  resized(index: number, width: number, done: boolean): void;
}

export class GridHeader {
  readonly element: HTMLElement;
  readonly row: HTMLElement;
  private _key = '';

  constructor(
    private readonly _ctl: Controller,
    private readonly _events: HeaderEvents,
  ) {
    this.row = el('div', { className: 'grid-row grid-header-row', attrs: { role: 'row', 'aria-rowindex': '1' } });
    this.element = el('div', { className: 'grid-header', attrs: { role: 'rowgroup' } }, [this.row]);
  }

  render(state: PersistedViewState, columns: readonly ColumnInfo[], widths: readonly number[], loading: boolean): void {
    this.element.classList.toggle('loading', loading);
    const gs = vs.grainState(state);
    const zone = state.timeZone;
    const key = JSON.stringify([columns.map((c) => [c.id, c.label]), widths, gs.sort, gs.filters.map((f) => f.column), zone]);
    if (key === this._key) {
      return;
    }
    this._key = key;
    const cells = columns.map((c, i) => this._cell(state, c, i, widths[i] ?? 0));
    this.row.replaceChildren(...cells);
    this.row.style.width = `${widths.reduce((a, b) => a + b, 0)}px`;
  }

  /** The next render rebuilds the cells (after a live resize changed their widths in place). */
  invalidate(): void {
    this._key = '';
  }

  private _cell(state: PersistedViewState, c: ColumnInfo, i: number, width: number): HTMLElement {
    const gs = vs.grainState(state);
    const sortIndex = gs.sort.findIndex((s) => s.column === c.id);
    const sort = gs.sort[sortIndex];
    const filtered = gs.filters.some((f) => f.column === c.id);
    const label = vs.columnLabel(c, zoneLabel(state.timeZone));
    const name = el('span', { className: 'hcell-label', text: label, title: `${label} — click to sort, Shift+click to add to the sort, drag to move` });
    const cell = el(
      'div',
      {
        className: `hcell${sort ? ' sorted' : ''}${alignsRight(c) ? ' num' : ''}`,
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
    cell.style.width = `${width}px`;
    if (sort) {
      cell.append(icon(sort.direction === 'asc' ? 'arrow-up' : 'arrow-down', 'sort-icon'));
      if (gs.sort.length > 1) {
        cell.append(el('span', { className: 'sort-index', text: String(sortIndex + 1) }));
      }
    }
    const filterBtn = el(
      'button',
      {
        className: `hbtn${filtered ? ' active' : ''}`,
        title: filtered ? `Filter on ${c.label} (active)` : `Filter ${c.label}`,
        attrs: { type: 'button', 'aria-label': `Filter ${c.label}`, 'data-action': 'filter' },
      },
      [icon(filtered ? 'filter-filled' : 'filter')],
    );
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
    grip.addEventListener('pointerdown', (e) => this._startResize(e, i, width, cell));
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
  }

  private _startResize(e: PointerEvent, i: number, startW: number, cell: HTMLElement): void {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const target = e.target as HTMLElement;
    target.setPointerCapture(e.pointerId);
    const widthAt = (ev: PointerEvent): number => Math.max(vs.MIN_COLUMN_WIDTH, startW + ev.clientX - startX);
    const move = (ev: PointerEvent): void => {
      cell.style.width = `${widthAt(ev)}px`;
      this._events.resized(i, widthAt(ev), false);
    };
    const up = (ev: PointerEvent): void => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      this._key = '';
      this._events.resized(i, startW + ev.clientX - startX, true);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  }
}

/** A column's width until the user sets one: by type (times are long, flags short). */
export function defaultWidth(c: ColumnInfo): number {
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
      return c.idKind ? 180 : 160;
  }
}
