import * as vscode from 'vscode';
import { Commands, Settings } from '../../constants';
import type { RunManifest } from '../../results/manifest';
import { ResultsStore } from '../../results/resultsStore';
import type { NameResolver, ResultsView } from '../../results/view/viewTypes';
import { runIdOfSavedState } from '../../shared/protocol';
import type { GenesysPagesDeps } from './genesysPages';
import { genesysPagerFactory } from './genesysPages';
import type { ResultsPanelDeps } from './resultsPanel';
import { RESULTS_VIEW_TYPE, ResultsPanel } from './resultsPanel';
import { runTitle } from './resultsSession';

/** Where run folders live: the one root shared by the runners, the history and the results table. */
export function resultsRoot(context: Pick<vscode.ExtensionContext, 'globalStorageUri'>): string {
  return vscode.Uri.joinPath(context.globalStorageUri, 'results').fsPath;
}

export interface ResultsDeps {
  /** The engine factory (src/results/view `openResultsView`). */
  readonly openView: (runDir: string) => Promise<ResultsView>;
  readonly log: vscode.LogOutputChannel;
  /** Turns IDs into names; absent = the table shows IDs. */
  readonly names?: NameResolver;
  /** The run's label in the Query History, for the tab and the header. */
  readonly labelOf?: (runId: string) => string | undefined;
  /** Defaults to a store at `resultsRoot(context)`. */
  readonly store?: ResultsStore;
  /** Sync runs page through the query's full result, fetching pages from Genesys on demand. */
  readonly genesysPages?: GenesysPagesDeps;
}

/** Every open results panel; opens a new one per run or reuses one (`genesysCloud.results.reusePanel`). */
export class ResultsPanels implements vscode.Disposable {
  private readonly _panels = new Set<ResultsPanel>();

  constructor(private readonly _deps: ResultsPanelDeps) {}

  get panels(): readonly ResultsPanel[] {
    return [...this._panels];
  }

  open(runId: string): ResultsPanel {
    const existing = this.panels.find((p) => p.runId === runId);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const reuse = vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.resultsReusePanel, false);
    const last = this.panels.at(-1);
    if (reuse && last) {
      last.showRun(runId);
      return last;
    }
    return this._track(ResultsPanel.create(this._deps, runId));
  }

  restore(panel: vscode.WebviewPanel, state: unknown): ResultsPanel | undefined {
    const runId = runIdOfSavedState(state);
    if (!runId) {
      return undefined;
    }
    return this._track(ResultsPanel.restore(panel, this._deps, runId, state));
  }

  private _track(panel: ResultsPanel): ResultsPanel {
    this._panels.add(panel);
    panel.onDidDispose(() => this._panels.delete(panel));
    return panel;
  }

  dispose(): void {
    for (const p of this.panels) {
      p.dispose();
    }
  }
}

/** Brings results panels back after a reload, from the state each page saved. */
export class ResultsSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly _panels: ResultsPanels) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!this._panels.restore(panel, state)) {
      // A page that never saved a state has nothing to show again.
      panel.dispose();
    }
  }
}

/** Composition of the results table: the open command, the serializer, the panels. */
export function registerResults(context: vscode.ExtensionContext, deps: ResultsDeps): vscode.Disposable[] {
  const store = deps.store ?? new ResultsStore({ root: resultsRoot(context), logger: deps.log });
  const pagerFor = deps.genesysPages ? genesysPagerFactory(deps.genesysPages, store, deps.log) : undefined;
  const panels = new ResultsPanels({ extensionUri: context.extensionUri, store, openView: deps.openView, names: deps.names, labelOf: deps.labelOf, log: deps.log, ...(pagerFor ? { pagerFor } : {}) });
  return [
    panels,
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, new ResultsSerializer(panels)),
    vscode.commands.registerCommand(Commands.openResults, async (runId?: unknown) => {
      const id = typeof runId === 'string' ? runId : await pickRun(store);
      return id ? panels.open(id) : undefined;
    }),
  ];
}

/** Palette use without a run id: the cached runs, newest first. */
async function pickRun(store: ResultsStore): Promise<string | undefined> {
  const runs = (await store.list()).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No cached results yet. Run a query or job first.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((m) => ({ label: runTitle(m), description: describeRun(m), detail: m.runId, runId: m.runId })),
    { title: vscode.l10n.t('Open Results'), placeHolder: vscode.l10n.t('Pick a run to open in the results table'), matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.runId;
}

function describeRun(m: RunManifest): string {
  return `${m.state}${m.partial ? ' (partial)' : ''} · ${m.rowCount.toLocaleString('en-US')} conversations`;
}
