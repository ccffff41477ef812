import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Views } from '../../src/constants';
import { api, extension, manifest, waitFor } from './helpers';

describe('activation and contributions', () => {
  it('activates by itself in a workspace that contains a *.gcquery.json file', async () => {
    // No activate() call before this: workspaceContains must do it (the fixture has last-day.gcquery.json).
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the integration tests need the fixture workspace open');
    await waitFor('the extension to activate', () => extension().isActive);
  });

  it('returns its API from activate()', async () => {
    const exported = await api();
    assert.equal(exported.apiVersion, 1);
    assert.ok(extension().isActive);
  });

  it('never activates on * or onStartupFinished', () => {
    const events = manifest().activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), events.join(', '));
  });

  it('registers every command that package.json declares', async () => {
    await api();
    const declared = manifest().contributes.commands.map((c) => c.command);
    assert.deepEqual([...declared].sort(), Object.values(Commands).sort());
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });

  it('contributes the Genesys Cloud container and a Query History view that can be focused', async () => {
    const m = manifest();
    assert.ok(m.contributes.viewsContainers.activitybar.some((c) => c.id === Views.container));
    assert.ok((m.contributes.views[Views.container] ?? []).some((v) => v.id === Views.history));
    await vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`);
    await vscode.commands.executeCommand(`${Views.history}.focus`);
    await vscode.commands.executeCommand(Commands.refreshHistory);
  });

  it('shows its log', async () => {
    await vscode.commands.executeCommand(Commands.showLog);
  });
});
