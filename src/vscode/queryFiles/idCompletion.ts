import * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import type { NamedEntity } from '../../genesys/types';
import type { IdKind } from '../../results/view/viewTypes';
import { idValueAt, snippetSiteAt } from '../../queryFiles/authoringContext';
import { snippetsFor } from '../../queryFiles/snippets';

/** The active connection's entity lists (ConnectionNames): empty lists when not connected. */
export interface EntityLists {
  list(kind: IdKind, signal?: AbortSignal): Promise<readonly NamedEntity[]>;
  names(kind: IdKind, ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string>>;
}

const NOUN: Record<IdKind, string> = { queue: 'Queue', user: 'User', wrapupcode: 'Wrap-up code', division: 'Division' };

function signalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/**
 * Names instead of IDs: in `"value"` of a predicate on queueId / userId / wrapUpCode / divisionId, the
 * active connection's entities, labelled by name and inserted as the ID. Also the filter and predicate
 * snippets where they fit. Not connected, or a list the connection may not read: no items, no popups.
 */
export class QueryFileCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly _lists: EntityLists,
    private readonly _connected: () => boolean,
    private readonly _log: Logger,
  ) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionItem[] | vscode.CompletionList | undefined> {
    const text = doc.getText();
    const offset = doc.offsetAt(position);
    const id = idValueAt(text, offset);
    if (id) {
      if (!this._connected()) {
        return undefined;
      }
      let entities: readonly NamedEntity[];
      try {
        entities = await this._lists.list(id.kind, signalOf(token));
      } catch (err) {
        this._log.warn(`Query file completion: the ${id.kind} list could not be read: ${String(err)}`);
        return undefined;
      }
      const range = new vscode.Range(doc.positionAt(id.offset), doc.positionAt(id.offset + id.length));
      const items = entities.map((e, i) => {
        const item = new vscode.CompletionItem({ label: e.name, description: e.id, detail: ` ${NOUN[id.kind]}` }, vscode.CompletionItemKind.Value);
        item.insertText = JSON.stringify(e.id);
        item.range = range;
        // Typed text (with its opening quote) matches the name or the ID.
        item.filterText = `"${e.name} ${e.id}`;
        item.sortText = String(i).padStart(6, '0');
        item.documentation = new vscode.MarkdownString().appendText(`${NOUN[id.kind]} ${e.name}\nID ${e.id}`);
        return item;
      });
      return new vscode.CompletionList(items, false);
    }
    const site = snippetSiteAt(text, offset);
    if (!site) {
      return undefined;
    }
    return snippetsFor(site).map((s) => {
      const item = new vscode.CompletionItem({ label: s.label, description: s.description }, vscode.CompletionItemKind.Snippet);
      item.insertText = new vscode.SnippetString(s.body);
      item.sortText = `~${s.label}`;
      return item;
    });
  }
}

/** Hover on an ID value: the entity's name from the active connection. */
export class QueryFileHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly _lists: EntityLists,
    private readonly _connected: () => boolean,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const id = idValueAt(doc.getText(), doc.offsetAt(position));
    if (!id || id.length === 0 || id.value === '' || !this._connected()) {
      return undefined;
    }
    const names = await this._lists.names(id.kind, [id.value], signalOf(token)).catch(() => new Map<string, string>());
    const name = names.get(id.value);
    const md = new vscode.MarkdownString();
    if (name) {
      md.appendMarkdown(`**${NOUN[id.kind]}:** `).appendText(name);
    } else {
      md.appendText(`No ${NOUN[id.kind].toLowerCase()} with this ID in the active connection.`);
    }
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(id.offset), doc.positionAt(id.offset + id.length)));
  }
}
