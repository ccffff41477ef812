import * as assert from 'node:assert/strict';
import { SecretKeys } from '../../../src/constants';
import { SecretStore } from '../../../src/vscode/auth/secretStore';
import type { SavedConnection, SignInAnswers } from '../../../src/vscode/connection/savedConnections';
import { newConnectionId, SavedConnectionStore, splitSecret, toGenesysConnection, whereLabel } from '../../../src/vscode/connection/savedConnections';
import { FakeMemento } from '../../fakes/fakeMemento';
import { FakeSecretStorage } from '../../fakes/fakeSecretStorage';

const SECRET = 'Zq-very-secret-value-123';

const answers: SignInAnswers = {
  name: ' Acme Prod ',
  target: { kind: 'region', host: 'mypurecloud.ie' },
  clientId: ' 0a1b2c3d-1234-5678-9abc-0123456789ab ',
  clientSecret: SECRET,
  production: true,
};

describe('saved connections: metadata in globalState, secret in SecretStorage', () => {
  it('splits the secret off the sign-in answers; the metadata holds no trace of it', () => {
    const id = newConnectionId();
    const { metadata, clientSecret } = splitSecret(id, answers, { orgId: 'o1', orgName: 'Acme', clientName: 'Exporter' });
    assert.equal(clientSecret, SECRET);
    assert.ok(!JSON.stringify(metadata).includes(SECRET));
    assert.deepEqual(metadata, {
      id,
      name: 'Acme Prod',
      region: 'mypurecloud.ie',
      clientId: '0a1b2c3d-1234-5678-9abc-0123456789ab',
      production: true,
      org: { orgId: 'o1', orgName: 'Acme', clientName: 'Exporter' },
    });
    assert.deepEqual(toGenesysConnection(metadata), { id, name: 'Acme Prod', kind: 'region', region: 'mypurecloud.ie', clientId: metadata.clientId });
    assert.equal(whereLabel(metadata), 'EMEA (Dublin)');
  });

  it('saves only whitelisted fields, even when handed an object carrying a secret or token', async () => {
    const memento = new FakeMemento();
    const store = new SavedConnectionStore(memento);
    const { metadata } = splitSecret(newConnectionId(), answers);
    const polluted = { ...metadata, clientSecret: SECRET, accessToken: 'tok-123', org: { orgId: 'o', orgName: 'A', token: 'tok-123' } } as unknown as SavedConnection;
    await store.save(polluted);
    assert.ok(!memento.dump().includes(SECRET));
    assert.ok(!memento.dump().includes('tok-123'));
    assert.equal(store.list().length, 1);
    assert.deepEqual(Object.keys(store.list()[0]).sort(), ['clientId', 'id', 'name', 'org', 'production', 'region']);
  });

  it('adds, replaces by id, marks production and removes; drops malformed entries instead of failing', async () => {
    const memento = new FakeMemento();
    const store = new SavedConnectionStore(memento);
    const a = splitSecret(newConnectionId(), answers).metadata;
    const b = splitSecret(newConnectionId(), { ...answers, name: 'Local', target: { kind: 'sandboxUrl', url: 'http://127.0.0.1:8787' }, production: false }).metadata;
    await store.save(a);
    await store.save(b);
    await store.save({ ...a, name: 'Acme Production' });
    assert.deepEqual(store.list().map((c) => c.name).sort(), ['Acme Production', 'Local']);
    assert.equal(whereLabel(b), 'sandbox at 127.0.0.1:8787');
    assert.equal(toGenesysConnection(b).kind, 'sandbox');

    assert.equal((await store.setProduction(b.id, true))?.production, true);
    assert.equal(store.get(b.id)?.production, true);
    assert.equal(await store.setProduction('c-ffffffffffff', true), undefined);

    const stored = memento.get<unknown[]>('genesysCloud.connections') ?? [];
    await memento.update('genesysCloud.connections', [...stored, { id: '../x', name: 'bad' }, 42, null]);
    assert.equal(store.list().length, 2);

    assert.equal((await store.remove(a.id))?.name, 'Acme Production');
    assert.equal(await store.remove(a.id), undefined);
    assert.deepEqual(store.list().map((c) => c.id), [b.id]);
  });

  it('refuses to save a connection with both or neither of region and sandbox URL', async () => {
    const store = new SavedConnectionStore(new FakeMemento());
    const base = splitSecret(newConnectionId(), answers).metadata;
    await assert.rejects(store.save({ ...base, sandboxUrl: 'http://127.0.0.1:1' }), /malformed/);
    const { region: _region, ...neither } = base;
    await assert.rejects(store.save(neither), /malformed/);
  });

  it('new connection ids are unique and valid SecretStorage profile ids', async () => {
    const ids = new Set(Array.from({ length: 200 }, () => newConnectionId()));
    assert.equal(ids.size, 200);
    const storage = new FakeSecretStorage();
    const secrets = new SecretStore(storage);
    const id = [...ids][0];
    await secrets.storeClientSecret(id, SECRET);
    assert.deepEqual(await storage.keys(), [`${SecretKeys.clientSecretPrefix}${id}`]);
    secrets.dispose();
  });
});

describe('SecretStore over a fake SecretStorage', () => {
  it('stores, reports and deletes a secret, firing the profile id for changes here or in another window', async () => {
    const storage = new FakeSecretStorage();
    const secrets = new SecretStore(storage);
    const changes: string[] = [];
    const sub = secrets.onDidChangeClientSecret((id) => changes.push(id));
    const id = newConnectionId();
    assert.equal(await secrets.hasClientSecret(id), false);
    await secrets.storeClientSecret(id, SECRET);
    assert.equal(await secrets.getClientSecret(id), SECRET);
    assert.equal(await secrets.hasClientSecret(id), true);
    await storage.store('someOtherExtension.key', 'x');
    storage.simulateExternalDelete(`${SecretKeys.clientSecretPrefix}${id}`);
    assert.equal(await secrets.hasClientSecret(id), false);
    assert.deepEqual(changes, [id, id], 'only our keys are reported');
    await assert.rejects(secrets.storeClientSecret('../etc', 'x'), /Invalid profile id/);
    await assert.rejects(secrets.storeClientSecret(id, ''), /cannot be empty/);
    sub.dispose();
    secrets.dispose();
  });
});
