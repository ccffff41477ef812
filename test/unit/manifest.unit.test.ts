import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, ContextKeys, Views } from '../../src/constants';

interface Manifest {
  engines: { vscode: string };
  activationEvents?: string[];
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; category: string; title: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome?: { view: string; when?: string; contents: string }[];
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string; scope?: string }> };
  };
}

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json manifest', () => {
  it('declares exactly the commands in constants.ts, each under the Genesys Cloud category', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(Commands).sort());
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'Genesys Cloud', c.command);
    }
  });

  it('declares the views in constants.ts', () => {
    const ids = Object.values(manifest.contributes.views).flat().map((v) => v.id);
    assert.ok(ids.includes(Views.history));
  });

  it('never activates on * and lets contributions drive activation', () => {
    assert.ok(!(manifest.activationEvents ?? []).includes('*'));
    assert.ok(!(manifest.activationEvents ?? []).includes('onStartupFinished'));
  });

  it('uses only genesysCloud.* context keys from constants.ts in viewsWelcome when-clauses and links only declared commands', () => {
    const known = new Set<string>(Object.values(ContextKeys));
    const commands = new Set<string>(Object.values(Commands));
    for (const w of manifest.contributes.viewsWelcome ?? []) {
      for (const key of (w.when ?? '').match(/genesysCloud\.[\w.]+/g) ?? []) {
        assert.ok(known.has(key), `${key} in a viewsWelcome when-clause is not in ContextKeys`);
      }
      for (const [, id] of w.contents.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(commands.has(id), `viewsWelcome links to undeclared command ${id}`);
      }
    }
  });

  it('allows VS Code 1.139 and pins @types/vscode no newer than engines.vscode', () => {
    const engine = manifest.engines.vscode.replace(/^[\^~>=]+/, '');
    const types = manifest.devDependencies['@types/vscode'].replace(/^[\^~>=]+/, '');
    const [eMaj, eMin] = engine.split('.').map(Number);
    const [tMaj, tMin] = types.split('.').map(Number);
    assert.ok(eMaj === 1 && eMin <= 139, `engines.vscode ${engine} must allow 1.139`);
    assert.ok(tMaj < eMaj || (tMaj === eMaj && tMin <= eMin), `@types/vscode ${types} newer than engines ${engine}`);
  });

  it('describes every setting under genesysCloud.* with an explicit scope', () => {
    for (const [key, prop] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(key.startsWith('genesysCloud.'), key);
      assert.ok(prop.description || prop.markdownDescription, `${key} has no description`);
      assert.ok(prop.scope, `${key} has no scope`);
    }
  });
});
