import * as vscode from 'vscode';
import { isCancelledError } from '../../common/cancellation';
import type { HistoryEntry } from '../../history/historyEntry';
import type { ExportFormat } from '../../results/export';
import { exportRun } from '../../results/export';
import type { RunsEngine } from '../runs/runsEngine';

/** Optional argument of `genesysCloud.exportRun` that skips the save dialog (scripts, tests). */
export interface ExportArgs {
  destination: string;
  format?: ExportFormat;
}

const FILTERS: Record<string, string[]> = { CSV: ['csv'], JSON: ['json'], 'NDJSON (one conversation per line)': ['ndjson', 'jsonl'] };

export function formatOfPath(path: string): ExportFormat {
  const lower = path.toLowerCase();
  return lower.endsWith('.json') ? 'json' : lower.endsWith('.ndjson') || lower.endsWith('.jsonl') ? 'ndjson' : 'csv';
}

/**
 * Exports a run's cached rows (no re-run) to CSV, JSON or NDJSON, streamed by exportRun under a
 * cancellable progress notification. Resolves with the rows written, or undefined when cancelled.
 */
export async function exportRunInteractive(entry: HistoryEntry, engine: RunsEngine, log: vscode.LogOutputChannel, args?: ExportArgs): Promise<{ rows: number; destination: string } | undefined> {
  let destination = args?.destination;
  if (!destination) {
    const defaultName = `genesys-${entry.kind}-${entry.runId}.csv`;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(engine.store.root);
    const uri = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Export Results'), defaultUri: vscode.Uri.joinPath(base, defaultName), filters: FILTERS, saveLabel: vscode.l10n.t('Export') });
    if (!uri) {
      return undefined;
    }
    destination = uri.fsPath;
  }
  const format = args?.format ?? formatOfPath(destination);
  const target = destination;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0} rows as {1}', entry.rowCount.toLocaleString('en-US'), format.toUpperCase()), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        const reader = await engine.store.openReader(entry.runId);
        let last = 0;
        try {
          return await exportRun({
            reader,
            format,
            destination: target,
            signal: controller.signal,
            onProgress: (rows) => {
              const pct = entry.rowCount > 0 ? (100 * (rows - last)) / entry.rowCount : 0;
              last = rows;
              progress.report({ message: `${rows.toLocaleString('en-US')} rows`, increment: pct });
            },
          });
        } finally {
          sub.dispose();
          await reader.close();
        }
      },
    );
    log.info(`Exported ${result.rows} row(s) of run ${entry.runId} to ${target}`);
    if (!args) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} rows to {1}', result.rows.toLocaleString('en-US'), target), vscode.l10n.t('Open File')).then((c) => {
        if (c) {
          void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
        }
      });
    }
    return { rows: result.rows, destination: target };
  } catch (err) {
    if (isCancelledError(err)) {
      return undefined;
    }
    const message = err instanceof Error ? err.message : String(err);
    log.error(`Export of run ${entry.runId} failed: ${message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Export failed: {0}', message));
    return undefined;
  }
}
