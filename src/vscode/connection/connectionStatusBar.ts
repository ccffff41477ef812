import * as vscode from 'vscode';
import { findRegion } from '../../genesys/regions';
import { Commands, ContextKeys } from '../../constants';
import type { ConnectionInfo, ConnectionManager } from './connectionManager';

/**
 * Left-side status bar item naming the active org and region (click: Switch Connection), and the
 * `genesysCloud.connected` context key. While disconnected it offers the switcher ("Sign In / Sandbox").
 * A production connection gets a shield icon (no custom colour: those are kept for real errors).
 */
export class ConnectionStatusBar implements vscode.Disposable {
  private readonly _item: vscode.StatusBarItem;
  private readonly _subscription: vscode.Disposable;

  constructor(connections: ConnectionManager) {
    this._item = vscode.window.createStatusBarItem('genesysCloud.connection', vscode.StatusBarAlignment.Left, 50);
    this._item.name = vscode.l10n.t('Genesys Cloud Connection');
    this._item.command = Commands.switchConnection;
    this._subscription = connections.onDidChange((info) => this._update(info));
    this._update(connections.current);
  }

  private _update(info: ConnectionInfo | undefined): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.connected, info !== undefined);
    if (!info) {
      this._item.text = `$(plug) ${vscode.l10n.t('Genesys Cloud')}`;
      this._item.tooltip = vscode.l10n.t('Genesys Cloud: not connected. Click to sign in or try the sandbox.');
      this._item.accessibilityInformation = { label: vscode.l10n.t('Genesys Cloud not connected') };
      this._item.show();
      return;
    }
    const where = statusRegion(info);
    const org = info.org.orgName || info.label;
    this._item.text = `${info.production ? '$(shield)' : '$(cloud)'} ${org} · ${where}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendText(vscode.l10n.t('Genesys Cloud connection "{0}"', info.label));
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(vscode.l10n.t('Org: {0}', org));
    tooltip.appendMarkdown('  \n');
    tooltip.appendText(vscode.l10n.t('API: {0}', info.url));
    if (info.org.clientName) {
      tooltip.appendMarkdown('  \n');
      tooltip.appendText(vscode.l10n.t('OAuth client: {0}', info.org.clientName));
    }
    if (info.production) {
      tooltip.appendMarkdown('  \n');
      tooltip.appendText(vscode.l10n.t('Production: runs ask for confirmation first.'));
    }
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(vscode.l10n.t('Click to switch connections.'));
    this._item.tooltip = tooltip;
    this._item.accessibilityInformation = {
      label: info.production
        ? vscode.l10n.t('Genesys Cloud connected to {0} in {1}, production', org, where)
        : vscode.l10n.t('Genesys Cloud connected to {0} in {1}', org, where),
    };
    this._item.show();
  }

  dispose(): void {
    this._subscription.dispose();
    this._item.dispose();
  }
}

/** "EMEA (Dublin)" for a region, "sandbox" for the built-in one, the host:port of a sandbox at a URL. */
function statusRegion(info: ConnectionInfo): string {
  if (info.region) {
    return findRegion(info.region)?.label ?? info.region;
  }
  if (info.startedInProcess) {
    return vscode.l10n.t('sandbox');
  }
  try {
    return vscode.l10n.t('sandbox at {0}', new URL(info.url).host);
  } catch {
    return vscode.l10n.t('sandbox');
  }
}
