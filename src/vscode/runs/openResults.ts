import * as vscode from 'vscode';
import { Commands } from '../../constants';

/** Opens a run's results in the results table (`genesysCloud.openResults`, src/vscode/results). */
export async function openRunResults(runId: string, log: vscode.LogOutputChannel): Promise<void> {
  try {
    await vscode.commands.executeCommand(Commands.openResults, runId);
  } catch (err) {
    log.error(`Opening the results of run ${runId} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
