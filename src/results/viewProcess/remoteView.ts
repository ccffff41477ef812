import type { LoadProgress } from '../view';
import type { ColumnInfo, DistinctValue, ExportViewOptions, Grain, LoadState, ResultsView, ViewQuery, WindowRequest, WindowResult } from '../view/viewTypes';
import type { ViewMethod } from './protocol';
import type { ResultsEngineProcess } from './viewProcess';

/** A ResultsView living in the results engine process: each call is a request to it (viewProcess.ts). */
export class RemoteResultsView implements ResultsView {
  private _loading: LoadState | undefined;
  private _stopped: Error | undefined;
  private _closed = false;

  constructor(
    private readonly _engine: ResultsEngineProcess,
    private readonly _id: number,
    private readonly _onLoadProgress?: (p: LoadProgress) => void,
  ) {}

  columns(grain: Grain): Promise<readonly ColumnInfo[]> {
    return this._call('columns', grain) as Promise<readonly ColumnInfo[]>;
  }

  count(view: ViewQuery): Promise<number> {
    return this._call('count', view) as Promise<number>;
  }

  window(request: WindowRequest): Promise<WindowResult> {
    return this._call('window', request) as Promise<WindowResult>;
  }

  distinct(view: ViewQuery, column: string, limit: number): Promise<readonly DistinctValue[]> {
    return this._call('distinct', view, column, limit) as Promise<readonly DistinctValue[]>;
  }

  rowRecord(view: ViewQuery, offset: number): Promise<unknown> {
    return this._call('rowRecord', view, offset);
  }

  exportView(options: ExportViewOptions): Promise<{ rows: number; bytes: number }> {
    return this._stopped ? Promise.reject(this._stopped) : this._engine.exportView(this._id, options);
  }

  refresh(): Promise<number> {
    return this._call('refresh') as Promise<number>;
  }

  loading(): LoadState | undefined {
    return this._loading;
  }

  alive(): boolean {
    return this._stopped === undefined;
  }

  async close(): Promise<void> {
    if (this._closed) {
      return;
    }
    this._closed = true;
    try {
      if (!this._stopped) {
        await this._engine.call(this._id, 'close', []);
      }
    } finally {
      this._engine.closed(this._id);
    }
  }

  /** @internal The engine's news of this view's load. */
  setLoading(state: LoadState | undefined, progress?: LoadProgress): void {
    this._loading = state;
    if (progress) {
      this._onLoadProgress?.(progress);
    }
  }

  /** @internal The engine process ended under this view: every call fails with `error`, and the table says so. */
  stopped(error: Error): void {
    this._stopped = error;
    this._loading = { loaded: this._loading?.loaded ?? 0, total: this._loading?.total ?? 0, error: error.message };
  }

  private _call(method: ViewMethod, ...args: unknown[]): Promise<unknown> {
    if (this._stopped) {
      return Promise.reject(this._stopped);
    }
    if (this._closed) {
      return Promise.reject(new Error('This results view is closed.'));
    }
    return this._engine.call(this._id, method, args);
  }
}
