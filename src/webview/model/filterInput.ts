/** What the filter popup offers per column type, and how typed text becomes a filter value (DOM-free). */
import type { ColumnFilter, ColumnType, FilterOp } from '../../results/view/viewTypes';
import type { TimeZoneMode } from '../../shared/protocol';
import { formatDuration, formatTime } from './format';

export const OP_LABELS: Record<FilterOp, string> = {
  contains: 'contains',
  equals: 'equals',
  notEquals: 'does not equal',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  between: 'between',
  empty: 'is empty',
  notEmpty: 'is not empty',
};

export function opsFor(type: ColumnType): FilterOp[] {
  switch (type) {
    case 'string':
      return ['contains', 'equals', 'notEquals', 'empty', 'notEmpty'];
    case 'boolean':
      return ['equals', 'empty', 'notEmpty'];
    default:
      return ['between', 'gte', 'lte', 'gt', 'lt', 'equals', 'notEquals', 'empty', 'notEmpty'];
  }
}

export function needsValue(op: FilterOp): 0 | 1 | 2 {
  return op === 'empty' || op === 'notEmpty' ? 0 : op === 'between' ? 2 : 1;
}

export type Parsed = { ok: true; value: string | number | boolean } | { ok: false; error: string };

/** "1:02:03", "2:03" or "75" (seconds) → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) {
    return Math.round(Number(t) * 1000);
  }
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})$/.exec(t);
  if (!m) {
    return undefined;
  }
  const [, h, mi, s] = m;
  if (Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  return ((Number(h ?? 0) * 60 + Number(mi)) * 60 + Number(s)) * 1000;
}

/**
 * "2026-03-01", "2026-03-01 14:30[:15]" in the zone the table shows (UTC or the browser's), or a full ISO
 * instant with its own offset → an ISO instant.
 */
export function parseTime(text: string, mode: TimeZoneMode): string | undefined {
  const t = text.trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(t) && !Number.isNaN(Date.parse(t))) {
    return new Date(t).toISOString();
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (!m) {
    return undefined;
  }
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const date = mode === 'utc' ? new Date(Date.UTC(y, mo - 1, d, h, mi, s)) : new Date(y, mo - 1, d, h, mi, s);
  // Date rolls 2026-02-31 over to March: refuse instead.
  const check = mode === 'utc' ? date.getUTCDate() : date.getDate();
  return Number.isNaN(date.getTime()) || check !== d ? undefined : date.toISOString();
}

export function parseValue(text: string, type: ColumnType, mode: TimeZoneMode): Parsed {
  const t = text.trim();
  if (t === '') {
    return { ok: false, error: 'Enter a value' };
  }
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'number': {
      const n = Number(t);
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: `'${t}' is not a number` };
    }
    case 'duration': {
      const ms = parseDuration(t);
      return ms === undefined ? { ok: false, error: `'${t}' is not a duration: use h:mm:ss, m:ss or seconds` } : { ok: true, value: ms };
    }
    case 'time': {
      const iso = parseTime(t, mode);
      return iso ? { ok: true, value: iso } : { ok: false, error: `'${t}' is not a time: use YYYY-MM-DD HH:mm:ss (${mode === 'utc' ? 'UTC' : 'local time'}) or ISO 8601` };
    }
    case 'boolean':
      return t === 'true' || t === 'false' ? { ok: true, value: t === 'true' } : { ok: false, error: 'Use true or false' };
  }
}

/** A filter value as the user would type it back (the popup's initial text). */
export function valueText(value: ColumnFilter['value'], type: ColumnType, mode: TimeZoneMode): string {
  if (value === undefined) {
    return '';
  }
  if (type === 'duration' && typeof value === 'number') {
    return formatDuration(value);
  }
  if (type === 'time' && typeof value === 'string') {
    return formatTime(value, mode);
  }
  return String(value);
}

/** Builds a filter from the popup's fields, or says what is wrong. */
export function buildFilter(column: string, type: ColumnType, op: FilterOp, text1: string, text2: string, mode: TimeZoneMode): { ok: true; filter: ColumnFilter } | { ok: false; error: string } {
  const n = needsValue(op);
  if (n === 0) {
    return { ok: true, filter: { column, op } };
  }
  const v1 = parseValue(text1, type, mode);
  if (!v1.ok) {
    return v1;
  }
  if (n === 1) {
    return { ok: true, filter: { column, op, value: v1.value } };
  }
  const v2 = parseValue(text2, type, mode);
  if (!v2.ok) {
    return v2;
  }
  return { ok: true, filter: { column, op, value: v1.value, value2: v2.value } };
}
