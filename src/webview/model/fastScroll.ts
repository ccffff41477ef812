/**
 * When the grid paints its rows on a canvas (../gridCanvas.ts) instead of refilling its row elements.
 *
 * Why: in a fling every frame shows rows never seen before, so every cell of the viewport is refilled,
 * restyled, laid out and painted as DOM — ~30 ms a frame in software paint (measured: paint, layout,
 * style and layerizing ~480 cells). Painting the same text on one canvas skips all of that. The canvas is
 * used only while the view moves fast (a frame that replaces half the rows or more, soon after another
 * scroll frame); once the scrolling settles the row elements are filled again, so selection, the keyboard,
 * hit tests, tooltips and the accessibility tree work on real cells as before. A single jump (Ctrl+End,
 * the pager, a click on the scrollbar track) renders the DOM at once.
 */
export const SETTLE_MS = 150;

export class FastScrollGate {
  private _fast = false;
  private _lastFirst: number | undefined;
  private _lastScrollAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly _settleMs = SETTLE_MS) {}

  get fast(): boolean {
    return this._fast;
  }

  /**
   * A render at `now` (ms) whose first visible row is `first`, `visible` rows tall; `scrolled` when the
   * view moved since the last render (wheel, scrollbar, keys). Returns whether this frame paints on the canvas.
   */
  frame(now: number, first: number, visible: number, scrolled: boolean): boolean {
    if (scrolled) {
      const jump = this._lastFirst === undefined ? 0 : Math.abs(first - this._lastFirst);
      const soon = now - this._lastScrollAt <= this._settleMs;
      if (soon && jump >= Math.max(1, Math.ceil(visible / 2))) {
        this._fast = true;
      }
      this._lastScrollAt = now;
    }
    this._lastFirst = first;
    return this._fast;
  }

  /** Milliseconds until the scrolling counts as settled (0: now). */
  settleIn(now: number): number {
    return Math.max(0, this._lastScrollAt + this._settleMs - now);
  }

  /** The scrolling settled (or the user clicked): the rows are DOM again. */
  settle(): void {
    this._fast = false;
  }
}
