import * as vscode from 'vscode';
import type { CheckResult, QueryRoute } from '../../queryFiles/queryFile';
import { checkDocument } from './checkDocument';
import { checkActiveEditor, type EditorQuery } from './editorQuery';
import { QueryFileCodeActions } from './queryFileCodeActions';
import { QueryFileDiagnostics } from './queryFileDiagnostics';

/** `*.gcquery.json` files wherever they are (saved, untitled with a path, any scheme). */
const SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.gcquery.json' }];

/** What the rest of the extension uses of query-file validation. */
export interface QueryFileChecks {
  /** Checks a document as a run would (nothing is sent); see checkDocument.ts. */
  checkDocument(doc: vscode.TextDocument, opts?: { route?: QueryRoute; now?: Date }): CheckResult;
  /** The active editor's query, checked for a run: ready to send, refused ('blocked', problems shown), or none. */
  checkActiveEditor(kind: QueryRoute): EditorQuery | 'blocked' | undefined;
  /** Shows a check's problems on a document (replacing what it showed). */
  publish(doc: vscode.TextDocument, result: CheckResult): void;
}

/** Diagnostics and quick fixes for query files; the checks runs call before sending. */
export function registerQueryFileDiagnostics(context: vscode.ExtensionContext): QueryFileChecks {
  const diagnostics = new QueryFileDiagnostics();
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider(SELECTOR, new QueryFileCodeActions(), QueryFileCodeActions.metadata),
  );
  return {
    checkDocument,
    checkActiveEditor: (kind) => checkActiveEditor(kind, diagnostics),
    publish: (doc, result) => diagnostics.publish(doc, result),
  };
}
