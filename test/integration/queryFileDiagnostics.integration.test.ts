import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { RunOutcome } from '../../src/jobs/runTypes';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { GenesysCloudApi } from '../../src/vscode/api';
import { MALFORMED, type MalformedCase } from '../fixtures/queryFiles/malformedCorpus';
import { api, waitFor } from './helpers';

const SOURCE = 'Genesys Cloud';
const DAY = '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z';

describe('query file diagnostics, quick fixes and the check before a run', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration(Settings.section);
  const dir = mkdtempSync(join(tmpdir(), 'gcquery-diag-'));
  let seq = 0;

  async function open(text: string, name = `case-${++seq}.gcquery.json`): Promise<vscode.TextEditor> {
    const path = join(dir, name);
    writeFileSync(path, text);
    return vscode.window.showTextDocument(vscode.Uri.file(path));
  }

  const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

  async function firstError(doc: vscode.TextDocument, what: string): Promise<vscode.Diagnostic> {
    return waitFor(`a diagnostic for ${what}`, () => ours(doc.uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error), 30_000);
  }

  before(async () => {
    await api();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  describe('diagnostics on the right range', () => {
    for (const c of MALFORMED) {
      it(c.name, async () => {
        const { document } = await open(c.text);
        const d = await firstError(document, c.name);
        assert.equal(d.code, c.code, d.message);
        assert.equal(document.getText(d.range), c.range);
        assert.match(d.message, c.message);
      });
    }
  });

  async function applyFix(doc: vscode.TextDocument, diagnostic: vscode.Diagnostic, title: RegExp): Promise<void> {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const action = actions.find((a) => title.test(a.title));
    assert.ok(action?.edit, `no quick fix ${String(title)} among ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(action.edit));
  }

  const fixes: [string, RegExp, RegExp][] = [
    // corpus case, quick fix title, what the file says afterwards
    ['unknown segment dimension', /Change to 'queueId'/, /"dimension": "queueId"/],
    ['paging in a job body', /Remove 'paging'/, /^(?![\s\S]*paging)/],
    ['pageSize 101', /Change to 100/, /"pageSize": 100/],
    ['reversed interval', /Swap/, /"2026-01-01T00:00:00Z\/2026-01-02T00:00:00Z"/],
    ['unknown top-level field', /Change to 'orderBy'/, /"orderBy"/],
  ];
  for (const [name, title, after] of fixes) {
    it(`quick fix "${String(title)}" clears the diagnostic (${name})`, async () => {
      const c: MalformedCase = MALFORMED.find((m) => m.name === name)!;
      const { document } = await open(c.text);
      const d = await firstError(document, name);
      await applyFix(document, d, title);
      await waitFor('the diagnostics cleared', () => ours(document.uri).length === 0);
      assert.match(document.getText(), after);
    });
  }

  describe('runs', () => {
    let sandbox: Sandbox;
    let exported: GenesysCloudApi;

    before(async () => {
      exported = await api();
      await exported.runs.whenReady();
      sandbox = await startSandbox({ port: 0, orgName: 'Query File Sandbox', rateLimitPerMinute: 0, jobQueuedMs: 50, jobRunMs: 100 });
      await config().update(Settings.sandboxUrl, sandbox.url, vscode.ConfigurationTarget.Global);
      await exported.connectSandbox();
    });

    after(async () => {
      await config().update(Settings.queryFilesTimeZone, undefined, vscode.ConfigurationTarget.Global);
      await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
      await exported.connectSandbox().catch(() => undefined);
      await sandbox?.close();
    });

    /** Runs the command on the active editor; a run that asked for input (a picker) would hang, so it has a deadline. */
    async function run(command: string, args?: object): Promise<RunOutcome | undefined> {
      const started = vscode.commands.executeCommand<RunOutcome | undefined>(command, args);
      const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${command} waited for input`)), 20_000));
      try {
        return await Promise.race([started, deadline]);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      }
    }

    it('sends no request for any malformed file, as a query or as a job; the problems are shown', async () => {
      for (const c of MALFORMED.filter((m) => m.text.length < 100_000)) {
        const editor = await open(c.text);
        const before = sandbox.stats().requests;
        // A file that is wrong only for its own route (paging in a job) is fine when run the other way.
        const routeSpecific = c.code === 'paging-in-job' || c.code === 'sync-only-key';
        for (const command of routeSpecific ? [Commands.runJob] : [Commands.runQuery, Commands.runJob]) {
          const outcome = await run(command, { mode: 'page' });
          assert.equal(outcome, undefined, `${c.name}: ${command} started a run`);
        }
        assert.equal(sandbox.stats().requests, before, `${c.name}: requests were sent`);
        const d = await firstError(editor.document, c.name);
        assert.equal(editor.document.getText(d.range), c.range, `${c.name}: diagnostic range`);
        assert.equal(editor.document.getText(editor.selection), c.range, `${c.name}: the cursor is on the error`);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
    });

    it('runs a valid query file with a relative interval, sending the resolved UTC interval', async () => {
      await config().update(Settings.queryFilesTimeZone, 'UTC', vscode.ConfigurationTarget.Global);
      await open('{\n  // comments are fine\n  "gcquery": { "name": "Yesterday, UTC" },\n  "interval": "yesterday",\n  "order": "asc",\n}\n');
      const before = sandbox.stats().requests;
      const outcome = await run(Commands.runQuery, { mode: 'page', pageSize: 10, pageNumber: 1 });
      assert.equal(outcome?.status, 'completed', outcome?.error?.message);
      assert.ok(sandbox.stats().requests > before, 'the query was sent');
      const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
      const items = await exported.runs.historyItems();
      const shown = items.find((i) => i.runId === outcome!.runId);
      assert.equal(shown?.label, 'Yesterday, UTC');
      const sent = `Interval: ${new Date(today - 86_400_000).toISOString()}/${new Date(today).toISOString()}`;
      assert.ok(shown?.tooltip.includes(sent), `${sent} in ${shown?.tooltip.join('\n')}`);
    });

    it('sends no request for a plain JSON editor whose query has an error, and shows it there', async () => {
      const path = join(dir, 'plain.json');
      writeFileSync(path, JSON.stringify({ interval: DAY, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'queueID', value: 'q' }] }] }, null, 2));
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(path));
      const before = sandbox.stats().requests;
      assert.equal(await run(Commands.runQuery, { mode: 'page' }), undefined);
      assert.equal(sandbox.stats().requests, before);
      const d = await firstError(editor.document, 'plain.json');
      assert.equal(editor.document.getText(d.range), '"queueID"');
      assert.equal(editor.document.getText(editor.selection), '"queueID"', 'the cursor is on the error');
    });
  });
});
