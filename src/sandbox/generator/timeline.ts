import { hash2 } from './rng';

const HOUR = 3_600_000;

/**
 * Maps conversation index -> start time, monotone in the index, so an interval maps to an index range
 * by binary search and nothing is materialised. The day is shaped like a contact centre's: busy
 * 08-18 UTC, shoulders, quiet nights, lighter weekends. Only one small table (one entry per hour) is kept.
 */
export class Timeline {
  readonly from: number;
  readonly to: number;
  /** cum[b] = index of the first conversation in hour bucket b; cum[hours] = count. */
  private readonly _cum: Float64Array;
  private readonly _hours: number;

  constructor(
    readonly count: number,
    anchorMs: number,
    days: number,
    private readonly _seed: number,
  ) {
    this.to = anchorMs;
    this.from = anchorMs - days * 24 * HOUR;
    this._hours = days * 24;
    const weights = new Float64Array(this._hours);
    let total = 0;
    for (let b = 0; b < this._hours; b++) {
      const t = new Date(this.from + b * HOUR);
      weights[b] = hourWeight(t.getUTCHours(), t.getUTCDay());
      total += weights[b];
    }
    this._cum = new Float64Array(this._hours + 1);
    let acc = 0;
    for (let b = 0; b < this._hours; b++) {
      this._cum[b] = Math.round((count * acc) / total);
      acc += weights[b];
    }
    this._cum[this._hours] = count;
  }

  /** Start time (epoch ms) of conversation i; non-decreasing in i. */
  startOf(i: number): number {
    const cum = this._cum;
    let lo = 0;
    let hi = this._hours - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cum[mid] <= i) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    const inBucket = cum[lo + 1] - cum[lo];
    const k = i - cum[lo];
    const spacing = HOUR / inBucket;
    // Jitter within the conversation's own slot keeps starts irregular yet still monotone.
    const u = hash2(this._seed ^ 0x5bd1e995, i) / 4294967296;
    return this.from + lo * HOUR + Math.floor((k + u) * spacing);
  }

  /** Smallest index whose start >= t (count when none). */
  firstAtOrAfter(t: number): number {
    if (t <= this.from) {
      return 0;
    }
    if (t >= this.to) {
      return this.count;
    }
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.startOf(mid) < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

function hourWeight(hour: number, weekday: number): number {
  let w: number;
  if (hour >= 8 && hour < 18) {
    w = 1;
  } else if ((hour >= 6 && hour < 8) || (hour >= 18 && hour < 22)) {
    w = 0.35;
  } else {
    w = 0.06;
  }
  return weekday === 0 || weekday === 6 ? w * 0.35 : w;
}
