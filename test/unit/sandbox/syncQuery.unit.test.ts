import * as assert from 'node:assert/strict';
import type * as pc from 'purecloud-platform-client-v2';
import type { Sandbox } from '../../../src/sandbox';
import { parseInstant } from '../../../src/api/isoInstant';
import { ANCHOR_MS, DAY, HOUR, allSyncPages, authJson, interval, raw, rawToken, rejection, sdk, start } from './helpers';

const QUERY = '/api/v2/analytics/conversations/details/query';

describe('sandbox: synchronous detail query', () => {
  let sb: Sandbox;
  let api: pc.AnalyticsApi;
  const day = interval(ANCHOR_MS - 2 * DAY, ANCHOR_MS - DAY);
  before(async () => {
    sb = await start();
    api = (await sdk(sb)).analytics;
  });
  after(() => sb.close());

  it('defaults to 25 rows, asc by conversationStart, with totalHits', async () => {
    const r = await api.postAnalyticsConversationsDetailsQuery({ interval: day });
    assert.equal(r.conversations?.length, 25);
    assert.ok((r.totalHits ?? 0) > 100);
    const starts = (r.conversations ?? []).map((c) => Date.parse(c.conversationStart ?? ''));
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
  });

  it('pages with pageSize 1 and 100 consistently with groundTruth', async () => {
    const truth = sb.groundTruth({ interval: day }, 'query');
    const one = await api.postAnalyticsConversationsDetailsQuery({ interval: day, paging: { pageSize: 1, pageNumber: 3 } });
    assert.deepEqual(one.conversations?.map((c) => c.conversationId), [truth[2]]);
    const all = await allSyncPages(api, { interval: day }, 100);
    assert.deepEqual(all.map((c) => c.conversationId), truth);
    assert.equal(new Set(truth).size, truth.length);
  });

  it('answers a page past the end with {totalHits} and no conversations', async () => {
    const first = await api.postAnalyticsConversationsDetailsQuery({ interval: day, paging: { pageSize: 100, pageNumber: 1 } });
    const past = await api.postAnalyticsConversationsDetailsQuery({ interval: day, paging: { pageSize: 100, pageNumber: 50 } });
    assert.deepEqual(past, { totalHits: first.totalHits });
    const none = await api.postAnalyticsConversationsDetailsQuery({ interval: interval(ANCHOR_MS + DAY, ANCHOR_MS + 2 * DAY) });
    assert.deepEqual(none, { totalHits: 0 });
  });

  for (const [paging, field] of [
    [{ pageSize: 0, pageNumber: 1 }, 'paging.pageSize'],
    [{ pageSize: 101, pageNumber: 1 }, 'paging.pageSize'],
    [{ pageSize: 2.5, pageNumber: 1 }, 'paging.pageSize'],
    [{ pageSize: '10', pageNumber: 1 }, 'paging.pageSize'],
    [{ pageSize: 10, pageNumber: 0 }, 'paging.pageNumber'],
    [{ pageSize: 10, pageNumber: 1.5 }, 'paging.pageNumber'],
  ] as const) {
    it(`rejects paging ${JSON.stringify(paging)} with 400 naming ${field}`, async () => {
      const r = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: day, paging: paging as unknown as pc.Models.PagingSpec }));
      assert.equal(r.status, 400);
      assert.equal(r.code, 'bad.request');
      assert.ok(String(r.message).includes(field), String(r.message));
    });
  }

  it('enforces the deep-paging cap with "Pagination may not exceed 100000 results"', async () => {
    const r = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: day, paging: { pageSize: 100, pageNumber: 1001 } }));
    assert.equal(r.status, 400);
    assert.equal(r.code, 'bad.request');
    assert.equal(r.message, 'Pagination may not exceed 100000 results');
    await api.postAnalyticsConversationsDetailsQuery({ interval: day, paging: { pageSize: 100, pageNumber: 1000 } });
  });

  it('validates the interval with invalid.date', async () => {
    for (const bad of ['2026-03-01', 'yesterday/today', '2026-03-02T00:00:00Z/2026-03-01T00:00:00Z', '2026-02-30T00:00:00Z/2026-03-01T00:00:00Z']) {
      const r = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: bad }));
      assert.equal(r.status, 400, bad);
      assert.equal(r.code, 'invalid.date', bad);
    }
    const missing = await rejection(api.postAnalyticsConversationsDetailsQuery({} as pc.Models.ConversationQuery));
    assert.equal(missing.status, 400);
  });

  it('caps the sync interval at maxSyncIntervalDays (configurable, 0 = off)', async () => {
    const long = interval(ANCHOR_MS - 40 * DAY, ANCHOR_MS);
    const r = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: long }));
    assert.equal(r.status, 400);
    sb.configure({ maxSyncIntervalDays: 0 });
    try {
      const ok = await api.postAnalyticsConversationsDetailsQuery({ interval: long });
      assert.equal(ok.totalHits, 2000);
    } finally {
      sb.configure({ maxSyncIntervalDays: 31 });
    }
  });

  it('rejects unknown enum values with invalid.value and the allowed values', async () => {
    const r = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: day, order: 'sideways' }));
    assert.equal(r.status, 400);
    assert.equal(r.code, 'invalid.value');
    assert.match(String(r.message), /^Value \[sideways\] is not valid for field type \[Order\]\. Allowable values are: asc, desc, unordered$/);
    const ob = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: day, orderBy: 'queue' }));
    assert.equal(ob.code, 'invalid.value');
    const dim = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: day, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'colour', value: 'x' }] }] }));
    assert.equal(dim.code, 'invalid.value');
    const op = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: day, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', operator: 'like', value: 'x' }] }] }));
    assert.equal(op.code, 'invalid.value');
    const ft = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: day, segmentFilters: [{ type: 'xor', predicates: [{ dimension: 'mediaType', value: 'voice' }] }] }));
    assert.equal(ft.code, 'invalid.value');
  });

  it('orders desc and by conversationEnd', async () => {
    const asc = sb.groundTruth({ interval: day }, 'query');
    const desc = await allSyncPages(api, { interval: day, order: 'desc' });
    assert.deepEqual(desc.map((c) => c.conversationId), [...asc].reverse());
    const byEnd = await allSyncPages(api, { interval: day, orderBy: 'conversationEnd' });
    const ends = byEnd.map((c) => Date.parse(c.conversationEnd ?? ''));
    assert.deepEqual(ends, [...ends].sort((a, b) => a - b));
    assert.deepEqual(new Set(byEnd.map((c) => c.conversationId)), new Set(asc));
    const byEndDesc = await allSyncPages(api, { interval: day, orderBy: 'segmentEnd', order: 'desc' });
    const endsDesc = byEndDesc.map((c) => Date.parse(c.conversationEnd ?? ''));
    assert.deepEqual(endsDesc, [...endsDesc].sort((a, b) => b - a));
  });

  it('returns participants without attributes, with the documented record shape', async () => {
    const all = await allSyncPages(api, { interval: day });
    for (const c of all) {
      assert.match(c.conversationId ?? '', /^[0-9a-f-]{36}$/);
      assert.match(c.conversationStart ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok((c.divisionIds ?? []).length >= 1);
      for (const p of c.participants ?? []) {
        assert.equal('attributes' in p, false);
        for (const s of p.sessions ?? []) {
          assert.ok(s.mediaType && s.sessionId);
          assert.ok((s.segments ?? []).length > 0);
        }
      }
      assert.equal(JSON.stringify(c).includes('null'), false);
    }
  });

  it('includes a conversation that started before the interval on the same UTC day, but not one from the day before', async () => {
    // Nights are quiet: use a denser org so a few calls span midnight.
    const big = await start({ conversations: 100_000 });
    try {
      const bigApi = (await sdk(big)).analytics;
      const midnight = Math.floor(ANCHOR_MS / DAY) * DAY - DAY; // 2026-03-03T00:00Z
      const from = midnight + 10 * 60_000;
      const win = interval(from, midnight + HOUR);
      const truth = await allSyncPages(bigApi, { interval: win });
      const ids = new Set(truth.map((c) => c.conversationId));
      // A job over the same interval sees every overlapping conversation, including last night's.
      const lastNight = big.groundTruth({ interval: win }, 'job').filter((id) => !ids.has(id));
      assert.ok(lastNight.length > 0, 'some conversation running at 00:10 started before midnight');
      const previousDay = await allSyncPages(bigApi, { interval: interval(midnight - HOUR, midnight) });
      const byId = new Map(previousDay.map((c) => [c.conversationId, c]));
      for (const id of lastNight) {
        const c = byId.get(id);
        assert.ok(c, 'started the previous day');
        assert.ok(Date.parse(c.conversationEnd ?? '') > from);
      }
      // Started on the interval's day but before the interval: included while it still runs at its start.
      const early = truth.filter((c) => Date.parse(c.conversationStart ?? '') < from);
      assert.ok(early.length > 0);
      for (const c of truth) {
        const s = Date.parse(c.conversationStart ?? '');
        assert.ok(s >= midnight && s < midnight + HOUR);
        assert.ok(Date.parse(c.conversationEnd ?? '') > from);
      }
      assert.deepEqual(truth.map((c) => c.conversationId), big.groundTruth({ interval: win }, 'query'));
    } finally {
      await big.close();
    }
  });

  it('rejects paging inside a body of the wrong type and unknown fields', async () => {
    const token = await rawToken(sb);
    const res = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: JSON.stringify({ interval: day, limit: 5 }) });
    assert.equal(res.status, 400);
    assert.match((res.json() as { message: string }).message, /limit/);
    for (const paging of ['25', [25, 1], null]) {
      const p = await raw(sb, 'POST', QUERY, { headers: authJson(token), body: JSON.stringify({ interval: day, paging }) });
      assert.equal(p.status, 400, JSON.stringify(paging));
      assert.equal((p.json() as { code: string }).code, 'bad.request');
      assert.match((p.json() as { message: string }).message, /paging/);
    }
  });

  it('reads four-digit years below 100 literally (Date.UTC would make 0050 into 1950)', () => {
    assert.equal(parseInstant('0050-01-01T00:00:00Z'), Date.parse('0050-01-01T00:00:00Z'));
    assert.equal(parseInstant('0004-02-29T12:00:00.000Z'), Date.parse('0004-02-29T12:00:00.000Z'));
    assert.equal(parseInstant('0050-02-30T00:00:00Z'), undefined);
    assert.equal(parseInstant('2026-03-01T01:00:00+01:00'), Date.parse('2026-03-01T00:00:00Z'));
  });

  it('rejects zone offsets that are not offsets (+25:00, +05:75) with invalid.date', async () => {
    assert.equal(parseInstant('2026-03-01T05:30:00+0530'), Date.parse('2026-03-01T00:00:00Z'));
    assert.equal(parseInstant('2026-03-01T00:00:00-18:00'), Date.parse('2026-03-01T18:00:00Z'));
    for (const bad of ['2026-03-01T00:00:00+25:00/2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z/2026-03-02T00:00:00+05:75']) {
      const r = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: bad }));
      assert.equal(r.status, 400, bad);
      assert.equal(r.code, 'invalid.date', bad);
    }
  });

  it('computes termFrequency aggregations over the whole match set', async () => {
    const r = await api.postAnalyticsConversationsDetailsQuery({ interval: day, paging: { pageSize: 1, pageNumber: 1 }, aggregations: [{ type: 'termFrequency', dimension: 'mediaType', size: 20 }] });
    const agg = r.aggregations?.[0];
    assert.equal(agg?.dimension, 'mediaType');
    const voice = agg?.results?.find((x) => x.value === 'voice');
    assert.ok(voice && (voice.count ?? 0) > 0);
    const sum = (agg?.results ?? []).reduce((n, x) => n + (x.count ?? 0), 0);
    assert.equal(sum, r.totalHits);
  });

  it('serves get-by-id and get-by-ids', async () => {
    const [id1, id2] = sb.groundTruth({ interval: day }, 'query');
    const one = await api.getAnalyticsConversationDetails(id1);
    assert.equal(one.conversationId, id1);
    const many = await api.getAnalyticsConversationsDetails({ id: [id1, id2] });
    assert.deepEqual(many.conversations?.map((c) => c.conversationId), [id1, id2]);
    const missing = await rejection(api.getAnalyticsConversationDetails('00000000-0000-4000-8000-000000000000'));
    assert.equal(missing.status, 404);
  });
});

