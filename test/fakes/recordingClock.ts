import type { Clock } from '../../src/common/clock';
import { abortableSleep } from '../../src/common/clock';

/**
 * A Clock whose sleeps are shortened (by default to nothing) but recorded, and whose `now()` moves on by
 * the full requested time. Retry and polling logic then behaves exactly as with real waits, while tests
 * assert on the waits requested (e.g. that a 429's Retry-After was honoured) without spending them.
 */
export class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  private _offset = 0;

  constructor(private readonly _realMsPerSleep = 0) {}

  now(): number {
    return Date.now() + this._offset;
  }

  /** Moves `now()` forward without waiting (e.g. to bring a token close to its expiry). */
  advance(ms: number): void {
    this._offset += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    await abortableSleep(Math.min(ms, this._realMsPerSleep), signal);
    this._offset += Math.max(0, ms - this._realMsPerSleep);
  }
}
