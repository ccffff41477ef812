import * as vscode from 'vscode';
import { Settings } from '../../constants';
import { checkQueryFile } from '../../queryFiles/checkQueryFile';
import type { CheckResult, QueryProblem, QueryRoute } from '../../queryFiles/queryFile';

export const QUERY_FILE_SUFFIX = '.gcquery.json';
/** Diagnostics' source, shown in the Problems panel next to each message. */
export const DIAGNOSTIC_SOURCE = 'Genesys Cloud';

export function isQueryFileDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith(QUERY_FILE_SUFFIX);
}

/** The zone relative intervals resolve in when the file names none: the setting, else this machine's. */
export function settingTimeZone(scope?: vscode.Uri): string | undefined {
  const zone = vscode.workspace.getConfiguration(Settings.section, scope).get<string>(Settings.queryFilesTimeZone, '').trim();
  return zone === '' ? undefined : zone;
}

const cache = new WeakMap<vscode.TextDocument, { version: number; route?: QueryRoute; minute: number; result: CheckResult }>();

/**
 * Checks a query file's current text (unsaved edits included), as a run would: the route of `gcquery.run`
 * unless `opts.route` overrides it, relative intervals resolved at `opts.now` (default: now) in the
 * file's zone, else the `genesysCloud.queryFiles.timeZone` setting, else this machine's. Nothing is sent.
 * Results are cached per document version (and minute, since "yesterday" moves).
 */
export function checkDocument(doc: vscode.TextDocument, opts: { route?: QueryRoute; now?: Date } = {}): CheckResult {
  const now = opts.now ?? new Date();
  const minute = Math.floor(now.getTime() / 60_000);
  const hit = cache.get(doc);
  if (!opts.now && hit && hit.version === doc.version && hit.route === opts.route && hit.minute === minute) {
    return hit.result;
  }
  const zone = settingTimeZone(doc.uri);
  const result = checkQueryFile(doc.getText(), { now, ...(opts.route ? { route: opts.route } : {}), ...(zone ? { timeZone: zone } : {}) });
  if (!opts.now) {
    cache.set(doc, { version: doc.version, ...(opts.route ? { route: opts.route } : {}), minute, result });
  }
  return result;
}

export function problemRange(doc: vscode.TextDocument, p: { offset: number; length: number }, base = 0): vscode.Range {
  return new vscode.Range(doc.positionAt(base + p.offset), doc.positionAt(base + p.offset + p.length));
}

const SEVERITY: Record<QueryProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  // Information, not Hint: VS Code leaves hints out of the Problems panel, and this one is worth seeing.
  hint: vscode.DiagnosticSeverity.Information,
};

/** `base`: where the checked text starts in the document (a selection's start). */
export function toDiagnostic(doc: vscode.TextDocument, p: QueryProblem, base = 0): vscode.Diagnostic {
  const d = new vscode.Diagnostic(problemRange(doc, p, base), p.message, SEVERITY[p.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = p.code;
  return d;
}
