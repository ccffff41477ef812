import * as vscode from 'vscode';
import { Emitter } from '../../common/emitter';
import { isGenesysError } from '../../genesys/errors';
import type { RunHandle, RunnerDeps, RunOutcome, RunProgress } from '../../jobs/runTypes';
import { SyncQueryRunner } from '../../jobs/syncQueryRunner';
import type { RunKind } from '../../results/manifest';
import { Commands, Settings } from '../../constants';
import type { ConnectionInfo, ConnectionManager } from '../connection/connectionManager';
import { confirmRun } from '../connection/runGuard';
import { createJobRunner } from './jobRunnerFactory';
import type { HttpEventSource } from './jobRunnerFactory';
import { runOnePage } from './onePageRun';
import { hitPagingCeiling } from './outcomeAdvice';
import { toJobBody } from './presets';
import type { RunsEngine } from './runsEngine';
import type { RunTracker, TrackedRun } from './runTracker';
import { showRunProgress } from './runProgress';

/** A run to start: what the commands' pickers (or a caller's argument object) settled on. */
export interface RunRequest {
  kind: RunKind;
  body: Record<string, unknown>;
  /** Sync only: one page (pageNumber) or every page from pageNumber on. */
  mode?: 'page' | 'all';
  pageSize?: number;
  pageNumber?: number;
  /** Show progress in the status bar only (no notification). */
  background?: boolean;
  /** The query file's name or the preset's; the tree falls back to the interval. */
  label?: string;
  /** The query file the body came from (a URI string): the history entry links back to it. */
  sourceFile?: string;
}

export interface RunServiceDeps {
  readonly connections: ConnectionManager;
  readonly engine: Promise<RunsEngine>;
  readonly tracker: RunTracker;
  readonly log: vscode.LogOutputChannel;
  /** HTTP events of the connections' clients: a split run's concurrency follows 429s and rate-limit headers. */
  readonly httpEvents?: HttpEventSource;
}

/** Where a finished run came from, so its announcement can offer Retry / Run as Job with the same input. */
export interface FinishedRun {
  readonly outcome: RunOutcome;
  readonly request?: RunRequest;
  readonly title: string;
}

/**
 * Starts, follows and cancels runs on the active connection. Every run goes through `_follow`: it is
 * tracked (status bar, history "cancellable"), shown in a cancellable notification unless in the
 * background, and announced when it ends (see runAnnouncer.ts, which listens to onDidFinish).
 */
export class RunService implements vscode.Disposable {
  private readonly _onDidFinish = new Emitter<FinishedRun>();
  readonly onDidFinish = this._onDidFinish.event;

  constructor(private readonly _deps: RunServiceDeps) {}

