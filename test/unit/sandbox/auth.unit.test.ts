import * as assert from 'node:assert/strict';
import * as pc from 'purecloud-platform-client-v2';
import type { Sandbox } from '../../../src/sandbox';
import { MAX_TOKENS, TokenStore } from '../../../src/sandbox/auth';
import { ANCHOR_MS, DAY, authJson, interval, raw, rawToken, rejection, sdk, start, waitFor } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const body = () => JSON.stringify({ interval: interval(ANCHOR_MS - DAY, ANCHOR_MS), paging: { pageSize: 1, pageNumber: 1 } });
const QUERY = '/api/v2/analytics/conversations/details/query';

describe('sandbox: OAuth and auth', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await start({ rateLimitPerMinute: 300 });
  });
  after(() => sb.close());

  it('logs in with client credentials through the SDK', async () => {
    const client = new pc.ApiClientClass();
    client.config.live_reload_config = false;
    client.setGateway({ host: '127.0.0.1', port: sb.port, protocol: 'http' });
    const auth = await client.loginClientCredentialsGrant('sandbox-client', 'sandbox-secret');
    assert.ok(auth.accessToken && auth.accessToken.length >= 32);
    assert.ok(auth.tokenExpiryTime && auth.tokenExpiryTime > Date.now() + 86_000_000);
  });

  it('answers the token call with bearer, expires_in and random tokens', async () => {
    const basic = `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`;
    const a = await raw(sb, 'POST', '/oauth/token', { headers: { authorization: basic, 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' });
    const b = await raw(sb, 'POST', '/oauth/token', { headers: { authorization: basic }, body: 'grant_type=client_credentials' });
    assert.equal(a.status, 200);
    const ja = a.json() as { access_token: string; token_type: string; expires_in: number };
    assert.equal(ja.token_type, 'bearer');
    assert.equal(ja.expires_in, 86399);
    assert.notEqual(ja.access_token, (b.json() as { access_token: string }).access_token);
    assert.match(String(a.headers['inin-correlation-id']), UUID);
    assert.ok(a.headers['inin-ratelimit-allowed']);
  });

  it('rejects a wrong secret with 401 invalid_client (AxiosError from the SDK)', async () => {
    const r = await rejection(sdk(sb, 'wrong'));
    assert.equal(r.status, 401);
    const data = r.body as { error: string; description: string; error_description: string };
    assert.equal(data.error, 'invalid_client');
    assert.ok(data.description && data.error_description);
  });

  it('rejects missing credentials with 401 and a wrong grant with 400 unsupported_grant_type', async () => {
    const none = await raw(sb, 'POST', '/oauth/token', { body: 'grant_type=client_credentials' });
    assert.equal(none.status, 401);
    assert.equal((none.json() as { error: string }).error, 'invalid_client');
    const basic = `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`;
    const wrong = await raw(sb, 'POST', '/oauth/token', { headers: { authorization: basic }, body: 'grant_type=password' });
    assert.equal(wrong.status, 400);
    assert.equal((wrong.json() as { error: string }).error, 'unsupported_grant_type');
  });

  it('answers 401 authentication.required without a bearer token', async () => {
    const res = await raw(sb, 'POST', QUERY, { headers: { 'content-type': 'application/json' }, body: body() });
    assert.equal(res.status, 401);
    const e = res.json() as { code: string; status: number; message: string; contextId: string; details: unknown[]; errors: unknown[] };
    assert.equal(e.code, 'authentication.required');
    assert.equal(e.status, 401);
    assert.equal(e.message, 'No authentication bearer token specified in authorization header.');
    assert.equal(e.contextId, res.headers['inin-correlation-id']);
    assert.deepEqual(e.details, []);
    assert.deepEqual(e.errors, []);
  });

  it('answers 401 bad.credentials for an unknown token', async () => {
    const res = await raw(sb, 'POST', QUERY, { headers: authJson('not-a-token'), body: body() });
    assert.equal(res.status, 401);
    assert.equal((res.json() as { code: string }).code, 'bad.credentials');
  });

  it('expires tokens after tokenTtlSeconds', async () => {
    const short = await start({ tokenTtlSeconds: 0.2 });
    try {
      const { analytics } = await sdk(short);
      await analytics.getAnalyticsConversationsDetailsJobsAvailability();
      const r = await waitFor('token expiry', async () => {
        const e = await analytics.getAnalyticsConversationsDetailsJobsAvailability().then(() => undefined, (err: unknown) => err as { status: number; code: string });
        return e;
      }, 3000, 50);
      assert.equal(r.status, 401);
      assert.equal(r.code, 'bad.credentials');
    } finally {
      await short.close();
    }
  });

  it('revokeTokens() invalidates every issued token (and a new login works)', async () => {
    const { analytics } = await sdk(sb);
    await analytics.getAnalyticsConversationsDetailsJobsAvailability();
    sb.revokeTokens();
    const r = await rejection(analytics.getAnalyticsConversationsDetailsJobsAvailability());
    assert.equal(r.status, 401);
    assert.equal(r.code, 'bad.credentials');
    const again = await sdk(sb);
    await again.analytics.getAnalyticsConversationsDetailsJobsAvailability();
  });

  it('puts correlation and rate-limit headers on success and error responses', async () => {
    const token = await rawToken(sb);
    const ok = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: body() });
    const bad = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: '{"interval":"nope"}' });
    const missing = await raw(sb, 'GET', '/api/v2/nothing/here', { headers: authJson(token) });
    for (const res of [ok, bad, missing]) {
      assert.match(String(res.headers['inin-correlation-id']), UUID);
      assert.equal(res.headers['inin-ratelimit-allowed'], '300');
      assert.match(String(res.headers['inin-ratelimit-count']), /^\d+$/);
      assert.match(String(res.headers['inin-ratelimit-reset']), /^\d+$/);
      assert.match(String(res.headers['content-type']), /^application\/json/);
    }
    assert.equal(ok.status, 200);
    assert.equal(bad.status, 400);
    assert.equal((bad.json() as { contextId: string }).contextId, bad.headers['inin-correlation-id']);
    assert.equal(missing.status, 404);
    assert.equal((missing.json() as { code: string }).code, 'not.found');
  });
});

