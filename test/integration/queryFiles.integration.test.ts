import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { HistoryEntry } from '../../src/history/historyEntry';
import { HISTORY_FILE } from '../../src/history/historyStore';
import type { RunOutcome } from '../../src/jobs/runTypes';
import { ResultsStore } from '../../src/results/resultsStore';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { GenesysCloudApi } from '../../src/vscode/api';
import type { ValidateSummary } from '../../src/vscode/queryFiles/validateCommand';
import { presetInterval } from '../../src/vscode/runs/presets';
import { api, waitFor } from './helpers';

async function storedIds(root: string, runId: string): Promise<string[]> {
  const store = new ResultsStore({ root });
  const manifest = await store.readManifest(runId);
  assert.ok(manifest);
  const reader = await store.openReader(runId);
  try {
    return (await reader.readRows(0, manifest.rowCount)).map((c) => c.conversationId);
  } finally {
    await reader.close();
  }
}

/** The run's entry as persisted in the history journal (last line for it wins). */
async function journalEntry(resultsRoot: string, runId: string): Promise<HistoryEntry | undefined> {
  const text = await fsp.readFile(join(resultsRoot, '..', HISTORY_FILE), 'utf8');
  let found: HistoryEntry | undefined;
  for (const line of text.split('\n').filter(Boolean)) {
    const j = JSON.parse(line) as { op: string; entry?: HistoryEntry };
    if (j.op === 'put' && j.entry?.runId === runId) {
      found = j.entry;
    }
  }
  return found;
}

