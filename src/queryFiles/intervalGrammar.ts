/**
 * What an `interval` in a query file may say, as regular-expression sources shared by the generated JSON
 * Schema (its `pattern`, so VS Code squiggles a malformed interval) and the resolver (relativeInterval.ts).
 */

/** An ISO-8601 instant: a date, or a date-time with optional seconds, fraction and offset (no offset = UTC). */
export const ISO_INSTANT_SOURCE = String.raw`\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?`;

/** An ISO-8601 duration: `P1D`, `PT4H`, `P1W`, `P1M`, `P1DT12H`… (the resolver rejects an empty `P`). */
export const DURATION_SOURCE = String.raw`P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?`;

/** The named ranges. `last N days|weeks|months|hours` counts whole units before the current one. */
export const NAMED_RANGE_SOURCE = String.raw`today|yesterday|this (?:week|month)|last (?:week|month)|last \d+ (?:days?|weeks?|months?|hours?)`;

/** One end of a relative interval: `now`, `now-P7D`, `now+PT1H`, a duration, or an instant. */
const END_SOURCE = `(?:now(?:[+-]${DURATION_SOURCE})?|${DURATION_SOURCE}|${ISO_INSTANT_SOURCE})`;

/** The whole `interval` value: `start/end` (ISO or relative ends) or a named range. Lower case. */
export const INTERVAL_PATTERN = `^\\s*(?:${END_SOURCE}\\s*/\\s*${END_SOURCE}|${NAMED_RANGE_SOURCE})\\s*$`;

export const INTERVAL_EXAMPLES = [
  '2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z',
  'yesterday',
  'today',
  'last 7 days',
  'this week',
  'last week',
  'this month',
  'last month',
  'P1D/now',
  'PT4H/now',
  'now-P7D/now',
];
