import type { DuckDBConnection, DuckDBInstance } from './duckdb';

/**
 * The connections that serve a view's reads (windows, counts, distinct values, exports), each running one
 * statement at a time: a DuckDB connection is one client context, made for one statement at a time. When
 * the table's overlapping requests shared one connection, a request could hang for good (a unit test hung
 * in 3 of 3 runs), and the integration suite's extension host once died of SIGSEGV at that point. Up to
 * `max` statements run side by side, each on its own connection; more wait for one to come free. `close()`
 * waits for the statements in flight, so closing a panel never frees a connection under a running query.
 */
export class ReadConnections {
  private readonly _idle: DuckDBConnection[] = [];
  private readonly _waiting: ((c: DuckDBConnection | undefined) => void)[] = [];
  private _opened = 0;
  private _busy = 0;
  private _closed = false;
  private _closing: Promise<void> | undefined;
  private _drained: (() => void) | undefined;

  constructor(
    private readonly _instance: DuckDBInstance,
    private readonly _max = 3,
  ) {}

  /** Runs `fn` with a connection no other statement uses until it settles. */
  async use<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this._take();
    try {
      return await fn(connection);
    } finally {
      this._give(connection);
    }
  }

  /** Refuses new statements, waits for those running, then closes every connection. */
  close(): Promise<void> {
    this._closing ??= this._close();
    return this._closing;
  }

  private async _close(): Promise<void> {
    this._closed = true;
    for (const w of this._waiting.splice(0)) {
      w(undefined);
    }
    if (this._busy > 0) {
      await new Promise<void>((resolve) => (this._drained = resolve));
    }
    for (const c of this._idle.splice(0)) {
      c.closeSync();
    }
  }

  private async _take(): Promise<DuckDBConnection> {
    if (this._closed) {
      throw new Error('This results view is closed.');
    }
    const idle = this._idle.pop();
    if (idle) {
      this._busy++;
      return idle;
    }
    if (this._opened < this._max) {
      this._opened++;
      this._busy++;
      try {
        return await this._instance.connect();
      } catch (err) {
        this._opened--;
        this._release();
        throw err;
      }
    }
    // Resolved with a connection handed on by `_give`, or with nothing when the pool closes meanwhile.
    const next = await new Promise<DuckDBConnection | undefined>((resolve) => this._waiting.push(resolve));
    if (!next) {
      throw new Error('This results view is closed.');
    }
    return next;
  }

  private _give(connection: DuckDBConnection): void {
    const waiter = this._waiting.shift();
    if (waiter) {
      // Handed on busy: the waiter's statement runs next on it.
      waiter(connection);
      return;
    }
    this._idle.push(connection);
    this._release();
  }

  private _release(): void {
    this._busy--;
    if (this._busy === 0 && this._drained) {
      this._drained();
      this._drained = undefined;
    }
  }
}
