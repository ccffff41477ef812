import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult, QueryRoute } from '../../queryFiles/queryFile';
import { checkDocument } from './checkDocument';

/** A query file checked for a run or a copy: its resolved body and where it came from. */
export interface QueryFileInput {
  readonly uri: vscode.Uri;
  readonly result: CheckResult;
  /** `gcquery.name`, else the file name. */
  readonly label: string;
}

/** `*.gcquery.json` files (any scheme: saved, untitled-with-a-path). */
export const QUERY_FILE_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.gcquery.json' }];

/** Accepts a Uri or its string form (keybindings, scripts). */
export function toUri(value: vscode.Uri | string): vscode.Uri {
  return typeof value === 'string' ? vscode.Uri.parse(value, true) : value;
}

/**
 * Reads (the open editor's text, unsaved edits included) and checks a query file. `route` overrides the
 * file's `gcquery.run` (the "Run as Job" lens on a file that says `query`).
 */
export async function readQueryFile(uri: vscode.Uri, route?: QueryRoute): Promise<QueryFileInput> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const result = checkDocument(doc, route ? { route } : {});
  const name = result.parsed?.meta.name;
  return { uri, result, label: typeof name === 'string' && name.trim() !== '' ? name : basename(uri.path) };
}

/** The first error as a sentence with its line, for notifications. */
export function firstError(input: QueryFileInput, doc?: vscode.TextDocument): string {
  const errors = input.result.problems.filter((p) => p.severity === 'error');
  const first = errors[0];
  if (!first) {
    return '';
  }
  const line = doc ? ` (line ${doc.positionAt(first.offset).line + 1})` : '';
  const more = errors.length > 1 ? vscode.l10n.t(' and {0} more', errors.length - 1) : '';
  return `${first.message}${line}${more}`;
}

/**
 * Reports a file that cannot be run as it is: nothing was sent. Offers the Problems panel. Resolves once
 * the message is shown, not when it is answered (the command that refused returns at once).
 */
export async function reportInvalid(input: QueryFileInput, action: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(input.uri);
  const show = vscode.l10n.t('Show Problems');
  void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1} was not sent: {2}', basename(input.uri.path), action, firstError(input, doc)), show).then((choice) => {
    if (choice === show) {
      void vscode.commands.executeCommand('workbench.actions.view.problems');
    }
  });
}
