import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Settings } from '../../src/constants';
import { api, manifest } from './helpers';

describe('settings', () => {
  before(async () => {
    await api();
  });

  it('declares only genesysCloud.* settings, each with a default', () => {
    const props = manifest().contributes.configuration.properties;
    assert.ok(Object.keys(props).length > 0);
    for (const [key, prop] of Object.entries(props)) {
      assert.ok(key.startsWith(`${Settings.section}.`), key);
      assert.ok('default' in prop, `${key} has no default`);
    }
  });

  it('are readable through the configuration API with their declared defaults', () => {
    const config = vscode.workspace.getConfiguration();
    for (const [key, prop] of Object.entries(manifest().contributes.configuration.properties)) {
      const inspected = config.inspect(key);
      assert.ok(inspected, `${key} is unknown to VS Code`);
      assert.deepEqual(inspected.defaultValue, prop.default, key);
      const overridden =
        inspected.globalValue !== undefined || inspected.workspaceValue !== undefined || inspected.workspaceFolderValue !== undefined;
      if (!overridden) {
        assert.deepEqual(config.get(key), prop.default, `${key} does not read back its default`);
      }
    }
  });

  it('sees the workspace override of genesysCloud.sandbox.connectOnStart from the fixture', () => {
    const config = vscode.workspace.getConfiguration(Settings.section);
    assert.equal(config.inspect<boolean>(Settings.sandboxConnectOnStart)?.workspaceValue, true);
    assert.equal(config.get<boolean>(Settings.sandboxConnectOnStart), true);
  });
});
