import * as vscode from 'vscode';
import { Commands, Settings } from '../../constants';
import type { RunOutcome } from '../../jobs/runTypes';
import type { HistoryEntry } from '../../history/historyEntry';
import type { ConnectionManager } from '../connection/connectionManager';
import type { HistoryView } from '../history/registerHistory';
import { registerHistory } from '../history/registerHistory';
import type { RunItemModel } from '../history/historyModel';
import { announceRuns } from './runAnnouncer';
import { pruneCache, recoverInterruptedQueries, resumeJobsOf } from './runMaintenance';
import type { QueryFileChecks } from '../queryFiles/registerQueryFileDiagnostics';
import type { QueueLister, RunCommandArgs } from './runPickers';
import { asRunArgs, resolveRunRequest } from './runPickers';
import type { RunsEngine } from './runsEngine';
import { openRunsEngine, resultsRoot, RunMetaStore } from './runsEngine';
import { HISTORY_FILE } from '../../history/historyStore';
import type { HttpEventSource } from './jobRunnerFactory';
import { RunService } from './runService';
import { RunStatusBar, showRunsMenu } from './runStatusBar';
import { RunTracker } from './runTracker';

export interface RunsDeps {
  readonly connections: ConnectionManager;
  readonly log: vscode.LogOutputChannel;
  /** The active connection's queues, for the presets' "queue picked by name" step. */
  readonly queues?: QueueLister;
  /** Checks the active editor's query before a run sends it (src/vscode/queryFiles). */
  readonly queryFiles?: Pick<QueryFileChecks, 'checkActiveEditor'>;
  /** HTTP events of the connections' clients, for split runs' concurrency. */
  readonly httpEvents?: HttpEventSource;
}

/**
 * What the extension exports about runs (`exports.runs`), for scripted setups and the integration tests:
 * where results are cached, the runs in flight, what the Query History shows, and when runs end.
 * Runs themselves start through the commands (`genesysCloud.runQuery` / `runJob` take an argument object).
 */
export interface RunsApi {
  /** Folder of the results cache: one sub-folder per run id. */
  readonly resultsRoot: string;
  /** Resolves once the history and cache are open (and interrupted sync runs recovered). */
  whenReady(): Promise<void>;
  readonly onDidFinishRun: vscode.Event<RunOutcome>;
  inFlight(): { runId: string; kind: 'query' | 'job'; label: string; background: boolean }[];
  /** The Query History's run items as shown now (all connections, unfiltered), newest first. */
  historyItems(): Promise<RunItemModel[]>;
  /**
   * What start-up does once a connection is active: resume, in the background, the unfinished job runs
   * of the active connection that have a job id (or a split plan). Resolves with their run ids.
   */
  resumeUnfinished(): Promise<string[]>;
  /** The run's label (a query file's name, a preset's title), when it has one. */
  labelOf(runId: string): string | undefined;
  /** Records a run's new state in the Query History (the results pager fetched pages into it). */
  updateHistory(entry: HistoryEntry): Promise<void>;
}

