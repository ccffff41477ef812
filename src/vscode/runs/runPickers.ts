import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { NamedEntity } from '../../genesys/types';
import type { RunKind } from '../../results/manifest';
import type { PresetChoice, PresetMediaType } from './presets';
import { CLASSIC_PRESET, checkIntervalInput, formatInterval, parseQueryBody, PRESET_MEDIA_TYPES, presetBody, presetInterval } from './presets';
import type { RunRequest } from './runService';
import { readQueryFile, reportInvalid, toUri } from '../queryFiles/queryFileInput';

/**
 * The argument object `genesysCloud.runQuery` / `genesysCloud.runJob` accept. Every field given skips
 * its picker, so scripts, keybindings and tests run the real command without a human; a missing field
 * is asked for. `body` wins over the active editor.
 */
export interface RunCommandArgs {
  body?: Record<string, unknown>;
  /** Sync only: `page` fetches one page (pageNumber), `all` every page. */
  mode?: 'page' | 'all';
  pageSize?: number;
  pageNumber?: number;
  /** Progress in the status bar only. */
  background?: boolean;
  /** Shown in the Query History instead of the interval. */
  label?: string;
  /**
   * A query file to run (the CodeLens passes it): its body (meta stripped, interval resolved), label
   * and link in the history. A sync run fetches the page the file's `paging` names, else every page.
   */
  uri?: vscode.Uri | string;
  /** The query file `body` came from (a URI string), for the history's link back (the editor gate sets it). */
  sourceFile?: string;
}

/** A command argument that is not an argument object (an editor URI from a menu, a tree item) is ignored. */
export function asRunArgs(value: unknown): RunCommandArgs {
  if (!value || typeof value !== 'object' || value instanceof vscode.Uri || Array.isArray(value)) {
    return {};
  }
  const v = value as Record<string, unknown>;
  return {
    ...(v.body && typeof v.body === 'object' && !Array.isArray(v.body) ? { body: v.body as Record<string, unknown> } : {}),
    ...(v.mode === 'page' || v.mode === 'all' ? { mode: v.mode } : {}),
    ...(typeof v.pageSize === 'number' ? { pageSize: v.pageSize } : {}),
    ...(typeof v.pageNumber === 'number' ? { pageNumber: v.pageNumber } : {}),
    ...(typeof v.background === 'boolean' ? { background: v.background } : {}),
    ...(typeof v.label === 'string' ? { label: v.label } : {}),
    ...(v.uri instanceof vscode.Uri || typeof v.uri === 'string' ? { uri: v.uri } : {}),
    ...(typeof v.sourceFile === 'string' ? { sourceFile: v.sourceFile } : {}),
  };
}

/**
 * The active editor's JSON (or its selection) when it is a query body, with the file name as the run's
 * label. A `*.gcquery.json` file that is not one is an error to show, not a reason to offer presets.
 */
function editorBody(): { body: Record<string, unknown>; label: string; sourceFile?: string } | { error: string } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return undefined;
  }
  const doc = editor.document;
  const text = editor.selection.isEmpty ? doc.getText() : doc.getText(editor.selection);
  const body = parseQueryBody(text);
  const name = doc.isUntitled ? 'untitled query' : basename(doc.fileName);
  if (body) {
    return { body, label: name, ...(name.endsWith('.gcquery.json') && doc.uri.scheme === 'file' ? { sourceFile: doc.uri.toString() } : {}) };
  }
  if (name.endsWith('.gcquery.json')) {
    return { error: vscode.l10n.t('{0} is not a query body: it must be a JSON object (no comments or trailing commas) with an "interval" such as "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z".', name) };
  }
  return undefined;
}

interface Pick<T> extends vscode.QuickPickItem {
  value: T;
}

async function pick<T>(title: string, placeholder: string, items: Pick<T>[]): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: placeholder, ignoreFocusOut: true });
  return chosen?.value;
}

/** QuickPick steps: interval preset (or a typed interval), then media type. Undefined when cancelled. */
async function pickPreset(kind: RunKind, queues: QueueLister | undefined): Promise<{ body: Record<string, unknown>; label: string } | undefined> {
  const title = kind === 'job' ? vscode.l10n.t('Run Conversation Details Job') : vscode.l10n.t('Run Conversation Details Query');
  const now = new Date();
  type RangeChoice = 'classic' | 'yesterday' | 'last7Days' | 'interval';
  const range = await pick<RangeChoice>(title, vscode.l10n.t('No query body in the editor: choose an interval'), [
    { label: '$(call-incoming) Yesterday\'s voice calls', description: formatInterval(presetInterval({ kind: 'yesterday' }, now)), detail: 'The classic query: voice conversations of one UTC day, ordered by conversationStart ascending', value: 'classic' },
    { label: '$(calendar) Yesterday', description: formatInterval(presetInterval({ kind: 'yesterday' }, now)), value: 'yesterday' },
    { label: '$(calendar) Last 7 days', description: formatInterval(presetInterval({ kind: 'last7Days' }, now)), value: 'last7Days' },
    { label: '$(edit) Choose an interval…', description: 'ISO-8601 start/end, UTC', value: 'interval' },
  ]);
  if (!range) {
    return undefined;
  }
  if (range === 'classic') {
    return { body: presetBody(CLASSIC_PRESET, kind, now) as unknown as Record<string, unknown>, label: "Yesterday's voice calls" };
  }
  let choice: PresetChoice;
  if (range === 'interval') {
    const interval = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Interval as ISO-8601 start/end (UTC)'),
      value: presetInterval({ kind: 'yesterday' }, now),
      validateInput: checkIntervalInput,
      ignoreFocusOut: true,
    });
    if (interval === undefined) {
      return undefined;
    }
    choice = { range: { kind: 'interval', interval } };
  } else {
    choice = { range: { kind: range } };
  }
  const media = await pick<PresetMediaType | 'all'>(title, vscode.l10n.t('Media type'), [
    { label: 'All media types', value: 'all' },
    ...PRESET_MEDIA_TYPES.map((m) => ({ label: m, value: m })),
  ]);
  if (!media) {
    return undefined;
  }
  if (media !== 'all') {
    choice.mediaType = media;
  }
  const queue = await pickQueue(title, queues);
  if (queue === undefined) {
    return undefined;
  }
  if (queue !== 'all') {
    choice.queueId = queue.id;
  }
  const rangeName = range === 'yesterday' ? 'Yesterday' : range === 'last7Days' ? 'Last 7 days' : undefined;
  const label = rangeName ? [rangeName, ...(media !== 'all' ? [media] : []), ...(queue !== 'all' ? [queue.name] : [])].join(' · ') : undefined;
  return { body: presetBody(choice, kind, now) as unknown as Record<string, unknown>, ...(label ? { label } : { label: '' }) };
}

