import * as vscode from 'vscode';
import type { QueryProblem } from '../../queryFiles/queryFile';
import { checkDocument, DIAGNOSTIC_SOURCE, problemRange } from './checkDocument';

/**
 * The quick fixes of the problems under the cursor or selection (each problem's fixes from checkQueryFile),
 * linked to their diagnostics so the lightbulb and the Problems panel offer them.
 */
export class QueryFileCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(context.only)) {
      return [];
    }
    const actions: vscode.CodeAction[] = [];
    for (const problem of checkDocument(doc).problems) {
      const at = problemRange(doc, problem);
      if (!at.intersection(range) && !at.contains(range)) {
        continue;
      }
      const diagnostics = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code === problem.code && d.range.isEqual(at));
      actions.push(...this.actionsFor(doc, problem, diagnostics));
    }
    return actions;
  }

  private actionsFor(doc: vscode.TextDocument, problem: QueryProblem, diagnostics: vscode.Diagnostic[]): vscode.CodeAction[] {
    return problem.fixes.map((fix) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) {
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
      }
      action.edit = edit;
      action.diagnostics = diagnostics;
      action.isPreferred = fix.isPreferred === true;
      return action;
    });
  }
}
