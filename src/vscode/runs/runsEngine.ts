import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import { HistoryStore } from '../../history/historyStore';
import { ResultsStore } from '../../results/resultsStore';

/** How a run was started, remembered so Run Again repeats it and the tree names it. */
export interface RunMeta {
  /** The query file's name, or a preset's name; absent: the tree shows the interval. */
  label?: string;
  /** Sync runs: one page or all pages. */
  mode?: 'page' | 'all';
  /** Job runs split into parallel sub-jobs: how many (the history tooltip says so). */
  subJobs?: number;
}

const META_KEY = 'genesysCloud.runMeta';

/** Run metadata kept in globalState (no secrets, no rows: a file name and a mode per run id). */
export class RunMetaStore {
  constructor(private readonly _memento: vscode.Memento) {}

  private _all(): Record<string, RunMeta> {
    return this._memento.get<Record<string, RunMeta>>(META_KEY, {});
  }

  get(runId: string): RunMeta | undefined {
    return this._all()[runId];
  }

  labels(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const [id, meta] of Object.entries(this._all())) {
      if (meta.label) {
        out.set(id, meta.label);
      }
    }
    return out;
  }

  /** Runs split into sub-jobs, and how many. */
  subJobs(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    for (const [id, meta] of Object.entries(this._all())) {
      if (meta.subJobs) {
        out.set(id, meta.subJobs);
      }
    }
    return out;
  }

  async set(runId: string, meta: RunMeta): Promise<void> {
    await this._memento.update(META_KEY, { ...this._all(), [runId]: meta });
  }

  /** Drops metadata of runs no longer in history. */
  async retain(runIds: ReadonlySet<string>): Promise<void> {
    const all = this._all();
    const kept = Object.fromEntries(Object.entries(all).filter(([id]) => runIds.has(id)));
    if (Object.keys(kept).length !== Object.keys(all).length) {
      await this._memento.update(META_KEY, kept);
    }
  }
}

/** The persisted side of runs: the results cache and the history journal under globalStorage. */
export interface RunsEngine {
  readonly store: ResultsStore;
  readonly history: HistoryStore;
  readonly meta: RunMetaStore;
}

/** Folder of the results cache (one sub-folder per run) under the extension's global storage. */
export function resultsRoot(globalStorage: vscode.Uri): string {
  return join(globalStorage.fsPath, 'results');
}

export async function openRunsEngine(context: vscode.ExtensionContext, logger: Logger): Promise<RunsEngine> {
  const dir = context.globalStorageUri.fsPath;
  const history = await HistoryStore.open({ dir, logger });
  context.subscriptions.push(history);
  for (const warning of history.loadWarnings) {
    logger.warn(warning);
  }
  return { store: new ResultsStore({ root: resultsRoot(context.globalStorageUri), logger }), history, meta: new RunMetaStore(context.globalState) };
}
