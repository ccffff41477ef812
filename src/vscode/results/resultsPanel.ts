import * as vscode from 'vscode';
import type { ResultsStore } from '../../results/resultsStore';
import type { RunManifest } from '../../results/manifest';
import type { SyncPager } from '../../jobs/syncPager';
import { genesysPagingOf } from '../../jobs/syncPager';
import { readPageMap } from '../../results/pageMap';
import type { GenesysPaging } from '../../results/pageMap';
import type { LoadState, NameResolver, ResultsView } from '../../results/view/viewTypes';
import type { HostMessage, PersistedViewState, RunStatus, WebviewMessage } from '../../shared/protocol';
import { isWebviewMessage, migrateViewState, PROTOCOL_VERSION } from '../../shared/protocol';
import { exportView, openRowAsJson, refetchRun } from './panelActions';
import { resultsHtml, resultsWebviewOptions } from './panelHtml';
import { ResultsSession, runStatusOf } from './resultsSession';

export const RESULTS_VIEW_TYPE = 'genesysCloud.results';

export interface ResultsPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: ResultsStore;
  /** The engine factory (src/results/view `openResultsView`). */
  readonly openView: (runDir: string) => Promise<ResultsView>;
  readonly names?: NameResolver;
  /** The run's label in the Query History ("Yesterday's voice calls"), when it has one. */
  readonly labelOf?: (runId: string) => string | undefined;
  readonly log: vscode.LogOutputChannel;
  /** Further pages of a sync run from Genesys, on demand (absent: the table pages over the cached rows only). */
  readonly pagerFor?: (runId: string) => SyncPager;
  /** How often a run that is still fetching is re-read (ms). */
  readonly pollIntervalMs?: number;
}

/**
 * One results webview over one run at a time (a reused panel switches runs). The host keeps no rows: each
 * request is answered from the run's ResultsView, whose DuckDB tables live on disk. The page is rebuilt
 * when hidden (no retainContextWhenHidden); it saves its own view state and asks again with `ready`.
 */
export class ResultsPanel implements vscode.Disposable {
  private readonly _disposables: vscode.Disposable[] = [];
  private readonly _onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this._onDidDispose.event;
  /** Every message posted to the page (also observed by the integration tests). */
  private readonly _onDidPost = new vscode.EventEmitter<HostMessage>();
  readonly onDidPost = this._onDidPost.event;

  private _runId: string;
  /** State to start from when the page has none of its own for this run. */
  private _initialState: PersistedViewState;
  private _session: Promise<ResultsSession> | undefined;
  /** `_session` once it has opened: what the status and init use without waiting for an open. */
  private _opened: ResultsSession | undefined;
  private _status: RunStatus | undefined;
  private _dataVersion = 0;
  /** The view was still loading at the last status: its end needs one more count. */
  private _wasLoading = false;
  private _conversations: number | undefined;
  private _poll: ReturnType<typeof setTimeout> | undefined;
  private _disposed = false;