describe('sandbox: large synchronous queries', () => {
  it('scans a large filtered interval without stalling other requests (they are answered first)', async function () {
    this.timeout(60_000);
    const sb = await start({ conversations: 60_000, days: 28, maxSyncIntervalDays: 0 });
    try {
      const { client, analytics } = await sdk(sb);
      // The scan takes seconds on a busy two-core machine; the SDK's own 16 s default would cut it short.
      client.getHttpClient().setTimeout(55_000);
      const body = {
        interval: interval(ANCHOR_MS - 28 * DAY, ANCHOR_MS),
        paging: { pageSize: 10, pageNumber: 1 },
        segmentFilters: [{ type: 'and' as const, predicates: [{ dimension: 'mediaType', value: 'email' }] }],
        aggregations: [{ type: 'termFrequency' as const, dimension: 'queueId', size: 5 }],
      };
      const order: string[] = [];
      const big = analytics.postAnalyticsConversationsDetailsQuery(body).then((page) => {
        order.push('query');
        return page;
      });
      // Issued after the scan has started; a blocking scan would answer it only afterwards.
      await new Promise((r) => setImmediate(r));
      const { OrganizationApi } = await import('purecloud-platform-client-v2');
      const org = await new OrganizationApi(client).getOrganizationsMe();
      order.push('organizations/me');
      const page = await big;
      assert.ok(org.id);
      assert.deepEqual(order, ['organizations/me', 'query']);
      const truth = sb.groundTruth(body, 'query');
      assert.equal(page.totalHits, truth.length);
      assert.deepEqual(page.conversations?.map((c) => c.conversationId), truth.slice(0, 10));
    } finally {
      await sb.close();
    }
  });
});
