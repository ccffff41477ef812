// Entry of the results webview: builds the layout once, then renders the model on every change.
import '@vscode/codicons/dist/codicon.css';
import './styles.css';
import type { ColumnInfo } from '../results/view/viewTypes';
import { renderBanners, renderFooter, renderToolbar, openCopyMenu } from './chrome';
import type { Ui } from './controller';
import { Controller } from './controller';
import { DetailsPane } from './details';
import { button, el, icon } from './dom';
import { FilterPopup } from './filterPopup';
import { Grid } from './grid';
import type { GridModel } from './model/gridModel';
import { grainState } from './model/viewState';
import { formatCount } from './model/format';
import { activeGenesysPaging } from './model/pager';
import { openMenu } from './popup';
import { hostChannel } from './vscodeApi';

class ResultsUi implements Ui {
  private readonly _toolbar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Results' } });
  private readonly _banners = el('div', { className: 'banners' });
  private readonly _footer = el('div', { className: 'footer' });
  private readonly _overlay = el('div', { className: 'overlay' });
  private readonly _title = el('div', { className: 'run-title' });
  private _grid!: Grid;
  private _details!: DetailsPane;
  private _filter!: FilterPopup;
  private _ctl!: Controller;

  mount(root: HTMLElement, ctl: Controller): void {
    this._ctl = ctl;
    this._filter = new FilterPopup(ctl);
    this._grid = new Grid(ctl, {
      openFilter: (c, anchor) => this._filter.open(c, anchor),
      columnMenu: (c, anchor) => this._columnMenu(c, anchor),
      cellMenu: (at) => openCopyMenu(ctl, this._grid, at),
    });
    this._details = new DetailsPane(ctl);
    const gridArea = el('div', { className: 'grid-area' }, [this._grid.element, this._overlay]);
    root.replaceChildren(this._title, this._toolbar, this._banners, el('div', { className: 'main' }, [gridArea, this._details.element]), this._footer);
    this._overlay.replaceChildren(el('span', { className: 'muted' }, [icon('loading', 'codicon-modifier-spin'), ' Loading results…']));
  }

  private _frame = 0;
  private _pending: { model: GridModel; ctl: Controller } | undefined;
  private _footerKey = '';

  /**
   * Renders on the next animation frame: a fling brings windows faster than frames, and one frame
   * renders only the newest model (the toolbar, banners and footer are rebuilt then, not per message).
   */
  render(model: GridModel, ctl: Controller): void {
    this._pending = { model, ctl };
    this._schedule();
  }

  scrolled(): void {
    this._schedule();
  }

  private _schedule(): void {
    this._frame ||= requestAnimationFrame(() => {
      this._frame = 0;
      const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.key;
      const pending = this._pending;
      this._pending = undefined;
      if (pending) {
        this._renderNow(pending.model, pending.ctl);
      }
      this._renderFooter();
      // Rebuilt controls (toolbar, pager) keep the keyboard focus they had.
      if (focusKey && (document.activeElement as HTMLElement | null)?.dataset?.key !== focusKey) {
        document.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
      }
    });
  }

  private _renderNow(model: GridModel, ctl: Controller): void {
    this._title.textContent = model.status?.title ?? '';
    this._title.title = model.status ? `Run ${model.status.runId}` : '';
    this._toolbar.replaceChildren(...renderToolbar(model, ctl, this._grid));
    this._banners.replaceChildren(...renderBanners(model, ctl));
    this._grid.update(model);
    this._details.update(model);
    this._filter.update(model);
    this._renderOverlay(model);
  }

  /** The pager footer, rebuilt only when what it says changes (it follows every scroll frame). */
  private _renderFooter(): void {
    const m = this._ctl.model;
    const key = JSON.stringify([m.state?.mode, m.state?.page, this._ctl.pageSize(), m.total, this._ctl.visible, m.loadingWindow, m.notice, m.status?.genesysPaging?.cachedPages.length, !!activeGenesysPaging(m.state, m.status)]);
    if (key === this._footerKey) {
      return;
    }
    this._footerKey = key;
    this._footer.replaceChildren(...renderFooter(m, this._ctl, this._ctl.visible));
  }

