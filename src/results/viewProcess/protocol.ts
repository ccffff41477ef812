import type { LoadProgress, OpenResultsViewOptions } from '../view';
import type { ExportViewOptions, LoadState } from '../view/viewTypes';

/**
 * Messages between the extension host (viewProcess.ts) and the results engine process (viewProcessMain.ts),
 * over the IPC channel of `child_process.fork` (structured clone). Plain data only: the same shapes as
 * the ResultsView contract (src/results/view/viewTypes.ts).
 */

/** ResultsView methods a host may call on a view in the engine process (exportView has its own request). */
export type ViewMethod = 'columns' | 'count' | 'window' | 'distinct' | 'rowRecord' | 'refresh' | 'close';

/** What openResultsView takes that can cross a process (no callbacks, no signal). */
export type RemoteOpenOptions = Omit<OpenResultsViewOptions, 'onLoadProgress' | 'signal'>;

export type EngineRequest =
  | { readonly id: number; readonly op: 'open'; readonly view: number; readonly runDir: string; readonly options: RemoteOpenOptions }
  | { readonly id: number; readonly op: 'call'; readonly view: number; readonly method: ViewMethod; readonly args: readonly unknown[] }
  | { readonly id: number; readonly op: 'export'; readonly view: number; readonly options: Omit<ExportViewOptions, 'signal' | 'onProgress'> }
  /** Aborts the open or export request `target` (its signal). */
  | { readonly id: number; readonly op: 'cancel'; readonly target: number }
  | { readonly id: number; readonly op: 'stats' };

export interface RemoteError {
  readonly name: string;
  readonly message: string;
}

export type EngineReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: RemoteError };

export type EngineEvent =
  /** A view's load moved on or ended (state undefined: every row is loaded). */
  | { readonly event: 'load'; readonly view: number; readonly state: LoadState | undefined; readonly progress?: LoadProgress }
  | { readonly event: 'exportProgress'; readonly id: number; readonly rows: number };

export type EngineMessage = EngineReply | EngineEvent;

/** The engine process's own figures (benchmarks, diagnostics). */
export interface EngineStats {
  readonly pid: number;
  readonly rssBytes: number;
  readonly cpuMicros: number;
  readonly views: number;
  /** Why DuckDB or its C API bindings could not be loaded (absent when the engine is ready). */
  readonly notReady?: string;
}
