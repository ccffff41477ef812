import * as vscode from 'vscode';
import type { TemplateId } from '../../queryFiles/templates';
import { QUERY_TEMPLATES, renderTemplate } from '../../queryFiles/templates';

/** Argument of `genesysCloud.newQueryFile` (scripts, tests): skips the template picker. */
export interface NewQueryFileArgs {
  template?: TemplateId;
}

/** `name.gcquery.json`, or `name-2.gcquery.json`… when the folder already has that file. */
async function freeName(folder: vscode.Uri, fileName: string): Promise<vscode.Uri> {
  const stem = fileName.replace(/\.gcquery\.json$/, '');
  for (let i = 1; ; i++) {
    const candidate = vscode.Uri.joinPath(folder, i === 1 ? fileName : `${stem}-${i}.gcquery.json`);
    const taken =
      vscode.workspace.textDocuments.some((d) => d.uri.path === candidate.path) ||
      (await vscode.workspace.fs.stat(candidate).then(
        () => true,
        () => false,
      ));
    if (!taken) {
      return candidate;
    }
  }
}

/**
 * New Query File: a template as an untitled `*.gcquery.json` whose path is already in the (first)
 * workspace folder, so Save writes it there with no dialog — and CodeLens, diagnostics and completion
 * apply before it is saved. Without a folder, a plain untitled JSONC editor. Returns the document's URI.
 */
export async function newQueryFile(raw: unknown, connected: () => boolean): Promise<string | undefined> {
  const args = (raw && typeof raw === 'object' ? raw : {}) as NewQueryFileArgs;
  const template =
    QUERY_TEMPLATES.find((t) => t.id === args.template) ??
    (await vscode.window.showQuickPick(
      QUERY_TEMPLATES.map((t) => ({ label: t.label, detail: t.detail, template: t })),
      { title: vscode.l10n.t('New Query File'), placeHolder: vscode.l10n.t('Start from a template') },
    ))?.template;
  if (!template) {
    return undefined;
  }
  const rendered = renderTemplate(template.id);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  let doc: vscode.TextDocument;
  if (folder) {
    const target = await freeName(folder, template.fileName);
    doc = await vscode.workspace.openTextDocument(target.with({ scheme: 'untitled' }));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), rendered.text);
    await vscode.workspace.applyEdit(edit);
  } else {
    doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: rendered.text });
  }
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (rendered.cursorOffset !== undefined) {
    const at = doc.positionAt(rendered.cursorOffset);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at));
    if (connected()) {
      // The cursor sits in an ID the user has to choose: list the names at once.
      void vscode.commands.executeCommand('editor.action.triggerSuggest');
    }
  }
  return doc.uri.toString();
}
