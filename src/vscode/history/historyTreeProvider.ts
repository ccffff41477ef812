import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { HistoryEntry } from '../../history/historyEntry';
import type { RunsEngine } from '../runs/runsEngine';
import type { RunTracker, TrackedRun } from '../runs/runTracker';
import type { ConnectionGroupModel, HistoryFilter, RunItemModel } from './historyModel';
import { buildHistoryModel, nextRefreshDelay, STATE_ICONS } from './historyModel';

export type HistoryNode = { type: 'group'; group: ConnectionGroupModel } | { type: 'run'; run: RunItemModel };

export interface HistoryTreeDeps {
  readonly engine: Promise<RunsEngine>;
  readonly tracker: RunTracker;
  /** Labels of connections by id (the active one's label; others show their id). */
  readonly connectionLabels: () => ReadonlyMap<string, string>;
}

/**
 * Query History: connection groups, runs newest first. Redraws when the history or the runs in flight
 * change, and on a timer while ages and expiry countdowns are shown, so a job turns "expired" when its
 * expirationDate passes (its cached rows still open). Items are built by historyModel.ts.
 */
export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private _engine: RunsEngine | undefined;
  private _filter: HistoryFilter = {};
  private _timer: NodeJS.Timeout | undefined;
  private readonly _subs: { dispose(): void }[] = [];
  private _disposed = false;

  constructor(private readonly _deps: HistoryTreeDeps) {
    this._subs.push(_deps.tracker.onDidChange((run) => run === undefined && this.refresh()));
    void _deps.engine.then((engine) => {
      if (this._disposed) {
        return;
      }
      this._engine = engine;
      this._subs.push(engine.history.onDidChange(() => this.refresh()));
      this.refresh();
    });
  }

  get filter(): HistoryFilter {
    return this._filter;
  }

  setFilter(filter: HistoryFilter): void {
    this._filter = filter;
    this.refresh();
  }

  refresh(): void {
    if (this._disposed) {
      return;
    }
    this._onDidChangeTreeData.fire();
    this._schedule();
  }

  /**
   * The history, plus the runs in flight it does not list yet (a job whose submission is still being
   * answered), so every run shows the moment it starts.
   */
  entries(): HistoryEntry[] {
    const listed = this._engine?.history.list() ?? [];
    const known = new Set(listed.map((e) => e.runId));
    const starting = this._deps.tracker.list().filter((r) => !known.has(r.runId)).map(startingEntry);
    return [...starting, ...listed];
  }

  /** The groups as shown now (with the filter). */
  model(filter: HistoryFilter = this._filter): ConnectionGroupModel[] {
    return buildHistoryModel(this.entries(), { now: Date.now(), inFlight: this._deps.tracker.ids(), runLabels: this._engine?.meta.labels() ?? new Map(), subJobs: this._engine?.meta.subJobs() ?? new Map(), connectionLabels: this._deps.connectionLabels() }, filter);
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node.type === 'group') {
      const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `connection:${node.group.connectionId}`;
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.description = `${node.group.runs.length} ${node.group.runs.length === 1 ? 'run' : 'runs'}`;
      item.contextValue = 'connection;';
      return item;
    }
    const run = node.run;
    const item = new vscode.TreeItem(run.label, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${run.runId}`;
    item.description = run.description;
    item.tooltip = run.tooltip.join('\n');
    const icon = STATE_ICONS[run.state];
    item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = run.contextValue;
    if (run.contextValue.includes('hasResults;')) {
      item.command = { command: Commands.openRunResults, title: vscode.l10n.t('Open Results'), arguments: [node] };
    }
    item.accessibilityInformation = { label: `${run.label}, ${run.state}, ${run.description}` };
    return item;
  }

  getChildren(node?: HistoryNode): HistoryNode[] {
    if (!node) {
      return this.model().map((group) => ({ type: 'group', group }));
    }
    return node.type === 'group' ? node.group.runs.map((run) => ({ type: 'run', run })) : [];
  }

  private _schedule(): void {
    clearTimeout(this._timer);
    const delay = nextRefreshDelay(this.entries(), Date.now());
    if (delay !== undefined) {
      this._timer = setTimeout(() => this.refresh(), delay);
    }
  }

  dispose(): void {
    this._disposed = true;
    clearTimeout(this._timer);
    for (const s of this._subs) {
      s.dispose();
    }
    this._onDidChangeTreeData.dispose();
  }
}

function startingEntry(run: TrackedRun): HistoryEntry {
  const at = new Date(run.startedAt).toISOString();
  return {
    id: run.runId,
    runId: run.runId,
    kind: run.kind,
    connectionId: run.connectionId,
    body: run.body,
    state: run.kind === 'job' ? 'QUEUED' : 'RUNNING',
    submittedAt: at,
    rowCount: run.rowCount,
    partial: false,
    updatedAt: at,
  };
}
