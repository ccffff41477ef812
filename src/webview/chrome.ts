/** Toolbar, status banners and the pager footer around the grid. Rebuilt on each model change (cheap, few nodes). */
import type { ExportFormat, Grain } from '../results/view/viewTypes';
import type { Controller } from './controller';
import { button, el, icon, select } from './dom';
import type { Grid } from './grid';
import type { GridModel } from './model/gridModel';
import { formatCount } from './model/format';
import { activeGenesysPaging, cachedOnlyNote, clampPage, pageCount, pagerLabel } from './model/pager';
import { grainState } from './model/viewState';
import { PAGE_SIZES } from '../shared/protocol';
import { openColumnsChooser } from './columnsPopup';
import { openMenu } from './popup';

const GRAIN_LABELS: Record<Grain, string> = {
  conversation: 'Conversations',
  participant: 'Participants',
  session: 'Sessions',
  segment: 'Segments',
};

const EXPORTS: { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
  { format: 'ndjson', label: 'NDJSON' },
  { format: 'parquet', label: 'Parquet' },
];

function keyed<T extends HTMLElement>(node: T, key: string): T {
  node.dataset.key = key;
  return node;
}

function toggle(label: string, pressed: boolean, onClick: () => void, key: string, iconName?: string): HTMLButtonElement {
  const b = keyed(button(label, { onClick, icon: iconName, className: `seg${pressed ? ' pressed' : ''}` }), key);
  b.setAttribute('aria-pressed', String(pressed));
  return b;
}

export function renderToolbar(model: GridModel, ctl: Controller, grid: Grid): HTMLElement[] {
  const state = model.state;
  if (!state) {
    return [];
  }
  const filters = grainState(state).filters.length;
  const items: HTMLElement[] = [
    el('label', { className: 'tool-label', text: 'Rows' }),
    keyed(
      select(
        'Grain: one row per',
        (Object.keys(GRAIN_LABELS) as Grain[]).map((g) => ({ value: g, label: GRAIN_LABELS[g] })),
        state.grain,
        (g) => ctl.setGrain(g),
      ),
      'grain',
    ),
    el('div', { className: 'seg-group', attrs: { role: 'group', 'aria-label': 'Scrolling' } }, [
      toggle('Pages', state.mode === 'pager', () => ctl.setMode('pager'), 'mode-pager', 'book'),
      toggle('Scroll', state.mode === 'scroll', () => ctl.setMode('scroll'), 'mode-scroll', 'list-flat'),
    ]),
    el('div', { className: 'seg-group', attrs: { role: 'group', 'aria-label': 'Time zone' } }, [
      toggle('UTC', state.timeZone === 'utc', () => ctl.setTimeZone('utc'), 'tz-utc', 'globe'),
      toggle('Local', state.timeZone === 'local', () => ctl.setTimeZone('local'), 'tz-local', 'home'),
    ]),
    keyed(button('Columns', { icon: 'list-selection', onClick: (e) => openColumnsChooser(ctl, e.currentTarget as HTMLElement) }), 'columns'),
  ];
  if (filters > 0) {
    items.push(keyed(button(`Clear filters (${filters})`, { icon: 'clear-all', onClick: () => ctl.clearFilters() }), 'clear-filters'));
  }
  items.push(
    keyed(
      button('Details', {
        icon: 'layout-sidebar-right',
        className: state.detailsOpen ? 'pressed' : '',
        onClick: () => {
          const cursor = grid.cursor;
          if (!state.detailsOpen && cursor) {
            ctl.showDetails(cursor.row);
          } else {
            ctl.toggleDetails(!state.detailsOpen);
          }
        },
      }),
      'details',
    ),
    el('div', { className: 'spacer' }),
    keyed(button('Copy', { icon: 'copy', onClick: (e) => openCopyMenu(ctl, grid, e.currentTarget as HTMLElement) }), 'copy'),
    keyed(
      button('Export', {
        icon: 'desktop-download',
        onClick: (e) =>
          openMenu(
            EXPORTS.map((x) => ({ label: `Export view as ${x.label}…`, run: () => ctl.exportView(x.format) })),
            e.currentTarget as HTMLElement,
            'Export the current view',
          ),
      }),
      'export',
    ),
  );
  return items;
}

