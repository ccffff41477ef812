/**
 * The grid's rows painted on one canvas while the view moves fast (./model/fastScroll.ts says when and
 * why). It paints the same frame the row elements would show (./gridRows.ts `RowsFrame`): the same rows,
 * column widths, formatting, stripes, selection and separators, so the switch back to the elements is
 * seamless but for the ellipsis of clipped text. Values are drawn with fillText: data is never markup.
 */
import { el } from './dom';
import type { RowsFrame } from './gridRows';
import { alignsRight, formatCell } from './model/format';
import { rowTop, visibleRange } from './model/virtualScroll';

/** `.cell`'s horizontal padding and right border (styles.css). */
const PAD = 6;
const BORDER = 1;
/** The odd rows' stripe: the foreground at 4 % (styles.css `.grid-row.odd`). */
const STRIPE_ALPHA = 0.04;

interface Theme {
  readonly font: string;
  readonly text: string;
  readonly background: string;
  readonly border: string;
  readonly selectedRow: string;
  readonly selectedCell: string;
  readonly selectedText: string;
  readonly focus: string;
  readonly pending: string;
}

export class RowCanvas {
  readonly element: HTMLCanvasElement;
  private readonly _ctx: CanvasRenderingContext2D | null;
  private _theme: Theme | undefined;

  constructor() {
    this.element = el('canvas', { className: 'grid-canvas', attrs: { 'aria-hidden': 'true' } });
    this.element.hidden = true;
    this._ctx = this.element.getContext('2d', { alpha: false });
  }

  /** False where the page gets no 2D context (canvas disabled, contexts exhausted): the rows stay elements. */
  get canPaint(): boolean {
    return this._ctx !== null;
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  /** Shows the canvas, with the theme's colours read now (a theme may have changed since the last time). */
  show(): void {
    this._theme = readTheme(this.element);
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }

  /** Paints the rows of `f` that meet a viewport of `width` × `height` CSS px scrolled `scrollLeft` across. */
  paint(f: RowsFrame, width: number, height: number, scrollLeft: number): void {
    const ctx = this._ctx;
    const t = this._theme;
    if (!ctx || !t) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(width * dpr));
    const h = Math.max(1, Math.round(height * dpr));
    if (this.element.width !== w || this.element.height !== h) {
      // Resizing clears the bitmap and costs an allocation: only when the viewport changed.
      this.element.width = w;
      this.element.height = h;
      this.element.style.width = `${width}px`;
      this.element.style.height = `${height}px`;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = t.background;
    ctx.fillRect(0, 0, width, height);

    const g = f.geometry;
    const range = visibleRange(g, f.virtualTop, 0);
    const rh = g.rowHeight;
    const tops: number[] = [];
    for (let i = range.first; i < range.end; i++) {
      const y = rowTop(g, i, f.virtualTop, f.scrollTop) - f.scrollTop;
      tops.push(y);
      const row = f.base + i;
      if (f.selectedRow === row) {
        ctx.fillStyle = t.selectedRow;
        ctx.fillRect(0, y, width, rh);
      } else if (row % 2 === 1) {
        ctx.globalAlpha = STRIPE_ALPHA;
        ctx.fillStyle = t.text;
        ctx.fillRect(0, y, width, rh);
        ctx.globalAlpha = 1;
      }
    }

    ctx.font = t.font;
    ctx.textBaseline = 'middle';
    let x = -scrollLeft;
    for (let j = 0; j < f.columns.length; j++) {
      const cw = f.widths[j] ?? 0;
      const left = x;
      x += cw;
      if (j < f.shownColumns.first || j >= f.shownColumns.end || left >= width || left + cw <= 0) {
        continue;
      }
      const c = f.columns[j]!;
      const right = alignsRight(c);
      ctx.fillStyle = t.border;
      ctx.fillRect(left + cw - BORDER, 0, BORDER, height);
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, 0, cw - BORDER, height);
      ctx.clip();
      ctx.textAlign = right ? 'right' : 'left';
      const tx = right ? left + cw - BORDER - PAD : left + PAD;
      for (let k = 0; k < tops.length; k++) {
        const y = tops[k]!;
        const row = f.base + range.first + k;
        const selected = f.selected(row, j);
        if (selected) {
          ctx.fillStyle = t.selectedCell;
          ctx.fillRect(left, y, cw - BORDER, rh);
        }
        const value = f.cell(row, c.id);
        if (value === undefined) {
          // The row elements' placeholder bar (styles.css `.grid-row.pending .cell::after`).
          ctx.globalAlpha = 0.5;
          ctx.fillStyle = t.pending;
          ctx.fillRect(left + PAD, y + rh / 2 - 3, (cw - 2 * PAD - BORDER) * 0.6, 6);
          ctx.globalAlpha = 1;
          continue;
        }
        ctx.fillStyle = selected ? t.selectedText : t.text;
        // One pixel below the middle: where the row elements' line box puts the text (compared in screenshots).
        ctx.fillText(formatCell(value, c, f.fmt).text, tx, y + rh / 2 + 1);
      }
      ctx.restore();
      for (let k = 0; k < tops.length; k++) {
        if (f.active(f.base + range.first + k, j)) {
          ctx.strokeStyle = t.focus;
          ctx.lineWidth = 1;
          ctx.strokeRect(left + 0.5, tops[k]! + 0.5, cw - 1, rh - 1);
        }
      }
    }
  }
}

/** The colours and font the row elements get from the theme (styles.css), resolved on the canvas element. */
function readTheme(canvas: HTMLElement): Theme {
  const cs = getComputedStyle(canvas);
  // Custom properties compute with their var() references substituted: plain colours a canvas can use.
  const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
  const text = cs.color;
  const selectedCell = v('--vscode-editor-selectionBackground', 'rgba(38, 79, 120, 0.6)');
  return {
    font: `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`,
    text,
    background: opaque(cs.backgroundColor) ?? opaque(getComputedStyle(document.body).backgroundColor) ?? 'white',
    // Fallbacks as the row elements get them: an unset border variable draws no separator.
    border: v('--border', 'transparent'),
    selectedRow: v('--vscode-list-inactiveSelectionBackground', selectedCell),
    selectedCell,
    selectedText: v('--vscode-editor-selectionForeground', text),
    focus: v('--focus', text),
    pending: v('--vscode-editorWidget-border', v('--border', text)),
  };
}

/** A colour the canvas can fill with, or undefined for a transparent one (an opaque canvas would show black). */
function opaque(colour: string): string | undefined {
  return colour === 'transparent' || colour === 'rgba(0, 0, 0, 0)' ? undefined : colour;
}
