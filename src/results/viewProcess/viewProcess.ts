import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { CancelledError } from '../../common/cancellation';
import { ViewRequestError } from '../view/sqlBuilder';
import type { OpenResultsViewOptions } from '../view';
import type { ExportViewOptions, LoadState, ResultsView } from '../view/viewTypes';
import type { EngineMessage, EngineRequest, EngineStats, RemoteError, ViewMethod } from './protocol';
import { RemoteResultsView } from './remoteView';

/** The engine's script: next to this module (out/ under tsc, dist/ in the bundle, built as its own entry). */
const ENGINE_SCRIPT = join(__dirname, 'viewProcessMain.js');
/** Lines of the engine's stderr kept for the message when it stops unexpectedly. */
const STDERR_LINES = 20;

export interface ResultsEngineOptions {
  /** The process stops this long after its last view closed, and gives its memory back; default 120 s. */
  readonly idleMs?: number;
  /** The engine's script (default: viewProcessMain.js next to this module). */
  readonly script?: string;
  /** Where the engine's stderr and lifecycle go (the output channel). */
  readonly log?: (line: string) => void;
}

/** A request before it gets its id (Omit over each member of the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestBody = WithoutId<EngineRequest>;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (rows: number) => void;
}

/** The results engine stopped under a request: a crash in DuckDB, out of memory, killed. */
export class EngineStoppedError extends Error {
  override readonly name = 'EngineStoppedError';
}

/**
 * The results engine (DuckDB, its view databases and the flatten workers) in a process of its own,
 * started on first use with `child_process.fork`. Why not in the extension host, which every extension
 * shares: a million-row view costs DuckDB ~200 MB that glibc never hands back and the load's worker
 * ~110 MB more, and a native crash in DuckDB (one SIGSEGV was seen in the integration suite) would end
 * every extension of the window. Here a crash ends this process only: the open tables say so and the
 * next open starts a new one; when the last view closes, the process stops and its memory is freed.
 */
export class ResultsEngineProcess {
  private _child: ChildProcess | undefined;
  private readonly _pending = new Map<number, Pending>();
  private readonly _views = new Map<number, RemoteResultsView>();
  private _nextId = 1;
  private _nextView = 1;
  private _idle: NodeJS.Timeout | undefined;
  private _stderr: string[] = [];
  private _disposed = false;

  constructor(private readonly _options: ResultsEngineOptions = {}) {}

  /** Starts the process ahead of an open that is likely soon (a run just finished); it stops again when idle. */
  warm(): void {
    if (!this._disposed) {
      this._ensure();
      this._armIdle();
    }
  }

  /** openResultsView (src/results/view) in the engine process: the same options, the same view contract. */
  async openView(runDir: string, options: OpenResultsViewOptions = {}): Promise<ResultsView> {
    const { signal, onLoadProgress, ...rest } = options;
    const id = this._nextView++;
    const view = new RemoteResultsView(this, id, onLoadProgress);
    this._views.set(id, view);
    clearTimeout(this._idle);
    try {
      const state = (await this._request({ op: 'open', view: id, runDir, options: rest }, { signal })) as LoadState | null;
      view.setLoading(state ?? undefined);
      return view;
    } catch (err) {
      this._views.delete(id);
      this._armIdle();
      throw err;
    }
  }

  /** The engine process's memory and CPU (undefined when it is not running). */
  async stats(): Promise<EngineStats | undefined> {
    return this._child ? ((await this._request({ op: 'stats' })) as EngineStats) : undefined;
  }

  /** Stops the process (extension deactivation). Open views fail from here on. */
  dispose(): void {
    this._disposed = true;
    this._stop();
  }

  /** @internal RemoteResultsView's calls. */
  call(view: number, method: ViewMethod, args: readonly unknown[]): Promise<unknown> {
    return this._request({ op: 'call', view, method, args });
  }

  /** @internal */
  exportView(view: number, options: ExportViewOptions): Promise<{ rows: number; bytes: number }> {
    const { signal, onProgress, ...rest } = options;
    return this._request({ op: 'export', view, options: rest }, { signal, onProgress }) as Promise<{ rows: number; bytes: number }>;
  }

  /** @internal A view was closed: with none left, the process stops after the idle time. */
  closed(view: number): void {
    this._views.delete(view);
    this._armIdle();
  }

