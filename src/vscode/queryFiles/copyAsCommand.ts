import * as vscode from 'vscode';
import { Settings } from '../../constants';
import type { CopyFormat, CopyTarget } from '../../queryFiles/copyAs';
import { copyAs, TOKEN_VARIABLE } from '../../queryFiles/copyAs';
import type { ConnectionInfo } from '../connection/connectionManager';
import { readQueryFile, reportInvalid, toUri } from './queryFileInput';

/** Argument of `genesysCloud.copyQueryFileAs`: a lens passes `{ uri }`; scripts may name the format. */
export interface CopyAsArgs {
  uri?: vscode.Uri | string;
  format?: CopyFormat;
}

const FORMATS: { label: string; detail: string; format: CopyFormat }[] = [
  { label: '$(terminal) cURL', detail: `POST with curl; the token comes from $${TOKEN_VARIABLE}`, format: 'curl' },
  { label: '$(terminal-bash) gc CLI command', detail: 'The Genesys Cloud CLI reading the body from stdin', format: 'gc' },
  { label: '$(symbol-class) TypeScript SDK snippet', detail: 'purecloud-platform-client-v2: run the query (every page) or the job (poll, cursor)', format: 'sdk' },
];

/** Where the copy points: the active connection's region or sandbox; with none, the default region. */
function targetOf(info: ConnectionInfo | undefined): CopyTarget {
  if (info?.region) {
    return { kind: 'region', host: info.region };
  }
  if (info) {
    return { kind: 'sandbox', url: info.url };
  }
  return { kind: 'region', host: 'mypurecloud.com' };
}

/**
 * Copy as…: the file's body as sent (meta stripped, interval resolved) as a cURL command, a gc command or
 * an SDK snippet, on the clipboard. Never a token: `$GENESYS_TOKEN` stands for it. Returns the text.
 */
export async function copyQueryFileAs(raw: unknown, current: () => ConnectionInfo | undefined): Promise<string | undefined> {
  const args = (raw && typeof raw === 'object' && !(raw instanceof vscode.Uri) ? raw : { uri: raw }) as CopyAsArgs;
  const uri = args.uri instanceof vscode.Uri || typeof args.uri === 'string' ? toUri(args.uri) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    return undefined;
  }
  const input = await readQueryFile(uri);
  const parsed = input.result.parsed;
  if (!parsed) {
    await reportInvalid(input, vscode.l10n.t('the copy'));
    return undefined;
  }
  const format = args.format ?? (await vscode.window.showQuickPick(FORMATS, { title: vscode.l10n.t('Copy {0} as…', input.label), placeHolder: vscode.l10n.t('The token is a placeholder: ${0}', TOKEN_VARIABLE) }))?.format;
  if (!format) {
    return undefined;
  }
  const info = current();
  const jobPageSize = parsed.meta.pageSize ?? vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.jobsResultsPageSize, 1000);
  const text = copyAs(format, { route: parsed.route, body: parsed.body, target: targetOf(info), jobPageSize, title: input.label });
  await vscode.env.clipboard.writeText(text);
  const where = info ? info.label : vscode.l10n.t('mypurecloud.com (no active connection)');
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0} for {1}; set ${2} before running it', FORMATS.find((f) => f.format === format)?.label.replace(/^\$\([\w-]+\) /, '') ?? format, where, TOKEN_VARIABLE), 6000);
  return text;
}
