import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { ConnectionManager } from '../connection/connectionManager';
import { QueryFileCodeLensProvider } from './codeLens';
import { copyQueryFileAs } from './copyAsCommand';
import type { EntityLists } from './idCompletion';
import { QueryFileCompletionProvider, QueryFileHoverProvider } from './idCompletion';
import { newQueryFile } from './newQueryFile';
import { QUERY_FILE_SELECTOR } from './queryFileInput';
import type { QueryFileChecks } from './registerQueryFileDiagnostics';
import { validateQueryFile } from './validateCommand';

export interface QueryFilesDeps {
  readonly connections: ConnectionManager;
  /** The active connection's queues, users, wrap-up codes and divisions (ConnectionNames). */
  readonly names: EntityLists;
  readonly log: vscode.LogOutputChannel;
  /** The diagnostics (registerQueryFileDiagnostics): Validate shows its result there at once. */
  readonly checks?: Pick<QueryFileChecks, 'publish'>;
}

/**
 * Authoring and running `*.gcquery.json` files: CodeLens (run as query / job, validate, copy as…), New
 * Query File from templates, ID completion and hover from the active connection, filter snippets. Runs go
 * through `genesysCloud.runQuery` / `runJob` with `{ uri }`.
 */
export function registerQueryFiles(context: vscode.ExtensionContext, deps: QueryFilesDeps): void {
  const { connections, names, log } = deps;
  const connected = (): boolean => connections.current !== undefined;
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(QUERY_FILE_SELECTOR, new QueryFileCodeLensProvider()),
    vscode.languages.registerCompletionItemProvider(QUERY_FILE_SELECTOR, new QueryFileCompletionProvider(names, connected, log), '"'),
    vscode.languages.registerHoverProvider(QUERY_FILE_SELECTOR, new QueryFileHoverProvider(names, connected)),
    vscode.commands.registerCommand(Commands.newQueryFile, (args?: unknown) => newQueryFile(args, connected)),
    vscode.commands.registerCommand(Commands.validateQueryFile, (args?: unknown) => validateQueryFile(args, deps.checks?.publish)),
    vscode.commands.registerCommand(Commands.copyQueryFileAs, (args?: unknown) => copyQueryFileAs(args, () => connections.current)),
  );
}
