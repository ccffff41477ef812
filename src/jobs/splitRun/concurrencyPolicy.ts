/**
 * How many sub-jobs of a split run page at once. Additive increase, multiplicative decrease (as TCP):
 * grow by one after a round of answers without trouble while the rate-limit headers show headroom,
 * halve on a 429 from the request budget, and never go above a cap on running jobs the server
 * revealed (a submission refused with `limit`). Pure, like `nextRetryDelay`: state in, state out.
 */
export interface ConcurrencyPolicyOptions {
  /** Upper bound (the user's setting); 1 is the sequential walk. */
  max: number;
  /** Start here (default 2, or max if smaller). */
  initial: number;
  /** Do not grow while the window's use (count / allowed) is at or above this share (default 0.85). */
  highWater: number;
}

export const DEFAULT_CONCURRENCY: ConcurrencyPolicyOptions = { max: 4, initial: 2, highWater: 0.85 };

export interface ConcurrencyState {
  /** Sub-jobs allowed to page at once now (1..max). */
  limit: number;
  /** Answers without trouble since the last change. */
  calm: number;
  /** Running-jobs cap the server revealed, if any. */
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
  /** A submission refused because `running` jobs are running already (429/400 with `limit`). */
  | { type: 'jobsCap'; running: number };

export function initialConcurrency(options: ConcurrencyPolicyOptions): ConcurrencyState {
  const max = Math.max(1, Math.floor(options.max));
  return { limit: Math.min(max, Math.max(1, Math.floor(options.initial))), calm: 0 };
}

export function nextConcurrency(options: ConcurrencyPolicyOptions, state: ConcurrencyState, signal: ConcurrencySignal): ConcurrencyState {
  const ceiling = Math.max(1, Math.min(Math.floor(options.max), state.jobsCap ?? Number.POSITIVE_INFINITY));
  switch (signal.type) {
    case 'rateLimited':
      return { ...state, limit: Math.max(1, Math.min(ceiling, Math.floor(state.limit / 2))), calm: 0 };
    case 'jobsCap': {
      const jobsCap = Math.max(1, Math.floor(signal.running));
      return { limit: Math.max(1, Math.min(state.limit, jobsCap, Math.floor(options.max))), calm: 0, jobsCap };
    }
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
