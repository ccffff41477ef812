import * as assert from 'node:assert/strict';
import { api, nextEvent } from './helpers';

describe('SecretStorage through the exported API', () => {
  const profile = `it-${Date.now()}`;

  it('stores, finds and deletes a client secret, firing change events', async () => {
    const { credentials } = await api();
    assert.equal(await credentials.hasClientSecret(profile), false);

    const stored = nextEvent(credentials.onDidChange, 'the change event after store');
    await credentials.storeClientSecret(profile, 's3cr3t-value');
    assert.equal(await stored, profile);
    assert.equal(await credentials.hasClientSecret(profile), true);

    const deleted = nextEvent(credentials.onDidChange, 'the change event after delete');
    await credentials.deleteClientSecret(profile);
    assert.equal(await deleted, profile);
    assert.equal(await credentials.hasClientSecret(profile), false);
  });

  it('rejects invalid profile ids and empty secrets', async () => {
    const { credentials } = await api();
    await assert.rejects(credentials.storeClientSecret('../etc', 'x'), /Invalid profile id/);
    await assert.rejects(credentials.storeClientSecret(profile, ''), /cannot be empty/);
  });
});