describe('sandbox: token store bounds', () => {
  it('keeps at most MAX_TOKENS live tokens, forgetting the oldest first', () => {
    const store = new TokenStore();
    const now = Date.now();
    const first = store.issue('c', 86399, now);
    const second = store.issue('c', 86399, now);
    for (let i = 0; i < MAX_TOKENS + 500; i++) {
      store.issue('c', 86399, now);
    }
    assert.ok(store.size <= MAX_TOKENS, `size ${store.size}`);
    assert.equal(store.check(first, now), undefined);
    assert.equal(store.check(second, now), undefined);
    const newest = store.issue('c', 86399, now);
    assert.equal(store.check(newest, now), 'c');
  });

  it('drops expired tokens before live ones', () => {
    const store = new TokenStore();
    const now = Date.now();
    for (let i = 0; i < MAX_TOKENS - 1; i++) {
      store.issue('c', 1, now);
    }
    const live = store.issue('c', 86399, now);
    assert.equal(store.size, MAX_TOKENS);
    store.issue('c', 86399, now + 2000);
    assert.equal(store.check(live, now + 2000), 'c');
    assert.equal(store.size, 2);
  });
});

describe('sandbox: directory endpoints', () => {
  let sb: Sandbox;
  let client: pc.ApiClientClass;
  before(async () => {
    sb = await start({ orgName: 'Acme Sandbox' });
    client = (await sdk(sb)).client;
  });
  after(() => sb.close());

  it('pages routing queues and filters by name', async () => {
    const api = new pc.RoutingApi(client);
    const all = await api.getRoutingQueues({ pageSize: 5, pageNumber: 1 });
    assert.equal(all.total, 12);
    assert.equal(all.pageCount, 3);
    assert.equal(all.entities?.length, 5);
    const last = await api.getRoutingQueues({ pageSize: 5, pageNumber: 3 });
    assert.equal(last.entities?.length, 2);
    const beyond = await api.getRoutingQueues({ pageSize: 5, pageNumber: 4 });
    assert.deepEqual(beyond.entities, []);
    const billing = await api.getRoutingQueues({ name: 'billing' });
    assert.deepEqual(billing.entities?.map((q) => q.name), ['Billing']);
    const support = await api.getRoutingQueues({ name: '*Support' });
    assert.ok((support.entities ?? []).length >= 3);
    const r = await rejection(api.getRoutingQueues({ pageSize: 0 }));
    assert.equal(r.status, 400);
  });

  it('keeps the filters in nextUri/previousUri so following the links stays filtered', async () => {
    const api = new pc.RoutingApi(client);
    const p1 = await api.getRoutingQueues({ name: '*Support', pageSize: 2, pageNumber: 1 });
    assert.equal(p1.total, 4);
    const next = new URL(p1.nextUri ?? '', 'http://x');
    assert.equal(next.pathname, '/api/v2/routing/queues');
    assert.equal(next.searchParams.get('name'), '*Support');
    assert.equal(next.searchParams.get('pageNumber'), '2');
    const token = await rawToken(sb);
    const p2 = await raw(sb, 'GET', p1.nextUri ?? '', { headers: authJson(token) });
    const body = p2.json() as { entities: { name: string }[]; previousUri: string; nextUri?: string };
    assert.equal(body.entities.length, 2);
    assert.ok(body.entities.every((q) => q.name.endsWith('Support')));
    const seen = new Set([...(p1.entities ?? []).map((q) => q.name), ...body.entities.map((q) => q.name)]);
    assert.equal(seen.size, 4);
    assert.equal(body.nextUri, undefined);
    assert.equal(new URL(body.previousUri, 'http://x').searchParams.get('name'), '*Support');
  });

  it('lists users and wrap-up codes with default paging', async () => {
    const users = await new pc.UsersApi(client).getUsers();
    assert.equal(users.total, 60);
    assert.equal(users.pageSize, 25);
    assert.equal(users.pageNumber, 1);
    assert.equal(users.entities?.length, 25);
    assert.ok(users.entities?.every((u) => u.id && u.name && u.email));
    const codes = await new pc.RoutingApi(client).getRoutingWrapupcodes({ pageSize: 100 });
    assert.equal(codes.total, 15);
  });

  it('answers tokens/me and organizations/me', async () => {
    const me = await new pc.TokensApi(client).getTokensMe();
    assert.equal(me.organization?.name, 'Acme Sandbox');
    assert.equal(me.OAuthClient?.id, 'sandbox-client');
    assert.equal(me.OAuthClient?.organization?.id, me.organization?.id);
    const org = await new pc.OrganizationApi(client).getOrganizationsMe();
    assert.equal(org.id, me.organization?.id);
    assert.equal(org.name, 'Acme Sandbox');
  });

  it('rejects users/me for a client-credentials token: a user context is required', async () => {
    const r = await rejection(new pc.UsersApi(client).getUsersMe());
    assert.equal(r.status, 400);
    assert.equal(r.code, 'bad.request');
    assert.match(String(r.message), /requires a user context/);
  });
});