/** Lists the active connection's queues (id and name), sorted by name. */
export type QueueLister = () => Promise<readonly NamedEntity[]>;

/**
 * Queue picked by name (sent as its ID). The list loads while the picker is open; a connection that may not
 * list queues (a missing permission) still offers "All queues". Undefined when cancelled.
 */
async function pickQueue(title: string, queues: QueueLister | undefined): Promise<NamedEntity | 'all' | undefined> {
  if (!queues) {
    return 'all';
  }
  const all: Pick<NamedEntity | 'all'> = { label: vscode.l10n.t('All queues'), value: 'all' };
  const items = queues().then(
    (list) => [all, ...list.map((q) => ({ label: q.name, description: q.id, value: q }))],
    () => [{ ...all, detail: vscode.l10n.t('The queue list could not be read (see the log)') }],
  );
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Queue'), matchOnDescription: true, ignoreFocusOut: true });
  return chosen?.value;
}

/** Sync only: one page (with its number) or every page. */
async function pickMode(pageSize: number, pageNumber: number): Promise<'page' | 'all' | undefined> {
  return pick<'page' | 'all'>(vscode.l10n.t('Run Conversation Details Query'), vscode.l10n.t('How much to fetch'), [
    { label: `$(file) One page`, description: `page ${pageNumber}, ${pageSize} rows per page`, value: 'page' },
    { label: '$(files) All pages', description: 'up to 100,000 results; use a job for more', value: 'all' },
  ]);
}

/**
 * Turns a command's arguments into a run request, asking only for what is missing: the body (active
 * editor, else presets), then for a sync query one page or all pages. Undefined when the user cancelled.
 */
export async function resolveRunRequest(kind: RunKind, args: RunCommandArgs, defaults: { pageSize: number; queues?: QueueLister }): Promise<RunRequest | undefined> {
  let body = args.body;
  let label = args.label;
  let sourceFile = args.sourceFile;
  let mode = args.mode;
  // A query file named by `uri` (the CodeLens) runs through checkQueryFile: JSONC, its metadata and relative
  // interval understood, nothing sent when it has errors. (The active editor's is checked by registerRuns.)
  if (!body && args.uri) {
    const input = await readQueryFile(toUri(args.uri), kind);
    if (!input.result.parsed) {
      await reportInvalid(input, kind === 'job' ? vscode.l10n.t('the job') : vscode.l10n.t('the query'));
      return undefined;
    }
    body = input.result.parsed.body;
    label = label ?? input.label;
    sourceFile = input.uri.scheme === 'untitled' ? undefined : input.uri.toString();
    // Run what the file says: the page its `paging` names, or all pages.
    mode = mode ?? (body.paging !== undefined ? 'page' : 'all');
  }
  if (!body) {
    const fromEditor = editorBody() ?? (await pickPreset(kind, defaults.queues));
    if (!fromEditor) {
      return undefined;
    }
    if ('error' in fromEditor) {
      void vscode.window.showErrorMessage(fromEditor.error);
      return undefined;
    }
    body = fromEditor.body;
    label = label ?? (fromEditor.label || undefined);
    sourceFile = 'sourceFile' in fromEditor && typeof fromEditor.sourceFile === 'string' ? fromEditor.sourceFile : undefined;
  }
  const request: RunRequest = { kind, body, ...(label ? { label } : {}), ...(args.background ? { background: true } : {}), ...(sourceFile ? { sourceFile } : {}) };
  if (kind === 'job') {
    return request;
  }
  const paging = body.paging as { pageSize?: unknown; pageNumber?: unknown } | undefined;
  const pageSize = args.pageSize ?? (typeof paging?.pageSize === 'number' ? paging.pageSize : defaults.pageSize);
  const pageNumber = args.pageNumber ?? (typeof paging?.pageNumber === 'number' ? paging.pageNumber : 1);
  mode = mode ?? (await pickMode(pageSize, pageNumber));
  if (!mode) {
    return undefined;
  }
  return { ...request, mode, pageSize, pageNumber: mode === 'page' ? pageNumber : (args.pageNumber ?? 1) };
}
