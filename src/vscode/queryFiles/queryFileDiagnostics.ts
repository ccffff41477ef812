import * as vscode from 'vscode';
import type { CheckResult } from '../../queryFiles/queryFile';
import { checkDocument, DIAGNOSTIC_SOURCE, isQueryFileDocument, toDiagnostic } from './checkDocument';

/** Typing pauses shorter than this do not re-check. */
const DEBOUNCE_MS = 300;
/** A multi-megabyte file takes a second or two to check (mostly JSONC parsing): re-check less eagerly. */
const LARGE_FILE_CHARS = 1_000_000;
const LARGE_FILE_DEBOUNCE_MS = 1500;

/**
 * Diagnostics of `*.gcquery.json` files: checked on open, on change (debounced) and when the time-zone
 * setting changes; cleared on close. Runs also publish here the problems of any editor JSON they refused.
 */
export class QueryFileDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly _timers = new Map<string, NodeJS.Timeout>();
  private readonly _subscriptions: vscode.Disposable[];

  constructor() {
    this._subscriptions = [
      vscode.workspace.onDidOpenTextDocument((doc) => this._refresh(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this._schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this._forget(doc.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('genesysCloud.queryFiles')) {
          vscode.workspace.textDocuments.forEach((doc) => this._refresh(doc));
        }
      }),
    ];
    vscode.workspace.textDocuments.forEach((doc) => this._refresh(doc));
  }

  /** Shows a check's problems on a document; `base` is where the checked text starts (a selection). */
  publish(doc: vscode.TextDocument, result: CheckResult, base = 0): void {
    this.collection.set(doc.uri, result.problems.map((p) => toDiagnostic(doc, p, base)));
  }

  private _refresh(doc: vscode.TextDocument): void {
    if (isQueryFileDocument(doc)) {
      this.publish(doc, checkDocument(doc));
    }
  }

  private _schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!isQueryFileDocument(doc) && !this.collection.has(doc.uri)) {
      return;
    }
    clearTimeout(this._timers.get(key));
    this._timers.set(key, setTimeout(() => {
      this._timers.delete(key);
      if (isQueryFileDocument(doc)) {
        this._refresh(doc);
      } else {
        // A plain JSON editor a run refused: its diagnostics would go stale, so they go.
        this.collection.delete(doc.uri);
      }
    }, doc.getText().length > LARGE_FILE_CHARS ? LARGE_FILE_DEBOUNCE_MS : DEBOUNCE_MS));
  }

  private _forget(uri: vscode.Uri): void {
    clearTimeout(this._timers.get(uri.toString()));
    this._timers.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    this._timers.forEach((t) => clearTimeout(t));
    this._timers.clear();
    this._subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }
}
