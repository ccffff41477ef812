import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../queryFiles/queryFile';
import { readQueryFile, toUri } from './queryFileInput';

/** What Validate found, returned to scripts and tests. */
export interface ValidateSummary {
  errors: number;
  warnings: number;
  hints: number;
}

/**
 * ✓ Validate: checks the file as a run would (nothing is sent) and says so — "No problems", or the count
 * with the Problems panel one click away (the diagnostics themselves are on the editor already).
 */
export async function validateQueryFile(arg: unknown, publish?: (doc: vscode.TextDocument, result: CheckResult) => void): Promise<ValidateSummary | undefined> {
  const raw = (arg as { uri?: unknown } | undefined)?.uri ?? arg;
  const uri = raw instanceof vscode.Uri || typeof raw === 'string' ? toUri(raw) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    return undefined;
  }
  const input = await readQueryFile(uri);
  // Now, not after the diagnostics' debounce: the squiggles and the Problems panel match the message.
  publish?.(await vscode.workspace.openTextDocument(uri), input.result);
  const count = (s: string): number => input.result.problems.filter((p) => p.severity === s).length;
  const summary: ValidateSummary = { errors: count('error'), warnings: count('warning'), hints: count('hint') };
  const name = basename(uri.path);
  const total = summary.errors + summary.warnings + summary.hints;
  if (total === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0}: no problems. It can be run as a {1}.', name, input.result.parsed?.route === 'job' ? 'job' : 'query'));
    return summary;
  }
  const show = vscode.l10n.t('Show Problems');
  const text = vscode.l10n.t('{0}: {1} error(s), {2} warning(s), {3} hint(s).', name, summary.errors, summary.warnings, summary.hints);
  const shown = summary.errors > 0 ? vscode.window.showErrorMessage(text, show) : vscode.window.showWarningMessage(text, show);
  void shown.then((choice) => (choice === show ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
  return summary;
}
