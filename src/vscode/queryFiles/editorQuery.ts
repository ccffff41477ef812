import { basename } from 'node:path';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { checkQueryFile } from '../../queryFiles/checkQueryFile';
import type { CheckResult, QueryRoute } from '../../queryFiles/queryFile';
import { checkDocument, isQueryFileDocument, problemRange, settingTimeZone } from './checkDocument';
import type { QueryFileDiagnostics } from './queryFileDiagnostics';

/** The active editor's query, checked and ready to send. */
export interface EditorQuery {
  body: Record<string, unknown>;
  label: string;
  /** The query file (a URI string) when the whole of one was run, for the history's link back. */
  sourceFile?: string;
}

/** Whether a text looks like a query body at all (a JSON object with an `interval`), JSONC allowed. */
function looksLikeQuery(text: string): boolean {
  const value = parse(text, [], { allowTrailingComma: true }) as unknown;
  return !!value && typeof value === 'object' && !Array.isArray(value) && 'interval' in value;
}

/**
 * Checks what a run would send from the active editor — a `*.gcquery.json` file, or any JSON query body
 * (or selection) — before anything is sent. With an error nothing is sent: the problems go on the editor,
 * the cursor to the first, and a message names it with its line. Undefined when the editor holds no query
 * (the run offers its presets).
 */
export function checkActiveEditor(kind: QueryRoute, diagnostics: QueryFileDiagnostics, now = new Date()): EditorQuery | 'blocked' | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return undefined;
  }
  const doc = editor.document;
  const whole = editor.selection.isEmpty;
  const text = whole ? doc.getText() : doc.getText(editor.selection);
  const base = whole ? 0 : doc.offsetAt(editor.selection.start);
  const queryFile = isQueryFileDocument(doc);
  if (!(queryFile && whole) && !looksLikeQuery(text)) {
    return undefined;
  }
  const zone = settingTimeZone(doc.uri);
  const result: CheckResult = queryFile && whole
    ? checkDocument(doc, { route: kind, now })
    : checkQueryFile(text, { route: kind, now, ...(zone ? { timeZone: zone } : {}) });
  const name = doc.isUntitled ? 'untitled query' : basename(doc.uri.path);
  if (result.parsed) {
    const label = result.parsed.meta.name?.trim() || name;
    return { body: result.parsed.body, label, ...(queryFile && whole && doc.uri.scheme === 'file' ? { sourceFile: doc.uri.toString() } : {}) };
  }
  diagnostics.publish(doc, result, base);
  const errors = result.problems.filter((p) => p.severity === 'error');
  const first = errors[0]!;
  const range = problemRange(doc, first, base);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  const more = errors.length > 1 ? vscode.l10n.t(' (and {0} more)', errors.length - 1) : '';
  const show = vscode.l10n.t('Show Problems');
  void vscode.window
    .showErrorMessage(vscode.l10n.t('{0} was not sent. Line {1}: {2}{3}', name, range.start.line + 1, first.message, more), show)
    .then((choice) => (choice === show ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
  return 'blocked';
}