export function openCopyMenu(ctl: Controller, grid: Grid, anchor: HTMLElement | { x: number; y: number }): void {
  const cell = grid.cursorCell();
  const row = grid.cursorRow();
  const sel = grid.selection();
  openMenu(
    [
      { label: 'Copy cell', icon: 'copy', disabled: !cell, run: () => cell && void ctl.copy(cell, 'tsv', false) },
      { label: 'Copy row (TSV with headers)', disabled: !row, run: () => row && void ctl.copy(row, 'tsv') },
      { label: 'Copy selection (TSV with headers)', keybinding: 'Ctrl+C', disabled: !sel, run: () => sel && void ctl.copy(sel, 'tsv') },
      { label: 'Copy selection as JSON', icon: 'json', keybinding: 'Ctrl+Shift+C', disabled: !sel, run: () => sel && void ctl.copy(sel, 'json') },
      'separator',
      { label: 'Show row details', icon: 'layout-sidebar-right', keybinding: 'Enter', disabled: !row, run: () => row && ctl.showDetails(row.rows.first) },
      { label: 'Open row as JSON', icon: 'go-to-file', disabled: !row, run: () => row && ctl.openJson(row.rows.first) },
    ],
    anchor,
    'Copy',
  );
}

export function renderBanners(model: GridModel, ctl: Controller): HTMLElement[] {
  const out: HTMLElement[] = [];
  const s = model.status;
  const banner = (kind: 'info' | 'warning' | 'error', iconName: string, text: string, actions: HTMLElement[] = [], spin = false): HTMLElement =>
    el('div', { className: `banner ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } }, [
      icon(iconName, spin ? 'codicon-modifier-spin' : ''),
      el('span', { className: 'banner-text', text }),
      ...actions,
    ]);
  if (s?.loading && !s.loading.error) {
    out.push(banner('info', 'loading', `Loading into the table… ${formatCount(s.conversations)} of ${formatCount(s.loading.total)} conversations. Rows appear as they are loaded; sorting and filtering cover the rows loaded so far.`, [], true));
  } else if (s?.loading?.error) {
    out.push(banner('error', 'error', `Loading into the table stopped after ${formatCount(s.conversations)} of ${formatCount(s.loading.total)} conversations: ${s.loading.error}`));
  }
  if (s?.fetching) {
    out.push(banner('info', 'loading', `Fetching… ${formatCount(s.conversations)} conversations so far. The table grows as pages arrive; you can scroll, sort and filter meanwhile.`, [], true));
  }
  if (s?.partial) {
    const text = s.expired
      ? `Partial results: the job's results expired after ${formatCount(s.conversations)} conversations were fetched. Re-fetch to run the job again and get all rows.`
      : `Partial results: only the first ${formatCount(s.conversations)} conversations were fetched (${s.state}).${s.error ? ` ${s.error}` : ''}`;
    const actions = s.expired ? [keyed(button('Re-fetch', { icon: 'refresh', className: 'primary', onClick: () => ctl.refetch() }), 'refetch')] : [];
    out.push(banner('warning', 'warning', text, actions));
  } else if (s?.error) {
    out.push(banner('error', 'error', s.error));
  }
  for (const w of s?.warnings ?? []) {
    out.push(banner('warning', 'info', w));
  }
  const capWarning = s?.genesysPaging?.capWarning;
  if (capWarning && !s.warnings.includes(capWarning)) {
    out.push(banner('warning', 'info', capWarning));
  }
  const note = cachedOnlyNote(model.state, s);
  if (note) {
    out.push(keyed(banner('info', 'info', note), 'cached-only'));
  }
  if (model.error) {
    const genesys = activeGenesysPaging(model.state, s);
    const page = model.state?.page ?? 1;
    const text =
      genesys && !genesys.cachedPages.includes(page)
        ? `Could not fetch page ${formatCount(page)} from Genesys: ${model.error} The pages already cached stay available.`
        : `Could not load rows: ${model.error}`;
    out.push(banner('error', 'error', text, [keyed(button('Retry', { icon: 'refresh', onClick: () => ctl.retry() }), 'retry')]));
  }
  return out;
}

function pageSizePicker(pageSize: number, ctl: Controller): HTMLElement {
  return keyed(
    select(
      'Rows per page',
      PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) })),
      String(pageSize),
      (v) => ctl.setPageSize(Number(v)),
    ),
    'page-size',
  );
}

