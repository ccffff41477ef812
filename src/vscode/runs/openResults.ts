import * as vscode from 'vscode';
import { ExternalCommands } from '../../constants';

/**
 * Opens a run's results in the results table (`genesysCloud.openResults`, contributed by the results
 * view). Where that command is not installed, the call rejects: then the log names the run's cached
 * results folder instead, so the rows are still reachable.
 */
export async function openRunResults(runId: string, resultsDir: string | undefined, log: vscode.LogOutputChannel): Promise<void> {
  try {
    await vscode.commands.executeCommand(ExternalCommands.openResults, runId);
  } catch (err) {
    log.info(`Results of run ${runId}: ${resultsDir ?? '(no cached results)'} (rows.ndjson, one conversation per line)`);
    log.debug(`${ExternalCommands.openResults} is unavailable: ${err instanceof Error ? err.message : String(err)}`);
    log.show(true);
  }
}
