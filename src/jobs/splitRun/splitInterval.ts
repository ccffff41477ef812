import type { AsyncJobBody } from '../../genesys/types';
import { parseInterval } from '../queryValidation';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Days a span holds at least before its boundaries fall on midnights. Spans differ by up to one unit and
 * the longest sub-job sets when a split run ends: whole days for 30 days in 16 parts gave 1- and 2-day
 * spans (3 to 9 pages at 100k), whole hours 45 hours each; from a week on, a day is at most a seventh.
 */
const DAYS_PER_SPAN = 7;

/** A sub-interval in epoch ms, [startMs, endMs). */
export interface Span {
  startMs: number;
  endMs: number;
}

/**
 * Splits [startMs, endMs) into at most `parts` contiguous, non-empty spans that cover it exactly (no gap,
 * no overlap). Inner boundaries fall on UTC midnights when every span holds at least DAYS_PER_SPAN days,
 * else on whole UTC hours, else anywhere: plain epoch arithmetic, so no time zone or DST can shift them.
 * Spans differ by at most one unit (a 30.5-day interval in 4 parts: 8, 8, 7 and 7.5 days, the odd ends
 * kept in the first and last spans; 30 days in 16 parts: 45 hours each), or are as long as their
 * `weights` (one per part) say, to a unit. Fewer spans come back when the interval holds fewer units than
 * `parts`.
 */
export function splitSpan(span: Span, parts: number, weights?: readonly number[]): Span[] {
  const { startMs, endMs } = span;
  if (!(endMs > startMs)) {
    throw new RangeError(`An interval must end after it starts (${startMs} .. ${endMs}).`);
  }
  const n = Math.max(1, Math.floor(parts));
  const shares = weights?.length === n && weights.every((w) => w > 0) ? weights : new Array<number>(n).fill(1);
  const total = shares.reduce((a, b) => a + b, 0);
  const smallest = ((endMs - startMs) * Math.min(...shares)) / total;
  const unit = [DAY, HOUR, 1].find((u) => Math.floor(endMs / u) - Math.ceil(startMs / u) >= n - 1 && (u === 1 || smallest >= (u === DAY ? DAYS_PER_SPAN * DAY : u))) ?? 1;
  // Whole units strictly inside the interval are the candidate boundaries.
  const firstInner = Math.floor(startMs / unit) + 1;
  const lastInner = Math.ceil(endMs / unit) - 1;
  const inner = Math.max(0, lastInner - firstInner + 1);
  const cuts = Math.min(n - 1, inner);
  const bounds = [startMs];
  let share = 0;
  for (let k = 1; k <= cuts; k++) {
    // Spread over the candidates by the spans' shares (evenly when fewer cuts than parts), rounded to whole units.
    share += cuts === n - 1 ? shares[k - 1]! / total : 1 / (cuts + 1);
    const at = firstInner + Math.round(share * (inner + 1)) - 1;
    const ms = at * unit;
    if (ms > bounds[bounds.length - 1]! && ms < endMs) {
      bounds.push(ms);
    }
  }
  bounds.push(endMs);
  const out: Span[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    out.push({ startMs: bounds[i]!, endMs: bounds[i + 1]! });
  }
  return out;
}

/** `start/end` as ISO-8601 UTC instants with milliseconds, the form the API echoes. */
export function formatSpan(span: Span): string {
  return `${new Date(span.startMs).toISOString()}/${new Date(span.endMs).toISOString()}`;
}

export interface SplitPlan {
  /** One job body per span, in chronological order: the original body with only `interval` changed. */
  bodies: AsyncJobBody[];
  spans: Span[];
  /** Why the job is not split (one body), when it is not. */
  reason?: string;
}

/** Least span worth a job of its own: below it, a sub-job's fixed cost (submit, poll) outweighs its share. */
export const MIN_SPAN_MS = HOUR;

/**
 * How much longer the spans of the first wave of sub-jobs (one per walker) are than the average of the
 * rest, which shrink linearly. A split run ends when its last sub-job does, and sub-jobs are walked in
 * run order as walkers free up, so the ones walked last should be short (what one of them leaves alone
 * at the end is at most its own length), and the first ones long enough that the next ones' jobs have
 * run at Genesys by the time a walker is free. Measured at 100k (8 walkers, 16 parts, one run each;
 * bench/engineBench): 1- and 2-day spans 24.7 s, equal 45-hour spans 22.5 s, this plan 19.9–21.0 s.
 */
export const LEADING_WEIGHT = 3;

/**
 * Plans the sub-jobs of `body` for `maxParts` parallel jobs, the first `leading` (in run order: one per
 * walker) LEADING_WEIGHT times as long as the others on average, the others shrinking to the last.
 * Bodies whose merged result could differ from the single job's are not split: a `limit` (the first N of
 * the whole interval cannot be taken per span) and an `orderBy` other than conversationStart (rows are
 * merged in span order, which is conversationStart order). Pure.
 */
export function planSplit(body: AsyncJobBody, maxParts: number, leading = 0): SplitPlan {
  const whole = parseInterval(body.interval);
  const span: Span = { startMs: whole.startMs, endMs: whole.endMs };
  const one = (reason?: string): SplitPlan => ({ bodies: [body], spans: [span], ...(reason ? { reason } : {}) });
  if (maxParts <= 1) {
    return one();
  }
  if (body.limit !== undefined) {
    return one('the job has a limit, which applies to the whole interval');
  }
  if (body.orderBy !== undefined && body.orderBy !== 'conversationStart') {
    return one(`rows ordered by ${body.orderBy} cannot be merged in interval order`);
  }
  const parts = Math.max(1, Math.min(Math.floor(maxParts), Math.floor((span.endMs - span.startMs) / MIN_SPAN_MS)));
  // In run order (newest span first for desc): the first `leading` parts long, the later ones shrinking
  // linearly (averaging 1), so the last ones walked are the shortest.
  const later = parts - leading;
  const runOrder = Array.from({ length: parts }, (_, i) => (leading <= 0 || later <= 0 ? 1 : i < leading ? LEADING_WEIGHT : (2 * (parts - i)) / (later + 1)));
  const spans = splitSpan(span, parts, body.order === 'desc' ? runOrder.reverse() : runOrder);
  return { spans, bodies: spans.map((s) => ({ ...body, interval: formatSpan(s) })) };
}

/**
 * Which span owns a conversation: the one its conversationStart falls in (a conversation that started
 * before the whole interval belongs to the first span). A conversation spanning a boundary is returned
 * by every span it overlaps; keeping it only in its owner's rows makes the merge de-duplicated and, in
 * span order, sorted by conversationStart.
 */
export function ownerOf(spans: readonly Span[], conversationStartMs: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (spans[mid]!.startMs <= conversationStartMs) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}
