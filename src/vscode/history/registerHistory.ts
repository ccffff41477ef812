import * as vscode from 'vscode';
import { Commands, Views } from '../../constants';
import type { HistoryEntry } from '../../history/historyEntry';
import type { RunOutcome } from '../../jobs/runTypes';
import type { ConnectionManager } from '../connection/connectionManager';
import { openRunResults } from '../runs/openResults';
import type { RunsEngine } from '../runs/runsEngine';
import type { RunService } from '../runs/runService';
import type { RunTracker } from '../runs/runTracker';
import type { ExportArgs } from './historyExport';
import { exportRunInteractive } from './historyExport';
import type { DisplayState, HistoryFilter, RunItemModel } from './historyModel';
import { DISPLAY_STATES } from './historyModel';
import type { HistoryNode } from './historyTreeProvider';
import { HistoryTreeProvider } from './historyTreeProvider';

export interface HistoryDeps {
  readonly engine: Promise<RunsEngine>;
  readonly tracker: RunTracker;
  readonly service: RunService;
  readonly connections: ConnectionManager;
  readonly log: vscode.LogOutputChannel;
}

export interface HistoryView {
  /** Run items as the tree shows them without a filter, newest first. */
  items(): Promise<RunItemModel[]>;
}

/** A tree node (from a menu) or a run id (from a script or test). */
function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  const node = arg as Partial<HistoryNode> | undefined;
  return node?.type === 'run' ? node.run?.runId : undefined;
}

/** The file at `uri` (a URI string) when it still exists. */
async function existingFile(uri: string): Promise<vscode.Uri | undefined> {
  try {
    const parsed = vscode.Uri.parse(uri, true);
    await vscode.workspace.fs.stat(parsed);
    return parsed;
  } catch {
    return undefined;
  }
}

const FINISHED: readonly DisplayState[] = ['fulfilled', 'partial', 'failed', 'cancelled', 'expired'];

