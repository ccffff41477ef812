import * as assert from 'node:assert/strict';
import { inRect, navigate, selectionRect } from '../../../src/webview/model/selection';

describe('webview grid selection', () => {
  it('spans the rectangle between anchor and cursor, whichever way it was dragged', () => {
    const r = selectionRect({ row: 9, col: 3 }, { row: 4, col: 1 });
    assert.deepEqual(r, { r0: 4, r1: 9, c0: 1, c1: 3 });
    assert.ok(inRect(r, 4, 1) && inRect(r, 9, 3) && inRect(r, 6, 2));
    assert.ok(!inRect(r, 3, 2) && !inRect(r, 6, 4) && !inRect(undefined, 0, 0));
    assert.deepEqual(selectionRect(undefined, { row: 2, col: 2 }), { r0: 2, r1: 2, c0: 2, c1: 2 });
    assert.equal(selectionRect({ row: 1, col: 1 }, undefined), undefined);
  });

  it('moves the cursor by key: arrows, pages, Home/End and Ctrl+Home/End', () => {
    const ctx = { page: 20, first: 100, last: 599, lastCol: 7, mod: false };
    const at = { row: 150, col: 2 };
    assert.deepEqual(navigate('ArrowDown', at, true, ctx), { row: 151, col: 2 });
    assert.deepEqual(navigate('ArrowDown', at, false, ctx), { row: 150, col: 2 }, 'the first Down only shows the cursor');
    assert.deepEqual(navigate('ArrowUp', at, true, ctx), { row: 149, col: 2 });
    assert.deepEqual(navigate('ArrowLeft', at, true, ctx), { row: 150, col: 1 });
    assert.deepEqual(navigate('ArrowRight', at, true, ctx), { row: 150, col: 3 });
    assert.deepEqual(navigate('PageDown', at, true, ctx), { row: 170, col: 2 });
    assert.deepEqual(navigate('PageUp', at, true, ctx), { row: 130, col: 2 });
    assert.deepEqual(navigate('Home', at, true, ctx), { row: 150, col: 0 });
    assert.deepEqual(navigate('End', at, true, ctx), { row: 150, col: 7 });
    assert.deepEqual(navigate('Home', at, true, { ...ctx, mod: true }), { row: 100, col: 0 });
    assert.deepEqual(navigate('End', at, true, { ...ctx, mod: true }), { row: 599, col: 7 });
    assert.equal(navigate('Enter', at, true, ctx), undefined);
  });
});
