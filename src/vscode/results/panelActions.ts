import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { ExportFormat, ViewQuery } from '../../results/view/viewTypes';
import type { WebviewMessage } from '../../shared/protocol';
import type { ResultsSession } from './resultsSession';

const FORMAT_FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  csv: { CSV: ['csv'] },
  json: { JSON: ['json'] },
  ndjson: { 'Newline-delimited JSON': ['ndjson', 'jsonl'] },
  parquet: { Parquet: ['parquet'] },
};

/** "Open as JSON": the full conversation behind a row, in an untitled JSON editor. */
export async function openRowAsJson(session: ResultsSession, view: ViewQuery, offset: number): Promise<void> {
  const record = await session.view.rowRecord(view, offset);
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(record, null, 2) });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

export interface ExportRequest {
  readonly session: ResultsSession;
  readonly runId: string;
  readonly message: Extract<WebviewMessage, { type: 'export' }>;
  readonly log: vscode.LogOutputChannel;
}

/**
 * Export the current view (grain, filters, sort, visible columns) from the cached rows — never a re-run.
 * A save dialog, then a cancellable progress notification counting rows. Returns a confirmation, or
 * undefined when the user cancelled.
 */
export async function exportView(req: ExportRequest): Promise<string | undefined> {
  const { format, view, columns } = req.message;
  const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export the current view'),
    defaultUri: vscode.Uri.joinPath(base, `results-${req.runId}-${view.grain}.${format}`),
    filters: FORMAT_FILTERS[format],
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!target) {
    return undefined;
  }
  const started = Date.now();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0} rows to {1}', view.grain, format.toUpperCase()), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        return await req.session.view.exportView({
          view,
          columns,
          format,
          destination: target.fsPath,
          signal: controller.signal,
          onProgress: (rows) => progress.report({ message: vscode.l10n.t('{0} rows written', rows.toLocaleString('en-US')) }),
        });
      } catch (err) {
        if (controller.signal.aborted) {
          return undefined;
        }
        throw err;
      } finally {
        sub.dispose();
      }
    },
  );
  if (!result) {
    return undefined;
  }
  req.log.info(`Exported ${result.rows} rows (${result.bytes} bytes) of run ${req.runId} to ${target.fsPath} in ${Date.now() - started} ms`);
  const open = vscode.l10n.t('Open File');
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows to {1}', result.rows.toLocaleString('en-US'), target.fsPath), open).then((choice) => {
    if (choice === open) {
      void vscode.commands.executeCommand('vscode.open', target);
    }
  });
  return vscode.l10n.t('Exported {0} rows', result.rows.toLocaleString('en-US'));
}

/** Re-fetches an expired run through the Query History's command (it re-submits the saved body). */
export async function refetchRun(runId: string, log: vscode.LogOutputChannel): Promise<void> {
  try {
    await vscode.commands.executeCommand(Commands.refetchRun, runId);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`Re-fetching run ${runId} failed: ${message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not re-fetch the results: {0}', message));
  }
}