  static create(deps: ResultsPanelDeps, runId: string, column: vscode.ViewColumn = vscode.ViewColumn.Active): ResultsPanel {
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, vscode.l10n.t('Results'), column, resultsWebviewOptions(deps.extensionUri));
    return new ResultsPanel(panel, deps, runId, undefined);
  }

  /** For the serializer: the page's last saved state names the run. */
  static restore(panel: vscode.WebviewPanel, deps: ResultsPanelDeps, runId: string, saved: unknown): ResultsPanel {
    panel.webview.options = resultsWebviewOptions(deps.extensionUri);
    return new ResultsPanel(panel, deps, runId, saved);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly _deps: ResultsPanelDeps,
    runId: string,
    saved: unknown,
  ) {
    this._runId = runId;
    this._initialState = migrateViewState(saved, runId);
    panel.iconPath = new vscode.ThemeIcon('table');
    this._disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.handleMessage(m)),
      this._onDidPost,
    );
    panel.webview.html = resultsHtml(panel.webview, _deps.extensionUri);
    void this._refreshStatus();
    this._openEarly();
  }

  get runId(): string {
    return this._runId;
  }

  /** Reuse: show another run in this panel, starting from its default view. */
  showRun(runId: string): void {
    if (runId === this._runId) {
      this.panel.reveal();
      return;
    }
    void this._closeSession();
    this._runId = runId;
    this._initialState = migrateViewState(undefined, runId);
    this._status = undefined;
    this._dataVersion = 0;
    this._conversations = undefined;
    this.panel.reveal();
    this._openEarly();
    void this._refreshStatus().then(() => this._postInit(this._initialState));
  }

  /** The message handler seam: everything the page sends comes through here. */
  async handleMessage(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) {
      this._deps.log.warn('Results panel: ignored a malformed message from the webview');
      return;
    }
    const msg: WebviewMessage = raw;
    const runId = this._runId;
    switch (msg.type) {
      case 'ready': {
        const saved = msg.state?.runId === runId ? msg.state : this._initialState;
        await this._refreshStatus();
        await this._postInit(migrateViewState(saved, runId));
        return;
      }
      case 'request': {
        let session: ResultsSession;
        try {
          session = await this._sessionOrThrow();
        } catch (err) {
          this._post({ type: 'response', id: msg.id, kind: msg.kind, ok: false, superseded: false, error: errorText(err) });
          return;
        }
        const response = await session.handle(msg);
        if (runId === this._runId) {
          this._post(response);
        }
        if (await this._dropStopped(session)) {
          await this._refreshStatus();
        }
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(msg.text);
        this._post({ type: 'notice', text: vscode.l10n.t('Copied {0}', msg.description) });
        return;
      case 'openJson':
        await openRowAsJson(await this._sessionOrThrow(), msg.view, msg.offset).catch((err: unknown) => this._showError(err));
        return;
      case 'export': {
        const done = await exportView({ session: await this._sessionOrThrow(), runId, message: msg, log: this._deps.log }).catch((err: unknown) => {
          this._showError(err);
          return undefined;
        });
        if (done) {
          this._post({ type: 'notice', text: done });
        }
        return;
      }
      case 'refetch':
        await refetchRun(runId, this._deps.log);
        return;
      case 'log':
        if (msg.level === 'error') {
          this._deps.log.error(`Results webview: ${msg.message}`);
        } else {
          this._deps.log.info(`Results webview: ${msg.message}`);
        }
        return;
    }
  }

  private async _postInit(state: PersistedViewState): Promise<void> {
    // With the view open, init carries the columns of the page's grain: its first window request goes
    // out at once instead of after a columns round trip.
    const columns = await this._opened?.columns(state.grain).catch(() => undefined);
    if (this._status && state.runId === this._runId) {
      this._post({ type: 'init', protocol: PROTOCOL_VERSION, state, status: this._status, ...(columns ? { columns } : {}) });
    }
  }

  /**
   * Opens the run's view while the page loads its script, and runs the window its state will ask for first
   * (ResultsSession.warm). A failure to open is met again by the first request.
   */
  private _openEarly(): void {
    const state = this._initialState;
    this._sessionOrThrow().then(
      (session) => session.warm(state),
      () => undefined,
    );
  }

  private _post(msg: HostMessage): void {
    if (this._disposed) {
      return;
    }
    this._onDidPost.fire(msg);
    // Fails quietly while the panel is hidden; the page asks again with `ready` when shown.
    void this.panel.webview.postMessage(msg);
  }

  private _sessionOrThrow(): Promise<ResultsSession> {
    if (!this._session) {
      const runDir = this._deps.store.runDir(this._runId);
      const runId = this._runId;
      const opening = this._deps.openView(runDir).then((view) => {
        if (view.loading()) {
          // Opened at its first batch: polls show the rest as it is loaded.
          this._schedulePoll();
        }
        return new ResultsSession({
            view,
            names: this._deps.names,
            log: this._deps.log,
          ...(this._deps.pagerFor ? { pager: this._deps.pagerFor(runId), onPageFetched: (count: number) => this._pageFetched(runId, count) } : {}),
        });
      });
      // A failed open is retried by the next request.
      opening.then(
        (session) => {
          if (this._session === opening) {
            this._opened = session;
          }
        },
        () => {
          if (this._session === opening) {
            this._session = undefined;
          }
        },
      );
      this._session = opening;
    }
    return this._session;
  }

  private async _closeSession(): Promise<void> {
    const s = this._session;
    this._session = undefined;
    this._opened = undefined;
    if (s) {
      const session = await s.catch(() => undefined);
      session?.dispose();
      await session?.view.close().catch((err: unknown) => this._deps.log.warn(`Closing a results view failed: ${errorText(err)}`));
    }
  }

  /**
   * A large result still being taken into the table (it opened at its first batch): each poll shows the
   * rows committed since, and tells the page to ask again; once the load ends, the final count.
   */
  private async _viewLoading(): Promise<LoadState | undefined> {
    const session = this._opened;
    if (!session) {
      return undefined;
    }
    if (await this._dropStopped(session)) {
      return undefined;
    }
    const loading = session.view.loading();
    const count = loading ? loading.loaded : this._wasLoading ? await session.view.refresh().catch(() => undefined) : undefined;
    this._wasLoading = loading !== undefined && !loading.error;
    if (count !== undefined && count !== this._conversations) {
      this._dataVersion++;
      this._conversations = count;
    }
    return loading;
  }

  /**
   * The results engine's process stopped under the session's view (src/results/viewProcess): forgets the
   * session and moves the data version on, so the page asks again and that request opens a new engine.
   */
  private async _dropStopped(session: ResultsSession): Promise<boolean> {
    if (session.view.alive() || this._opened !== session) {
      return false;
    }
    this._deps.log.warn(`The results engine stopped under run ${this._runId}; the table opens it again.`);
    await this._closeSession();
    this._dataVersion++;
    return true;
  }

  /** A Genesys page reached the cache: the page's list of cached pages and the row count change. */
  private _pageFetched(runId: string, conversations: number): void {
    if (runId === this._runId && !this._disposed) {
      this._conversations = conversations;
      void this._refreshStatus();
    }
  }

  private async _genesysPaging(manifest: RunManifest): Promise<GenesysPaging | undefined> {
    if (!this._deps.pagerFor || manifest.kind !== 'query') {
      return undefined;
    }
    return genesysPagingOf(manifest, await readPageMap(this._deps.store.runDir(manifest.runId), manifest));
  }

  /** Reads the manifest; while the run is fetching, takes in new rows and polls again. */
  private async _refreshStatus(): Promise<void> {
    const runId = this._runId;
    let manifest: RunManifest | undefined;
    try {
      manifest = await this._deps.store.readManifest(runId);
    } catch (err) {
      this._setStatus(missingStatus(runId, errorText(err)));
      return;
    }
    if (runId !== this._runId || this._disposed) {
      return;
    }
    if (!manifest) {
      this._setStatus(missingStatus(runId, vscode.l10n.t('The cached results of this run are gone (deleted or pruned). Run the query again.')));
      return;
    }
    const label = this._deps.labelOf?.(runId);
    this.panel.title = vscode.l10n.t('Results: {0}', label ?? `${manifest.kind} ${manifest.createdAt.slice(5, 16).replace('T', ' ')}`);
    const fetching = runStatusOf(manifest, this._dataVersion).fetching;
    const hadStatus = this._status !== undefined;
    if (fetching || (hadStatus && this._status?.fetching)) {
      // New rows on disk: let the engine take them in, then tell the page to ask again.
      try {
        const session = await this._sessionOrThrow();
        const count = await session.view.refresh();
        if (count !== this._conversations) {
          if (this._conversations !== undefined) {
            this._dataVersion++;
          }
          this._conversations = count;
        }
      } catch (err) {
        this._deps.log.warn(`Refreshing results of run ${runId} failed: ${errorText(err)}`);
      }
    }
    if (runId !== this._runId || this._disposed) {
      return;
    }
    const loading = await this._viewLoading();
    const paging = await this._genesysPaging(manifest);
    if (runId !== this._runId || this._disposed) {
      return;
    }
    const status = runStatusOf(manifest, this._dataVersion, this._conversations ?? manifest.rowCount, Date.now(), label, paging);
    this._setStatus(loading ? { ...status, loading: { total: loading.total, ...(loading.error ? { error: loading.error } : {}) } } : status);
    if (fetching || (loading && !loading.error)) {
      this._schedulePoll();
    }
  }

  private _setStatus(status: RunStatus): void {
    const changed = JSON.stringify(status) !== JSON.stringify(this._status);
    const first = this._status === undefined;
    this._status = status;
    if (changed && !first) {
      this._post({ type: 'status', status });
    }
  }

  private _schedulePoll(): void {
    if (this._poll || this._disposed) {
      return;
    }
    this._poll = setTimeout(() => {
      this._poll = undefined;
      void this._refreshStatus();
    }, this._deps.pollIntervalMs ?? 1000);
  }

  private _showError(err: unknown): void {
    const message = errorText(err);
    this._deps.log.error(`Results: ${message}`);
    void vscode.window.showErrorMessage(message);
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    if (this._poll) {
      clearTimeout(this._poll);
    }
    void this._closeSession();
    this._onDidDispose.fire();
    this._onDidDispose.dispose();
    for (const d of this._disposables.splice(0)) {
      d.dispose();
    }
    this.panel.dispose();
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function missingStatus(runId: string, error: string): RunStatus {
  return { runId, title: runId, state: 'ERROR', fetching: false, partial: false, expired: false, conversations: 0, dataVersion: 0, error, warnings: [] };
}
