import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { ConnectionInfo, ConnectionManager } from './connection/connectionManager';

export interface CommandDeps {
  readonly connections: ConnectionManager;
  readonly log: vscode.LogOutputChannel;
}

/** Registers every command in package.json; the caller owns the returned disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.connectSandbox, () => connectSandboxInteractive(deps)),
    vscode.commands.registerCommand(Commands.showLog, () => deps.log.show()),
  ];
}

/** User-started connect: a notification while it runs, a toast with the URL when done, errors link to the log. */
async function connectSandboxInteractive(deps: CommandDeps): Promise<ConnectionInfo | undefined> {
  try {
    const info = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to the Genesys Cloud sandbox…') },
      () => deps.connections.connectSandbox(),
    );
    // Not awaited: the promise settles only when the toast is dismissed.
    void vscode.window.showInformationMessage(vscode.l10n.t('Connected to {0} at {1}', info.org.orgName, info.url));
    return info;
  } catch (err) {
    reportConnectFailure(deps.log, err);
    return undefined;
  }
}

/** Background connect at start-up (`genesysCloud.sandbox.connectOnStart`): status bar progress only. */
export async function connectSandboxOnStart(deps: Pick<CommandDeps, 'connections' | 'log'>): Promise<void> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Genesys Cloud: connecting to the sandbox') },
      () => deps.connections.connectSandbox(),
    );
  } catch (err) {
    reportConnectFailure(deps.log, err);
  }
}

function reportConnectFailure(log: vscode.LogOutputChannel, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  log.error(`Connecting to the sandbox failed: ${message}`);
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window
    .showErrorMessage(vscode.l10n.t('Could not connect to the Genesys Cloud sandbox: {0}', message), showLog)
    .then((choice) => {
      if (choice === showLog) {
        log.show();
      }
    });
}
