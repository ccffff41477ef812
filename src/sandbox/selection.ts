import { hasFilters, matchesFilters } from './filters';
import type { ConversationGenerator } from './generator/conversation';
import type { Conversation } from './generator/model';
import { MAX_CONVERSATION_MS } from './generator/model';
import type { Timeline } from './generator/timeline';
import type { ParsedQuery } from './queryBody';

const DAY = 86_400_000;

/** The ordered conversation indexes a query selects, addressable by position without materialising ranges. */
export class ResultSet {
  readonly size: number;

  /**
   * `head` (explicit indexes) followed by the contiguous range [tailLo, tailHi); then reversed if desc,
   * then capped at `limit`. Unfiltered queries only scan the few conversations that started before
   * the interval, so a million-conversation range costs nothing.
   */
  constructor(
    private readonly _head: Int32Array,
    private readonly _tailLo: number,
    tailHi: number,
    private readonly _desc: boolean,
    limit: number | undefined,
  ) {
    const total = _head.length + Math.max(0, tailHi - _tailLo);
    this.size = limit === undefined ? total : Math.min(total, limit);
    this._total = total;
  }

  private readonly _total: number;

  at(k: number): number {
    const pos = this._desc ? this._total - 1 - k : k;
    return pos < this._head.length ? this._head[pos] : this._tailLo + (pos - this._head.length);
  }

  slice(from: number, to: number): number[] {
    const out: number[] = [];
    for (let k = from; k < Math.min(to, this.size); k++) {
      out.push(this.at(k));
    }
    return out;
  }
}

export interface SelectionContext {
  timeline: Timeline;
  generator: ConversationGenerator;
  /** Generate conversation i (may be cached). */
  get(i: number): Conversation;
}

/**
 * Applies the route's inclusion rule (genesys-api.md §1.1 / §2.1), the filters and the ordering.
 * - query: start day (UTC) >= the interval's start day AND the conversation overlaps the interval.
 * - job: any overlap ("had activity during the interval"); startOfDayIntervalMatching adds the start-day
 *   rule; conversations that started at or after `cutoff` (now - data-lake lag) are not yet in the lake.
 */
export function select(q: ParsedQuery, ctx: SelectionContext, cutoff: number): ResultSet {
  const steps = selectSteps(q, ctx, cutoff);
  for (;;) {
    const r = steps.next();
    if (r.done) {
      return r.value;
    }
  }
}

/** Conversations examined between two yields of selectSteps. */
export const SELECT_CHUNK = 2000;

/**
 * The same selection as a generator that yields every SELECT_CHUNK conversations, so a job can scan a
 * large interval in the background (setImmediate between chunks) without stalling the server.
 */
export function* selectSteps(q: ParsedQuery, ctx: SelectionContext, cutoff: number): Generator<void, ResultSet, void> {
  const { timeline } = ctx;
  if (q.filters.unsatisfiable) {
    // Evaluation/survey/resolution filters match nothing here: do not generate the whole interval to learn that.
    return new ResultSet(new Int32Array(0), 0, 0, q.order === 'desc', q.limit);
  }
  const dayStart = Math.floor(q.start / DAY) * DAY;
  const earliest = q.route === 'query' || q.startOfDayIntervalMatching ? Math.max(dayStart, q.start - MAX_CONVERSATION_MS) : q.start - MAX_CONVERSATION_MS;
  const latest = q.route === 'job' ? Math.min(q.end, cutoff) : q.end;
  const lo = timeline.firstAtOrAfter(earliest);
  const hi = Math.max(lo, timeline.firstAtOrAfter(latest));
  const mid = Math.min(hi, Math.max(lo, timeline.firstAtOrAfter(q.start)));
  const filtered = hasFilters(q.filters);
  const byEnd = q.orderBy === 'conversationEnd' || q.orderBy === 'segmentEnd';
  const desc = q.order === 'desc';

  if (!filtered && !byEnd) {
    // Conversations that started before the interval are in only if they are still running at its start.
    const head: number[] = [];
    for (let i = lo; i < mid; i++) {
      if ((i - lo) % SELECT_CHUNK === SELECT_CHUNK - 1) {
        yield;
      }
      if (ctx.get(i).end > q.start) {
        head.push(i);
      }
    }
    return new ResultSet(Int32Array.from(head), mid, hi, desc, q.limit);
  }

  const picked: number[] = [];
  const ends: number[] = [];
  for (let i = lo; i < hi; i++) {
    if ((i - lo) % SELECT_CHUNK === SELECT_CHUNK - 1) {
      yield;
    }
    const c = ctx.get(i);
    if (i < mid && c.end <= q.start) {
      continue;
    }
    if (filtered && !matchesFilters(c, q.filters)) {
      continue;
    }
    picked.push(i);
    if (byEnd) {
      ends.push(c.end);
    }
  }
  let list = Int32Array.from(picked);
  if (byEnd) {
    // Stable by index for equal ends, so paging is deterministic.
    const order = Array.from(picked.keys()).sort((a, b) => ends[a] - ends[b] || picked[a] - picked[b]);
    list = Int32Array.from(order.map((k) => picked[k]));
  }
  return new ResultSet(list, 0, 0, desc, q.limit);
}
