import * as vscode from 'vscode';
import { Commands, Views } from './constants';
import { HistoryTreeProvider } from './vscode/history/historyTreeProvider';

/** Composition root: builds services in dependency order and hands every disposable to the context. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Genesys Cloud', { log: true });
  context.subscriptions.push(log);

  const history = new HistoryTreeProvider();
  context.subscriptions.push(
    history,
    vscode.window.registerTreeDataProvider(Views.history, history),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    vscode.commands.registerCommand(Commands.refreshHistory, () => history.refresh()),
  );
  log.info('Genesys Cloud Analytics activated');
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