/** Genesys pages are the run's page size: shown, not offered (another size means running the query again). */
function genesysPageSize(pageSize: number): HTMLElement {
  const picker = select('Rows per page', [{ value: String(pageSize), label: String(pageSize) }], String(pageSize), () => undefined);
  picker.disabled = true;
  picker.title = `Pages come from Genesys at this run's page size (${pageSize}). Run the query again to use another page size, or sort/filter to page over the cached rows.`;
  return keyed(picker, 'page-size');
}

export function renderFooter(model: GridModel, ctl: Controller, visible: { first: number; end: number }): HTMLElement[] {
  const state = model.state;
  if (!state) {
    return [];
  }
  const total = model.total;
  const parts: HTMLElement[] = [];
  const genesys = activeGenesysPaging(state, model.status);
  const size = ctl.pageSize();
  if (state.mode === 'pager') {
    const pages = total === undefined ? 1 : pageCount(total, size);
    const page = total === undefined ? state.page : clampPage(state.page, total, size);
    const nav = (label: string, iconName: string, target: number, key: string, disabled: boolean): HTMLButtonElement => {
      const b = keyed(button(label, { icon: iconName, showLabel: false, className: 'icon-only', onClick: () => ctl.setPage(target) }), key);
      b.disabled = disabled;
      return b;
    };
    const input = keyed(el('input', { className: 'input page-input', attrs: { type: 'number', min: '1', max: String(pages), 'aria-label': 'Go to page' } }), 'page-input');
    input.value = String(page);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        ctl.setPage(Number(input.value));
      }
    });
    input.addEventListener('change', () => ctl.setPage(Number(input.value)));
    parts.push(
      el('div', { className: 'pager', attrs: { role: 'navigation', 'aria-label': 'Pages' } }, [
        nav('First page', 'arrow-left', 1, 'first', page <= 1),
        nav('Previous page', 'chevron-left', page - 1, 'prev', page <= 1),
        el('span', { className: 'muted', text: 'Page' }),
        input,
        el('span', { className: 'muted', text: `of ${formatCount(pages)}` }),
        nav('Next page', 'chevron-right', page + 1, 'next', page >= pages),
        nav('Last page', 'arrow-right', pages, 'last', page >= pages),
        el('span', { className: 'pager-label', text: total === undefined ? 'Loading…' : pagerLabel(page, size, total), attrs: { 'aria-live': 'polite' } }),
        el('label', { className: 'tool-label', text: 'Rows per page' }),
        genesys ? genesysPageSize(genesys.pageSize) : pageSizePicker(state.pageSize, ctl),
      ]),
    );
  } else {
    const text = total === undefined ? 'Loading…' : total === 0 ? 'No rows' : `Rows ${formatCount(visible.first + 1)}–${formatCount(Math.min(visible.end, total))} of ${formatCount(total)}`;
    parts.push(el('span', { className: 'pager-label', text, attrs: { 'aria-live': 'polite' } }));
  }
  parts.push(el('div', { className: 'spacer' }));
  if (model.loadingWindow) {
    const fetching = genesys && state.mode === 'pager' && !genesys.cachedPages.includes(state.page);
    parts.push(el('span', { className: 'muted' }, [icon('loading', 'codicon-modifier-spin'), fetching ? ` Fetching page ${formatCount(state.page)} from Genesys` : ' Loading rows']));
  } else if (genesys) {
    parts.push(el('span', { className: 'muted', text: `${formatCount(genesys.cachedPages.length)} of ${formatCount(pageCount(genesys.reachableRows, genesys.pageSize))} pages cached` }));
  }
  parts.push(el('span', { className: 'notice', text: model.notice ?? '', attrs: { role: 'status', 'aria-live': 'polite' } }));
  return parts;
}
