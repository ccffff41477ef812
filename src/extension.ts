import * as vscode from 'vscode';
import { Settings, Views } from './constants';
import { GenesysClient } from './genesys/client';
import { createApi, type GenesysCloudApi } from './vscode/api';
import { SecretStore } from './vscode/auth/secretStore';
import { connectSandboxOnStart, registerCommands } from './vscode/commands';
import { ConnectionManager } from './vscode/connection/connectionManager';
import { ConnectionStatusBar } from './vscode/connection/connectionStatusBar';
import { createSandboxStarter, sandboxCredentials } from './vscode/connection/sandboxStarter';
import { HistoryTreeProvider } from './vscode/history/historyTreeProvider';
import { openResultsView } from './results/view';
import { registerResults } from './vscode/results/registerResults';

/** Composition root: builds services in dependency order and hands every disposable to the context. */
export function activate(context: vscode.ExtensionContext): GenesysCloudApi {
  const log = vscode.window.createOutputChannel('Genesys Cloud', { log: true });
  context.subscriptions.push(log);

  const config = () => vscode.workspace.getConfiguration(Settings.section);
  const secrets = new SecretStore(context.secrets);
  const connections = new ConnectionManager({
    startSandbox: createSandboxStarter(log),
    createClient: (sandboxUrl) => {
      const { clientId, clientSecret } = sandboxCredentials();
      return new GenesysClient({
        connection: { id: 'sandbox', name: 'Sandbox', kind: 'sandbox', sandboxUrl, clientId },
        clientSecret,
        timeoutMs: config().get<number>(Settings.httpTimeoutSeconds, 60) * 1000,
        logger: log,
      });
    },
    log,
    configuredSandboxUrl: () => config().get<string>(Settings.sandboxUrl, ''),
  });
  const history = new HistoryTreeProvider();
  context.subscriptions.push(
    secrets,
    connections,
    history,
    new ConnectionStatusBar(connections),
    vscode.window.registerTreeDataProvider(Views.history, history),
    ...registerCommands({ connections, history, log }),
    ...registerResults(context, { openView: (runDir) => openResultsView(runDir), log }),
  );

  log.info('Genesys Cloud Analytics activated');
  if (config().get<boolean>(Settings.sandboxConnectOnStart, false)) {
    void connectSandboxOnStart({ connections, log });
  }
  return createApi(connections, secrets);
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