  private _request(body: RequestBody, extra: { signal?: AbortSignal | undefined; onProgress?: ((rows: number) => void) | undefined } = {}): Promise<unknown> {
    if (this._disposed) {
      return Promise.reject(new EngineStoppedError('The results engine has been shut down.'));
    }
    if (extra.signal?.aborted) {
      return Promise.reject(new CancelledError());
    }
    const child = this._ensure();
    const id = this._nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = (): void => void this._send(child, { id: this._nextId++, op: 'cancel', target: id });
      extra.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        extra.signal?.removeEventListener('abort', onAbort);
        this._pending.delete(id);
        if (this._pending.size === 0) {
          child.channel?.unref();
        }
      };
      this._pending.set(id, {
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
        ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
      });
      // Keeps a plain Node host (a benchmark, a test) alive while an answer is due; unref'd again when idle.
      child.channel?.ref();
      this._send(child, { ...body, id } as EngineRequest);
    });
  }

  private _send(child: ChildProcess, request: EngineRequest): void {
    try {
      child.send(request);
    } catch (err) {
      this._pending.get(request.id)?.reject(new EngineStoppedError(`The results engine cannot be reached: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  private _ensure(): ChildProcess {
    if (this._child) {
      return this._child;
    }
    const child = fork(this._options.script ?? ENGINE_SCRIPT, [], {
      // Not the host's own flags (an --inspect port would clash); run as plain Node under Electron too.
      execArgv: [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this._child = child;
    this._stderr = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
        this._stderr = [...this._stderr, line].slice(-STDERR_LINES);
        this._log(`Results engine: ${line}`);
      }
    });
    child.on('message', (message: EngineMessage) => this._onMessage(message));
    child.on('error', (err) => this._log(`Results engine: ${err.message}`));
    child.on('exit', (code, signal) => this._onExit(child, code, signal));
    child.unref();
    child.channel?.unref();
    this._log(`Results engine started (pid ${child.pid}).`);
    return child;
  }

  /** Never after dispose (the output channel may be gone by then), and never throws into an event handler. */
  private _log(line: string): void {
    if (this._disposed) {
      return;
    }
    try {
      this._options.log?.(line);
    } catch {
      // A closed output channel: nowhere left to say it.
    }
  }

  private _onMessage(message: EngineMessage): void {
    if ('event' in message) {
      if (message.event === 'load') {
        this._views.get(message.view)?.setLoading(message.state, message.progress);
      } else {
        this._pending.get(message.id)?.onProgress?.(message.rows);
      }
      return;
    }
    const pending = this._pending.get(message.id);
    if (message.ok) {
      pending?.resolve(message.value);
    } else {
      pending?.reject(fromRemote(message.error));
    }
  }

  private _onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    this._log(`Results engine stopped (${how}).`);
    if (this._child !== child) {
      // Stopped on purpose (idle, shut down): its requests and views were settled then.
      return;
    }
    const tail = this._stderr.length > 0 ? ` Its last words: ${this._stderr.slice(-3).join(' | ')}` : '';
    this._detach(new EngineStoppedError(`The results engine stopped (${how}).${tail} The table starts it again at its next request; the cached rows are kept.`));
  }

  /** Forgets the running process: the next request starts a new one; what was waiting on it fails with `error`. */
  private _detach(error: Error): ChildProcess | undefined {
    const child = this._child;
    this._child = undefined;
    clearTimeout(this._idle);
    for (const p of [...this._pending.values()]) {
      p.reject(error);
    }
    this._pending.clear();
    for (const view of this._views.values()) {
      view.stopped(error);
    }
    this._views.clear();
    return child;
  }

  private _armIdle(): void {
    clearTimeout(this._idle);
    if (this._views.size > 0 || !this._child) {
      return;
    }
    this._idle = setTimeout(() => {
      if (this._views.size === 0 && this._pending.size === 0) {
        this._stop();
      }
    }, this._options.idleMs ?? 120_000);
    this._idle.unref();
  }

  private _stop(): void {
    const child = this._detach(new EngineStoppedError('The results engine has been shut down.'));
    // Its 'disconnect' handler exits; a process that hangs is killed.
    if (child?.connected) {
      child.disconnect();
    }
    const kill = setTimeout(() => child?.kill(), 5_000);
    kill.unref();
  }
}

/** The error the engine sent, as the class callers know (a refused request, a cancelled export). */
function fromRemote(error: RemoteError): Error {
  if (error.name === 'ViewRequestError') {
    return new ViewRequestError(error.message);
  }
  if (error.name === 'CancelledError') {
    return new CancelledError(error.message);
  }
  const err = new Error(error.message);
  err.name = error.name;
  return err;
}
