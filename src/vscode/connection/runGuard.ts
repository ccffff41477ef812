import * as vscode from 'vscode';
import { Settings } from '../../constants';
import type { ConnectionInfo } from './connectionManager';
import { currentPrompter } from './prompter';

/**
 * Asks before anything runs on a connection marked production, unless the user turned that off
 * (`genesysCloud.confirmRunsOnProduction`). Resolves true when the run may go ahead. Call it once per
 * user-started run, before the first request; `what` names the run ("the query 'last-day.gcquery.json'").
 */
export async function confirmRun(info: ConnectionInfo, what: string): Promise<boolean> {
  if (!info.production) {
    return true;
  }
  if (!vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.confirmRunsOnProduction, true)) {
    return true;
  }
  const where = info.org.orgName ? `${info.label} (${info.org.orgName})` : info.label;
  return currentPrompter().confirm(
    vscode.l10n.t('Run {0} on the production connection {1}?', what, where),
    vscode.l10n.t(
      'This connection is marked as production. Turn off the setting "Genesys Cloud: Confirm Runs On Production" or unmark the connection to skip this question.',
    ),
    vscode.l10n.t('Run on Production'),
  );
}
