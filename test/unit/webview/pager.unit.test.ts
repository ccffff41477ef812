import * as assert from 'node:assert/strict';
import { clampPage, pageCount, pageOfRow, pagerLabel, pageRows } from '../../../src/webview/model/pager';

describe('webview pager', () => {
  it('labels a page as "Page 3 of 57 · rows 201–300 of 5,612"', () => {
    assert.equal(pagerLabel(3, 100, 5612), 'Page 3 of 57 · rows 201–300 of 5,612');
    assert.equal(pagerLabel(57, 100, 5612), 'Page 57 of 57 · rows 5,601–5,612 of 5,612');
    assert.equal(pagerLabel(1, 25, 0), 'No rows');
  });

  it('clamps page numbers into 1..pageCount', () => {
    assert.equal(pageCount(0, 100), 1);
    assert.equal(pageCount(1001, 1000), 2);
    assert.equal(clampPage(0, 500, 100), 1);
    assert.equal(clampPage(99, 500, 100), 5);
    assert.equal(clampPage(Number.NaN, 500, 100), 1);
    assert.equal(clampPage(2.7, 500, 100), 2);
  });

  it('gives the row range of a page and the page of a row', () => {
    assert.deepEqual(pageRows(2, 25, 40), { start: 25, end: 40 });
    assert.deepEqual(pageRows(1, 25, 0), { start: 0, end: 0 });
    assert.equal(pageOfRow(0, 50), 1);
    assert.equal(pageOfRow(249, 50), 5);
    assert.equal(pageOfRow(250, 50), 6);
  });
});