describe('sandbox: permissions', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await start();
  });
  after(() => sb.close());

  const query = { interval: interval(ANCHOR_MS - DAY, ANCHOR_MS), paging: { pageSize: 1, pageNumber: 1 } };

  it('answers 403 missing.any.permissions naming both analytics permissions when the client has neither', async () => {
    sb.configure({ permissions: [] });
    const { analytics } = await sdk(sb);
    const r = await rejection(analytics.postAnalyticsConversationsDetailsQuery(query));
    assert.equal(r.status, 403);
    assert.equal(r.code, 'missing.any.permissions');
    assert.match(String(r.message), /analytics:conversationDetail:view, analytics:agentConversationDetail:view/);
    const j = await rejection(analytics.postAnalyticsConversationsDetailsJobs({ interval: query.interval }));
    assert.equal(j.status, 403);
  });

  it('accepts either permission for queries, but availability needs analytics:conversationDetail:view', async () => {
    sb.configure({ permissions: ['analytics:agentConversationDetail:view'] });
    const { analytics } = await sdk(sb);
    const page = await analytics.postAnalyticsConversationsDetailsQuery(query);
    assert.equal(page.conversations?.length, 1);
    const r = await rejection(analytics.getAnalyticsConversationsDetailsJobsAvailability());
    assert.equal(r.status, 403);
    assert.match(String(r.message), /\[analytics:conversationDetail:view\]/);
    sb.configure({ permissions: ['analytics:conversationDetail:view'] });
    const a = await analytics.getAnalyticsConversationsDetailsJobsAvailability();
    assert.ok(a.dataAvailabilityDate);
  });
});
