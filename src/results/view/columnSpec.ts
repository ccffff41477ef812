import type { ColumnInfo, ColumnType, Grain, IdKind } from './viewTypes';

/**
 * A column of a grain's table: what the webview sees (ColumnInfo) plus the SQL expression the loader
 * computes it with. Expressions are written here by us, never taken from the webview.
 */
export interface ColumnSpec extends ColumnInfo {
  /** SQL over the loader's staging relations (see loader.ts), e.g. `st.c.conversationId`. */
  readonly expr: string;
}

/** Hidden key columns of every grain table: the row's place in the run (conversation index, …). */
export const KEY_COLUMNS: Readonly<Record<Grain, readonly string[]>> = {
  conversation: ['conv_idx'],
  participant: ['conv_idx', 'p_idx'],
  session: ['conv_idx', 'p_idx', 's_idx'],
  segment: ['conv_idx', 'p_idx', 's_idx', 'g_idx'],
};

/** Column ids double as DuckDB column names: plain identifiers only, checked at start-up by a unit test. */
export const COLUMN_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

export interface SpecOptions {
  readonly show?: boolean;
  readonly idKind?: IdKind;
}

export function spec(id: string, label: string, type: ColumnType, expr: string, options: SpecOptions = {}): ColumnSpec {
  return {
    id,
    label,
    type,
    expr,
    defaultVisible: options.show ?? false,
    ...(options.idKind ? { idKind: options.idKind } : {}),
  };
}

/** DuckDB storage type of a column type. Times are UTC TIMESTAMPs; durations integer milliseconds. */
export function sqlType(type: ColumnType): string {
  switch (type) {
    case 'string':
      return 'VARCHAR';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'time':
      return 'TIMESTAMP';
    case 'duration':
      return 'BIGINT';
  }
}

/** Double-quoted SQL identifier (ids are already restricted to COLUMN_ID_PATTERN; quoting keeps case). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A list joined with ';' (as src/results/flatten.ts does), NULL when empty. */
export function joined(listExpr: string): string {
  return `NULLIF(array_to_string(${listExpr}, ';'), '')`;
}

/** Distinct non-empty values of `expr` over a group, sorted, joined with ';'; NULL when none. */
export function joinDistinct(expr: string, where = 'TRUE'): string {
  return `NULLIF(array_to_string(list_sort(list_distinct(list(NULLIF(${expr}, '')) FILTER (${where}))), ';'), '')`;
}

/** Milliseconds between two TIMESTAMP expressions. */
export function millisBetween(start: string, end: string): string {
  return `date_diff('millisecond', ${start}, ${end})`;
}

export function toInfo(s: ColumnSpec): ColumnInfo {
  return {
    id: s.id,
    label: s.label,
    type: s.type,
    defaultVisible: s.defaultVisible,
    ...(s.idKind ? { idKind: s.idKind } : {}),
  };
}
