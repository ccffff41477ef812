import * as assert from 'node:assert/strict';
import { listRegions } from '../../../src/genesys/regions';
import {
  parseSandboxUrl,
  regionPickLabel,
  regionsForPicker,
  validateClientId,
  validateClientSecret,
  validateConnectionName,
} from '../../../src/vscode/connection/signInValidation';

describe('sign-in validation and region labels', () => {
  it('labels regions "<area> — <host>" from the SDK list, Americas first, every SDK region present once', () => {
    const regions = regionsForPicker();
    const labels = regions.map(regionPickLabel);
    assert.ok(labels.includes('Americas (US East) — mypurecloud.com'), labels.join('\n'));
    assert.ok(labels.includes('EMEA (Dublin) — mypurecloud.ie'));
    assert.equal(regions.length, listRegions().length);
    assert.deepEqual(new Set(regions.map((r) => r.key)), new Set(listRegions().map((r) => r.key)));
    assert.match(labels[0], /^Americas /);
    const firstEmea = labels.findIndex((l) => l.startsWith('EMEA'));
    const lastAmericas = labels.map((l) => l.startsWith('Americas')).lastIndexOf(true);
    assert.ok(lastAmericas < firstEmea, 'all Americas regions come before EMEA');
  });

  it('requires a unique, non-blank, reasonably short connection name (case-insensitive)', () => {
    const existing = [{ id: 'c-000000000001', name: 'Acme Prod' }];
    assert.match(validateConnectionName('   ', existing) ?? '', /Enter a name/);
    assert.match(validateConnectionName('acme prod', existing) ?? '', /already exists/);
    assert.equal(validateConnectionName('acme prod', existing, 'c-000000000001'), undefined, 'renaming itself is fine');
    assert.match(validateConnectionName('x'.repeat(61), existing) ?? '', /under 60/);
    assert.match(validateConnectionName('a\u0007b', existing) ?? '', /control characters/);
    assert.equal(validateConnectionName('Acme Test', existing), undefined);
  });

  it('accepts only UUID client IDs for real regions, any non-blank ID for a sandbox', () => {
    assert.equal(validateClientId('0a1b2c3d-1234-5678-9abc-0123456789ab', 'region'), undefined);
    assert.match(validateClientId('sandbox-client', 'region') ?? '', /looks like/);
    assert.equal(validateClientId('sandbox-client', 'sandboxUrl'), undefined);
    assert.match(validateClientId('', 'sandboxUrl') ?? '', /Enter the client ID/);
    assert.match(validateClientId('two words', 'sandboxUrl') ?? '', /no spaces/);
  });

  it('requires a secret and refuses surrounding spaces (a copy-paste slip) instead of trimming silently', () => {
    assert.match(validateClientSecret('') ?? '', /Enter the client secret/);
    assert.match(validateClientSecret(' abc') ?? '', /space/);
    assert.equal(validateClientSecret('s3cr3t'), undefined);
  });

  it('normalises sandbox URLs and explains what is wrong with bad ones', () => {
    assert.deepEqual(parseSandboxUrl(' http://127.0.0.1:8787/ '), { url: 'http://127.0.0.1:8787' });
    assert.deepEqual(parseSandboxUrl('https://sandbox.example/base/'), { url: 'https://sandbox.example/base' });
    assert.match(problem('ftp://127.0.0.1'), /http:\/\/ or https:\/\//);
    assert.match(problem('127.0.0.1:8787'), /http:\/\/ or https:\/\/|not a URL/);
    assert.match(problem('http://user:pw@127.0.0.1:8787'), /no credentials/);
    assert.match(problem('http://127.0.0.1:8787/?x=1'), /query/);
    assert.match(problem(''), /Enter the URL/);
  });
});

function problem(url: string): string {
  const parsed = parseSandboxUrl(url);
  assert.ok('problem' in parsed, `${url} should be rejected`);
  return parsed.problem;
}
