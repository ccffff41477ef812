export interface PollScheduleOptions {
  /** First wait after submitting; short, because small jobs finish in about a second. */
  initialMs: number;
  /** Growth per poll (1.5–2 keeps the request count logarithmic in the job's duration). */
  factor: number;
  /** Longest wait between polls. */
  maxMs: number;
}

/**
 * Gentle growth: completion is noticed on average ~10 % of the job's duration late (1.6 made it ~30 %,
 * 0.6 s on a 3.5 s job), at a cost of ~8 status calls for a 3.5 s job and 12 a minute once at the cap,
 * far inside the 300 requests/minute budget. A 429 on a status call waits its Retry-After in the HTTP
 * client before the schedule continues.
 */
export const DEFAULT_POLL_SCHEDULE: PollScheduleOptions = { initialMs: 250, factor: 1.2, maxMs: 5_000 };

/** Adaptive polling delays: quick first polls, then growing geometrically up to a cap. */
export class PollSchedule {
  private readonly _options: PollScheduleOptions;
  private _next: number;

  constructor(options?: Partial<PollScheduleOptions>) {
    this._options = { ...DEFAULT_POLL_SCHEDULE, ...options };
    this._next = this._options.initialMs;
  }

  /** The wait before the next poll; each call grows the following one. */
  next(): number {
    const current = Math.min(this._next, this._options.maxMs);
    this._next = Math.min(this._options.maxMs, this._next * this._options.factor);
    return Math.round(current);
  }

  /** Back to quick polls (e.g. when the state changes from QUEUED to PENDING). */
  reset(): void {
    this._next = this._options.initialMs;
  }
}
