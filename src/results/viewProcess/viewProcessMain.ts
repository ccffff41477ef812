import { openResultsView } from '../view';
import { loadDuckDBBindings } from '../view/duckdb';
import type { ResultsView } from '../view/viewTypes';
import type { EngineMessage, EngineRequest, EngineStats, RemoteError } from './protocol';

/**
 * The results engine process (started by viewProcess.ts with `child_process.fork`): DuckDB, the view
 * databases and the flatten workers live here, not in the extension host. One request at a time per
 * view is not required: each is answered by id, in any order.
 */

// This process exists for DuckDB: its library (~70 MB, ~0.2 s) and the C API bindings the loads fill vectors
// through load at once, while the host's first open is still on its way, not under it. A failure is met
// again, and reported, by that open; `stats` says whether the engine is ready.
const preload: Promise<string | undefined> = loadDuckDBBindings().then(
  () => undefined,
  (err: unknown) => (err instanceof Error ? err.message : String(err)),
);

const views = new Map<number, ResultsView>();
/** Open and export requests in flight, by request id: a `cancel` aborts them. */
const aborts = new Map<number, AbortController>();
/** How often a loading view's state is sent while it loads in the background (and once when it ends). */
const LOAD_POLL_MS = 250;

function send(message: EngineMessage): void {
  process.send?.(message);
}

function remoteError(err: unknown): RemoteError {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

/** Sends the view's load state while it changes, then once more when the load has ended. */
function followLoad(id: number, view: ResultsView): void {
  let last = JSON.stringify(view.loading());
  const timer = setInterval(() => {
    const state = view.loading();
    const now = JSON.stringify(state);
    if (now !== last) {
      last = now;
      send({ event: 'load', view: id, state });
    }
    if (!state || state.error || !views.has(id)) {
      clearInterval(timer);
    }
  }, LOAD_POLL_MS);
}

async function handle(request: EngineRequest): Promise<unknown> {
  switch (request.op) {
    case 'open': {
      const abort = new AbortController();
      aborts.set(request.id, abort);
      try {
        const view = await openResultsView(request.runDir, {
          ...request.options,
          signal: abort.signal,
          onLoadProgress: (progress) => send({ event: 'load', view: request.view, state: views.get(request.view)?.loading(), progress }),
        });
        views.set(request.view, view);
        const state = view.loading();
        if (state) {
          followLoad(request.view, view);
        }
        return state ?? null;
      } finally {
        aborts.delete(request.id);
      }
    }
    case 'call': {
      const view = views.get(request.view);
      if (!view) {
        throw new Error('This results view is closed.');
      }
      if (request.method === 'close') {
        views.delete(request.view);
        return view.close();
      }
      const method = view[request.method] as (...args: unknown[]) => Promise<unknown>;
      return method.apply(view, [...request.args]);
    }
    case 'export': {
      const view = views.get(request.view);
      if (!view) {
        throw new Error('This results view is closed.');
      }
      const abort = new AbortController();
      aborts.set(request.id, abort);
      try {
        return await view.exportView({ ...request.options, signal: abort.signal, onProgress: (rows) => send({ event: 'exportProgress', id: request.id, rows }) });
      } finally {
        aborts.delete(request.id);
      }
    }
    case 'cancel':
      aborts.get(request.target)?.abort();
      return null;
    case 'stats': {
      // Answered once the libraries are loaded (a benchmark times the engine's start by it).
      const notReady = await preload;
      const cpu = process.cpuUsage();
      return { pid: process.pid, rssBytes: process.memoryUsage().rss, cpuMicros: cpu.user + cpu.system, views: views.size, ...(notReady ? { notReady } : {}) } satisfies EngineStats;
    }
  }
}

process.on('message', (request: EngineRequest) => {
  handle(request).then(
    (value) => send({ id: request.id, ok: true, value: value ?? null }),
    (err: unknown) => send({ id: request.id, ok: false, error: remoteError(err) }),
  );
});


// The extension host went away (closed, crashed, reloaded): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
