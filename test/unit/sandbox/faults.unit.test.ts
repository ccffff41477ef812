import * as assert from 'node:assert/strict';
import type * as pc from 'purecloud-platform-client-v2';
import type { Sandbox } from '../../../src/sandbox';
import { ANCHOR_MS, DAY, authJson, interval, raw, rawToken, rejection, sdk, start, waitForState } from './helpers';

const AVAIL = '/api/v2/analytics/conversations/details/jobs/availability';

describe('sandbox: rate limits and fault injection', () => {
  let sb: Sandbox;
  let api: pc.AnalyticsApi;
  const day = interval(ANCHOR_MS - 2 * DAY, ANCHOR_MS - DAY);
  before(async () => {
    sb = await start();
    api = (await sdk(sb)).analytics;
  });
  afterEach(() => {
    sb.configure({ rateLimitPerMinute: 0, latencyMs: 0, faults: { rate429Share: 0, error5xxShare: 0, resetShare: 0, slowShare: 0, slowMs: 0, malformedJsonShare: 0, expireJobsAfterPages: 0, repeatPageShare: 0, emptyPageShare: 0, dropJobResponseShare: 0, retryAfterSeconds: 1 } });
  });
  after(() => sb.close());

  it('answers 429 too.many.requests with Retry-After once the per-token budget is spent', async () => {
    sb.configure({ rateLimitPerMinute: 5 });
    const token = await rawToken(sb);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await raw(sb, 'GET', AVAIL, { headers: authJson(token) });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    assert.ok(last);
    assert.equal(last.headers['inin-ratelimit-allowed'], '5');
    assert.equal(last.headers['inin-ratelimit-count'], '7');
    const retry = Number(last.headers['retry-after']);
    assert.ok(retry >= 1 && retry <= 60);
    const e = last.json() as { code: string; status: number; message: string; contextId: string };
    assert.equal(e.code, 'too.many.requests');
    assert.equal(e.status, 429);
    assert.equal(e.message, `Rate limit exceeded the maximum. Retry the request in [${retry}] seconds`);
    assert.equal(e.contextId, last.headers['inin-correlation-id']);
    // The budget is per token: a fresh token is not limited.
    const other = await raw(sb, 'GET', AVAIL, { headers: authJson(await rawToken(sb)) });
    assert.equal(other.status, 200);
  });

  it('injects 429 with the configured Retry-After (fault knob)', async () => {
    sb.configure({ faults: { rate429Share: 1, retryAfterSeconds: 7 } });
    const token = await rawToken(sb);
    const res = await raw(sb, 'GET', AVAIL, { headers: authJson(token) });
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '7');
    const r = await rejection(api.getAnalyticsConversationsDetailsJobsAvailability());
    assert.equal(r.status, 429);
    assert.equal(r.code, 'too.many.requests');
  });

  it('rounds a fractional retryAfterSeconds up to whole seconds in Retry-After and the message', async () => {
    sb.configure({ faults: { rate429Share: 1, retryAfterSeconds: 0.4 } });
    const res = await raw(sb, 'GET', AVAIL, { headers: authJson(await rawToken(sb)) });
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '1');
    assert.equal((res.json() as { message: string }).message, 'Rate limit exceeded the maximum. Retry the request in [1] seconds');
  });

  it('never injects faults into /oauth/token', async () => {
    sb.configure({ faults: { rate429Share: 1, error5xxShare: 1, resetShare: 1 } });
    await sdk(sb);
  });

  it('injects 500 and 503 alternately', async () => {
    sb.configure({ faults: { error5xxShare: 1 } });
    const a = await rejection(api.getAnalyticsConversationsDetailsJobsAvailability());
    const b = await rejection(api.getAnalyticsConversationsDetailsJobsAvailability());
    assert.deepEqual(new Set([a.status, b.status]), new Set([500, 503]));
    assert.deepEqual(new Set([a.code, b.code]), new Set(['internal.server.error', 'service.unavailable']));
  });

  it('resets the connection: the SDK rejects with an ECONNRESET AxiosError', async () => {
    sb.configure({ faults: { resetShare: 1 } });
    const r = await rejection(api.getAnalyticsConversationsDetailsJobsAvailability());
    assert.equal(r.code, 'ECONNRESET');
    assert.equal(r.status, undefined);
    sb.configure({ faults: { resetShare: 0 } });
    await api.getAnalyticsConversationsDetailsJobsAvailability();
  });

  it('delays slow responses by slowMs and adds latencyMs to every response', async () => {
    sb.configure({ faults: { slowShare: 1, slowMs: 250 } });
    let t = Date.now();
    await api.getAnalyticsConversationsDetailsJobsAvailability();
    assert.ok(Date.now() - t >= 240, `took ${Date.now() - t} ms`);
    sb.configure({ faults: { slowShare: 0 }, latencyMs: 150 });
    t = Date.now();
    await api.getAnalyticsConversationsDetailsJobsAvailability();
    assert.ok(Date.now() - t >= 140);
  });

  it('serves truncated JSON: axios parses silently, so the SDK resolves with a string, not an object', async () => {
    sb.configure({ faults: { malformedJsonShare: 1 } });
    const token = await rawToken(sb);
    const res = await raw(sb, 'POST', '/api/v2/analytics/conversations/details/query', { headers: authJson(token), body: JSON.stringify({ interval: day }) });
    assert.equal(res.status, 200);
    assert.throws(() => res.json());
    // axios' transitional.silentJSONParsing hands back the raw text instead of rejecting: a client
    // facade must check that the body is an object (this is what the knob exists to exercise).
    const viaSdk: unknown = await api.postAnalyticsConversationsDetailsQuery({ interval: day });
    assert.equal(typeof viaSdk, 'string');
    assert.throws(() => JSON.parse(viaSdk as string));
  });

  it('expires a job mid-paging after expireJobsAfterPages pages', async () => {
    sb.configure({ faults: { expireJobsAfterPages: 2 } });
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const p1 = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 10 });
    const p2 = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 10, cursor: p1.cursor });
    assert.ok(p2.cursor);
    const r = await rejection(api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 10, cursor: p2.cursor }));
    assert.equal(r.status, 404);
    assert.equal((await api.getAnalyticsConversationsDetailsJob(jobId ?? '')).state, 'EXPIRED');
  });

  it('repeats the previous page byte for byte (cursor loop) and serves empty pages that keep the cursor', async () => {
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const token = await rawToken(sb);
    const path = (cursor?: string) => `/api/v2/analytics/conversations/details/jobs/${jobId}/results?pageSize=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const first = await raw(sb, 'GET', path(), { headers: authJson(token) });
    const cursor = (first.json() as { cursor: string }).cursor;
    sb.configure({ faults: { repeatPageShare: 1 } });
    const repeated = await raw(sb, 'GET', path(cursor), { headers: authJson(token) });
    assert.equal(repeated.text, first.text);
    sb.configure({ faults: { repeatPageShare: 0, emptyPageShare: 1 } });
    const empty = await raw(sb, 'GET', path(cursor), { headers: authJson(token) });
    const e = empty.json() as { conversations: unknown[]; cursor: string; dataAvailabilityDate: string };
    assert.deepEqual(e.conversations, []);
    assert.equal(e.cursor, cursor);
    assert.ok(e.dataAvailabilityDate);
    sb.configure({ faults: { emptyPageShare: 0 } });
    const real = await raw(sb, 'GET', path(cursor), { headers: authJson(token) });
    assert.equal((real.json() as { conversations: unknown[] }).conversations.length, 5);
  });

  it('counts requests by route and status', async () => {
    sb.resetStats();
    await api.getAnalyticsConversationsDetailsJobsAvailability();
    await rejection(api.getAnalyticsConversationsDetailsJob('nope'));
    const s = sb.stats();
    assert.equal(s.requests, 2);
    assert.equal(s.byRoute['GET /api/v2/analytics/conversations/details/jobs/availability'], 1);
    assert.equal(s.byRoute['GET /api/v2/analytics/conversations/details/jobs/{jobId}'], 1);
    assert.deepEqual(s.byStatus, { '200': 1, '404': 1 });
    assert.equal(s.jobsCreated, 0);
  });

  it('creates the job and then drops the response (dropJobResponseShare), counting it in jobsCreated', async () => {
    sb.configure({ faults: { dropJobResponseShare: 1 } });
    sb.resetStats();
    const token = await rawToken(sb);
    await assert.rejects(raw(sb, 'POST', '/api/v2/analytics/conversations/details/jobs', { headers: authJson(token), body: JSON.stringify({ interval: day }) }), /socket hang up|ECONNRESET/);
    const s = sb.stats();
    assert.equal(s.jobsCreated, 1);
    assert.equal(s.byStatus.dropped, 1);
    sb.configure({ faults: { dropJobResponseShare: 0 } });
    const ok = await raw(sb, 'POST', '/api/v2/analytics/conversations/details/jobs', { headers: authJson(token), body: JSON.stringify({ interval: day }) });
    assert.equal(ok.status, 202);
    assert.equal(sb.stats().jobsCreated, 2);
  });
});