/** The Query History view and its commands (title bar and item context menus). */
export function registerHistory(context: vscode.ExtensionContext, deps: HistoryDeps): HistoryView {
  const { engine, tracker, service, connections, log } = deps;
  // Connection labels seen in this window; history of other connections shows their ids.
  const labels = new Map<string, string>();
  const remember = (): void => {
    const c = connections.current;
    if (c) {
      labels.set(c.id, c.label);
    }
  };
  remember();
  const provider = new HistoryTreeProvider({ engine, tracker, connectionLabels: () => labels });
  const view = vscode.window.createTreeView(Views.history, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(provider, view, connections.onDidChange(() => {
    remember();
    provider.refresh();
  }));

  const entryOf = async (arg: unknown): Promise<HistoryEntry | undefined> => {
    const runId = runIdOf(arg);
    return runId ? (await engine).history.get(runId) : undefined;
  };
  const applyFilter = (filter: HistoryFilter): void => {
    provider.setFilter(filter);
    const parts = [filter.connectionId ? labels.get(filter.connectionId) ?? filter.connectionId : undefined, filter.states?.join(', ')].filter(Boolean);
    view.description = parts.length > 0 ? vscode.l10n.t('Filtered: {0}', parts.join(' · ')) : undefined;
  };
  const remove = async (runIds: readonly string[]): Promise<void> => {
    const e = await engine;
    for (const runId of runIds) {
      await e.history.remove(runId);
      await e.store.delete(runId);
    }
    await e.meta.retain(new Set(e.history.list().map((h) => h.runId)));
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.refreshHistory, () => provider.refresh()),
    vscode.commands.registerCommand(Commands.openRunResults, async (arg: unknown) => {
      const entry = await entryOf(arg);
      if (entry) {
        await openRunResults(entry.runId, log);
      }
    }),
    vscode.commands.registerCommand(Commands.refetchRun, async (arg: unknown): Promise<RunOutcome | undefined> => {
      const runId = runIdOf(arg);
      return runId ? service.refetch(runId) : undefined;
    }),
    vscode.commands.registerCommand(Commands.cancelRun, (arg: unknown): boolean => {
      const runId = runIdOf(arg);
      return runId ? service.cancel(runId) : false;
    }),
    vscode.commands.registerCommand(Commands.copyRunId, async (arg: unknown): Promise<string | undefined> => {
      const entry = await entryOf(arg);
      if (!entry) {
        return undefined;
      }
      const id = entry.jobId ?? entry.id;
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', id), 3000);
      return id;
    }),
    vscode.commands.registerCommand(Commands.openRunBody, async (arg: unknown) => {
      const entry = await entryOf(arg);
      if (entry) {
        // The query file the run came from while it still exists (it may have changed since: it is the
        // source to edit and run again); else the body as it was sent.
        const source = entry.sourceFile ? await existingFile(entry.sourceFile) : undefined;
        const doc = source ? await vscode.workspace.openTextDocument(source) : await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(entry.body, null, 2)}\n` });
        await vscode.window.showTextDocument(doc, { preview: false });
        return doc.uri.toString();
      }
      return undefined;
    }),
    vscode.commands.registerCommand(Commands.exportRun, async (arg: unknown, args?: ExportArgs) => {
      const entry = await entryOf(arg);
      return entry ? exportRunInteractive(entry, await engine, log, args) : undefined;
    }),
    vscode.commands.registerCommand(Commands.runAgain, async (arg: unknown): Promise<RunOutcome | undefined> => {
      const entry = await entryOf(arg);
      if (!entry || !entry.body || typeof entry.body !== 'object') {
        return undefined;
      }
      const meta = (await engine).meta.get(entry.runId);
      const body = entry.body as Record<string, unknown>;
      const paging = body.paging as { pageSize?: number; pageNumber?: number } | undefined;
      return service.start({
        kind: entry.kind,
        body,
        ...(meta?.label ? { label: meta.label } : {}),
        ...(entry.sourceFile ? { sourceFile: entry.sourceFile } : {}),
        ...(entry.kind === 'query' ? { mode: meta?.mode ?? 'all', ...(paging?.pageSize ? { pageSize: paging.pageSize } : {}), ...(paging?.pageNumber ? { pageNumber: paging.pageNumber } : {}) } : {}),
      });
    }),
    vscode.commands.registerCommand(Commands.deleteRun, async (arg: unknown) => {
      const runId = runIdOf(arg);
      if (runId && !tracker.has(runId)) {
        await remove([runId]);
      }
    }),
    vscode.commands.registerCommand(Commands.filterHistory, async (arg?: HistoryFilter) => {
      if (arg && typeof arg === 'object') {
        applyFilter(arg);
        return;
      }
      type Choice = { label: string; description?: string; filter: HistoryFilter };
      const connectionIds = [...new Set(provider.entries().map((e) => e.connectionId))];
      const items: Choice[] = [
        { label: '$(clear-all) Show all runs', filter: {} },
        ...connectionIds.map((id) => ({ label: `$(cloud) ${labels.get(id) ?? id}`, description: 'connection', filter: { connectionId: id } })),
        ...DISPLAY_STATES.map((s) => ({ label: `$(filter) ${s}`, description: 'state', filter: { states: [s] } })),
      ];
      const chosen = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter Query History'), placeHolder: vscode.l10n.t('Show runs of one connection or in one state') });
      if (chosen) {
        applyFilter(chosen.filter);
      }
    }),
    vscode.commands.registerCommand(Commands.clearFinishedRuns, async () => {
      const finished = provider.model({}).flatMap((g) => g.runs).filter((r) => FINISHED.includes(r.state) && !tracker.has(r.runId));
      if (finished.length === 0) {
        return;
      }
      const clear = vscode.l10n.t('Clear {0} Runs', finished.length);
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Remove {0} finished runs from the Query History?', finished.length),
        { modal: true, detail: vscode.l10n.t('Their cached results are deleted too; running runs stay.') },
        clear,
      );
      if (choice === clear) {
        await remove(finished.map((r) => r.runId));
      }
    }),
  );

  return {
    items: async () => {
      await engine;
      return provider.model({}).flatMap((g) => g.runs);
    },
  };
}
