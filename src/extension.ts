import * as vscode from 'vscode';
import { Settings } from './constants';
import { ResultsEngineProcess } from './results/viewProcess/viewProcess';
import { createApi, type GenesysCloudApi } from './vscode/api';
import { connectSandboxOnStart, registerCommands } from './vscode/commands';
import { ConnectionNames } from './vscode/connection/connectionNames';
import { registerConnections } from './vscode/connection/registerConnections';
import { registerQueryFileDiagnostics } from './vscode/queryFiles/registerQueryFileDiagnostics';
import { registerQueryFiles } from './vscode/queryFiles/registerQueryFileAuthoring';
import { registerResults } from './vscode/results/registerResults';
import { registerRuns } from './vscode/runs/registerRuns';

/** Composition root: builds services in dependency order and hands every disposable to the context. */
export function activate(context: vscode.ExtensionContext): GenesysCloudApi {
  const log = vscode.window.createOutputChannel('Genesys Cloud', { log: true });
  context.subscriptions.push(log);

  const config = () => vscode.workspace.getConfiguration(Settings.section);
  const { connections, secrets, saved, httpEvents } = registerConnections(context, log);
  const names = new ConnectionNames(connections, log);
  context.subscriptions.push(names);
  const queryFiles = registerQueryFileDiagnostics(context);
  const runs = registerRuns(context, { connections, log, queues: () => names.list('queue'), queryFiles, httpEvents: (l) => httpEvents.listen(l) });
  registerQueryFiles(context, { connections, names, log, checks: queryFiles });
  // The results table's engine (DuckDB) runs in a process of its own, started on first use.
  const engine = new ResultsEngineProcess({ log: (line) => log.info(line) });
  context.subscriptions.push({ dispose: () => engine.dispose() });
  // A finished run is usually opened next: start the engine meanwhile (it stops again if left idle).
  context.subscriptions.push(runs.onDidFinishRun(() => engine.warm()));
  context.subscriptions.push(
    ...registerCommands({ connections, log }),
    ...registerResults(context, {
      // More than 10,000 rows to take in (about a second's load): the table opens at its first batch and
      // fills in the background under a "Loading into the table…" banner, rather than showing nothing.
      openView: (runDir) => engine.openView(runDir, { openEarlyAbove: 10_000 }),
      names,
      labelOf: (runId) => runs.labelOf(runId),
      log,
      genesysPages: { connections, updateHistory: (entry) => runs.updateHistory(entry) },
    }),
  );

  log.info('Genesys Cloud Analytics activated');
  if (config().get<boolean>(Settings.sandboxConnectOnStart, false)) {
    void connectSandboxOnStart({ connections, log });
  }
  return createApi(connections, secrets, runs, { saved, context });
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
