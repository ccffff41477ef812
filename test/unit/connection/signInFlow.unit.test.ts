import * as assert from 'node:assert/strict';
import type { SavedConnection } from '../../../src/vscode/connection/savedConnections';
import { DEFAULT_SANDBOX_URL, runSignInFlow, SIGN_IN_TITLE } from '../../../src/vscode/connection/signInFlow';
import { ScriptedPrompter } from '../../fakes/scriptedPrompter';

const CLIENT_ID = '0a1b2c3d-1234-5678-9abc-0123456789ab';
const existing: SavedConnection[] = [{ id: 'c-000000000001', name: 'Acme Prod', region: 'mypurecloud.com', clientId: CLIENT_ID, production: true }];

describe('sign-in flow (guided prompts)', () => {
  it('asks name, region, client ID, secret (masked), production, titled and numbered 1/5..5/5', async () => {
    const prompter = new ScriptedPrompter([
      { input: 'Acme Dublin' },
      { pick: 'EMEA (Dublin) — mypurecloud.ie' },
      { input: CLIENT_ID },
      { input: 'the-secret' },
      { pick: 'Yes, production' },
    ]);
    const answers = await runSignInFlow(prompter, existing);
    assert.deepEqual(answers, {
      name: 'Acme Dublin',
      target: { kind: 'region', host: 'mypurecloud.ie' },
      clientId: CLIENT_ID,
      clientSecret: 'the-secret',
      production: true,
    });
    assert.deepEqual(
      prompter.asked.map((a) => `${a.type} ${a.step?.step}/${a.step?.totalSteps} ${a.step?.title}`),
      [1, 2, 3, 4, 5].map((n) => `${n === 2 || n === 5 ? 'pick' : 'input'} ${n}/5 ${SIGN_IN_TITLE}`),
    );
    assert.deepEqual(
      prompter.asked.map((a) => a.password ?? false),
      [false, false, false, true, false],
      'only the secret box is a password box',
    );
    assert.ok(prompter.asked[1].labels?.includes('Sandbox at a URL…'));
  });

  it('takes a sandbox URL as a region: six steps, URL normalised, any client ID accepted', async () => {
    const prompter = new ScriptedPrompter([
      { input: 'Local sandbox' },
      { pick: 'Sandbox at a URL…' },
      { input: 'http://127.0.0.1:8787/' },
      { input: 'sandbox-client' },
      { input: 'sandbox-secret' },
      { pick: 'No' },
    ]);
    const answers = await runSignInFlow(prompter, existing);
    assert.deepEqual(answers?.target, { kind: 'sandboxUrl', url: 'http://127.0.0.1:8787' });
    assert.equal(answers?.production, false);
    assert.deepEqual(prompter.asked.map((a) => a.step?.totalSteps), [5, 5, 6, 6, 6, 6], 'the count grows once the URL step applies');
    assert.deepEqual(prompter.asked.map((a) => a.step?.step), [1, 2, 3, 4, 5, 6]);
  });

  it('keeps the prompt open on invalid input (duplicate name, non-UUID client ID, bad URL) until it is fixed', async () => {
    const prompter = new ScriptedPrompter([
      { input: 'acme prod' },
      { input: 'Acme 2' },
      { pick: /^Americas \(US East\) — / },
      { input: 'not-a-uuid' },
      { input: CLIENT_ID },
      { input: 's' },
      { pick: 'No' },
    ]);
    const answers = await runSignInFlow(prompter, existing);
    assert.equal(answers?.name, 'Acme 2');
    assert.deepEqual(
      prompter.rejected.map((r) => r.value),
      ['acme prod', 'not-a-uuid'],
    );
    assert.match(prompter.rejected[0].message, /already exists/);
    assert.match(prompter.rejected[1].message, /looks like/);
  });

  it('goes back with answers kept, skipping the URL step when a region is picked', async () => {
    const prompter = new ScriptedPrompter([
      { input: 'First' },
      { pick: 'Sandbox at a URL…' },
      { input: 'ftp://nope' },
      { input: 'http://127.0.0.1:9999' },
      'back', // from client ID to the URL
      'back', // from the URL to the region
      { pick: 'EMEA (Frankfurt) — mypurecloud.de' },
      { input: CLIENT_ID },
      'back', // from the secret to the client ID
      { input: CLIENT_ID },
      { input: 'x' },
      'back', // from production to the secret
      { input: 'y' },
      { pick: 'No' },
    ]);
    const answers = await runSignInFlow(prompter, existing);
    assert.deepEqual(answers, { name: 'First', target: { kind: 'region', host: 'mypurecloud.de' }, clientId: CLIENT_ID, clientSecret: 'y', production: false });
    assert.match(prompter.rejected[0].message, /http:\/\/ or https:\/\//);
    assert.equal(prompter.remaining, 0);
  });

  it('going back from the region step returns to the name; Escape anywhere cancels with nothing returned', async () => {
    const back = new ScriptedPrompter([{ input: 'A' }, 'back', { input: 'B' }, 'cancel']);
    assert.equal(await runSignInFlow(back, existing), undefined);
    assert.deepEqual(back.asked.map((a) => a.step?.step), [1, 2, 1, 2]);

    const cancelAtSecret = new ScriptedPrompter([{ input: 'A' }, { pick: /Dublin/ }, { input: CLIENT_ID }, 'cancel']);
    assert.equal(await runSignInFlow(cancelAtSecret, existing), undefined);
  });

  it('pre-fills a retry with the previous answers except the secret', async () => {
    const prompter = new ScriptedPrompter([{ input: 'Retry' }, { pick: 'Sandbox at a URL…' }, { input: 'http://127.0.0.1:1234' }, { input: 'sandbox-client' }, { input: 's' }, { pick: 'No' }]);
    await runSignInFlow(prompter, existing, { name: 'Retry', target: { kind: 'sandboxUrl', url: 'http://127.0.0.1:1234' }, clientId: 'sandbox-client', production: true });
    const [name, region, url, clientId, secret, production] = prompter.asked;
    assert.equal(name.value, 'Retry');
    assert.deepEqual(region.picked, ['Sandbox at a URL…']);
    assert.equal(url.value, 'http://127.0.0.1:1234');
    assert.equal(clientId.value, 'sandbox-client');
    assert.equal(secret.value, '', 'the secret is never pre-filled');
    assert.deepEqual(production.picked, ['Yes, production']);

    const fresh = new ScriptedPrompter([{ input: 'N' }, { pick: 'Sandbox at a URL…' }, 'cancel']);
    await runSignInFlow(fresh, existing);
    assert.equal(fresh.asked[2].value, DEFAULT_SANDBOX_URL, 'a first sandbox sign-in suggests the usual URL');
    assert.deepEqual(fresh.asked[1].picked, []);
  });
});
