import * as vscode from 'vscode';
import { classifyError, GenesysError, isGenesysError } from '../../genesys/errors';
import type { OrgInfo } from '../../genesys/types';
import type { ConnectedClient } from './connectionManager';
import type { ConnectionDeps, ConnectionOutcome } from './connectionDeps';
import type { SavedConnection } from './savedConnections';
import { newConnectionId, splitSecret, toGenesysConnection } from './savedConnections';
import type { SignInDefaults } from './signInFlow';
import { runSignInFlow } from './signInFlow';
import { connectedMessage, describeSignInFailure, missingPermissionWarning } from './signInMessages';

/**
 * Genesys Cloud: Sign In. Asks (signInFlow), checks the credentials at once, then saves the metadata
 * to globalState and the secret to SecretStorage and makes the connection active. A failed check saves
 * nothing and offers "Try Again" with the answers pre-filled (except the secret).
 */
export async function signIn(deps: ConnectionDeps, defaults?: SignInDefaults): Promise<ConnectionOutcome> {
  const answers = await runSignInFlow(deps.prompter(), deps.saved.list(), defaults);
  if (!answers) {
    return { status: 'cancelled' };
  }
  const { metadata, clientSecret } = splitSecret(newConnectionId(), answers);
  const retry: SignInDefaults = { name: answers.name, target: answers.target, clientId: answers.clientId, production: answers.production };

  let checked: { org: OrgInfo; warning?: string };
  try {
    checked = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to {0}…', metadata.name), cancellable: true },
      (_progress, token) => checkCredentials(deps, metadata, clientSecret, token),
    );
  } catch (err) {
    if (isGenesysError(err, 'cancelled')) {
      return { status: 'cancelled' };
    }
    const message = describeSignInFailure(err, metadata);
    deps.log.warn(message);
    offerRetry(deps, message, retry);
    return { status: 'failed', message, errorKind: classifyError(err).kind };
  }

  const toSave: SavedConnection = { ...metadata, org: checked.org };
  try {
    await deps.saved.save(toSave);
    await deps.secrets.storeClientSecret(toSave.id, clientSecret);
  } catch (err) {
    await deps.saved.remove(toSave.id);
    const message = vscode.l10n.t('Signed in, but could not save "{0}": {1}', toSave.name, err instanceof Error ? err.message : String(err));
    deps.log.error(message);
    void vscode.window.showErrorMessage(message);
    return { status: 'failed', message };
  } finally {
    deps.savedChanged();
  }

  try {
    const connection = await deps.connections.connectOAuth({ connection: toGenesysConnection(toSave), clientSecret, production: toSave.production });
    const message = connectedMessage(checked.org, toSave.clientId);
    deps.log.info(`${message} (connection '${toSave.name}', ${connection.url})`);
    if (checked.warning) {
      deps.log.warn(checked.warning);
      void vscode.window.showWarningMessage(checked.warning);
    } else {
      void vscode.window.showInformationMessage(message);
    }
    return { status: 'connected', connection, message, ...(checked.warning ? { warning: checked.warning } : {}) };
  } catch (err) {
    const message = describeSignInFailure(err, toSave);
    deps.log.warn(message);
    void vscode.window.showErrorMessage(message);
    return { status: 'failed', message, errorKind: classifyError(err).kind };
  }
}

/** Signs in with a short-retry client and asks who we are, then probes the analytics permission. */
async function checkCredentials(
  deps: ConnectionDeps,
  metadata: SavedConnection,
  clientSecret: string,
  token: vscode.CancellationToken,
): Promise<{ org: OrgInfo; warning?: string }> {
  const cancel = new AbortController();
  const subscription = token.onCancellationRequested(() => cancel.abort());
  const deadline = AbortSignal.timeout(deps.checkTimeoutMs());
  const signal = AbortSignal.any([cancel.signal, deadline]);
  let client: ConnectedClient | undefined;
  try {
    client = deps.createClient(toGenesysConnection(metadata), clientSecret, { quick: true });
    const org = await client.checkConnection(signal);
    try {
      await client.getAvailability(signal);
      return { org };
    } catch (err) {
      if (isGenesysError(err, 'permission')) {
        return { org, warning: missingPermissionWarning(org, metadata.clientId, err.permissions) };
      }
      // Only a probe: the credentials are fine, a transient problem here must not fail the sign-in.
      deps.log.info(`Permission probe for '${metadata.name}' did not answer: ${err instanceof Error ? err.message : String(err)}`);
      return { org };
    }
  } catch (err) {
    if (deadline.aborted && !cancel.signal.aborted) {
      throw new GenesysError({ kind: 'transient', errno: 'ETIMEDOUT', message: `No answer within ${Math.round(deps.checkTimeoutMs() / 1000)} s.` });
    }
    throw err;
  } finally {
    subscription.dispose();
    client?.dispose();
  }
}

function offerRetry(deps: ConnectionDeps, message: string, retry: SignInDefaults): void {
  const tryAgain = vscode.l10n.t('Try Again');
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(message, tryAgain, showLog).then((choice) => {
    if (choice === tryAgain) {
      void signIn(deps, retry);
    } else if (choice === showLog) {
      deps.log.show();
    }
  });
}
