import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { OutcomeAction } from './outcomeAdvice';
import { adviseOutcome } from './outcomeAdvice';
import { toJobBody } from './presets';
import { openRunResults } from './openResults';
import type { FinishedRun, RunService } from './runService';

const LABELS: Record<OutcomeAction, string> = {
  openResults: 'Open Results',
  retry: 'Retry',
  resume: 'Resume',
  submitAgain: 'Submit Again',
  runAsJob: 'Run as Job Instead',
  refetch: 'Re-fetch',
  signIn: 'Sign In Again',
  showLog: 'Show Log',
};

/**
 * One notification per finished run (foreground or background, so a run finishing while the user
 * looked away still says so with Open Results), with the actions its outcome calls for. A cancelled
 * run shows only a short status-bar message.
 */
export function announceRuns(service: RunService, log: vscode.LogOutputChannel): vscode.Disposable {
  const sub = service.onDidFinish((finished) => void announce(finished, service, log));
  return new vscode.Disposable(() => sub.dispose());
}

async function announce(finished: FinishedRun, service: RunService, log: vscode.LogOutputChannel): Promise<void> {
  const { outcome } = finished;
  const advice = adviseOutcome(outcome, finished.title);
  if (advice.severity === 'none') {
    vscode.window.setStatusBarMessage(`$(circle-slash) ${advice.message}`, 5000);
    return;
  }
  let actions = advice.actions;
  if (actions.includes('signIn') && !(await vscode.commands.getCommands(true)).includes(Commands.signIn)) {
    actions = actions.filter((a) => a !== 'signIn');
  }
  if (!finished.request) {
    // Without the original request (a re-fetch or resume) the query-only actions have nothing to repeat.
    actions = actions.filter((a) => (a === 'retry' || a === 'runAsJob' ? false : a === 'submitAgain' ? outcome.refetchOf !== undefined || outcome.subJobs !== undefined : true));
  }
  const show = advice.severity === 'info' ? vscode.window.showInformationMessage : advice.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  const choice = await show(advice.message, ...actions.map((a) => LABELS[a]));
  const action = actions.find((a) => LABELS[a] === choice);
  if (!action) {
    return;
  }
  const request = finished.request;
  switch (action) {
    case 'openResults':
      return openRunResults(outcome.runId, log);
    case 'showLog':
      return log.show();
    case 'signIn':
      await vscode.commands.executeCommand(Commands.signIn);
      return;
    case 'retry':
      if (request) {
        await service.start(request);
      }
      return;
    case 'submitAgain':
      if (outcome.subJobs) {
        // A split run: only the sub-intervals it is missing are submitted again (a new run linked to it).
        await service.refetch(outcome.runId);
      } else if (request) {
        await service.start(request);
      } else if (outcome.refetchOf) {
        await service.refetch(outcome.refetchOf);
      }
      return;
    case 'resume':
      await service.resume(outcome.runId, { background: false, ask: true });
      return;
    case 'refetch':
      await service.refetch(outcome.runId);
      return;
    case 'runAsJob':
      if (request) {
        await service.start({ kind: 'job', body: toJobBody(request.body), ...(request.label ? { label: request.label } : {}) });
      }
      return;
  }
}