  private _renderOverlay(model: GridModel): void {
    const state = model.state;
    const fetching = !!model.status?.fetching;
    let content: HTMLElement[] | undefined;
    const genesys = activeGenesysPaging(state, model.status);
    if (state && genesys && model.loadingWindow && !genesys.cachedPages.includes(state.page)) {
      // The page is on its way from Genesys (the first time it is seen): say so over the grid.
      content = [
        icon('loading', 'codicon-modifier-spin big'),
        el('div', { className: 'overlay-title', text: `Fetching page ${formatCount(state.page)} from Genesys…` }),
        el('div', { className: 'muted', text: 'It is kept in the cache: it shows at once next time, and after a reload.' }),
      ];
    } else if (!state || model.total === undefined) {
      content = model.error ? undefined : [el('span', { className: 'muted' }, [icon('loading', 'codicon-modifier-spin'), ' Loading results…'])];
    } else if (model.total === 0) {
      const filtered = grainState(state).filters.length > 0;
      content = [
        icon(fetching ? 'loading' : 'inbox', fetching ? 'codicon-modifier-spin big' : 'big'),
        el('div', { className: 'overlay-title', text: filtered ? 'No rows match the filters' : fetching ? 'No rows yet' : 'No rows' }),
        el('div', {
          className: 'muted',
          text: filtered ? 'Change or clear the filters to see rows.' : fetching ? 'Rows appear here as soon as the first page arrives.' : 'The query returned no conversations for its interval and filters.',
        }),
        ...(filtered ? [button('Clear filters', { icon: 'clear-all', onClick: () => this._ctl.clearFilters() })] : []),
      ];
    }
    this._overlay.hidden = content === undefined;
    if (content) {
      this._overlay.replaceChildren(...content);
    }
  }

  private _columnMenu(c: ColumnInfo, anchor: HTMLElement | { x: number; y: number }): void {
    const ctl = this._ctl;
    const shown = ctl.shownColumns();
    const index = shown.findIndex((x) => x.id === c.id);
    openMenu(
      [
        { label: 'Sort ascending', icon: 'arrow-up', run: () => ctl.sort(c.id, false) },
        { label: 'Add to sort (Shift+click)', icon: 'list-ordered', run: () => ctl.sort(c.id, true) },
        { label: 'Filter…', icon: 'filter', run: () => this._filter.open(c, this._headerCell(c.id) ?? document.body) },
        'separator',
        { label: 'Move left', icon: 'arrow-left', disabled: index <= 0, run: () => ctl.moveColumn(c.id, index - 1) },
        { label: 'Move right', icon: 'arrow-right', disabled: index >= shown.length - 1, run: () => ctl.moveColumn(c.id, index + 1) },
        { label: 'Hide column', icon: 'eye-closed', disabled: shown.length <= 1, run: () => ctl.hideColumn(c.id) },
        { label: 'Columns…', icon: 'list-selection', run: () => document.querySelector<HTMLElement>('[data-key="columns"]')?.click() },
      ],
      anchor,
      `${c.label} column`,
    );
  }

  private _headerCell(id: string): HTMLElement | null {
    return document.querySelector<HTMLElement>(`.hcell[data-col="${CSS.escape(id)}"]`);
  }
}

function main(): void {
  const root = document.getElementById('root');
  if (!root) {
    return;
  }
  const host = hostChannel();
  const ui = new ResultsUi();
  const ctl = new Controller(host, ui);
  ui.mount(root, ctl);
  window.addEventListener('message', (e: MessageEvent) => ctl.receive(e.data));
  // The page is torn down when hidden: keep the latest state saved.
  document.addEventListener('visibilitychange', () => ctl.flushState());
  window.addEventListener('pagehide', () => ctl.flushState());
  window.addEventListener('error', (e) => host.post({ type: 'log', level: 'error', message: String(e.message) }));
  ctl.start();
}

main();
