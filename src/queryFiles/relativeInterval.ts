/**
 * Relative intervals of query files, resolved when the query runs, in an IANA zone, to the ISO UTC
 * `start/end` that is sent, shown and recorded. Grammar (intervalGrammar.ts, lower case):
 * - named ranges of whole local days: `today`, `yesterday`, `this week`, `last week` (weeks start on
 *   Monday, ISO 8601), `this month`, `last month`, `last N days|weeks|months` (the N whole units before the
 *   current one, e.g. `last 7 days` ends at today's midnight), `last N hours` (whole hours before this one);
 * - `start/end` where an end is `now`, `now-<duration>`, `now+<duration>`, an ISO instant, or (one side
 *   only) an ISO duration: `P1D/now`, `PT4H/now`, `2026-01-01T00:00:00Z/P1W`.
 * Durations add calendar units (Y, M, W, D) on the local calendar, keeping the wall time (so `P1D/now` across a
 * DST change lasts 23 or 25 hours), then exact time units (H, M, S).
 */
import { parseInstant } from '../api/isoInstant';
import { DURATION_SOURCE, ISO_INSTANT_SOURCE } from './intervalGrammar';
import { addCalendar, instantOf, isKnownTimeZone, isoWeekday, startOfDay, wallAt, type WallTime } from './zonedTime';

export type ResolvedInterval = { interval: string } | { error: string };

interface Duration {
  years: number;
  months: number;
  days: number;
  ms: number;
}

const DURATION_RE = new RegExp(`^${DURATION_SOURCE}$`);
const ISO_RE = new RegExp(`^${ISO_INSTANT_SOURCE}$`);
const NOW_RE = new RegExp(`^now(?:([+-])(${DURATION_SOURCE}))?$`);
const LAST_N_RE = /^last (\d+) (day|week|month|hour)s?$/;

function parseDuration(text: string): Duration | undefined {
  if (!DURATION_RE.test(text) || text === 'P' || text.endsWith('T')) {
    return undefined;
  }
  const num = (re: RegExp, s: string): number => Number(re.exec(s)?.[1] ?? 0);
  const [date, time = ''] = text.slice(1).split('T') as [string, string?];
  return {
    years: num(/(\d+)Y/, date),
    months: num(/(\d+)M/, date),
    days: num(/(\d+)W/, date) * 7 + num(/(\d+)D/, date),
    ms: (num(/(\d+)H/, time) * 3600 + num(/(\d+)M/, time) * 60 + num(/([\d.]+)S/, time)) * 1000,
  };
}

/** An instant plus (sign 1) or minus (sign -1) a duration, calendar parts on the zone's calendar. */
function shift(utcMs: number, d: Duration, sign: 1 | -1, zone: string): number {
  let t = utcMs;
  if (d.years || d.months || d.days) {
    const w = wallAt(utcMs, zone);
    const subSecond = utcMs - Math.floor(utcMs / 1000) * 1000;
    t = instantOf(addCalendar(w, sign * d.years, sign * d.months, sign * d.days), zone) + subSecond;
  }
  return t + sign * d.ms;
}

type End = { at: number } | { duration: Duration } | { error: string };

function parseEnd(text: string, now: Date, zone: string): End {
  const nowMatch = NOW_RE.exec(text);
  if (nowMatch) {
    const [, sign, dur] = nowMatch;
    if (!sign || !dur) {
      return { at: now.getTime() };
    }
    const d = parseDuration(dur);
    return d ? { at: shift(now.getTime(), d, sign === '+' ? 1 : -1, zone) } : { error: `'${dur}' is not an ISO-8601 duration such as P1D or PT4H.` };
  }
  if (text.startsWith('P')) {
    const d = parseDuration(text);
    return d ? { duration: d } : { error: `'${text}' is not an ISO-8601 duration such as P1D or PT4H.` };
  }
  const at = ISO_RE.test(text) ? parseInstant(text) : undefined;
  return at === undefined ? { error: `'${text}' is not an ISO-8601 date-time such as 2026-01-01T00:00:00Z.` } : { at };
}

const between = (start: number, end: number): ResolvedInterval => ({ interval: `${new Date(start).toISOString()}/${new Date(end).toISOString()}` });

function namedRange(expr: string, now: Date, zone: string): ResolvedInterval | undefined {
  const today = startOfDay(wallAt(now.getTime(), zone));
  const day = (offset: number): number => instantOf(addCalendar(today, 0, 0, offset), zone);
  const monday = addCalendar(today, 0, 0, 1 - isoWeekday(today));
  const week = (offset: number): number => instantOf(addCalendar(monday, 0, 0, 7 * offset), zone);
  const first: WallTime = { ...today, day: 1 };
  const month = (offset: number): number => instantOf(addCalendar(first, 0, offset, 0), zone);
  switch (expr) {
    case 'today':
      return between(day(0), day(1));
    case 'yesterday':
      return between(day(-1), day(0));
    case 'this week':
      return between(week(0), week(1));
    case 'last week':
      return between(week(-1), week(0));
    case 'this month':
      return between(month(0), month(1));
    case 'last month':
      return between(month(-1), month(0));
  }
  const last = LAST_N_RE.exec(expr);
  if (!last) {
    return undefined;
  }
  const n = Number(last[1]);
  if (n < 1 || n > 3660) {
    return { error: `'${expr}': the count must be from 1 to 3660.` };
  }
  switch (last[2]) {
    case 'day':
      return between(day(-n), day(0));
    case 'week':
      return between(week(-n), week(0));
    case 'month':
      return between(month(-n), month(0));
    default: {
      const hour = instantOf({ ...wallAt(now.getTime(), zone), minute: 0, second: 0 }, zone);
      return between(hour - n * 3_600_000, hour);
    }
  }
}

/** Whether an interval is already absolute (two ISO instants), so nothing needs resolving. */
export function isAbsoluteInterval(expr: string): boolean {
  const parts = expr.trim().split('/');
  return parts.length === 2 && parts.every((p) => ISO_RE.test(p.trim()));
}

/**
 * Resolves an interval expression at `now` in `timeZone` (IANA) to ISO UTC `start/end`. An absolute
 * interval comes back unchanged; anything unrecognised is an `error` that says what is accepted.
 */
export function resolveInterval(expr: string, now: Date, timeZone: string): ResolvedInterval {
  const text = expr.trim();
  if (isAbsoluteInterval(text)) {
    return { interval: text };
  }
  if (!isKnownTimeZone(timeZone)) {
    return { error: `Unknown time zone '${timeZone}': use an IANA name such as Europe/London, America/New_York or UTC.` };
  }
  const named = namedRange(text, now, timeZone);
  if (named) {
    return named;
  }
  const parts = text.split('/').map((p) => p.trim());
  if (parts.length !== 2) {
    return { error: `'${text}' is not an interval: use ISO-8601 start/end, or "yesterday", "last 7 days", "this week", "P1D/now".` };
  }
  const [a, b] = parts.map((p) => parseEnd(p, now, timeZone)) as [End, End];
  for (const e of [a, b]) {
    if ('error' in e) {
      return e;
    }
  }
  if ('at' in a && 'at' in b) {
    return between(a.at, b.at);
  }
  if ('duration' in a && 'at' in b) {
    return between(shift(b.at, a.duration, -1, timeZone), b.at);
  }
  if ('at' in a && 'duration' in b) {
    return between(a.at, shift(a.at, b.duration, 1, timeZone));
  }
  return { error: `'${text}' has a duration at both ends; one end must be an instant or "now".` };
}
