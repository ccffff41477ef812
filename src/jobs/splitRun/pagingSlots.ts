import { CancelledError } from '../../common/cancellation';

/**
 * Turns to page, for the sub-jobs of a split run. Sub-jobs are submitted ahead of their turn, so a job
 * runs at Genesys while earlier ones page; once FULFILLED it waits here for one of `limit` slots
 * (the concurrency policy's limit, which may change at any time). Waiters are served in the order they
 * asked; a waiter whose signal aborts leaves the queue with CancelledError (its runner then DELETEs its job).
 */
export class PagingSlots {
  private _busy = 0;
  private readonly _waiting: (() => void)[] = [];

  constructor(private _limit: number) {}

  get busy(): number {
    return this._busy;
  }

  setLimit(limit: number): void {
    this._limit = Math.max(1, Math.floor(limit));
    this._grant();
  }

  /** Resolves with the slot's release (idempotent) once one is free. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError());
        return;
      }
      const onAbort = (): void => {
        const at = this._waiting.indexOf(grant);
        if (at >= 0) {
          this._waiting.splice(at, 1);
        }
        reject(new CancelledError());
      };
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this._busy++;
        let released = false;
        resolve(() => {
          if (!released) {
            released = true;
            this._busy--;
            this._grant();
          }
        });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this._waiting.push(grant);
      this._grant();
    });
  }

  private _grant(): void {
    while (this._busy < this._limit && this._waiting.length > 0) {
      this._waiting.shift()!();
    }
  }
}