/** Composes runs: engine (cache + history), service, status bar, announcer, commands, resume, the tree. */
export function registerRuns(context: vscode.ExtensionContext, deps: RunsDeps): RunsApi {
  const { connections, log } = deps;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
  const engine: Promise<RunsEngine> = openRunsEngine(context, log);
  const tracker = new RunTracker();
  const service = new RunService({ connections, engine, tracker, log, ...(deps.httpEvents ? { httpEvents: deps.httpEvents } : {}) });
  const finished = new vscode.EventEmitter<RunOutcome>();
  context.subscriptions.push(tracker, service, finished, new RunStatusBar(tracker), announceRuns(service, log));

  context.subscriptions.push(followOtherWindows(context, engine, log));
  const ready = engine.then(async (e) => {
    await recoverInterruptedQueries(e, log);
    await pruneCache(e, tracker, config(), log);
  });
  ready.catch((err: unknown) => log.error(`Opening the query history and results cache failed: ${String(err)}`));

  // Resume unfinished jobs of a connection as soon as it is active (at start-up, or when it is chosen later).
  const resumed = new Set<string>();
  const resumeFor = async (connectionId: string | undefined): Promise<string[]> => {
    if (!connectionId) {
      return [];
    }
    await ready;
    const ids = await resumeJobsOf(connectionId, await engine, service, log);
    if (ids.length > 0 && !resumed.has(connectionId)) {
      resumed.add(connectionId);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Genesys Cloud: resuming {0} unfinished job(s)', ids.length), 5000);
    }
    return ids;
  };
  context.subscriptions.push(
    connections.onDidChange((info) => void resumeFor(info?.id).catch((err: unknown) => log.error(`Resuming jobs failed: ${String(err)}`))),
    service.onDidFinish(({ outcome }) => {
      finished.fire(outcome);
      void engine.then((e) => pruneCache(e, tracker, config(), log));
    }),
  );
  void resumeFor(connections.current?.id).catch((err: unknown) => log.error(`Resuming jobs failed: ${String(err)}`));

  const run = async (kind: 'query' | 'job', raw: unknown): Promise<RunOutcome | undefined> => {
    const args = withEditorQuery(kind, raw, deps.queryFiles);
    if (!args) {
      return undefined;
    }
    const request = await resolveRunRequest(kind, args, { pageSize: config().get<number>(Settings.queryPageSize, 100), queues: deps.queues });
    return request ? service.start(request) : undefined;
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.runQuery, (args?: unknown) => run('query', args)),
    vscode.commands.registerCommand(Commands.runJob, (args?: unknown) => run('job', args)),
    vscode.commands.registerCommand(Commands.showRuns, () => showRunsMenu(tracker, log)),
  );

  const history: HistoryView = registerHistory(context, { engine, tracker, service, connections, log });
  return {
    resultsRoot: resultsRoot(context.globalStorageUri),
    whenReady: () => ready,
    onDidFinishRun: finished.event,
    inFlight: () => tracker.list().map((r) => ({ runId: r.runId, kind: r.kind, label: r.label, background: r.background })),
    historyItems: () => history.items(),
    resumeUnfinished: () => resumeFor(connections.current?.id),
    // A RunMetaStore is a stateless view over globalState: reading it needs no open engine.
    labelOf: (runId) => new RunMetaStore(context.globalState).get(runId)?.label,
    updateHistory: async (entry) => {
      await (await engine).history.upsert(entry);
    },
  };
}

/**
 * A run without a body of its own (nor a file named by `uri`, checked where it is read) takes the active
 * editor's query — checked first: undefined when it has errors (nothing is sent; the problems are shown).
 */
function withEditorQuery(kind: 'query' | 'job', raw: unknown, queryFiles: RunsDeps['queryFiles']): RunCommandArgs | undefined {
  const args = asRunArgs(raw);
  const namesFile = !!raw && typeof raw === 'object' && 'uri' in raw;
  if (args.body || namesFile || !queryFiles) {
    return args;
  }
  const fromEditor = queryFiles.checkActiveEditor(kind);
  if (fromEditor === 'blocked') {
    return undefined;
  }
  return fromEditor ? { ...args, body: fromEditor.body, label: args.label ?? fromEditor.label, ...(fromEditor.sourceFile ? { sourceFile: fromEditor.sourceFile } : {}) } : args;
}

/**
 * Every window appends to the one history journal: take in what the others wrote when the file changes,
 * and on focus in case the watcher missed a change (global storage is outside the workspace).
 */
function followOtherWindows(context: vscode.ExtensionContext, engine: Promise<RunsEngine>, log: vscode.LogOutputChannel): vscode.Disposable {
  const reload = (): void =>
    void engine.then((e) => e.history.reload()).catch((err: unknown) => log.warn(`Reloading the query history failed: ${String(err)}`));
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(context.globalStorageUri, HISTORY_FILE));
  return vscode.Disposable.from(
    watcher,
    watcher.onDidChange(reload),
    watcher.onDidCreate(reload),
    vscode.window.onDidChangeWindowState((state) => state.focused && reload()),
  );
}
