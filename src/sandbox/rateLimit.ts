/** Per-token fixed one-minute windows, like Genesys' client.credentials.token.rate.per.minute. */

export interface RateState {
  allowed: boolean;
  limit: number;
  count: number;
  resetSeconds: number;
}

/** What inin-ratelimit-allowed says when the budget is off (0 = unlimited). */
const UNLIMITED = 2147483647;

export class RateLimiter {
  private readonly _windows = new Map<string, { start: number; count: number }>();

  consume(key: string, limitPerMinute: number, now: number): RateState {
    let w = this._windows.get(key);
    if (!w || now - w.start >= 60_000) {
      if (this._windows.size > 10_000) {
        this._windows.clear();
      }
      w = { start: now, count: 0 };
      this._windows.set(key, w);
    }
    w.count++;
    const resetSeconds = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
    if (limitPerMinute <= 0) {
      return { allowed: true, limit: UNLIMITED, count: w.count, resetSeconds };
    }
    return { allowed: w.count <= limitPerMinute, limit: limitPerMinute, count: w.count, resetSeconds };
  }

  reset(): void {
    this._windows.clear();
  }
}
