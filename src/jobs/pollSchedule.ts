export interface PollScheduleOptions {
  /** First wait after submitting; short, because small jobs finish in about a second. */
  initialMs: number;
  /** Growth per poll (1.5–2 keeps the request count logarithmic in the job's duration). */
  factor: number;
  /** Longest wait between polls. */
  maxMs: number;
}

export const DEFAULT_POLL_SCHEDULE: PollScheduleOptions = { initialMs: 250, factor: 1.6, maxMs: 10_000 };

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