async function sandboxGet(sb: Sandbox, token: string, path: string): Promise<unknown> {
  const res = await fetch(`${sb.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return res.json();
}

async function sandboxToken(sb: Sandbox): Promise<string> {
  const res = await fetch(`${sb.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('query files: CodeLens, Copy as, completion', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration(Settings.section);
  let sandbox: Sandbox;
  let exported: GenesysCloudApi;
  let folder: vscode.Uri;
  const created: vscode.Uri[] = [];
  const interval = presetInterval({ kind: 'last7Days' }, new Date());

  async function writeQueryFile(name: string, text: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder, name);
    await fsp.writeFile(uri.fsPath, text);
    created.push(uri);
    return uri;
  }

  before(async () => {
    exported = await api();
    await exported.runs.whenReady();
    folder = vscode.workspace.workspaceFolders![0]!.uri;
    sandbox = await startSandbox({ port: 0, orgName: 'Query Files Sandbox', rateLimitPerMinute: 0, jobQueuedMs: 100, jobRunMs: 200 });
    await config().update(Settings.sandboxUrl, sandbox.url, vscode.ConfigurationTarget.Global);
    await exported.connectSandbox();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) {
      await fsp.rm(uri.fsPath, { force: true });
    }
    await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
    await exported.connectSandbox().catch(() => undefined);
    await sandbox?.close();
  });

  const pagedText = () =>
    `// A page of last week's conversations\n{\n  "gcquery": { "name": "QF page two", "run": "query" },\n  "interval": "${interval}",\n  "order": "asc",\n  "orderBy": "conversationStart",\n  "paging": { "pageSize": 25, "pageNumber": 2 }\n}\n`;

  it('shows Run as Query, Run as Job, Validate and Copy as… above the object, each with the file', async () => {
    const uri = await writeQueryFile('qf-lenses.gcquery.json', pagedText());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await waitFor('the lenses', async () => {
      const got = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return got && got.length >= 4 ? got : undefined;
    });
    const ours = lenses.filter((l) => l.command?.arguments?.[0]?.uri);
    assert.deepEqual(ours.map((l) => l.command?.title), ['$(play) Run as Query', '$(watch) Run as Job', '$(check) Validate', '$(copy) Copy as…']);
    assert.deepEqual(ours.map((l) => l.command?.command), [Commands.runQuery, Commands.runJob, Commands.validateQueryFile, Commands.copyQueryFileAs]);
    for (const l of ours) {
      assert.equal(l.range.start.line, 1, 'on the line of the object, below the comment');
      assert.equal((l.command!.arguments![0] as { uri: vscode.Uri }).uri.toString(), uri.toString());
    }
  });

  it('Run as Query runs the page the file names, labelled by gcquery.name; the history entry links to the file and Open Query Body opens it', async () => {
    const uri = await writeQueryFile('qf-run.gcquery.json', pagedText());
    const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { uri });
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    const truth = sandbox.groundTruth({ interval, order: 'asc', orderBy: 'conversationStart' }, 'query');
    assert.deepEqual(await storedIds(exported.runs.resultsRoot, outcome.runId), truth.slice(25, 50));
    const entry = await waitFor('the journal entry', () => journalEntry(exported.runs.resultsRoot, outcome.runId));
    assert.equal(entry.sourceFile, uri.toString());
    const item = (await exported.runs.historyItems()).find((i) => i.runId === outcome.runId);
    assert.equal(item?.label, 'QF page two');
    assert.ok(item?.tooltip.includes(`Query file: ${uri.path}`), item?.tooltip.join('\n'));

    assert.equal(await vscode.commands.executeCommand<string>(Commands.openRunBody, outcome.runId), uri.toString());
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fsp.rm(uri.fsPath);
    const opened = await vscode.commands.executeCommand<string>(Commands.openRunBody, outcome.runId);
    assert.notEqual(opened, uri.toString(), 'the file is gone: the saved body opens instead');
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /"pageNumber": 2/);
  });

  it('Run as Job runs the file as a job (its gcquery.run says query) and links the run to it', async () => {
    const uri = await writeQueryFile('qf-job.gcquery.json', `{ "gcquery": { "run": "query" }, "interval": "${interval}" }\n`);
    const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runJob, { uri });
    assert.equal(outcome.kind, 'job');
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.deepEqual(await storedIds(exported.runs.resultsRoot, outcome.runId), sandbox.groundTruth({ interval }, 'job'));
    const entry = await waitFor('the journal entry', () => journalEntry(exported.runs.resultsRoot, outcome.runId));
    assert.equal(entry.sourceFile, uri.toString());
    assert.equal((await exported.runs.historyItems()).find((i) => i.runId === outcome.runId)?.label, 'qf-job.gcquery.json');
  });

  it('Validate says what it found; a broken file is refused by Run as Query with nothing sent', async () => {
    const good = await writeQueryFile('qf-valid.gcquery.json', pagedText());
    assert.deepEqual(await vscode.commands.executeCommand<ValidateSummary>(Commands.validateQueryFile, { uri: good }), { errors: 0, warnings: 0, hints: 0 });
    const bad = await writeQueryFile('qf-broken.gcquery.json', `{ "interval": "${interval}", }, ]`);
    const summary = await vscode.commands.executeCommand<ValidateSummary>(Commands.validateQueryFile, { uri: bad });
    assert.ok(summary.errors >= 1);
    sandbox.resetStats();
    const before = (await exported.runs.historyItems()).length;
    assert.equal(await vscode.commands.executeCommand(Commands.runQuery, { uri: bad }), undefined);
    assert.equal(sandbox.stats().requests, 0);
    assert.equal((await exported.runs.historyItems()).length, before);
  });

  it('Copy as cURL puts a command with a token placeholder on the clipboard that, run with a token, returns the same conversations', async () => {
    const uri = await writeQueryFile('qf-copy.gcquery.json', pagedText());
    const text = await vscode.commands.executeCommand<string>(Commands.copyQueryFileAs, { uri, format: 'curl' });
    assert.equal(await vscode.env.clipboard.readText(), text);
    assert.doesNotMatch(text, /gcquery|QF page two"/, 'the metadata is not sent');
    const bearers = [...text.matchAll(/Bearer ([^\s"]+)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(bearers)], ['$GENESYS_TOKEN']);
    assert.ok(text.includes(sandbox.url), 'aimed at the active connection (the sandbox)');
    const token = await sandboxToken(sandbox);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', text], { env: { ...process.env, GENESYS_TOKEN: token }, timeout: 20_000 }, (err, out, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(out))),
    );
    const page = JSON.parse(stdout) as { conversations: { conversationId: string }[] };
    const run = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { uri });
    assert.deepEqual(page.conversations.map((c) => c.conversationId), await storedIds(exported.runs.resultsRoot, run.runId));
  });

  it('completes queue IDs by name from the sandbox and names them on hover', async () => {
    const text = `{\n  "interval": "${interval}",\n  "segmentFilters": [\n    { "type": "and", "predicates": [ { "type": "dimension", "dimension": "queueId", "value": "" } ] }\n  ]\n}\n`;
    const uri = await writeQueryFile('qf-complete.gcquery.json', text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const inQuotes = doc.positionAt(text.indexOf('"value": ""') + '"value": "'.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, inQuotes);
    const token = await sandboxToken(sandbox);
    const queues = ((await sandboxGet(sandbox, token, '/api/v2/routing/queues?pageSize=100&pageNumber=1')) as { entities: { id: string; name: string }[] }).entities;
    assert.ok(queues.length > 0);
    for (const q of queues) {
      const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === q.name);
      assert.ok(item, `a completion for queue ${q.name}`);
      assert.equal(item.insertText, JSON.stringify(q.id));
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(inQuotes.translate(0, -1), inQuotes.translate(0, 1)), JSON.stringify(queues[0]!.id));
    await vscode.workspace.applyEdit(edit);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, inQuotes.translate(0, 3));
    const shown = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(shown.includes(queues[0]!.name), shown);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('the run button on a query file in the editor goes through the check and links the run to the file too', async () => {
    const uri = await writeQueryFile('qf-editor.gcquery.json', pagedText());
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { mode: 'page' });
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    const entry = await waitFor('the journal entry', () => journalEntry(exported.runs.resultsRoot, outcome.runId));
    assert.equal(entry.sourceFile, uri.toString());
  });

  it('offers filter and predicate snippets where they fit', async () => {
    const text = `{\n  "interval": "${interval}",\n  "segmentFilters": [\n    { "type": "and", "predicates": [  ] }\n  ]\n}\n`;
    const uri = await writeQueryFile('qf-snippets.gcquery.json', text);
    const doc = await vscode.workspace.openTextDocument(uri);
    const inPredicates = doc.positionAt(text.indexOf('[  ]') + 2);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, inPredicates);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('predicate: queue'), labels.join(', '));
    assert.ok(labels.includes('predicate: metric range'));
  });

  it('New Query File opens a template as an untitled *.gcquery.json in the workspace folder, with the lenses', async () => {
    const opened = await vscode.commands.executeCommand<string>(Commands.newQueryFile, { template: 'abandonedByQueue' });
    const uri = vscode.Uri.parse(opened);
    assert.equal(uri.scheme, 'untitled');
    assert.equal(uri.path, vscode.Uri.joinPath(folder, 'abandoned-by-queue.gcquery.json').path);
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.toString(), opened);
    assert.match(doc.getText(), /^(\/\/ .*\n)+\{\n {2}"gcquery": \{/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some((l) => l.command?.title === '$(play) Run as Query'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('without a connection offers no IDs (the provider answers quietly)', async () => {
    await vscode.commands.executeCommand(Commands.disconnect);
    await waitFor('no connection', () => exported.connection === undefined);
    const text = `{ "interval": "${interval}", "segmentFilters": [ { "type": "and", "predicates": [ { "dimension": "userId", "value": "" } ] } ] }`;
    const uri = await writeQueryFile('qf-offline.gcquery.json', text);
    const inQuotes = (await vscode.workspace.openTextDocument(uri)).positionAt(text.indexOf('"value": ""') + '"value": "'.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, inQuotes);
    assert.ok(!list.items.some((i) => typeof i.insertText === 'string' && /^"[0-9a-f-]{36}"$/.test(i.insertText)), 'no user IDs');
  });
});
