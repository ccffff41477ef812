import * as assert from 'node:assert/strict';
import type { Sandbox } from '../../../src/sandbox';
import { isGenesysError } from '../../../src/genesys/errors';
import { NameDirectory } from '../../../src/genesys/nameDirectory';
import type { TestClient } from './engineHarness';
import { makeClient, resetFaults, startTestSandbox } from './engineHarness';

const QUEUES = 'GET /api/v2/routing/queues';
const USERS = 'GET /api/v2/users';

describe('engine / names instead of IDs (list calls and NameDirectory)', function () {
  this.timeout(20_000);
  let sandbox: Sandbox;
  let tc: TestClient;

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    resetFaults(sandbox);
    tc = makeClient(sandbox);
    await tc.client.login();
    sandbox.resetStats();
  });
  afterEach(() => tc.client.dispose());

  it('lists queues, users, wrap-up codes and divisions page by page through the SDK', async () => {
    const q1 = await tc.client.listQueues({ pageSize: 5, pageNumber: 1 });
    const q3 = await tc.client.listQueues({ pageSize: 5, pageNumber: 3 });
    assert.equal(q1.entities.length, 5);
    assert.equal(q1.total, 12);
    assert.equal(q1.pageCount, 3);
    assert.equal(q3.entities.length, 2);
    assert.ok(q1.entities.every((e) => e.id && e.name));
    assert.deepEqual(Object.keys(q1.entities[0]!).sort(), ['id', 'name']);
    assert.equal((await tc.client.listUsers({ pageSize: 7 })).total, 60);
    assert.equal((await tc.client.listWrapUpCodes()).entities.length, 15);
    assert.equal((await tc.client.listDivisions()).entities.length, 3);
    await assert.rejects(tc.client.listUsers({ pageSize: 501 }), (e: unknown) => isGenesysError(e, 'invalidQuery'));
  });

  it('resolves names from every page, once per kind, sharing one load between concurrent callers', async () => {
    const all = (await tc.client.listQueues({ pageSize: 500 })).entities;
    const dir = new NameDirectory({ api: tc.client, pageSize: 5 });
    const wanted = [all[0]!.id, all[11]!.id, 'no-such-queue'];
    const [a, b, list] = await Promise.all([dir.names('queue', wanted), dir.names('queue', [all[6]!.id]), dir.list('queue')]);
    assert.deepEqual([...a], [[all[0]!.id, all[0]!.name], [all[11]!.id, all[11]!.name]]);
    assert.equal(b.get(all[6]!.id), all[6]!.name);
    assert.equal(list.length, 12);
    assert.deepEqual(list.map((e) => e.name), [...all.map((e) => e.name)].sort((x, y) => x.localeCompare(y)));
    assert.equal(sandbox.stats().byRoute[QUEUES], 4, '3 pages of 5 + the ground-truth call');
    await dir.names('queue', wanted);
    assert.equal(sandbox.stats().byRoute[QUEUES], 4, 'cached');
    assert.equal((await dir.list('wrapupcode')).length, 15);
    assert.equal((await dir.list('division')).length, 3);
  });

  it('bounds the pages it fetches for a huge list', async () => {
    const dir = new NameDirectory({ api: tc.client, pageSize: 7, maxPages: 2 });
    assert.equal((await dir.list('user')).length, 14);
    assert.equal(sandbox.stats().byRoute[USERS], 2);
  });

  it('forgets a failed load so the next call tries again, and lets a caller abort its wait', async () => {
    const failing = makeClient(sandbox, { retry: { maxAttempts: 1 } });
    try {
      const dir = new NameDirectory({ api: failing.client, pageSize: 5 });
      sandbox.configure({ faults: { error5xxShare: 1 } });
      await assert.rejects(dir.names('queue', ['x']), (e: unknown) => isGenesysError(e, 'transient'));
      sandbox.configure({ faults: { error5xxShare: 0 } });
      assert.equal((await dir.list('queue')).length, 12);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(new NameDirectory({ api: failing.client }).names('user', ['x'], controller.signal), (e: unknown) => isGenesysError(e, 'cancelled'));
    } finally {
      failing.client.dispose();
    }
  });
});
