import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { RunTracker } from './runTracker';
import { progressText } from './runTracker';

/**
 * A spinner and the number of runs in flight (left side: global status), hidden when none; its click
 * (`genesysCloud.showRuns`) lists them. Background and resumed runs show their progress only here.
 */
export class RunStatusBar implements vscode.Disposable {
  private readonly _item = vscode.window.createStatusBarItem('genesysCloud.runs', vscode.StatusBarAlignment.Left, 50);
  private readonly _sub: { dispose(): void };
  private readonly _timer: NodeJS.Timeout;

  constructor(private readonly _tracker: RunTracker) {
    this._item.name = vscode.l10n.t('Genesys Cloud Runs');
    this._item.command = Commands.showRuns;
    this._sub = _tracker.onDidChange(() => this._render());
    // Elapsed time in the tooltip moves on between progress events.
    this._timer = setInterval(() => this._render(), 5000);
    this._render();
  }

  private _render(): void {
    const runs = this._tracker.list();
    if (runs.length === 0) {
      this._item.hide();
      return;
    }
    const now = Date.now();
    this._item.text = runs.length === 1 ? `$(sync~spin) ${runs[0]!.label} · ${progressText(runs[0]!, now)}` : `$(sync~spin) ${vscode.l10n.t('{0} runs', runs.length)}`;
    const tooltip = new vscode.MarkdownString(runs.map((r) => `**${r.label}**: ${progressText(r, now)}`).join('\n\n'));
    tooltip.appendMarkdown(`\n\n${vscode.l10n.t('Click to cancel a run or send it to the background.')}`);
    this._item.tooltip = tooltip;
    this._item.show();
  }

  dispose(): void {
    clearInterval(this._timer);
    this._sub.dispose();
    this._item.dispose();
  }
}

/** `genesysCloud.showRuns`: pick a run in flight, then Cancel it or Run it in the Background. */
export async function showRunsMenu(tracker: RunTracker, log: vscode.LogOutputChannel): Promise<void> {
  const now = Date.now();
  const runs = tracker.list();
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Genesys Cloud runs are in progress.'));
    return;
  }
  const run = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.label, description: progressText(r, now), detail: r.background ? vscode.l10n.t('in the background') : undefined, runId: r.runId })),
    { title: vscode.l10n.t('Genesys Cloud runs in progress'), placeHolder: vscode.l10n.t('Choose a run') },
  );
  const chosen = run && tracker.get(run.runId);
  if (!chosen) {
    return;
  }
  type Action = 'cancel' | 'background' | 'log';
  const items: (vscode.QuickPickItem & { action: Action })[] = [
    { label: `$(debug-stop) ${vscode.l10n.t('Cancel')}`, action: 'cancel' },
    ...(chosen.sendToBackground ? [{ label: `$(eye-closed) ${vscode.l10n.t('Run in Background')}`, detail: vscode.l10n.t('Close its notification; progress stays here'), action: 'background' as const }] : []),
    { label: `$(output) ${vscode.l10n.t('Show Log')}`, action: 'log' },
  ];
  const action = await vscode.window.showQuickPick(items, { title: chosen.label });
  if (action?.action === 'cancel') {
    tracker.cancel(chosen.runId);
  } else if (action?.action === 'background') {
    chosen.sendToBackground?.();
  } else if (action?.action === 'log') {
    log.show();
  }
}
