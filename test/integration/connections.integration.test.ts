import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { GenesysCloudApi } from '../../src/vscode/api';
import type { ConnectionOutcome } from '../../src/vscode/connection/connectionDeps';
import type { ConnectionInfo } from '../../src/vscode/connection/connectionManager';
import { usePrompter } from '../../src/vscode/connection/prompter';
import { confirmRun } from '../../src/vscode/connection/runGuard';
import type { ScriptedAnswer } from '../fakes/scriptedPrompter';
import { ScriptedPrompter } from '../fakes/scriptedPrompter';
import { api, nextEvent, waitFor } from './helpers';
import { startRecordingProxy, type RecordingProxy } from './recordingProxy';

/** A loopback port with nothing listening (bound, then released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('connections: sign in, switch, production, sign out', function () {
  this.timeout(60_000);
  const clientId = 'it-client';
  const clientSecret = `it-secret-${randomUUID()}`;
  let sandbox: Sandbox;
  let noPermissions: Sandbox;
  let proxy: RecordingProxy;
  let exported: GenesysCloudApi;
  let restore: vscode.Disposable | undefined;
  let exportFile = '';

  /** Runs a connection command with scripted answers; fails if the script is not used up. */
  async function run(command: string, script: readonly ScriptedAnswer[], ...args: unknown[]): Promise<ConnectionOutcome> {
    const prompter = new ScriptedPrompter(script);
    restore = exported.connections.usePrompter(prompter);
    try {
      const outcome = await vscode.commands.executeCommand<ConnectionOutcome>(command, ...args);
      assert.equal(prompter.remaining, 0, `unused answers for ${command}`);
      return outcome;
    } finally {
      restore.dispose();
      restore = undefined;
    }
  }

  function signInScript(name: string, url: string, secret: string, production = 'No'): ScriptedAnswer[] {
    return [{ input: name }, { pick: 'Sandbox at a URL…' }, { input: url }, { input: clientId }, { input: secret }, { pick: production }];
  }

  function savedId(name: string): string {
    const found = exported.connections.list().find((c) => c.name === name);
    assert.ok(found, `connection ${name} is saved`);
    return found.id;
  }

  before(async () => {
    exported = await api();
    sandbox = await startSandbox({ port: 0, clientId, clientSecret, orgName: 'Integration Org' });
    noPermissions = await startSandbox({ port: 0, clientId, clientSecret, orgName: 'Locked Org', permissions: [] });
    proxy = await startRecordingProxy(`http://127.0.0.1:${sandbox.port}`);
  });

  after(async () => {
    restore?.dispose();
    for (const c of exported.connections.list()) {
      await vscode.commands.executeCommand(Commands.signOut, c.id);
    }
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.confirmRunsOnProduction, undefined, vscode.ConfigurationTarget.Global);
    // Later suites expect the built-in sandbox the workspace connects to at start-up.
    await exported.connectSandbox();
    await proxy?.close();
    await sandbox?.close();
    await noPermissions?.close();
  });

  it('signs in to a sandbox at a URL with the right secret: checked, active, saved without the secret', async () => {
    const changed = nextEvent(exported.onDidChangeConnection, 'the connection change');
    const outcome = await run(Commands.signIn, signInScript('IT sandbox', proxy.url, clientSecret));
    assert.equal(outcome.status, 'connected', JSON.stringify(outcome));
    // The sandbox names its OAuth client like Genesys does (GET /api/v2/tokens/me).
    assert.equal(outcome.status === 'connected' && outcome.message, 'Connected to Integration Org as Sandbox client credentials');
    const info = (await changed) as ConnectionInfo;
    const id = savedId('IT sandbox');
    assert.equal(info.id, id);
    assert.equal(exported.connection?.id, id);
    assert.equal(exported.connection?.kind, 'oauth');
    assert.equal(exported.connection?.label, 'IT sandbox');
    assert.equal(exported.connection?.production, false);
    assert.equal(exported.connection?.url, proxy.url);
    assert.equal(exported.connection?.org.orgName, 'Integration Org');
    assert.equal(await exported.credentials.hasClientSecret(id), true);
    const meta = exported.connections.list().find((c) => c.id === id);
    assert.deepEqual({ ...meta, org: undefined }, { id, name: 'IT sandbox', sandboxUrl: proxy.url, clientId, production: false, org: undefined });
    assert.ok(proxy.tokens.length >= 1, 'the sandbox issued tokens through the proxy');
  });

  it('a wrong secret fails with invalid_client, saves nothing and keeps the active connection', async () => {
    const before = exported.connections.list().length;
    const active = exported.connection?.id;
    const outcome = await run(Commands.signIn, signInScript('Wrong secret', proxy.url, 'not-the-secret'));
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.status === 'failed');
    assert.equal(outcome.errorKind, 'auth');
    assert.match(outcome.message, /^Could not sign in to "Wrong secret": sandbox at 127\.0\.0\.1:\d+ rejected the client ID or secret \(invalid_client\)/);
    assert.equal(exported.connections.list().length, before);
    assert.equal(exported.connection?.id, active);
  });

  it('an unreachable sandbox URL fails fast naming the host and ECONNREFUSED', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const outcome = await run(Commands.signIn, signInScript('Nobody home', url, clientSecret));
    assert.ok(outcome.status === 'failed', JSON.stringify(outcome));
    assert.equal(outcome.errorKind, 'network');
    assert.equal(outcome.message, `Could not sign in to "Nobody home": cannot reach ${url} (ECONNREFUSED). Is the sandbox running (\`npm run sandbox\`) at that URL?`);
    assert.ok(Date.now() - started < 20_000, 'a refused connection is retried only briefly during sign-in');
    assert.ok(!exported.connections.list().some((c) => c.name === 'Nobody home'));
  });

  it('a real region this machine cannot reach (or that does not know the client) fails naming the region', async () => {
    const outcome = await run(Commands.signIn, [
      { input: 'Dublin' },
      { pick: 'EMEA (Dublin) — mypurecloud.ie' },
      { input: 'not-a-uuid' },
      { input: '0a1b2c3d-1234-5678-9abc-0123456789ab' },
      { input: clientSecret },
      { pick: 'No' },
    ]);
    assert.ok(outcome.status === 'failed', JSON.stringify(outcome));
    // Offline (the test machine): DNS fails. Online: Genesys answers invalid_client with the region hint.
    assert.ok(['network', 'auth', 'transient'].includes(outcome.errorKind ?? ''), outcome.errorKind);
    assert.match(outcome.message, /mypurecloud\.ie/);
    assert.ok(!exported.connections.list().some((c) => c.name === 'Dublin'));
  });

  it('names the missing permission when the client can sign in but not read analytics', async () => {
    const outcome = await run(Commands.signIn, signInScript('Locked', `http://127.0.0.1:${noPermissions.port}`, clientSecret));
    assert.ok(outcome.status === 'connected', JSON.stringify(outcome));
    assert.match(outcome.warning ?? '', /^Connected to Locked Org as Sandbox client credentials, but the OAuth client is missing the permission 'analytics:conversationDetail:view'/);
    assert.equal(exported.connection?.org.orgName, 'Locked Org');
  });

  it('switches between saved connections and the sandbox from the switcher', async () => {
    const toSaved = await run(Commands.switchConnection, [{ pick: 'IT sandbox' }]);
    assert.ok(toSaved.status === 'connected', JSON.stringify(toSaved));
    assert.equal(exported.connection?.id, savedId('IT sandbox'));

    const toSandbox = await run(Commands.switchConnection, [{ pick: 'Try the Sandbox' }]);
    assert.ok(toSandbox.status === 'connected', JSON.stringify(toSandbox));
    assert.equal(exported.connection?.kind, 'sandbox');
    assert.equal(exported.connection?.id, 'sandbox');

    const back = await run(Commands.switchConnection, [{ pick: 'IT sandbox' }]);
    assert.ok(back.status === 'connected');
    assert.equal(exported.connection?.org.orgName, 'Integration Org');
  });

  it('marks a connection production: the active connection updates, and runs on it must be confirmed', async () => {
    const id = savedId('IT sandbox');
    const changed = nextEvent(exported.onDidChangeConnection, 'the production flag change');
    const outcome = await run(Commands.setProduction, [{ pick: 'Yes, production' }], id);
    assert.ok(outcome.status === 'updated' && outcome.production);
    assert.equal((await changed)?.production, true);
    assert.equal(exported.connections.list().find((c) => c.id === id)?.production, true);
    const info = exported.connection;
    assert.ok(info?.production);

    // The run guard the run commands call (this test's copy of it, answering through its own prompter).
    const prompter = new ScriptedPrompter([{ confirm: false }, { confirm: true }]);
    const scripted = usePrompter(prompter);
    try {
      assert.equal(await confirmRun(info, "the query 'last-day.gcquery.json'"), false);
      assert.equal(await confirmRun(info, 'the job'), true);
      assert.match(prompter.asked[0].text, /^Run the query 'last-day\.gcquery\.json' on the production connection IT sandbox \(Integration Org\)\?$/);
      assert.equal(await confirmRun({ ...info, production: false }, 'the job'), true);
      assert.equal(prompter.asked.length, 2, 'no question for a connection that is not production');
      await vscode.workspace.getConfiguration(Settings.section).update(Settings.confirmRunsOnProduction, false, vscode.ConfigurationTarget.Global);
      assert.equal(await confirmRun(info, 'the job'), true);
      assert.equal(prompter.asked.length, 2, 'no question once genesysCloud.confirmRunsOnProduction is off');
    } finally {
      scripted.dispose();
      await vscode.workspace.getConfiguration(Settings.section).update(Settings.confirmRunsOnProduction, undefined, vscode.ConfigurationTarget.Global);
    }

    const unmark = await run(Commands.switchConnection, [{ pick: 'Mark as Production…' }, { pick: 'IT sandbox' }, { pick: 'No' }]);
    assert.ok(unmark.status === 'updated' && !unmark.production);
    assert.equal(exported.connection?.production, false);
  });

  it('signs out: disconnects the active connection, deletes its secret and metadata', async () => {
    const id = savedId('IT sandbox');
    assert.equal(exported.connection?.id, id);
    const outcome = await run(Commands.signOut, [{ pick: 'IT sandbox' }]);
    assert.ok(outcome.status === 'signedOut' && outcome.id === id);
    assert.equal(exported.connection, undefined);
    assert.equal(await exported.credentials.hasClientSecret(id), false);
    assert.ok(!exported.connections.list().some((c) => c.id === id));
  });

  it('disconnects when the active connection is signed out in another window (its secret deleted)', async () => {
    const outcome = await run(Commands.signIn, signInScript('Elsewhere', proxy.url, clientSecret));
    assert.ok(outcome.status === 'connected');
    const id = savedId('Elsewhere');
    // Another window's Sign Out deletes the secret; SecretStorage reports it to every window.
    await exported.credentials.deleteClientSecret(id);
    await waitFor('the disconnect', () => exported.connection === undefined);
    const again = await run(Commands.switchConnection, [{ pick: 'Elsewhere' }]);
    assert.ok(again.status === 'failed');
    assert.match(again.message, /no longer stored/);
    await run(Commands.signOut, [], id);
  });

  it('runs a job and exports it on a signed-in connection, then signs out (the session the scan below reads)', async () => {
    const signedIn = await run(Commands.signIn, signInScript('Full session', proxy.url, clientSecret));
    assert.equal(signedIn.status, 'connected', JSON.stringify(signedIn));
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const body = { interval: `${day}T00:00:00.000Z/${day}T12:00:00.000Z`, order: 'asc', orderBy: 'conversationStart' };
    const outcome = await vscode.commands.executeCommand<{ status: string; runId: string; rowCount: number }>(Commands.runJob, { body, label: 'Full session' });
    assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
    assert.ok(outcome.rowCount > 0);
    exportFile = join(exported.runs.resultsRoot, '..', `full-session-${randomUUID()}.csv`);
    await vscode.commands.executeCommand(Commands.exportRun, outcome.runId, { destination: exportFile, format: 'csv' });
    assert.ok((await fsp.stat(exportFile)).size > 0, 'the export was written');
    const signedOut = await run(Commands.signOut, [], savedId('Full session'));
    assert.equal(signedOut.status, 'signedOut', JSON.stringify(signedOut));
  });

  it('leaves the secret and the issued tokens nowhere: settings, globalState, history, results, exports, the log', async () => {
    assert.ok(proxy.tokens.length >= 3, `tokens seen: ${proxy.tokens.length}`);
    const needles = [clientSecret, ...proxy.tokens];
    const settings = JSON.stringify(vscode.workspace.getConfiguration());
    const state = JSON.stringify(exported.diagnostics.globalState());
    const logFiles = (await filesUnder(join(exported.diagnostics.logUri.fsPath, '..'))).filter((f) => f.includes('Genesys Cloud'));
    assert.ok(logFiles.length > 0, 'the Genesys Cloud log file is found');
    const logText = await waitFor('the sign-out in the log', async () => {
      const text = (await Promise.all(logFiles.map((f) => fsp.readFile(f, 'utf8')))).join('\n');
      return text.includes('Signed out of Elsewhere') ? text : undefined;
    });
    assert.match(logText, /Connected to Integration Org as Sandbox client credentials/);
    // The history journal, every cached run (rows, index, manifest, DuckDB index) and the export.
    const stored = [...(await filesUnder(join(exported.runs.resultsRoot, '..'))), exportFile];
    assert.ok(stored.some((f) => f.endsWith('history.jsonl')) && stored.some((f) => f.endsWith('rows.ndjson.gz')), stored.join('\n'));
    // The cached rows are gzip members: searched as the text they hold, not as compressed bytes.
    const storedText = (await Promise.all(stored.map(async (f) => (f.endsWith('.gz') ? gunzipSync(await fsp.readFile(f)) : await fsp.readFile(f))))).map((b) => b.toString('latin1')).join('\n');
    for (const needle of needles) {
      assert.ok(!storedText.includes(needle), 'a stored file holds a secret or token');
      assert.ok(!settings.includes(needle), 'settings hold a secret or token');
      assert.ok(!state.includes(needle), 'globalState holds a secret or token');
      assert.ok(!logText.includes(needle), 'the log holds a secret or token');
    }
  });
});
