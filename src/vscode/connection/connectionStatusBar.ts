import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../../constants';
import type { ConnectionInfo, ConnectionManager } from './connectionManager';

/**
 * Left-side status bar item naming the active connection, and the `genesysCloud.connected` context key.
 * Hidden while disconnected; no custom colours.
 */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly _item: vscode.StatusBarItem;
  private readonly _subscription: vscode.Disposable;

  constructor(connections: ConnectionManager) {
    this._item = vscode.window.createStatusBarItem('genesysCloud.connection', vscode.StatusBarAlignment.Left, 50);
    this._item.name = vscode.l10n.t('Genesys Cloud Connection');
    this._item.command = Commands.showLog;
    this._subscription = connections.onDidChange((info) => this._update(info));
    this._update(connections.current);
  }

  private _update(info: ConnectionInfo | undefined): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.connected, info !== undefined);
    if (!info) {
      this._item.hide();
      return;
    }
    this._item.text = `$(cloud) ${info.label}`;
    this._item.tooltip = info.startedInProcess
      ? vscode.l10n.t('Genesys Cloud: signed in to {0}, the built-in sandbox at {1} (click for the log)', info.org.orgName, info.url)
      : vscode.l10n.t('Genesys Cloud: signed in to {0}, the sandbox at {1} (click for the log)', info.org.orgName, info.url);
    this._item.accessibilityInformation = { label: vscode.l10n.t('Genesys Cloud connected to {0}', info.label) };
    this._item.show();
  }

  dispose(): void {
    this._subscription.dispose();
    this._item.dispose();
  }
}
