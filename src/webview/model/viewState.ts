/** Pure transitions of the persisted view state (sort, filters, columns, grain, paging). */
import type { ColumnFilter, ColumnInfo, Grain, SortKey } from '../../results/view/viewTypes';
import type { GrainViewState, PersistedViewState, ScrollMode, TimeZoneMode } from '../../shared/protocol';
import { emptyGrainState, PAGE_SIZES, visibleColumns } from '../../shared/protocol';
import { pageOfRow } from './pager';

export { visibleColumns };

export const MIN_COLUMN_WIDTH = 48;
export const MAX_COLUMN_WIDTH = 1200;

export function grainState(state: PersistedViewState): GrainViewState {
  return state.grains[state.grain] ?? emptyGrainState();
}

function withGrainState(state: PersistedViewState, patch: Partial<GrainViewState>): PersistedViewState {
  return { ...state, grains: { ...state.grains, [state.grain]: { ...grainState(state), ...patch } } };
}


/**
 * Header click: plain click sorts by this column alone (asc → desc → none); shift-click adds it to, flips it
 * in, or removes it from a multi-column sort.
 */
export function toggleSort(state: PersistedViewState, column: string, multi: boolean): PersistedViewState {
  const sort = grainState(state).sort;
  const current = sort.find((s) => s.column === column);
  const next = (): SortKey | undefined =>
    !current ? { column, direction: 'asc' } : current.direction === 'asc' ? { column, direction: 'desc' } : undefined;
  let result: SortKey[];
  if (multi) {
    const n = next();
    result = current ? sort.flatMap((s) => (s.column === column ? (n ? [n] : []) : [s])) : [...sort, { column, direction: 'asc' }];
  } else {
    const n = next();
    result = n ? [n] : [];
  }
  return resetPosition(withGrainState(state, { sort: result }));
}

/** Sets (or with `undefined`, clears) the filter of one column. */
export function setFilter(state: PersistedViewState, column: string, filter: ColumnFilter | undefined): PersistedViewState {
  const others = grainState(state).filters.filter((f) => f.column !== column);
  return resetPosition(withGrainState(state, { filters: filter ? [...others, filter] : others }));
}

export function clearFilters(state: PersistedViewState): PersistedViewState {
  return resetPosition(withGrainState(state, { filters: [] }));
}

export function filterOf(state: PersistedViewState, column: string): ColumnFilter | undefined {
  return grainState(state).filters.find((f) => f.column === column);
}

export function setColumns(state: PersistedViewState, columns: readonly string[]): PersistedViewState {
  return withGrainState(state, { columns: [...columns] });
}

export function hideColumn(state: PersistedViewState, all: readonly ColumnInfo[], column: string): PersistedViewState {
  const shown = visibleColumns(state, all).filter((c) => c !== column);
  // The grid always keeps one column.
  return shown.length === 0 ? state : setColumns(state, shown);
}

export function showColumn(state: PersistedViewState, all: readonly ColumnInfo[], column: string): PersistedViewState {
  const shown = visibleColumns(state, all);
  return shown.includes(column) ? state : setColumns(state, [...shown, column]);
}

/** Moves `column` to position `to` among the visible columns (drag and drop, or the menu's left/right). */
export function moveColumn(state: PersistedViewState, all: readonly ColumnInfo[], column: string, to: number): PersistedViewState {
  const shown = visibleColumns(state, all);
  const from = shown.indexOf(column);
  if (from < 0) {
    return state;
  }
  shown.splice(from, 1);
  shown.splice(Math.min(Math.max(0, to), shown.length), 0, column);
  return setColumns(state, shown);
}

export function setWidth(state: PersistedViewState, column: string, width: number): PersistedViewState {
  const w = Math.round(Math.min(Math.max(width, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH));
  return withGrainState(state, { widths: { ...grainState(state).widths, [column]: w } });
}

export function setGrain(state: PersistedViewState, grain: Grain): PersistedViewState {
  return grain === state.grain ? state : resetPosition({ ...state, grain, selectedRow: undefined });
}

export function setTimeZone(state: PersistedViewState, timeZone: TimeZoneMode): PersistedViewState {
  return { ...state, timeZone };
}

/** Switching modes keeps the first row the user was looking at. */
export function setMode(state: PersistedViewState, mode: ScrollMode, firstVisibleRow: number): PersistedViewState {
  if (mode === state.mode) {
    return state;
  }
  return mode === 'scroll'
    ? { ...state, mode, scrollRow: firstVisibleRow }
    : { ...state, mode, page: pageOfRow(firstVisibleRow, state.pageSize), scrollRow: 0 };
}

export function setPageSize(state: PersistedViewState, pageSize: number): PersistedViewState {
  if (!PAGE_SIZES.includes(pageSize)) {
    return state;
  }
  const firstRow = (state.page - 1) * state.pageSize;
  return { ...state, pageSize, page: pageOfRow(firstRow, pageSize), scrollRow: 0 };
}

export function setPage(state: PersistedViewState, page: number): PersistedViewState {
  return { ...state, page: Math.max(1, Math.floor(page)), scrollRow: 0 };
}

/** A new sort or filter starts at the top: row N of another ordering means nothing. */
function resetPosition(state: PersistedViewState): PersistedViewState {
  return { ...state, page: 1, scrollRow: 0, selectedRow: undefined };
}

/** Header label, with the time zone for time columns. */
export function columnLabel(column: ColumnInfo, zone: string): string {
  return column.type === 'time' ? `${column.label} (${zone})` : column.label;
}
