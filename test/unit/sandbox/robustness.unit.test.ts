import * as assert from 'node:assert/strict';
import type { Sandbox } from '../../../src/sandbox';
import { Rng } from '../../../src/sandbox/generator/rng';
import { ANCHOR_MS, DAY, authJson, interval, raw, rawToken, start } from './helpers';

const QUERY = '/api/v2/analytics/conversations/details/query';
const JOBS = '/api/v2/analytics/conversations/details/jobs';

interface ErrorBody {
  message: string;
  code: string;
  status: number;
  contextId: string;
}

function assertErrorBody(text: string, status: number): ErrorBody {
  const e = JSON.parse(text) as ErrorBody;
  assert.equal(e.status, status);
  assert.equal(typeof e.code, 'string');
  assert.equal(typeof e.message, 'string');
  assert.ok(!/\bat .+\(.+:\d+:\d+\)/.test(text), 'no stack trace');
  return e;
}

describe('sandbox: robustness', () => {
  let sb: Sandbox;
  let token: string;
  before(async () => {
    sb = await start();
    token = await rawToken(sb);
  });
  after(() => sb.close());

  it('answers malformed JSON with 400 bad.request', async () => {
    const res = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: '{"interval": ' });
    assert.equal(res.status, 400);
    assert.equal(assertErrorBody(res.text, 400).code, 'bad.request');
  });

  it('answers a non-JSON content type with 415 unsupported.media.type', async () => {
    const res = await raw(sb, 'POST', QUERY, { headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(res.status, 415);
    assert.equal(assertErrorBody(res.text, 415).code, 'unsupported.media.type');
  });

  it('answers an oversized body with 413', async () => {
    const res = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: Buffer.alloc(1024 * 1024 + 10, 0x20) });
    assert.equal(res.status, 413);
    assertErrorBody(res.text, 413);
  });

  it('answers unknown routes with 404 and wrong methods with 405, as ErrorBody', async () => {
    const a = await raw(sb, 'GET', '/api/v2/analytics/nothing', { headers: authJson(token) });
    assert.equal(a.status, 404);
    assert.equal(assertErrorBody(a.text, 404).code, 'not.found');
    const b = await raw(sb, 'PUT', QUERY, { headers: authJson(token), body: '{}' });
    assert.equal(b.status, 405);
    assertErrorBody(b.text, 405);
    const c = await raw(sb, 'GET', '/oauth/token');
    assert.equal(c.status, 405);
  });

  it('survives a fuzz loop of garbage bodies, paths and headers', async function () {
    this.timeout(30_000);
    const rng = new Rng(1234);
    const fragments = ['{', '}', '[', ']', '"interval"', ':', ',', 'null', '1e999', '-1', '"2026-01-01T00:00:00Z/2026-01-02T00:00:00Z"', '"paging"', '{"pageSize":', '"segmentFilters"', '[{"type":"and","predicates":[{"dimension":"mediaType","value":"voice"}]}]', 'true', '"\u0000"', '\\', '"order"', '"desc"', '{"type":', '"clauses"', '"range"', '{"gt":"x"}'];
    const valid = { interval: interval(ANCHOR_MS - DAY, ANCHOR_MS) };
    const mutations: (() => string)[] = [
      () => Array.from({ length: rng.int(0, 20) }, () => rng.pick(fragments)).join(''),
      () => JSON.stringify({ ...valid, [rng.pick(['paging', 'order', 'orderBy', 'segmentFilters', 'conversationFilters', 'aggregations', 'interval'])]: rng.pick([null, 0, -5, 'x', [], {}, [null], [{}], { pageSize: 1e9, pageNumber: -1 }, [{ type: 'or', predicates: [{}] }], [{ type: 'and', clauses: [{ type: 'or', predicates: [{ metric: 'tHandle', range: { gte: 'x' } }] }] }]]) }),
      () => JSON.stringify(rng.pick([null, 1, 'str', [], [valid], { interval: 5 }])),
      () => Buffer.from(Array.from({ length: rng.int(0, 64) }, () => rng.int(0, 255))).toString('latin1'),
    ];
    const paths = [QUERY, JOBS, `${JOBS}/x/results?cursor=%FF%FE&pageSize=abc`, `${JOBS}/%E0%A4%A`, '/api/v2/routing/queues?pageSize=-1&pageNumber=x', '/api/v2/analytics/conversations/details?id=', '/api/v2/analytics/conversations/%00/details', '/__sandbox/config', '/oauth/token'];
    for (let i = 0; i < 300; i++) {
      const path = rng.pick(paths);
      const method = rng.pick(['GET', 'POST', 'DELETE', 'PATCH', 'POST', 'POST']);
      const body = method === 'GET' || method === 'DELETE' ? undefined : rng.pick(mutations)();
      const headers = rng.chance(0.8) ? authJson(token) : { authorization: rng.pick(['Bearer', 'Basic !!!', 'Bearer a b', '']), 'content-type': rng.pick(['application/json', 'text/html', '']) };
      const res = await raw(sb, method, path, { headers, body });
      assert.ok(res.status >= 200 && res.status < 600, `${method} ${path}`);
      assert.ok(res.status !== 500, `${method} ${path} ${String(body)} -> 500 ${res.text}`);
      if (res.status >= 400 && path !== '/oauth/token') {
        assertErrorBody(res.text, res.status);
      }
    }
    // Still healthy afterwards.
    const ok = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: JSON.stringify(valid) });
    assert.equal(ok.status, 200);
    sb.configure({ faults: {} });
  });

  it('exposes runtime control over HTTP: config, revoke-tokens, stats, ground-truth', async () => {
    const cfg = await raw(sb, 'GET', '/__sandbox/config');
    assert.equal((cfg.json() as { seed: number }).seed, 42);
    const patched = await raw(sb, 'PATCH', '/__sandbox/config', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 5, faults: { retryAfterSeconds: 3 } }) });
    assert.equal(patched.status, 200);
    assert.equal(sb.options.latencyMs, 5);
    assert.equal(sb.options.faults.retryAfterSeconds, 3);
    const bad = await raw(sb, 'PATCH', '/__sandbox/config', { body: JSON.stringify({ faults: { rate429Share: 2 } }) });
    assert.equal(bad.status, 400);
    const typo = await raw(sb, 'PATCH', '/__sandbox/config', { body: JSON.stringify({ latncy: 1 }) });
    assert.equal(typo.status, 400);
    sb.configure({ latencyMs: 0 });
    const stats = await raw(sb, 'GET', '/__sandbox/stats');
    assert.equal(typeof (stats.json() as { requests: number }).requests, 'number');
    const body = { interval: interval(ANCHOR_MS - DAY, ANCHOR_MS) };
    const gt = await raw(sb, 'POST', '/__sandbox/ground-truth?route=job', { body: JSON.stringify(body) });
    assert.deepEqual((gt.json() as { conversationIds: string[] }).conversationIds, sb.groundTruth(body, 'job'));
    const t = await rawToken(sb);
    const revoke = await raw(sb, 'POST', '/__sandbox/revoke-tokens');
    assert.equal(revoke.status, 204);
    const after = await raw(sb, 'GET', '/api/v2/organizations/me', { headers: authJson(t) });
    assert.equal(after.status, 401);
    token = await rawToken(sb);
  });

  it('validates options given to startSandbox/configure', () => {
    assert.throws(() => sb.configure({ faults: { resetShare: -1 } }), /resetShare/);
    assert.throws(() => sb.configure({ conversations: 1.5 }), /conversations/);
    assert.throws(() => sb.configure({ anchor: 'not a date' }), /anchor/);
  });

  it('rejects an unallocatable days value and leaves options and data as they were', async () => {
    assert.throws(() => sb.configure({ days: 1e9 }), /days/);
    assert.equal(sb.options.days, 7);
    const res = await raw(sb, 'PATCH', '/__sandbox/config', { body: JSON.stringify({ days: 1e9 }) });
    assert.equal(res.status, 400);
    assert.equal(sb.options.days, 7);
    const ok = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: JSON.stringify({ interval: interval(ANCHOR_MS - DAY, ANCHOR_MS) }) });
    assert.equal(ok.status, 200);
  });

  it('answers deeply nested JSON values with 400, not 500 (error messages must not overflow the stack)', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const iv = JSON.stringify(interval(ANCHOR_MS - DAY, ANCHOR_MS));
    for (const body of [
      `{"interval":${iv},"order":${deep}}`,
      `{"interval":${iv},"paging":{"pageSize":${deep},"pageNumber":1}}`,
      `{"interval":${iv},"segmentFilters":[{"type":${deep},"predicates":[]}]}`,
    ]) {
      const res = await raw(sb, 'POST', QUERY, { headers: authJson(token), body });
      assert.equal(res.status, 400, res.text.slice(0, 200));
      assert.ok(res.text.length < 2000, 'the echoed value is cut short');
    }
    // Unknown keys inside a valid predicate are ignored, however deep they nest.
    const junk = `{"interval":${iv},"segmentFilters":[{"type":"and","predicates":[{"dimension":"mediaType","value":"voice","x":${deep}}]}]}`;
    const res = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: junk });
    assert.equal(res.status, 200, res.text.slice(0, 200));
    const plain = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: JSON.stringify({ interval: interval(ANCHOR_MS - DAY, ANCHOR_MS), segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }] }] }) });
    assert.equal(res.text.replace(/"contextId":"[^"]*"/, ''), plain.text.replace(/"contextId":"[^"]*"/, ''));
  });

  it('matches a name filter made of many wildcards in linear time (no regex backtracking)', async function () {
    this.timeout(10_000);
    const t = Date.now();
    const none = await raw(sb, 'GET', `/api/v2/routing/queues?name=${'*'.repeat(60)}zz`, { headers: authJson(token) });
    assert.equal(none.status, 200);
    assert.deepEqual((none.json() as { entities: unknown[] }).entities, []);
    const some = await raw(sb, 'GET', `/api/v2/routing/queues?name=${'*'.repeat(60)}support${'*'.repeat(60)}`, { headers: authJson(token) });
    assert.deepEqual((some.json() as { entities: { name: string }[] }).entities.map((q) => q.name).sort(), ['Customer Support', 'Email Support', 'Spanish Support', 'Technical Support']);
    assert.ok(Date.now() - t < 1000, `took ${Date.now() - t} ms`);
  });
});
