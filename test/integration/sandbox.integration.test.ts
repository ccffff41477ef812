import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { ConnectionInfo } from '../../src/vscode/connection/connectionManager';
import { api, waitFor } from './helpers';

/** Any HTTP answer counts: the point is that something listens at the URL. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
}

describe('sandbox connection', () => {
  const config = () => vscode.workspace.getConfiguration(Settings.section);

  after(async () => {
    await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
  });

  it('connects to an in-process sandbox at start-up when genesysCloud.sandbox.connectOnStart is set', async () => {
    const exported = await api();
    const info = await waitFor('the start-up connection', () => exported.connection);
    assert.equal(info.kind, 'sandbox');
    assert.equal(info.startedInProcess, true);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(await answers(`${info.url}/`), `nothing answers at ${info.url}`);
  });

  it('"Connect to Sandbox" reuses the running sandbox', async () => {
    const before = (await api()).connection;
    const info = await vscode.commands.executeCommand<ConnectionInfo | undefined>(Commands.connectSandbox);
    assert.ok(info);
    assert.equal(info.url, before?.url);
  });

  it('uses genesysCloud.sandbox.url when set, stopping its own sandbox, and starts one again when cleared', async () => {
    const exported = await api();
    const ownUrl = exported.connection?.url;
    assert.ok(ownUrl);

    await config().update(Settings.sandboxUrl, 'http://127.0.0.1:9/', vscode.ConfigurationTarget.Global);
    const external = await vscode.commands.executeCommand<ConnectionInfo | undefined>(Commands.connectSandbox);
    assert.deepEqual(external, { kind: 'sandbox', label: 'Sandbox', url: 'http://127.0.0.1:9', startedInProcess: false });
    assert.equal(await answers(`${ownUrl}/`), false, 'the in-process sandbox should have been stopped');

    await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
    const again = await exported.connectSandbox();
    assert.equal(again.startedInProcess, true);
    assert.ok(await answers(`${again.url}/`));
  });
});
