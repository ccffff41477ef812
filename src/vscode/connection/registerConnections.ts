import * as vscode from 'vscode';
import { ContextKeys, Settings } from '../../constants';
import { GenesysClient } from '../../genesys/client';
import { HttpEventHub } from '../../genesys/httpObserver';
import { SecretStore } from '../auth/secretStore';
import { registerConnectionCommands } from './connectionCommands';
import type { ConnectionDeps } from './connectionDeps';
import type { ClientFactory } from './connectionManager';
import { ConnectionManager } from './connectionManager';
import { ConnectionStatusBar } from './connectionStatusBar';
import { currentPrompter } from './prompter';
import { rememberActiveConnection, restoreActiveConnection } from './restoreConnection';
import { createSandboxStarter, sandboxCredentials } from './sandboxStarter';
import { SavedConnectionStore } from './savedConnections';

export interface ConnectionServices {
  readonly connections: ConnectionManager;
  readonly secrets: SecretStore;
  readonly saved: SavedConnectionStore;
  /** HTTP events of every client made here (split runs adapt their concurrency to 429s and rate-limit headers). */
  readonly httpEvents: HttpEventHub;
}

/** An interactive sign-in check gives up on an unreachable host after this long, whatever the HTTP timeout. */
const CHECK_TIMEOUT_MS = 30_000;

/**
 * Composition of everything about connections: SecretStorage (secrets), globalState (saved metadata),
 * the ConnectionManager, the status bar item, the commands, and the cross-window watcher. Every
 * disposable goes to `context.subscriptions`.
 */
export function registerConnections(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ConnectionServices {
  const config = () => vscode.workspace.getConfiguration(Settings.section);
  const secrets = new SecretStore(context.secrets);
  const saved = new SavedConnectionStore(context.globalState);
  // One hub for all clients: one connection is active at a time, and a split run listens only while it runs.
  const httpEvents = new HttpEventHub();
  const createClient: ClientFactory = (connection, clientSecret, options) =>
    new GenesysClient({
      connection,
      clientSecret,
      observer: httpEvents,
      timeoutMs: config().get<number>(Settings.httpTimeoutSeconds, 60) * 1000,
      logger: log,
      // The user is waiting on a sign-in check: one retry, so a refused or unknown host fails in seconds.
      ...(options?.quick ? { retry: { maxAttempts: 2, totalBudgetMs: 15_000 } } : {}),
    });
  const connections = new ConnectionManager({
    startSandbox: createSandboxStarter(log),
    createClient,
    sandboxCredentials,
    log,
    configuredSandboxUrl: () => config().get<string>(Settings.sandboxUrl, ''),
  });
  const savedChanged = (): void => {
    void vscode.commands.executeCommand('setContext', ContextKeys.hasConnections, saved.list().length > 0);
  };
  const deps: ConnectionDeps = {
    connections,
    saved,
    secrets,
    createClient,
    log,
    prompter: currentPrompter,
    checkTimeoutMs: () => Math.max(CHECK_TIMEOUT_MS, config().get<number>(Settings.httpTimeoutSeconds, 60) * 1000),
    savedChanged,
  };
  context.subscriptions.push(
    secrets,
    connections,
    new ConnectionStatusBar(connections),
    ...registerConnectionCommands(deps),
    secrets.onDidChangeClientSecret((id) => void followSecretChange(deps, id)),
    // globalState written by another window may arrive after its SecretStorage event: look again on focus.
    vscode.window.onDidChangeWindowState((state) => state.focused && savedChanged()),
    rememberActiveConnection(deps, context.workspaceState),
  );
  savedChanged();
  if (!config().get<boolean>(Settings.sandboxConnectOnStart, false)) {
    void restoreActiveConnection(deps, context.workspaceState);
  }
  return { connections, secrets, saved, httpEvents };
}

/**
 * SecretStorage events cross windows: a sign-out elsewhere deleted the secret of our active connection
 * (disconnect here, say so); a sign-in elsewhere added one (refresh the welcome view's key; the switcher
 * reads the saved list each time it opens).
 */
async function followSecretChange(deps: ConnectionDeps, id: string): Promise<void> {
  deps.savedChanged();
  const current = deps.connections.current;
  if (current?.kind !== 'oauth' || current.id !== id) {
    return;
  }
  if (await deps.secrets.hasClientSecret(id)) {
    return;
  }
  deps.log.info(`The client secret of '${current.label}' was deleted (signed out in another window); disconnecting`);
  await deps.connections.disconnect(id);
  void vscode.window.showWarningMessage(vscode.l10n.t('Signed out of {0} in another window; this window is now disconnected.', current.label));
}
