/** Per-column filter: an operator, one or two values, and the column's distinct values with counts. */
import type { ColumnInfo, FilterOp } from '../results/view/viewTypes';
import type { Controller } from './controller';
import { button, el, icon } from './dom';
import type { GridModel } from './model/gridModel';
import { buildFilter, needsValue, OP_LABELS, opsFor, valueText } from './model/filterInput';
import { formatCell, formatCount } from './model/format';
import { filterOf } from './model/viewState';
import { closePopup, openPopup } from './popup';

export class FilterPopup {
  private _column: ColumnInfo | undefined;
  private _list: HTMLElement | undefined;
  private _search = '';
  private _shownFor: unknown;

  constructor(private readonly _ctl: Controller) {}

  open(column: ColumnInfo, anchor: HTMLElement): void {
    const state = this._ctl.state;
    if (!state) {
      return;
    }
    this._column = column;
    this._search = '';
    this._shownFor = undefined;
    const existing = filterOf(state, column.id);
    const ops = opsFor(column.type);
    let op: FilterOp = existing && ops.includes(existing.op) ? existing.op : (ops[0] as FilterOp);
    const opSelect = el('select', { className: 'select', attrs: { 'aria-label': 'Operator' } });
    for (const o of ops) {
      const opt = el('option', { text: OP_LABELS[o], attrs: { value: o } });
      opt.selected = o === op;
      opSelect.append(opt);
    }
    const placeholder = column.type === 'time' ? 'YYYY-MM-DD HH:mm:ss' : column.type === 'duration' ? 'h:mm:ss' : 'value';
    const v1 = el('input', { className: 'input', attrs: { type: 'text', 'aria-label': 'Value', placeholder } });
    const v2 = el('input', { className: 'input', attrs: { type: 'text', 'aria-label': 'Upper bound', placeholder } });
    v1.value = valueText(existing?.value, column.type, state.timeZone);
    v2.value = valueText(existing?.value2, column.type, state.timeZone);
    const error = el('div', { className: 'form-error', attrs: { role: 'alert' } });
    const and = el('span', { className: 'muted', text: 'and' });
    const syncInputs = (): void => {
      const n = needsValue(op);
      v1.hidden = n < 1;
      v2.hidden = n < 2;
      and.hidden = n < 2;
    };
    opSelect.addEventListener('change', () => {
      op = opSelect.value as FilterOp;
      syncInputs();
    });
    syncInputs();
    const apply = (): void => {
      const r = buildFilter(column.id, column.type, op, v1.value, v2.value, state.timeZone);
      if (!r.ok) {
        error.textContent = r.error;
        return;
      }
      closePopup();
      this._ctl.setFilter(column.id, r.filter);
    };
    for (const input of [v1, v2]) {
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          apply();
        }
      });
    }
    const search = el('input', { className: 'input', attrs: { type: 'search', 'aria-label': 'Search values', placeholder: 'Search values' } });
    search.addEventListener('input', () => {
      this._search = search.value.toLowerCase();
      this._shownFor = undefined;
      this.update(this._ctl.model);
    });
    this._list = el('div', { className: 'distinct-list', attrs: { role: 'listbox', 'aria-label': `Values of ${column.label}` } });
    const content = el('div', { className: 'filter-popup' }, [
      el('div', { className: 'popup-title', text: `Filter: ${column.label}` }),
      el('div', { className: 'filter-row' }, [opSelect, v1, and, v2]),
      error,
      el('div', { className: 'filter-actions' }, [
        button('Apply', { icon: 'check', onClick: apply, className: 'primary' }),
        button('Clear', {
          icon: 'clear-all',
          onClick: () => {
            closePopup();
            this._ctl.setFilter(column.id, undefined);
          },
        }),
      ]),
      el('div', { className: 'popup-subtitle', text: 'Values (click one to filter on it)' }),
      search,
      this._list,
    ]);
    openPopup(content, anchor, {
      label: `Filter ${column.label}`,
      onClose: () => {
        this._column = undefined;
        this._list = undefined;
        this._ctl.closeDistinct();
      },
    });
    this._ctl.requestDistinct(column.id);
  }

  /** Fills the values list when the host answers. */
  update(model: GridModel): void {
    const column = this._column;
    const list = this._list;
    const d = model.distinct;
    if (!column || !list || !d || d.column !== column.id || this._shownFor === d) {
      return;
    }
    this._shownFor = d;
    if (d.error) {
      list.replaceChildren(el('div', { className: 'form-error', text: d.error }));
      return;
    }
    if (!d.values) {
      list.replaceChildren(el('div', { className: 'muted' }, [icon('loading', 'codicon-modifier-spin'), ' Loading values…']));
      return;
    }
    const ctx = { timeZone: model.state?.timeZone ?? 'utc', names: d.names };
    const items = d.values
      .map((v) => ({ v, text: v.value === null ? '(empty)' : formatCell(v.value, column, ctx).text }))
      .filter((x) => !this._search || x.text.toLowerCase().includes(this._search));
    if (items.length === 0) {
      list.replaceChildren(el('div', { className: 'muted', text: 'No values' }));
      return;
    }
    list.replaceChildren(
      ...items.map(({ v, text }) => {
        const b = el('button', { className: 'distinct-item', attrs: { type: 'button', role: 'option', 'aria-selected': 'false' } }, [
          el('span', { className: 'distinct-value', text, title: v.value === null ? '' : String(v.value) }),
          el('span', { className: 'distinct-count', text: formatCount(v.count) }),
        ]);
        b.addEventListener('click', () => {
          closePopup();
          this._ctl.setFilter(column.id, v.value === null ? { column: column.id, op: 'empty' } : { column: column.id, op: 'equals', value: v.value });
        });
        return b;
      }),
    );
  }
}
