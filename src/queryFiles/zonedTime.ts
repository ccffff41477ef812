/**
 * Wall-clock time in an IANA zone, with nothing but `Intl.DateTimeFormat`: the zone's offset at an instant,
 * and the instant of a wall time (DST gaps and overlaps handled), so relative intervals resolve to the
 * zone's real midnights — a day across a DST change lasts 23 or 25 hours.
 */

export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA zone this runtime knows (`Intl` throws a RangeError otherwise). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time in `zone` at an instant (to the second). */
export function wallAt(utcMs: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') {
      parts[p.type] = Number(p.value);
    }
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

const asUtc = (w: WallTime): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
export function offsetAt(utcMs: number, zone: string): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  return asUtc(wallAt(whole, zone)) - whole;
}

/**
 * The instant a wall time names in `zone`. In an overlap (clocks going back) the earlier instant; in a
 * gap (clocks going forward) the instant the wall clock jumps to, as java.time does.
 */
export function instantOf(w: WallTime, zone: string): number {
  const naive = asUtc(w);
  const before = offsetAt(naive - DAY_MS, zone);
  const after = offsetAt(naive + DAY_MS, zone);
  const valid = [...new Set([before, after])].map((off) => naive - off).filter((t) => offsetAt(t, zone) === naive - t);
  return valid.length > 0 ? Math.min(...valid) : naive - before;
}

/**
 * A wall date moved by years, months and days, at the same wall time. Years and months first, clamping the
 * day to the month's length (31 January + 1 month is 28/29 February, as java.time does), then days.
 */
export function addCalendar(w: WallTime, years: number, months: number, days: number): WallTime {
  const monthIndex = (w.year + years) * 12 + (w.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const d = new Date(Date.UTC(year, month, Math.min(w.day, lastDay) + days));
  d.setUTCFullYear(year, month, Math.min(w.day, lastDay) + days);
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Midnight at the start of a wall date. */
export const startOfDay = (w: WallTime): WallTime => ({ ...w, hour: 0, minute: 0, second: 0 });

/** ISO weekday of a wall date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(w: WallTime): number {
  return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() || 7;
}
