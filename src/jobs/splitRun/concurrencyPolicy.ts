/**
 * How many sub-jobs of a split run page at once. Additive increase, multiplicative decrease (as TCP):
 * grow by one after a round of answers without trouble while the rate-limit headers show headroom,
 * and halve on a 429 from the request budget. Apart from it, a cap on running jobs the server revealed
 * (a refused submission) bounds how many sub-jobs wait for their job at once; walking ones do not count.
 * Pure, like `nextRetryDelay`: state in, state out.
 */
export interface ConcurrencyPolicyOptions {
  /** Upper bound (the user's setting); 1 is the sequential walk. */
  max: number;
  /** Start here (default 2, or max if smaller). */
  initial: number;
  /** Do not grow while the window's use (count / allowed) is at or above this share (default 0.85). */
  highWater: number;
}

/**
 * `max` is the product's default cap (the setting `genesysCloud.jobs.maxParallelSubJobs`): eight walkers
 * at about a page a second can go past 300 requests a minute, but only a long run does, and then the 429s'
 * Retry-After paces every walker to the budget while the limit comes down; when the page time, not the
 * budget, is what limits (measured at 100k: the wire floor of one walk 116.7 s), eight are 4.8× faster, four 3×.
 */
export const DEFAULT_CONCURRENCY: ConcurrencyPolicyOptions = { max: 8, initial: 2, highWater: 0.85 };

export interface ConcurrencyState {
  /** Sub-jobs allowed to page at once now (1..max); as many may wait for their job. */
  limit: number;
  /** Answers without trouble since the last change. */
  calm: number;
  /** Running-jobs cap the server revealed, if any: at most this many sub-jobs wait for their job at once. */
  jobsCap?: number;
}

/** The inin-ratelimit-* headers of one answer. */
export interface RateLimitHeaders {
  allowed: number;
  count: number;
  resetSeconds: number;
}

export type ConcurrencySignal =
  /** An answer (2xx) with the rate-limit headers it carried, if any. */
  | { type: 'answer'; rateLimit?: RateLimitHeaders }
  /** A 429 from the request budget (any request). */
  | { type: 'rateLimited' }
  /** A submission refused because `running` jobs are running already (the cap the refusal named, else our count). */
  | { type: 'jobsCap'; running: number };

export function initialConcurrency(options: ConcurrencyPolicyOptions): ConcurrencyState {
  const max = Math.max(1, Math.floor(options.max));
  return { limit: Math.min(max, Math.max(1, Math.floor(options.initial))), calm: 0 };
}

export function nextConcurrency(options: ConcurrencyPolicyOptions, state: ConcurrencyState, signal: ConcurrencySignal): ConcurrencyState {
  const ceiling = Math.max(1, Math.floor(options.max));
  switch (signal.type) {
    case 'rateLimited':
      return { ...state, limit: Math.max(1, Math.min(ceiling, Math.floor(state.limit / 2))), calm: 0 };
    case 'jobsCap':
      return { ...state, calm: 0, jobsCap: Math.max(1, Math.floor(signal.running)) };
    case 'answer': {
      const rl = signal.rateLimit;
      if (rl && rl.allowed > 0 && rl.count >= rl.allowed) {
        // The window is used up: the next request would be a 429. Step down before it happens.
        return { ...state, limit: Math.max(1, state.limit - 1), calm: 0 };
      }
      if (rl && rl.allowed > 0 && rl.count / rl.allowed >= options.highWater) {
        return { ...state, limit: Math.min(state.limit, ceiling), calm: 0 };
      }
      const calm = state.calm + 1;
      // One round: as many calm answers as sub-jobs paging, so growth is one step per round trip.
      if (calm >= state.limit && state.limit < ceiling) {
        return { ...state, limit: state.limit + 1, calm: 0 };
      }
      return { ...state, limit: Math.min(state.limit, ceiling), calm };
    }
  }
}
