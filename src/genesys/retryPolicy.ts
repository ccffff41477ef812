import type { GenesysError } from './errors';

/** How our HTTP client retries. Every number is injectable so tests run fast without special branches. */
export interface RetryPolicyOptions {
  /** Attempts in all (first try included) for transient and network failures. */
  maxAttempts: number;
  /** Retries allowed for 429 responses in one call (they have their own budget: waiting is expected). */
  maxRateLimitRetries: number;
  /** First backoff delay for transient failures; doubles per attempt. */
  baseDelayMs: number;
  /** Largest single backoff delay. */
  maxDelayMs: number;
  /** No retry is started once this much time has passed since the first attempt. */
  totalBudgetMs: number;
  /** A 429 asking to wait longer than this is not retried (the CLI's rule is 180 s). */
  maxRetryAfterMs: number;
  /** Clamp for the wait on a 429 (Infinity: wait what the server says). */
  rateLimitWaitCapMs: number;
  /** Wait on a 429 that gave no Retry-After / inin-ratelimit-reset. */
  defaultRetryAfterMs: number;
  /** Extra random wait on top of Retry-After, as a fraction of it (with a 1 s ceiling). */
  jitterRatio: number;
  /** Random source in [0, 1). */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicyOptions = {
  maxAttempts: 6,
  maxRateLimitRetries: 30,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  totalBudgetMs: 5 * 60_000,
  maxRetryAfterMs: 180_000,
  rateLimitWaitCapMs: Number.POSITIVE_INFINITY,
  defaultRetryAfterMs: 2_000,
  jitterRatio: 0.2,
  random: Math.random,
};

export function resolveRetryPolicy(options?: Partial<RetryPolicyOptions>): RetryPolicyOptions {
  return { ...DEFAULT_RETRY_POLICY, ...options };
}

/** Counters of one call's attempts so far. */
export interface RetryState {
  /** Attempts already made (1 after the first failure). */
  attempts: number;
  /** Of those, how many ended in a 429. */
  rateLimited: number;
  /** Time since the first attempt started. */
  elapsedMs: number;
}

/**
 * The wait before the next attempt, or undefined to give up and surface `error`. Pure: the decision
 * depends only on its arguments (and `policy.random`).
 */
export function nextRetryDelay(policy: RetryPolicyOptions, error: GenesysError, state: RetryState): number | undefined {
  if (!error.retryable) {
    return undefined;
  }
  let delay: number;
  if (error.kind === 'rateLimited') {
    if (state.rateLimited > policy.maxRateLimitRetries) {
      return undefined;
    }
    const asked = error.retryAfterMs ?? policy.defaultRetryAfterMs;
    if (asked > policy.maxRetryAfterMs) {
      return undefined;
    }
    const base = Math.min(asked, policy.rateLimitWaitCapMs);
    // Jitter spreads clients that were all told the same reset time; never below what was asked.
    delay = base + Math.min(1_000, base * policy.jitterRatio) * policy.random();
  } else {
    if (state.attempts - state.rateLimited >= policy.maxAttempts) {
      return undefined;
    }
    const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, state.attempts - state.rateLimited - 1));
    // "Equal jitter": half fixed, half random, so retries neither synchronise nor collapse to zero.
    delay = exp / 2 + (exp / 2) * policy.random();
  }
  if (state.elapsedMs + delay > policy.totalBudgetMs) {
    return undefined;
  }
  return Math.round(delay);
}