  private _config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(Settings.section);
  }

  /** The active connection and its client, or a notification saying how to connect. */
  private _connection(needId?: string): { info: ConnectionInfo; deps: Omit<RunnerDeps, 'store' | 'history'> } | undefined {
    const info = this._deps.connections.current;
    const api = this._deps.connections.client;
    if (!info || !api) {
      const signIn = vscode.l10n.t('Sign In');
      const sandbox = vscode.l10n.t('Try the Sandbox');
      void vscode.window.showWarningMessage(vscode.l10n.t('Sign in to a Genesys Cloud org, or try the sandbox, to run a query.'), signIn, sandbox).then((c) => {
        if (c) {
          void vscode.commands.executeCommand(c === signIn ? Commands.signIn : Commands.connectSandbox);
        }
      });
      return undefined;
    }
    if (needId !== undefined && info.id !== needId) {
      void vscode.window.showWarningMessage(vscode.l10n.t("This run belongs to the connection '{0}'; connect to it first (the active one is '{1}').", needId, info.label));
      return undefined;
    }
    return { info, deps: { api, connectionId: info.id, logger: this._deps.log } };
  }

  /** Starts a query or job; resolves with its outcome, or undefined when nothing was started. */
  async start(request: RunRequest): Promise<RunOutcome | undefined> {
    const conn = this._connection();
    if (!conn) {
      return undefined;
    }
    const title = titleOf(request.kind, request.label);
    if (!(await confirmRun(conn.info, title))) {
      return undefined;
    }
    const engine = await this._deps.engine;
    const deps: RunnerDeps = { ...conn.deps, store: engine.store, history: engine.history };
    const controller = new AbortController();
    const options = { signal: controller.signal, onProgress: (e: RunProgress) => this._onProgress(e, request, title), ...(request.sourceFile ? { sourceFile: request.sourceFile } : {}) };
    let handle: RunHandle;
    try {
      if (request.kind === 'job') {
        handle = this._jobRunner(deps, engine).start(request.body, options);
      } else {
        const pageSize = request.pageSize ?? this._config().get<number>(Settings.queryPageSize, 100);
        const runner = new SyncQueryRunner({ ...deps, defaultPageSize: pageSize });
        const pageNumber = request.pageNumber ?? 1;
        handle =
          request.mode === 'page'
            ? runOnePage(runner, { ...deps, logger: this._deps.log }, request.body, { pageSize, pageNumber }, options)
            : runner.runAll({ ...request.body, paging: { pageSize, pageNumber } }, options);
      }
    } catch (err) {
      // Validation failed before anything was sent.
      const message = isGenesysError(err) ? err.message : String(err);
      this._deps.log.warn(`${title} was not sent: ${message}`);
      // A sync body run as a job: offer the job form of it (the same filters, without paging/aggregations).
      const fixable = request.kind === 'job' && isGenesysError(err, 'invalidQuery') && (err.field === 'paging' || err.field === 'aggregations');
      const fix = vscode.l10n.t('Run Without {0}', fixable ? (err as { field: string }).field : '');
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} was not sent: {1}', title, message), ...(fixable ? [fix] : [])).then((choice) => {
        if (choice === fix) {
          void this.start({ ...request, body: toJobBody(request.body) });
        }
      });
      return undefined;
    }
    await engine.meta.set(handle.runId, { ...engine.meta.get(handle.runId), ...(request.label ? { label: request.label } : {}), ...(request.kind === 'query' ? { mode: request.mode ?? 'all' } : {}) });
    return this._follow(handle, { kind: request.kind, title, connectionId: conn.info.id, controller, background: request.background === true, request, body: request.body });
  }

  /** Re-submits the saved body of an (expired) job as a new run linked to it. */
  async refetch(runId: string, background = false): Promise<RunOutcome | undefined> {
    const engine = await this._deps.engine;
    const entry = engine.history.get(runId);
    const conn = this._connection(entry?.connectionId);
    if (!conn) {
      return undefined;
    }
    const label = engine.meta.get(runId)?.label;
    const title = `Re-fetch of ${titleOf('job', label)}`;
    if (!(await confirmRun(conn.info, title))) {
      return undefined;
    }
    const controller = new AbortController();
    const handle = this._jobRunner({ ...conn.deps, store: engine.store, history: engine.history }, engine).refetch(runId, { signal: controller.signal, onProgress: this._deps.tracker.report.bind(this._deps.tracker) });
    await engine.meta.set(handle.runId, { ...engine.meta.get(handle.runId), ...(label ? { label } : {}) });
    return this._follow(handle, { kind: 'job', title, connectionId: conn.info.id, controller, background });
  }

  /**
   * Continues an interrupted or failed job run (reads only: polls or pages on from the stored cursor).
   * `ask` false for the automatic resume at start-up (no confirmation, status bar only).
   */
  async resume(runId: string, opts: { background: boolean; ask: boolean }): Promise<RunOutcome | undefined> {
    if (this._deps.tracker.has(runId)) {
      return undefined;
    }
    const engine = await this._deps.engine;
    const manifest = await engine.store.readManifest(runId);
    const conn = this._connection(manifest?.connectionId);
    if (!conn || !manifest) {
      return undefined;
    }
    const label = engine.meta.get(runId)?.label;
    const title = titleOf('job', label);
    if (opts.ask && !(await confirmRun(conn.info, title))) {
      return undefined;
    }
    const controller = new AbortController();
    const runner = this._jobRunner({ ...conn.deps, store: engine.store, history: engine.history }, engine, manifest.pageSize);
    this._deps.log.info(`Resuming ${title} (run ${runId})`);
    const handle = runner.resume(runId, { signal: controller.signal, onProgress: this._deps.tracker.report.bind(this._deps.tracker) });
    return this._follow(handle, { kind: 'job', title, connectionId: conn.info.id, controller, background: opts.background, startedAt: Date.parse(manifest.createdAt), rowCount: manifest.rowCount, pages: manifest.pages });
  }

  /**
   * Runs jobs, split into parallel sub-jobs per `genesysCloud.jobs.maxParallelSubJobs` (see
   * jobRunnerFactory.ts); a split run's number of sub-jobs is remembered for the history tooltip.
   */
  private _jobRunner(deps: RunnerDeps, engine: RunsEngine, pageSize?: number): ReturnType<typeof createJobRunner> {
    return createJobRunner(deps, {
      config: this._config(),
      ...(pageSize !== undefined ? { pageSize } : {}),
      ...(this._deps.httpEvents ? { httpEvents: this._deps.httpEvents } : {}),
      log: this._deps.log,
      onSplit: (runId, parts) => {
        if (engine.meta.get(runId)?.subJobs !== parts) {
          void engine.meta.set(runId, { ...engine.meta.get(runId), subJobs: parts });
        }
      },
    });
  }

  /**
   * Progress of a user-started run. A sync query that turns out to match more than it can page through
   * says so at once (not only when it stops at the ceiling), offering to cancel and run it as a job.
   */
  private _onProgress(event: RunProgress, request: RunRequest, title: string): void {
    this._deps.tracker.report(event);
    // Only the warning given before the first page is stored (totalHits past the ceiling) comes early
    // enough to help; one at the ceiling itself is followed at once by the run's own announcement.
    const early = this._deps.tracker.get(event.runId)?.pages === 0;
    if (event.type !== 'warning' || !early || request.kind !== 'query' || request.mode === 'page' || !hitPagingCeiling({ kind: 'query', warnings: [event.message] })) {
      return;
    }
    const asJob = vscode.l10n.t('Cancel and Run as Job');
    void vscode.window.showWarningMessage(`${title}: ${event.message}`, asJob).then((choice) => {
      if (choice === asJob && this._deps.tracker.cancel(event.runId)) {
        void this.start({ kind: 'job', body: toJobBody(request.body), ...(request.label ? { label: request.label } : {}), ...(request.sourceFile ? { sourceFile: request.sourceFile } : {}) });
      }
    });
  }

  cancel(runId: string): boolean {
    return this._deps.tracker.cancel(runId);
  }

  private async _follow(
    handle: RunHandle,
    meta: { kind: RunKind; title: string; connectionId: string; controller: AbortController; background: boolean; request?: RunRequest; body?: unknown; startedAt?: number; rowCount?: number; pages?: number },
  ): Promise<RunOutcome> {
    const run: TrackedRun = {
      runId: handle.runId,
      kind: meta.kind,
      label: meta.title,
      connectionId: meta.connectionId,
      startedAt: Number.isNaN(meta.startedAt) || meta.startedAt === undefined ? Date.now() : meta.startedAt,
      controller: meta.controller,
      ...(meta.body !== undefined ? { body: meta.body } : {}),
      pages: meta.pages ?? 0,
      rowCount: meta.rowCount ?? 0,
      background: meta.background,
    };
    this._deps.tracker.add(run);
    if (!meta.background) {
      showRunProgress(run, this._deps.tracker, handle.result);
    }
    let outcome: RunOutcome;
    try {
      outcome = await handle.result;
    } finally {
      this._deps.tracker.remove(handle.runId);
    }
    this._deps.log.info(`${meta.title} (run ${outcome.runId}) ended: ${outcome.status}, ${outcome.rowCount} row(s), ${outcome.pages} page(s) in ${outcome.elapsedMs} ms`);
    this._onDidFinish.fire({ outcome, title: meta.title, ...(meta.request ? { request: meta.request } : {}) });
    return outcome;
  }

  dispose(): void {
    this._onDidFinish.dispose();
  }
}

/** "Query 'last-day.gcquery.json'", "Job 'Yesterday · voice'", or just "Query" / "Job". */
export function titleOf(kind: RunKind, label: string | undefined): string {
  const noun = kind === 'job' ? 'Job' : 'Query';
  return label ? `${noun} '${label}'` : noun;
}
