/** The row details pane: the selected row's full conversation JSON as a collapsible tree (text only). */
import type { Controller } from './controller';
import { button, el, icon } from './dom';
import type { GridModel } from './model/gridModel';
import { formatCount } from './model/format';

/** Levels opened at first; deeper objects start collapsed. */
const OPEN_DEPTH = 2;
/** Children rendered per object or array before a "show more" (huge arrays stay cheap). */
const CHILD_LIMIT = 200;

export class DetailsPane {
  readonly element: HTMLElement;
  private readonly _title: HTMLElement;
  private readonly _body: HTMLElement;
  private _shown: unknown;

  constructor(private readonly _ctl: Controller) {
    this._title = el('span', { className: 'details-title', attrs: { id: 'details-title' } });
    this._body = el('div', { className: 'details-body', attrs: { tabindex: '0', role: 'tree', 'aria-labelledby': 'details-title' } });
    const header = el('div', { className: 'details-header' }, [
      this._title,
      button('Open as JSON', {
        icon: 'json',
        showLabel: false,
        className: 'icon-only',
        onClick: () => {
          const row = this._ctl.state?.selectedRow;
          if (row !== undefined) {
            this._ctl.openJson(row);
          }
        },
      }),
      button('Close details', { icon: 'close', showLabel: false, className: 'icon-only', onClick: () => this._ctl.toggleDetails(false) }),
    ]);
    this.element = el('aside', { className: 'details', attrs: { role: 'complementary', 'aria-label': 'Row details' } }, [header, this._body]);
  }

  update(model: GridModel): void {
    const open = !!model.state?.detailsOpen;
    this.element.hidden = !open;
    if (!open) {
      return;
    }
    const d = model.details;
    const row = model.state?.selectedRow;
    this._title.textContent = row === undefined ? 'Row details' : `Row ${formatCount(row + 1)}`;
    if (this._shown === d && d !== undefined) {
      return;
    }
    this._shown = d;
    if (row === undefined || !d) {
      this._body.replaceChildren(el('div', { className: 'muted pad', text: 'Select a row (click, or arrows then Enter) to see its full JSON.' }));
    } else if (d.error) {
      this._body.replaceChildren(el('div', { className: 'form-error pad', text: d.error }));
    } else if (d.record === undefined) {
      this._body.replaceChildren(el('div', { className: 'muted pad' }, [icon('loading', 'codicon-modifier-spin'), ' Loading…']));
    } else {
      this._body.replaceChildren(jsonNode(undefined, d.record, 0));
    }
  }
}

function scalar(value: unknown): HTMLElement {
  if (value === null) {
    return el('span', { className: 'json-null', text: 'null' });
  }
  switch (typeof value) {
    case 'string':
      return el('span', { className: 'json-string', text: JSON.stringify(value) });
    case 'number':
      return el('span', { className: 'json-number', text: String(value) });
    case 'boolean':
      return el('span', { className: 'json-boolean', text: String(value) });
    default:
      return el('span', { text: String(value) });
  }
}

function keyLabel(key: string | undefined): HTMLElement[] {
  return key === undefined ? [] : [el('span', { className: 'json-key', text: key }), el('span', { className: 'json-punct', text: ': ' })];
}

function jsonNode(key: string | undefined, value: unknown, depth: number): HTMLElement {
  if (value === null || typeof value !== 'object') {
    return el('div', { className: 'json-leaf', attrs: { role: 'treeitem' } }, [...keyLabel(key), scalar(value)]);
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as Record<string, unknown>);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  const node = el('details', { className: 'json-node', attrs: { role: 'treeitem' } });
  node.open = depth < OPEN_DEPTH;
  node.append(el('summary', {}, [...keyLabel(key), el('span', { className: 'json-summary', text: summary })]));
  const children = el('div', { className: 'json-children', attrs: { role: 'group' } });
  const renderFrom = (start: number): void => {
    for (const [k, v] of entries.slice(start, start + CHILD_LIMIT)) {
      children.append(jsonNode(k, v, depth + 1));
    }
    if (entries.length > start + CHILD_LIMIT) {
      const more = button(`Show ${formatCount(Math.min(CHILD_LIMIT, entries.length - start - CHILD_LIMIT))} more`, {
        onClick: () => {
          more.remove();
          renderFrom(start + CHILD_LIMIT);
        },
        className: 'link',
      });
      children.append(more);
    }
  };
  renderFrom(0);
  node.append(children);
  return node;
}
