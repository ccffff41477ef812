import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { bodyStartOffset } from '../../queryFiles/authoringContext';

/**
 * The lenses above a query file's object: Run as Query, Run as Job, Validate, Copy as…, with codicons (▶ ⧗ ✓
 * as text: ⧗ has no glyph in common UI fonts and showed as a box). Each passes
 * the file's URI, so the command reads the text when clicked (never a stale copy from when the lens was made).
 */
export class QueryFileCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const line = doc.positionAt(bodyStartOffset(doc.getText())).line;
    const range = new vscode.Range(line, 0, line, 0);
    const args = [{ uri: doc.uri }];
    return [
      new vscode.CodeLens(range, { title: '$(play) Run as Query', command: Commands.runQuery, arguments: args, tooltip: vscode.l10n.t("Run as a sync query: the page the file's paging names, else every page") }),
      new vscode.CodeLens(range, { title: '$(watch) Run as Job', command: Commands.runJob, arguments: args, tooltip: vscode.l10n.t('Run as an async job (bulk results, paged by cursor)') }),
      new vscode.CodeLens(range, { title: '$(check) Validate', command: Commands.validateQueryFile, arguments: args, tooltip: vscode.l10n.t('Check the file without sending anything') }),
      new vscode.CodeLens(range, { title: '$(copy) Copy as…', command: Commands.copyQueryFileAs, arguments: args, tooltip: vscode.l10n.t('Copy as a cURL command, a gc CLI command or a TypeScript SDK snippet (with a token placeholder)') }),
    ];
  }
}
