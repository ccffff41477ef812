import * as vscode from 'vscode';
import type { RunOutcome } from '../../jobs/runTypes';
import type { RunTracker, TrackedRun } from './runTracker';
import { progressText } from './runTracker';

/**
 * The cancellable notification of a foreground run: state, elapsed time, pages and rows, refreshed on
 * each progress event and every second. Cancel aborts the run's signal (a job is DELETEd; no error
 * toast follows). `run.sendToBackground` closes the notification while the run goes on in the status bar.
 */
export function showRunProgress(run: TrackedRun, tracker: RunTracker, result: Promise<RunOutcome>): void {
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: run.label, cancellable: true },
    (progress, token) =>
      new Promise<void>((resolve) => {
        const update = (): void => progress.report({ message: progressText(run, Date.now()) });
        const timer = setInterval(update, 1000);
        const subscriptions = [
          token.onCancellationRequested(() => run.controller.abort()),
          tracker.onDidChange((changed) => {
            if (changed === run) {
              update();
            }
          }),
        ];
        const done = (): void => {
          clearInterval(timer);
          for (const s of subscriptions) {
            s.dispose();
          }
          resolve();
        };
        run.sendToBackground = () => {
          run.background = true;
          run.sendToBackground = undefined;
          done();
        };
        update();
        result.then(done, done);
      }),
  );
}
