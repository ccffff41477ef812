/** The grid's cell selection: a cursor and an anchor (Shift extends), as a rectangle of rows × columns. */

export interface Cursor {
  row: number;
  col: number;
}

export interface Rect {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

export function selectionRect(anchor: Cursor | undefined, cursor: Cursor | undefined): Rect | undefined {
  const a = anchor ?? cursor;
  const c = cursor;
  if (!a || !c) {
    return undefined;
  }
  return { r0: Math.min(a.row, c.row), r1: Math.max(a.row, c.row), c0: Math.min(a.col, c.col), c1: Math.max(a.col, c.col) };
}

export function inRect(r: Rect | undefined, row: number, col: number): boolean {
  return !!r && row >= r.r0 && row <= r.r1 && col >= r.c0 && col <= r.c1;
}

/** Where a navigation key moves the cursor (undefined: not a navigation key). */
export function navigate(key: string, c: Cursor, hasCursor: boolean, ctx: { page: number; first: number; last: number; lastCol: number; mod: boolean }): Cursor | undefined {
  switch (key) {
    case 'ArrowDown':
      return { row: hasCursor ? c.row + 1 : c.row, col: c.col };
    case 'ArrowUp':
      return { row: c.row - 1, col: c.col };
    case 'ArrowRight':
      return { row: c.row, col: c.col + 1 };
    case 'ArrowLeft':
      return { row: c.row, col: c.col - 1 };
    case 'PageDown':
      return { row: c.row + ctx.page, col: c.col };
    case 'PageUp':
      return { row: c.row - ctx.page, col: c.col };
    case 'Home':
      return ctx.mod ? { row: ctx.first, col: 0 } : { row: c.row, col: 0 };
    case 'End':
      return ctx.mod ? { row: ctx.last, col: ctx.lastCol } : { row: c.row, col: ctx.lastCol };
    default:
      return undefined;
  }
}
