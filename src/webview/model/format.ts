/**
 * How cells read in the grid and in copies (DOM-free, unit-tested in Node). The engine sends raw values
 * (ISO times, milliseconds, IDs); formatting happens here so the time-zone toggle and names need no
 * round trip, and copies can carry the same text the user sees.
 */
import type { Cell, ColumnInfo } from '../../results/view/viewTypes';
import type { NameMap, TimeZoneMode } from '../../shared/protocol';

/** Milliseconds as h:mm:ss (hours unbounded, seconds rounded); negative values keep their sign. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    return '';
  }
  const sign = ms < 0 ? '-' : '';
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = zoneFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    zoneFormats.set(key, f);
  }
  return f;
}

/**
 * An ISO instant as `YYYY-MM-DD HH:mm:ss` in UTC or in a local zone (the browser's, unless `localZone`
 * names an IANA zone: tests pin it). Unparseable text is shown as it came.
 */
export function formatTime(iso: string, mode: TimeZoneMode, localZone?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    return iso;
  }
  const d = new Date(t);
  if (mode === 'utc') {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  const parts: Record<string, string> = {};
  for (const p of zoneFormat(localZone).formatToParts(d)) {
    parts[p.type] = p.value;
  }
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Column-header suffix naming the zone times are shown in. */
export function zoneLabel(mode: TimeZoneMode, localZone?: string): string {
  if (mode === 'utc') {
    return 'UTC';
  }
  return localZone ?? zoneFormat(undefined).resolvedOptions().timeZone;
}

export interface FormatContext {
  readonly timeZone: TimeZoneMode;
  readonly names: NameMap;
  /** IANA zone for 'local'; the browser's when absent. */
  readonly localZone?: string;
}

export interface FormattedCell {
  readonly text: string;
  /** Hover text: the raw value behind a formatted one (ISO time, milliseconds, IDs). */
  readonly title?: string;
}

/** Multi-valued ID cells arrive joined with ';' (the engine's flattening). */
function namesFor(value: string, names: NameMap): string {
  return value
    .split(';')
    .map((id) => names[id] ?? id)
    .join('; ');
}

/** Numbers and durations align right, in the header, the cells and the canvas alike. */
export function alignsRight(column: Pick<ColumnInfo, 'type'>): boolean {
  return column.type === 'number' || column.type === 'duration';
}

export function formatCell(value: Cell, column: Pick<ColumnInfo, 'type' | 'idKind'>, ctx: FormatContext): FormattedCell {
  if (value === null) {
    return { text: '' };
  }
  if (column.type === 'time' && typeof value === 'string') {
    return { text: formatTime(value, ctx.timeZone, ctx.localZone), title: value };
  }
  if (column.type === 'duration' && typeof value === 'number') {
    return { text: formatDuration(value), title: `${value} ms` };
  }
  if (column.idKind && typeof value === 'string') {
    const text = namesFor(value, ctx.names);
    return text === value ? { text } : { text, title: value };
  }
  return { text: String(value) };
}

/** One TSV field: quoted (Excel style) only when it holds a tab, newline or quote. */
function tsvField(text: string): string {
  return /[\t\r\n"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toTsv(header: readonly string[] | undefined, rows: readonly (readonly string[])[]): string {
  const lines = header ? [header.map(tsvField).join('\t')] : [];
  for (const r of rows) {
    lines.push(r.map(tsvField).join('\t'));
  }
  return lines.join('\n');
}

/** Raw values keyed by column id: JSON copies are for programs, so no display formatting. */
export function toJsonRows(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const objects = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])));
  return JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2);
}

/**
 * A count with thousands separators ("159,229"). Integers are grouped by hand: `toLocaleString` builds an
 * ICU formatter on its first calls, which cost ~40 ms of the table's first paint in Chromium.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) {
    return n.toLocaleString('en-US');
  }
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) {
    out += `,${digits.slice(i, i + 3)}`;
  }
  return n < 0 ? `-${out}` : out;
}
