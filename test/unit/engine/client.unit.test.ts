import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { Sandbox } from '../../../src/sandbox';
import { GenesysClient } from '../../../src/genesys/client';
import { isGenesysError } from '../../../src/genesys/errors';
import { RecordingClock } from '../../fakes/recordingClock';
import { waitFor } from '../../fakes/waitFor';
import { FULL_INTERVAL, genesysRejection, makeClient, resetFaults, sandboxConnection, startTestSandbox } from './engineHarness';

describe('engine / GenesysClient against the sandbox', function () {
  this.timeout(20_000);
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(() => resetFaults(sandbox));

  it('reads results pages into one reused buffer once each is released', async () => {
    const { client } = makeClient(sandbox);
    const jobId = await client.submitJob({ interval: FULL_INTERVAL });
    await waitFor(async () => (await client.getJobStatus(jobId)).state === 'FULFILLED', 'the job to be FULFILLED', 10_000, 20);
    const first = await client.getJobResults(jobId, { pageSize: 100 });
    const bufferOf = (p: typeof first): ArrayBufferLike => p.rows![0]!.json.buffer;
    assert.ok(first.release && first.cursor);
    const kept = await client.getJobResults(jobId, { cursor: first.cursor, pageSize: 100 });
    assert.ok(bufferOf(kept) !== bufferOf(first), 'a page not released is never overwritten');
    const firstId = first.rows![0]!.conversationId;
    assert.equal(JSON.parse(Buffer.from(first.rows![0]!.json).toString()).conversationId, firstId);
    first.release();
    const third = await client.getJobResults(jobId, { cursor: kept.cursor, pageSize: 100 });
    assert.ok(bufferOf(third) === bufferOf(first), 'the released buffer is reused');
    assert.equal(JSON.parse(Buffer.from(kept.rows![0]!.json).toString()).conversationId, kept.rows![0]!.conversationId);
    client.dispose();
  });

  it('signs in and reports the org and client name', async () => {
    const { client } = makeClient(sandbox);
    const org = await client.checkConnection();
    assert.equal(org.orgName, 'Sandbox Org');
    assert.ok(org.orgId);
    assert.equal(sandbox.stats().byRoute['POST /oauth/token'], 1);
    client.dispose();
  });

  it('rejects a wrong secret with an auth error naming the client ID and secret, and does not retry', async () => {
    const { client, metrics } = makeClient(sandbox, { clientSecret: 'wrong' });
    const e = await genesysRejection(client.querySync({ interval: FULL_INTERVAL }));
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /client ID and secret/);
    assert.equal(metrics.requests, 1);
    assert.equal(sandbox.stats().byRoute['POST /api/v2/analytics/conversations/details/query'], undefined);
    client.dispose();
  });

  it('refuses an unknown region at construction, sending nothing', () => {
    assert.throws(
      () => new GenesysClient({ connection: { id: 'p', name: 'Prod', kind: 'region', region: 'xx_nowhere_9', clientId: 'id' }, clientSecret: 's' }),
      (err: unknown) => isGenesysError(err, 'config') && /Unknown Genesys Cloud region/.test(err.message),
    );
    assert.equal(sandbox.stats().requests, 0);
  });

  it("names the missing permission when the OAuth client's role lacks it (403), without retrying", async () => {
    sandbox.configure({ permissions: [] });
    try {
      const { client, metrics } = makeClient(sandbox);
      const e = await genesysRejection(client.querySync({ interval: FULL_INTERVAL }));
      assert.equal(e.kind, 'permission');
      assert.deepEqual(e.permissions, ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view']);
      assert.match(e.message, /'analytics:conversationDetail:view' or 'analytics:agentConversationDetail:view'/);
      assert.equal(sandbox.stats().byRoute['POST /api/v2/analytics/conversations/details/query'], 1);
      assert.equal(metrics.retries, 0);
      client.dispose();
    } finally {
      sandbox.configure({ permissions: ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'] });
    }
  });

  it('signs in again once when the token is revoked mid-session', async () => {
    const { client } = makeClient(sandbox);
    await client.querySync({ interval: FULL_INTERVAL, paging: { pageSize: 1, pageNumber: 1 } });
    sandbox.revokeTokens();
    const page = await client.querySync({ interval: FULL_INTERVAL, paging: { pageSize: 1, pageNumber: 2 } });
    assert.equal(page.conversations?.length, 1);
    const s = sandbox.stats();
    assert.equal(s.byRoute['POST /oauth/token'], 2);
    assert.equal(s.byStatus['401'], 1);
    client.dispose();
  });

  it('renews a short-lived token before it expires instead of failing a request', async () => {
    sandbox.configure({ tokenTtlSeconds: 10 });
    try {
      const clock = new RecordingClock();
      const { client } = makeClient(sandbox, { clock, tokenRenewSkewMs: 2_000 });
      await client.login();
      const first = client.tokenExpiresAt!;
      await client.getAvailability();
      assert.equal(sandbox.stats().byRoute['POST /oauth/token'], 1, 'still valid: no new login');
      clock.advance(8_500);
      await client.getAvailability();
      assert.equal(sandbox.stats().byRoute['POST /oauth/token'], 2, 'renewed within the skew before expiry');
      assert.ok(client.tokenExpiresAt! > first);
      assert.equal(sandbox.stats().byStatus['401'], undefined);
      client.dispose();
    } finally {
      sandbox.configure({ tokenTtlSeconds: 86399 });
    }
  });

  it('signs in again once when a token expires mid-session (tiny TTL, no renewal skew)', async () => {
    sandbox.configure({ tokenTtlSeconds: 1 });
    try {
      const clock = new RecordingClock();
      const { client } = makeClient(sandbox, { clock, tokenRenewSkewMs: 0 });
      await client.login();
      const loggedInAt = Date.now();
      // The server lets the token expire while the client's clock (held back) still trusts it.
      clock.advance(-60_000);
      await waitFor(() => Date.now() - loggedInAt > 1_100, 'the 1 s token TTL to pass', 5_000);
      const page = await client.querySync({ interval: FULL_INTERVAL, paging: { pageSize: 3, pageNumber: 1 } });
      assert.equal(page.conversations?.length, 3);
      assert.equal(sandbox.stats().byRoute['POST /oauth/token'], 2);
      client.dispose();
    } finally {
      sandbox.configure({ tokenTtlSeconds: 86399 });
    }
  });

  it('waits out 429 Retry-After (as asked) and succeeds', async () => {
    sandbox.configure({ faults: { rate429Share: 0.5, retryAfterSeconds: 2 } });
    const clock = new RecordingClock();
    const { client, metrics } = makeClient(sandbox, { clock, retry: { rateLimitWaitCapMs: Number.POSITIVE_INFINITY, baseDelayMs: 5 } });
    for (let i = 1; i <= 8; i++) {
      await client.querySync({ interval: FULL_INTERVAL, paging: { pageSize: 5, pageNumber: i } });
    }
    assert.ok(metrics.rateLimitRetries > 0, 'some 429s were seen');
    assert.equal(metrics.rateLimitRetries, sandbox.stats().byStatus['429']);
    for (const wait of clock.sleeps) {
      assert.ok(wait >= 2000 && wait <= 3000, `waited ${wait} ms for Retry-After: 2`);
    }
    client.dispose();
  });

  it('retries 5xx, resets and truncated JSON transparently', async () => {
    sandbox.configure({ faults: { error5xxShare: 0.2, resetShare: 0.15, malformedJsonShare: 0.2 } });
    const { client, metrics } = makeClient(sandbox);
    const ids = new Set<string>();
    for (let i = 1; i <= 10; i++) {
      const page = await client.querySync({ interval: FULL_INTERVAL, paging: { pageSize: 20, pageNumber: i } });
      page.conversations?.forEach((c) => ids.add(c.conversationId));
    }
    assert.equal(ids.size, 200);
    assert.ok(metrics.retries > 0);
    client.dispose();
  });

  it('times out a slow response and retries it', async () => {
    sandbox.configure({ faults: { slowShare: 0.5, slowMs: 1500 } });
    const { client, metrics } = makeClient(sandbox, { timeoutMs: 300 });
    for (let i = 0; i < 4; i++) {
      await client.getAvailability();
    }
    assert.ok(metrics.retries > 0, 'a slow response was timed out and retried');
    client.dispose();
  });

  it('never retries a 400: one request, Genesys message and field in the error', async () => {
    const { client } = makeClient(sandbox);
    await client.login();
    sandbox.resetStats();
    const e = await genesysRejection(client.querySync({ interval: FULL_INTERVAL, paging: { pageSize: 500, pageNumber: 1 } }));
    assert.equal(e.kind, 'invalidQuery');
    assert.equal(e.status, 400);
    assert.equal(e.field, 'paging.pageSize');
    assert.equal(sandbox.stats().requests, 1);
    client.dispose();
  });

  it('gives up with a transient error when 5xx persist past maxAttempts', async () => {
    sandbox.configure({ faults: { error5xxShare: 1 } });
    const { client } = makeClient(sandbox, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    await client.login();
    sandbox.resetStats();
    const e = await genesysRejection(client.getAvailability());
    assert.equal(e.kind, 'transient');
    assert.ok(e.status === 500 || e.status === 503);
    assert.ok(e.correlationId, 'correlation id kept for support');
    assert.equal(sandbox.stats().requests, 3);
    client.dispose();
  });

  it('aborts promptly on an AbortSignal, even during a retry wait', async () => {
    sandbox.configure({ faults: { rate429Share: 1, retryAfterSeconds: 30 } });
    const { client } = makeClient(sandbox, { retry: { rateLimitWaitCapMs: Number.POSITIVE_INFINITY } });
    await client.login();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 150);
    const e = await genesysRejection(client.getAvailability(controller.signal));
    assert.equal(e.kind, 'cancelled');
    assert.ok(Date.now() - started < 2000, 'aborted without waiting out Retry-After');
    client.dispose();
  });

  it('reports unreachable hosts as network errors', async () => {
    const conn = { ...sandboxConnection(sandbox), sandboxUrl: 'http://127.0.0.1:1' };
    const client = new GenesysClient({ connection: conn, clientSecret: 'x', retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const e = await genesysRejection(client.checkConnection());
    assert.equal(e.kind, 'network');
    assert.match(e.message, /ECONNREFUSED/);
    client.dispose();
  });

  it('keeps the client secret out of a failed login error, however deeply it is inspected', async () => {
    const conn = { ...sandboxConnection(sandbox), sandboxUrl: 'http://127.0.0.1:1' };
    const client = new GenesysClient({ connection: conn, clientSecret: 'TOP-SECRET-42', retry: { maxAttempts: 1 } });
    const e = await genesysRejection(client.login());
    assert.equal(e.kind, 'network');
    const shown = inspect(e, { depth: 20, showHidden: true });
    assert.ok(!shown.includes(Buffer.from(`${conn.clientId}:TOP-SECRET-42`).toString('base64')), 'Basic credentials in the error');
    assert.ok(!shown.includes('TOP-SECRET-42'));
    client.dispose();
  });

  it('logs each request (method, path, status, duration, retries, correlation id) and never a secret, token or header', async () => {
    const lines: string[] = [];
    const record = (level: string) => (message: string | Error, ...args: unknown[]) => lines.push(`${level} ${String(message)} ${args.map(String).join(' ')}`);
    const logger = { trace: record('trace'), debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
    const { client } = makeClient(sandbox, { logger, clientSecret: 'sandbox-secret' });
    await client.login();
    sandbox.configure({ faults: { rate429Share: 1 } });
    const query = client.querySync({ interval: FULL_INTERVAL, paging: { pageSize: 2, pageNumber: 1 } });
    await waitFor(() => sandbox.stats().byStatus['429'], 'a 429 to be answered', 5_000, 5);
    sandbox.configure({ faults: { rate429Share: 0 } });
    await query;
    const token = (client as unknown as { _token: { accessToken: string } })._token.accessToken;
    const http = lines.filter((l) => l.includes('HTTP '));
    const id = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
    assert.ok(http.some((l) => new RegExp(`^debug HTTP POST /oauth/token -> 200 \\(\\d+ ms, retries 0, inin-correlation-id ${id}\\)`).test(l)), http.join('\n'));
    assert.ok(http.some((l) => new RegExp(`^debug HTTP POST /api/v2/analytics/conversations/details/query -> 200 \\(\\d+ ms, retries [1-9]\\d*, inin-correlation-id ${id}\\)`).test(l)), http.join('\n'));
    const all = lines.join('\n');
    for (const secret of ['sandbox-secret', token, Buffer.from('sandbox-client:sandbox-secret').toString('base64'), 'Bearer', 'uthorization']) {
      assert.ok(!all.includes(secret), `log contains ${secret}`);
    }
    client.dispose();
  });
});
