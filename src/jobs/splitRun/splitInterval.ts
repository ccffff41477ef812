import type { AsyncJobBody } from '../../genesys/types';
import { parseInterval } from '../queryValidation';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A sub-interval in epoch ms, [startMs, endMs). */
export interface Span {
  startMs: number;
  endMs: number;
}

/**
 * Splits [startMs, endMs) into at most `parts` contiguous, non-empty spans that cover it exactly (no gap,
 * no overlap). Inner boundaries fall on UTC midnights when every span can hold a whole day, else on
 * whole UTC hours, else anywhere: plain epoch arithmetic, so no time zone or DST can shift them. Spans
 * differ by at most one unit (a 30.5-day interval in 4 parts: 8, 8, 7 and 7.5 days, the odd ends kept
 * in the first and last spans). Fewer spans come back when the interval holds fewer units than `parts`.
 */
export function splitSpan(span: Span, parts: number): Span[] {
  const { startMs, endMs } = span;
  if (!(endMs > startMs)) {
    throw new RangeError(`An interval must end after it starts (${startMs} .. ${endMs}).`);
  }
  const n = Math.max(1, Math.floor(parts));
  const unit = [DAY, HOUR, 1].find((u) => Math.floor(endMs / u) - Math.ceil(startMs / u) >= n - 1 && (u === 1 || (endMs - startMs) / u >= n)) ?? 1;
  // Whole units strictly inside the interval are the candidate boundaries.
  const firstInner = Math.floor(startMs / unit) + 1;
  const lastInner = Math.ceil(endMs / unit) - 1;
  const inner = Math.max(0, lastInner - firstInner + 1);
  const cuts = Math.min(n - 1, inner);
  const bounds = [startMs];
  for (let k = 1; k <= cuts; k++) {
    // Evenly spread over the candidates, rounded to whole units (so the spans differ by at most one).
    const at = firstInner + Math.round((k * (inner + 1)) / (cuts + 1)) - 1;
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
 * Plans the sub-jobs of `body` for `maxParts` parallel jobs. Bodies whose merged result could differ from
 * the single job's are not split: a `limit` (the first N of the whole interval cannot be taken per
 * span) and an `orderBy` other than conversationStart (rows are merged in span order, which is
 * conversationStart order). Pure.
 */
export function planSplit(body: AsyncJobBody, maxParts: number): SplitPlan {
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
  const spans = splitSpan(span, parts);
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
