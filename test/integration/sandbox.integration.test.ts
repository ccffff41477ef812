import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { ConnectionInfo } from '../../src/vscode/connection/connectionManager';
import { api, waitFor } from './helpers';

/** Any HTTP answer counts: the point is whether something listens at the URL. */
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
  let external: Sandbox | undefined;

  after(async () => {
    await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
    await external?.close();
  });

  it('connects to an in-process sandbox at start-up when genesysCloud.sandbox.connectOnStart is set', async () => {
    const exported = await api();
    const info = await waitFor('the start-up connection', () => exported.connection);
    assert.equal(info.kind, 'sandbox');
    assert.equal(info.startedInProcess, true);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    // Signed in through the SDK facade: the org name comes from the sandbox's token/org endpoints.
    assert.equal(info.org.orgName, 'Sandbox Org');
    assert.ok(info.org.orgId);
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
    external = await startSandbox({ port: 0, orgName: 'External Sandbox' });

    await config().update(Settings.sandboxUrl, `${external.url}/`, vscode.ConfigurationTarget.Global);
    const viaSetting = await vscode.commands.executeCommand<ConnectionInfo | undefined>(Commands.connectSandbox);
    assert.ok(viaSetting);
    assert.equal(viaSetting.url, external.url);
    assert.equal(viaSetting.startedInProcess, false);
    assert.equal(viaSetting.org.orgName, 'External Sandbox');
    assert.equal(await answers(`${ownUrl}/`), false, 'the in-process sandbox should have been stopped');

    await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
    const again = await exported.connectSandbox();
    assert.equal(again.startedInProcess, true);
    assert.equal(again.org.orgName, 'Sandbox Org');
    assert.ok(await answers(`${again.url}/`));
  });

  it('fails to connect, and stays disconnected, when nothing answers at genesysCloud.sandbox.url', async function () {
    this.timeout(120_000);
    const exported = await api();
    await config().update(Settings.sandboxUrl, 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    const started = Date.now();
    await assert.rejects(exported.connectSandbox());
    console.log(`[integration]   (failed connect took ${Date.now() - started} ms)`);
    assert.equal(exported.connection, undefined);
    await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
    const again = await exported.connectSandbox();
    assert.equal(again.startedInProcess, true);
  });
});
