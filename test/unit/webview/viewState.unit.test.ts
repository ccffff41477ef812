import * as assert from 'node:assert/strict';
import type { ColumnInfo } from '../../../src/results/view/viewTypes';
import { defaultViewState, viewQueryOf } from '../../../src/shared/protocol';
import {
  clearFilters,
  hideColumn,
  moveColumn,
  setFilter,
  setGrain,
  setMode,
  setPage,
  setPageSize,
  setWidth,
  showColumn,
  toggleSort,
  visibleColumns,
} from '../../../src/webview/model/viewState';

const cols: ColumnInfo[] = [
  { id: 'a', label: 'A', type: 'string', defaultVisible: true },
  { id: 'b', label: 'B', type: 'number', defaultVisible: true },
  { id: 'c', label: 'C', type: 'time', defaultVisible: false },
];

describe('webview view state', () => {
  const s0 = defaultViewState('r');

  it('sorts by one column on click (asc, desc, none) and by several with shift', () => {
    const asc = toggleSort(s0, 'a', false);
    assert.deepEqual(viewQueryOf(asc).sort, [{ column: 'a', direction: 'asc' }]);
    const desc = toggleSort(asc, 'a', false);
    assert.deepEqual(viewQueryOf(desc).sort, [{ column: 'a', direction: 'desc' }]);
    assert.deepEqual(viewQueryOf(toggleSort(desc, 'a', false)).sort, []);
    const multi = toggleSort(toggleSort(asc, 'b', true), 'a', true);
    assert.deepEqual(viewQueryOf(multi).sort, [
      { column: 'a', direction: 'desc' },
      { column: 'b', direction: 'asc' },
    ]);
    assert.deepEqual(viewQueryOf(toggleSort(multi, 'c', false)).sort, [{ column: 'c', direction: 'asc' }]);
  });

  it('sets, replaces and clears per-column filters, and starts again at the top', () => {
    const onPage = setPage(s0, 4);
    const f = setFilter(onPage, 'a', { column: 'a', op: 'contains', value: 'x' });
    assert.equal(f.page, 1);
    const g = setFilter(f, 'b', { column: 'b', op: 'between', value: 1, value2: 5 });
    assert.equal(viewQueryOf(g).filters.length, 2);
    assert.deepEqual(viewQueryOf(setFilter(g, 'a', undefined)).filters, [{ column: 'b', op: 'between', value: 1, value2: 5 }]);
    assert.deepEqual(viewQueryOf(clearFilters(g)).filters, []);
  });

  it('shows default columns until the user chooses, drops unknown ids, hides, shows and reorders', () => {
    assert.deepEqual(visibleColumns(s0, cols), ['a', 'b']);
    const shown = showColumn(s0, cols, 'c');
    assert.deepEqual(visibleColumns(shown, cols), ['a', 'b', 'c']);
    assert.deepEqual(visibleColumns(moveColumn(shown, cols, 'c', 0), cols), ['c', 'a', 'b']);
    assert.deepEqual(visibleColumns(hideColumn(shown, cols, 'a'), cols), ['b', 'c']);
    // The last column cannot be hidden.
    const one = hideColumn(hideColumn(s0, cols, 'a'), cols, 'b');
    assert.deepEqual(visibleColumns(one, cols), ['b']);
    // A saved layout naming a column the engine no longer has still shows the rest.
    assert.deepEqual(visibleColumns({ ...s0, grains: { conversation: { columns: ['gone', 'b'], widths: {}, sort: [], filters: [] } } }, cols), ['b']);
  });

  it('keeps layout, sort and filters per grain', () => {
    const sorted = toggleSort(s0, 'a', false);
    const seg = setGrain(sorted, 'segment');
    assert.deepEqual(viewQueryOf(seg), { grain: 'segment', sort: [], filters: [] });
    assert.deepEqual(viewQueryOf(setGrain(seg, 'conversation')).sort, [{ column: 'a', direction: 'asc' }]);
  });

  it('clamps column widths', () => {
    const w = setWidth(setWidth(s0, 'a', 5), 'b', 99_999);
    assert.deepEqual(w.grains.conversation?.widths, { a: 48, b: 1200 });
  });

  it('keeps the first visible row when the page size or mode changes', () => {
    const p = setPage(s0, 3); // rows 200..299 at 100 a page
    assert.equal(setPageSize(p, 25).page, 9); // row 200 is on page 9 of 25-row pages
    assert.equal(setPageSize(p, 33), p, 'only the offered page sizes');
    const scrolled = setMode(p, 'scroll', 200);
    assert.equal(scrolled.scrollRow, 200);
    assert.equal(setMode({ ...scrolled, pageSize: 50 }, 'pager', 260).page, 6);
  });
});
