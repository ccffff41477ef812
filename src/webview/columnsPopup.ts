/** The column chooser: every column of the grain, a checkbox to show or hide it, buttons to move it. */
import type { Controller } from './controller';
import { button, el, icon } from './dom';
import { visibleColumns } from './model/viewState';
import { closePopup, openPopup } from './popup';

export function openColumnsChooser(ctl: Controller, anchor: HTMLElement): void {
  const state = ctl.state;
  const all = ctl.model.columns;
  if (!state || !all) {
    return;
  }
  let shown = visibleColumns(state, all);
  const list = el('div', { className: 'columns-list', attrs: { role: 'list', 'aria-label': 'Columns' } });
  const filter = el('input', { className: 'input', attrs: { type: 'search', placeholder: 'Search columns', 'aria-label': 'Search columns' } });
  const render = (): void => {
    const q = filter.value.toLowerCase();
    // Shown columns first, in display order; then the others, in the engine's order.
    const ordered = [...shown.flatMap((id) => all.filter((c) => c.id === id)), ...all.filter((c) => !shown.includes(c.id))];
    list.replaceChildren(
      ...ordered
        .filter((c) => !q || c.label.toLowerCase().includes(q) || c.id.toLowerCase().includes(q))
        .map((c) => {
          const index = shown.indexOf(c.id);
          const box = el('input', { attrs: { type: 'checkbox', 'aria-label': c.label } });
          box.checked = index >= 0;
          box.addEventListener('change', () => {
            shown = box.checked ? [...shown, c.id] : shown.length > 1 ? shown.filter((x) => x !== c.id) : shown;
            render();
          });
          const move = (delta: number) => (): void => {
            const i = shown.indexOf(c.id);
            const j = i + delta;
            if (i < 0 || j < 0 || j >= shown.length) {
              return;
            }
            const next = [...shown];
            [next[i], next[j]] = [next[j] as string, next[i] as string];
            shown = next;
            render();
          };
          const up = button('Move up', { icon: 'arrow-up', showLabel: false, onClick: move(-1), className: 'icon-only' });
          const down = button('Move down', { icon: 'arrow-down', showLabel: false, onClick: move(1), className: 'icon-only' });
          up.disabled = index <= 0;
          down.disabled = index < 0 || index >= shown.length - 1;
          return el('div', { className: 'columns-item', attrs: { role: 'listitem' } }, [
            el('label', { className: 'columns-label', title: c.id }, [box, el('span', { text: c.label })]),
            el('span', { className: 'muted small', text: c.type }),
            up,
            down,
          ]);
        }),
    );
  };
  filter.addEventListener('input', render);
  render();
  const content = el('div', { className: 'columns-popup' }, [
    el('div', { className: 'popup-title', text: `Columns (${all.length})` }),
    filter,
    list,
    el('div', { className: 'filter-actions' }, [
      button('Apply', {
        icon: 'check',
        className: 'primary',
        onClick: () => {
          closePopup();
          ctl.setColumns(shown);
        },
      }),
      button('Defaults', {
        icon: 'discard',
        onClick: () => {
          closePopup();
          ctl.setColumns([]);
        },
      }),
      el('span', { className: 'muted small' }, [icon('info'), ' Drag headers to reorder']),
    ]),
  ]);
  openPopup(content, anchor, { label: 'Choose columns' });
}
