import type { Cell, ColumnInfo, ColumnType, Grain, IdKind } from './viewTypes';

/**
 * A column of a grain's table: what the webview sees (ColumnInfo) plus how the loader computes its value
 * from the analysed record (analyze.ts). Times are stored as epoch milliseconds.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each grain has its own context type
export interface ColumnSpec<Ctx = any> extends ColumnInfo {
  readonly get: (ctx: Ctx) => Cell | undefined;
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

export function spec<Ctx>(id: string, label: string, type: ColumnType, get: (ctx: Ctx) => Cell | undefined, options: SpecOptions = {}): ColumnSpec<Ctx> {
  return {
    id,
    label,
    type,
    get,
    defaultVisible: options.show ?? false,
    ...(options.idKind ? { idKind: options.idKind } : {}),
  };
}

/**
 * DuckDB storage type of a column type. Times are epoch milliseconds and durations milliseconds, both
 * DOUBLE (exact below 2^53): plain JS numbers reach the appender without a conversion per value.
 */
export function sqlType(type: ColumnType): string {
  switch (type) {
    case 'string':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'DOUBLE';
  }
}

/** Double-quoted SQL identifier (ids are already restricted to COLUMN_ID_PATTERN; quoting keeps case). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A list of strings or numbers joined with ';' (as src/results/flatten.ts does); undefined when empty. */
export function joined(value: unknown): string | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  const parts = value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  return parts.length > 0 ? parts.join(';') : undefined;
}

/** Milliseconds between two epoch-ms times, when both are known. */
export function millisBetween(start: number | null, end: number | null): number | undefined {
  return start === null || end === null ? undefined : end - start;
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
