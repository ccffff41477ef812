import * as assert from 'node:assert/strict';
import {
  clampVirtualTop,
  covers,
  MAX_SCROLL_PX,
  physicalHeight,
  revealRow,
  rowsPerPage,
  rowTop,
  scrollScale,
  scrollTopFromVirtualTop,
  virtualTopFromScrollTop,
  visibleColumns,
  visibleRange,
  windowFor,
} from '../../../src/webview/model/virtualScroll';

describe('webview virtual scrolling', () => {
  const small = { rows: 1000, rowHeight: 24, viewport: 480 };
  const million = { rows: 1_000_000, rowHeight: 24, viewport: 600 };

  it('maps scrollTop one to one while the view fits under the height cap', () => {
    assert.equal(physicalHeight(small), 24_000);
    assert.equal(scrollScale(small), 1);
    assert.equal(virtualTopFromScrollTop(small, 240), 240);
    assert.equal(scrollTopFromVirtualTop(small, 240), 240);
    assert.deepEqual(visibleRange(small, 240), { first: 10, end: 30 });
  });

  it('caps the spacer below Chromium\'s ~16.7M px for a million 24 px rows and scales scrollTop', () => {
    assert.ok(physicalHeight(million) <= MAX_SCROLL_PX);
    assert.ok(MAX_SCROLL_PX < 16_777_216);
    const scale = scrollScale(million);
    assert.ok(scale > 2.3 && scale < 2.5, String(scale));
    // The bottom of the scrollbar reaches the very last row.
    const bottom = physicalHeight(million) - million.viewport;
    const vt = virtualTopFromScrollTop(million, bottom);
    assert.equal(vt, 1_000_000 * 24 - 600);
    assert.equal(visibleRange(million, vt).end, 1_000_000);
    // Half way down the scrollbar is half way through the rows.
    const mid = visibleRange(million, virtualTopFromScrollTop(million, bottom / 2)).first;
    assert.ok(Math.abs(mid - 499_987) <= 1, String(mid));
  });

  it('round-trips virtual tops through scrollTop within one physical pixel of error', () => {
    for (const row of [0, 1, 12_345, 500_000, 999_975]) {
      const vt = row * 24;
      const back = virtualTopFromScrollTop(million, scrollTopFromVirtualTop(million, vt));
      assert.ok(Math.abs(back - clampVirtualTop(million, vt)) <= scrollScale(million), `row ${row}`);
    }
  });

  it('places rows relative to the physical viewport so they sit where the virtual top says', () => {
    const vt = 777_777 * 24 + 10;
    const st = scrollTopFromVirtualTop(million, vt);
    // Row 777,777 starts 10 px above the top of the viewport.
    assert.equal(rowTop(million, 777_777, vt, st), st - 10);
    assert.equal(rowTop(million, 777_778, vt, st), st + 14);
  });

  it('renders only the visible rows plus overscan, clipped to the view', () => {
    assert.deepEqual(visibleRange(million, 24 * 100, 5), { first: 95, end: 130 });
    assert.deepEqual(visibleRange({ ...small, rows: 3 }, 0, 5), { first: 0, end: 3 });
    assert.deepEqual(visibleRange({ ...small, rows: 0 }, 0, 5), { first: 0, end: 0 });
  });

  it('reveals a row with the least movement (keyboard navigation)', () => {
    assert.equal(revealRow(small, 240, 15), 240); // already visible
    assert.equal(revealRow(small, 240, 5), 120); // above: align top
    assert.equal(revealRow(small, 240, 40), 41 * 24 - 480); // below: align bottom
    assert.equal(rowsPerPage(small), 20);
  });

  it('asks for the visible window plus a margin, never more than the cap, never past the end', () => {
    assert.deepEqual(windowFor({ first: 500, end: 530 }, 1000, 100, 2000), { offset: 400, limit: 230 });
    assert.deepEqual(windowFor({ first: 0, end: 30 }, 1000, 100, 2000), { offset: 0, limit: 130 });
    assert.deepEqual(windowFor({ first: 980, end: 1000 }, 1000, 100, 2000), { offset: 880, limit: 120 });
    const big = windowFor({ first: 0, end: 1000 }, 1_000_000, 1500, 2000);
    assert.ok(big.limit <= 2000);
    assert.deepEqual(windowFor({ first: 0, end: 0 }, 0, 100, 2000), { offset: 0, limit: 0 });
  });

  it('knows when a loaded window covers what is visible', () => {
    assert.ok(covers({ offset: 400, count: 230 }, { first: 500, end: 530 }, 1000));
    assert.ok(!covers({ offset: 400, count: 100 }, { first: 500, end: 530 }, 1000));
    assert.ok(!covers(undefined, { first: 0, end: 10 }, 1000));
    // The range is clipped to the rows there are.
    assert.ok(covers({ offset: 990, count: 10 }, { first: 995, end: 1010 }, 1000));
  });

  it('fills only the columns that meet the horizontal viewport, with one more on each side', () => {
    const widths = [100, 200, 300, 150, 250, 400];
    // Columns span 0–100, 100–300, 300–600, 600–750, 750–1000, 1000–1400.
    assert.deepEqual(visibleColumns(widths, 0, 1400, 0), { first: 0, end: 6 });
    assert.deepEqual(visibleColumns(widths, 0, 300, 0), { first: 0, end: 2 });
    assert.deepEqual(visibleColumns(widths, 0, 300), { first: 0, end: 3 });
    // A column that ends exactly at the left edge is out; one that starts exactly at the right edge too.
    assert.deepEqual(visibleColumns(widths, 300, 450, 0), { first: 2, end: 4 });
    assert.deepEqual(visibleColumns(widths, 301, 450, 0), { first: 2, end: 5 });
    assert.deepEqual(visibleColumns(widths, 700, 200), { first: 2, end: 6 });
    assert.deepEqual(visibleColumns(widths, 1300, 600), { first: 4, end: 6 });
    // Width not known yet: every column.
    assert.deepEqual(visibleColumns(widths, 0, Number.POSITIVE_INFINITY), { first: 0, end: 6 });
    assert.deepEqual(visibleColumns([], 0, 800), { first: 0, end: 0 });
  });
});
