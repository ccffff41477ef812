/**
 * ISO-8601 instants as the API reads them: a date or date-time with optional fraction and offset; no
 * offset means UTC (as Genesys documents), not local time as `Date.parse` would read it. Shared by the
 * sandbox and the query-file checks so both accept the same intervals.
 */

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseInstant(text: string): number | undefined {
  const m = ISO_RE.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '0', off = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
  // Date.UTC maps years 0-99 to 1900-1999; "0050-01-01" means the year 50.
  check.setUTCFullYear(Number(y));
  const base = check.getTime();
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (off === 'Z') {
    return base;
  }
  const sign = off[0] === '-' ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  const offH = Number(digits.slice(0, 2));
  const offM = Number(digits.slice(2));
  // Real zone offsets stay within ±18:00 (java.time.ZoneOffset); "+25:00" is a typo, not an instant.
  if (offM > 59 || offH * 60 + offM > 18 * 60) {
    return undefined;
  }
  return base - sign * (offH * 60 + offM) * 60_000;
}

