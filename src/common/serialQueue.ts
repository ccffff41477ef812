/**
 * Runs async steps strictly one after another (file appends and renames must not interleave). A failing
 * step rejects its own caller only; the queue goes on, reporting the failure to `onError` if given.
 */
export class SerialQueue {
  private _tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly _onError?: (err: unknown) => void) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this._tail.then(fn, fn);
    this._tail = next.catch((err: unknown) => this._onError?.(err));
    return next;
  }
}
