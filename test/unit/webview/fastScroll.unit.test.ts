import * as assert from 'node:assert/strict';
import { FastScrollGate, SETTLE_MS } from '../../../src/webview/model/fastScroll';

describe('webview fast scrolling (canvas or row elements)', () => {
  it('paints on the canvas once scroll frames in quick succession each replace half the rows or more', () => {
    const gate = new FastScrollGate();
    assert.equal(gate.frame(0, 0, 30, false), false, 'the first render');
    // One jump alone (Ctrl+End, a click on the scrollbar track) renders the row elements at once.
    assert.equal(gate.frame(5_000, 900, 30, true), false);
    // The next one within the settle time moves 15 of 30 rows: a fling.
    assert.equal(gate.frame(5_016, 915, 30, true), true);
    assert.equal(gate.fast, true);
  });

  it('keeps the row elements for small steps however quick (a slow wheel, arrow keys)', () => {
    const gate = new FastScrollGate();
    let now = 0;
    let first = 0;
    gate.frame(now, first, 30, false);
    for (let i = 0; i < 50; i++) {
      now += 16;
      first += 14;
      assert.equal(gate.frame(now, first, 30, true), false, `frame ${i}`);
    }
  });

  it('counts a jump against the last render, whatever drove it, and a slow second jump as a new start', () => {
    const gate = new FastScrollGate();
    gate.frame(0, 0, 30, true);
    // A window arriving re-renders the same rows: not a move.
    assert.equal(gate.frame(10, 0, 30, false), false);
    assert.equal(gate.frame(20, 5, 30, true), false);
    assert.equal(gate.frame(20 + SETTLE_MS + 1, 200, 30, true), false, 'too long after the last scroll frame');
    assert.equal(gate.frame(20 + SETTLE_MS + 17, 400, 30, true), true);
  });

  it('stays on the canvas through renders without scrolling until the view settles, then says when', () => {
    const gate = new FastScrollGate();
    gate.frame(0, 0, 30, true);
    gate.frame(16, 100, 30, true);
    assert.equal(gate.frame(40, 100, 30, false), true, 'a window arrived mid-fling: repainted on the canvas');
    assert.equal(gate.settleIn(16), SETTLE_MS);
    assert.equal(gate.settleIn(100), SETTLE_MS - 84);
    assert.equal(gate.settleIn(16 + SETTLE_MS + 5), 0);
    gate.settle();
    assert.equal(gate.fast, false);
    assert.equal(gate.frame(16 + SETTLE_MS + 5, 100, 30, false), false);
  });

  it('treats a one-row viewport as moving fast at one row a frame', () => {
    const gate = new FastScrollGate();
    gate.frame(0, 0, 1, true);
    assert.equal(gate.frame(16, 0, 1, true), false, 'no move');
    assert.equal(gate.frame(32, 1, 1, true), true);
  });
});
