import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { ConnectionDeps } from './connectionDeps';
import { toGenesysConnection } from './savedConnections';
import { describeSignInFailure } from './signInMessages';

/** workspaceState key: the saved connection this window used last (its id; never a secret). */
const ACTIVE_KEY = 'genesysCloud.activeConnection';

/**
 * Each window remembers its own last saved connection and reconnects to it at start-up, quietly (status
 * bar progress, a warning only if it fails). The built-in sandbox is left to
 * `genesysCloud.sandbox.connectOnStart`. Returns the listener that keeps the memory current.
 */
export function rememberActiveConnection(deps: ConnectionDeps, workspaceState: vscode.Memento): vscode.Disposable {
  return deps.connections.onDidChange((info) => {
    void workspaceState.update(ACTIVE_KEY, info?.kind === 'oauth' ? info.id : undefined);
  });
}

export async function restoreActiveConnection(deps: ConnectionDeps, workspaceState: vscode.Memento): Promise<void> {
  const id = workspaceState.get<string>(ACTIVE_KEY);
  const saved = id !== undefined ? deps.saved.get(id) : undefined;
  if (!saved || deps.connections.current) {
    return;
  }
  const secret = await deps.secrets.getClientSecret(saved.id);
  if (secret === undefined) {
    deps.log.info(`Not reconnecting to '${saved.name}': its secret is gone (signed out elsewhere)`);
    return;
  }
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Genesys Cloud: reconnecting to {0}', saved.name) },
      () => deps.connections.connectOAuth({ connection: toGenesysConnection(saved), clientSecret: secret, production: saved.production }),
    );
  } catch (err) {
    const message = describeSignInFailure(err, saved);
    deps.log.warn(`Reconnecting at start-up: ${message}`);
    const choose = vscode.l10n.t('Switch Connection');
    void vscode.window.showWarningMessage(message, choose).then((pick) => {
      if (pick === choose) {
        void vscode.commands.executeCommand(Commands.switchConnection);
      }
    });
  }
}
