import * as assert from 'node:assert/strict';
import type * as pc from 'purecloud-platform-client-v2';
import type { Sandbox } from '../../../src/sandbox';
import { ANCHOR_MS, DAY, allJobPages, allSyncPages, interval, rejection, sdk, start, waitForState } from './helpers';

type Conv = pc.Models.AnalyticsConversationWithoutAttributes;
type Seg = { p: pc.Models.AnalyticsParticipantWithoutAttributes; s: pc.Models.AnalyticsSession; g: pc.Models.AnalyticsConversationSegment };

/** Brute force over the wire data, written independently of src/sandbox/filters.ts. */
function segments(c: Conv): Seg[] {
  return (c.participants ?? []).flatMap((p) => (p.sessions ?? []).flatMap((s) => (s.segments ?? []).map((g) => ({ p, s, g }))));
}
function segValue(x: Seg, dim: string): string | undefined {
  const bag = { ...(x.p as Record<string, unknown>), ...(x.s as Record<string, unknown>), ...(x.g as Record<string, unknown>) };
  const v = bag[dim];
  return typeof v === 'string' ? v : undefined;
}
function metricSum(c: Conv, name: string): number | undefined {
  let sum: number | undefined;
  for (const p of c.participants ?? []) {
    for (const s of p.sessions ?? []) {
      for (const m of s.metrics ?? []) {
        if (m.name === name) {
          sum = (sum ?? 0) + (m.value ?? 0);
        }
      }
    }
  }
  return sum;
}

describe('sandbox: query filters (checked against brute force over the generated data)', () => {
  let sb: Sandbox;
  let api: pc.AnalyticsApi;
  let all: Conv[];
  const win = interval(ANCHOR_MS - 3 * DAY, ANCHOR_MS - DAY);
  const ids = (cs: Conv[]) => cs.map((c) => c.conversationId);

  async function check(body: Omit<pc.Models.ConversationQuery, 'interval'>, expect: (c: Conv) => boolean, label: string): Promise<void> {
    const got = await allSyncPages(api, { ...body, interval: win });
    const want = all.filter(expect);
    assert.deepEqual(ids(got), ids(want), label);
    assert.ok(want.length > 0, `${label}: matches nothing, a weak test`);
    assert.ok(want.length < all.length, `${label}: matches everything, a weak test`);
  }

  before(async () => {
    sb = await start();
    api = (await sdk(sb)).analytics;
    all = await allSyncPages(api, { interval: win });
    assert.ok(all.length > 300);
  });
  after(() => sb.close());

  const some = (dim: string, pick: (xs: string[]) => string = (xs) => xs[0]) => {
    const values = [...new Set(all.flatMap((c) => segments(c).map((x) => segValue(x, dim)).filter((v): v is string => v !== undefined)))].sort();
    return pick(values);
  };

  for (const dim of ['mediaType', 'direction', 'purpose', 'queueId', 'userId', 'wrapUpCode', 'segmentType', 'disconnectType', 'ani', 'dnis', 'messageType', 'participantName', 'subject']) {
    it(`segment dimension ${dim} (matches)`, async () => {
      const value = some(dim, (xs) => (dim === 'direction' ? 'outbound' : dim === 'mediaType' ? 'email' : xs[Math.floor(xs.length / 2)]));
      await check({ segmentFilters: [{ type: 'and', predicates: [{ dimension: dim, value }] }] }, (c) => segments(c).some((x) => segValue(x, dim) === value), `${dim}=${value}`);
    });
  }

  it('wrapUpCode includes the ININ-WRAP-UP-TIMEOUT system code', async () => {
    await check({ segmentFilters: [{ type: 'or', predicates: [{ dimension: 'wrapUpCode', value: 'ININ-WRAP-UP-TIMEOUT' }] }] }, (c) => segments(c).some((x) => x.g.wrapUpCode === 'ININ-WRAP-UP-TIMEOUT'), 'timeout');
  });

  for (const [dim, read] of [
    ['originatingDirection', (c: Conv) => [c.originatingDirection]],
    ['divisionId', (c: Conv) => c.divisionIds ?? []],
    ['conversationInitiator', (c: Conv) => [c.conversationInitiator]],
  ] as const) {
    it(`conversation dimension ${dim}`, async () => {
      const value = read(all[7])[0] ?? '';
      await check({ conversationFilters: [{ type: 'and', predicates: [{ dimension: dim, value }] }] }, (c) => (read(c) as (string | undefined)[]).includes(value), `${dim}=${value}`);
    });
  }

  it('conversation dimension conversationId', async () => {
    const target = all[3].conversationId ?? '';
    const got = await allSyncPages(api, { interval: win, conversationFilters: [{ type: 'or', predicates: [{ dimension: 'conversationId', value: target }, { dimension: 'conversationId', value: all[9].conversationId }] }] });
    assert.deepEqual(ids(got), [target, all[9].conversationId]);
  });

  it('exists / notExists on a segment dimension and on externalTag', async () => {
    await check({ segmentFilters: [{ type: 'and', predicates: [{ dimension: 'wrapUpCode', operator: 'exists' }] }] }, (c) => segments(c).some((x) => x.g.wrapUpCode !== undefined), 'wrapUpCode exists');
    // notExists on a segment predicate: some segment lacks the dimension (per-segment semantics).
    await check({ segmentFilters: [{ type: 'and', predicates: [{ dimension: 'userId', operator: 'exists' }, { dimension: 'wrapUpCode', operator: 'notExists' }, { dimension: 'segmentType', value: 'hold' }] }] }, (c) => segments(c).some((x) => x.p.userId !== undefined && x.g.wrapUpCode === undefined && x.g.segmentType === 'hold'), 'held agent segment');
    await check({ conversationFilters: [{ type: 'and', predicates: [{ dimension: 'externalTag', operator: 'exists' }] }] }, (c) => c.externalTag !== undefined, 'externalTag exists');
    await check({ conversationFilters: [{ type: 'and', predicates: [{ dimension: 'externalTag', operator: 'notExists' }] }] }, (c) => c.externalTag === undefined, 'externalTag notExists');
  });

  it("an 'and' segment filter must match within a single segment; 'or' matches any", async () => {
    const queue = some('queueId');
    const and = (c: Conv) => segments(c).some((x) => x.g.queueId === queue && x.g.segmentType === 'wrapup');
    await check({ segmentFilters: [{ type: 'and', predicates: [{ dimension: 'queueId', value: queue }, { dimension: 'segmentType', value: 'wrapup' }] }] }, and, 'and');
    const or = (c: Conv) => segments(c).some((x) => x.s.mediaType === 'email' || x.s.messageType === 'sms');
    await check({ segmentFilters: [{ type: 'or', predicates: [{ dimension: 'mediaType', value: 'email' }, { dimension: 'messageType', value: 'sms' }] }] }, or, 'or');
    // Across segments: purpose=acd in one segment and purpose=agent in another never match an 'and' filter.
    const got = await allSyncPages(api, { interval: win, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'purpose', value: 'acd' }, { dimension: 'purpose', value: 'agent' }] }] });
    assert.equal(got.length, 0);
  });

  it('ANDs the filters of an array and combines clauses', async () => {
    const want = (c: Conv) => c.originatingDirection === 'inbound' && segments(c).some((x) => x.s.mediaType === 'voice') && segments(c).some((x) => x.g.segmentType === 'hold' || x.g.disconnectType === 'transfer');
    await check(
      {
        conversationFilters: [{ type: 'and', predicates: [{ dimension: 'originatingDirection', value: 'inbound' }] }],
        segmentFilters: [
          { type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }] },
          { type: 'or', clauses: [{ type: 'or', predicates: [{ dimension: 'segmentType', value: 'hold' }] }, { type: 'and', predicates: [{ dimension: 'disconnectType', value: 'transfer' }] }] },
        ],
      },
      want,
      'combined',
    );
  });

  for (const metric of ['tHandle', 'tTalk', 'tAcd', 'tAbandon', 'nTransferred', 'tHeld']) {
    it(`conversation metric ${metric} range (summed over sessions)`, async () => {
      const values = all.map((c) => metricSum(c, metric)).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
      const gte = values[Math.floor(values.length / 3)];
      await check({ conversationFilters: [{ type: 'and', predicates: [{ metric, range: { gte } }] }] }, (c) => (metricSum(c, metric) ?? -Infinity) >= gte, `${metric} >= ${gte}`);
      if (metric === 'tHandle') {
        const lt = values[Math.floor((values.length * 2) / 3)];
        await check({ conversationFilters: [{ type: 'and', predicates: [{ type: 'metric', metric, range: { gt: gte, lt } }] }] }, (c) => {
          const v = metricSum(c, metric);
          return v !== undefined && v > gte && v < lt;
        }, `${gte} < ${metric} < ${lt}`);
      }
    });
  }

  it('metric exists and segment tSegmentDuration', async () => {
    await check({ conversationFilters: [{ type: 'and', predicates: [{ metric: 'tAbandon', operator: 'exists' }] }] }, (c) => metricSum(c, 'tAbandon') !== undefined, 'abandoned');
    await check({ segmentFilters: [{ type: 'and', predicates: [{ dimension: 'segmentType', value: 'hold' }, { metric: 'tSegmentDuration', range: { gte: 120000 } }] }] }, (c) => segments(c).some((x) => x.g.segmentType === 'hold' && Date.parse(x.g.segmentEnd ?? '') - Date.parse(x.g.segmentStart ?? '') >= 120000), 'long holds');
  });

  it('rejects malformed filters with 400', async () => {
    for (const segmentFilters of [
      [{ type: 'and' }],
      [{ type: 'and', predicates: [{ dimension: 'mediaType' }] }],
      [{ type: 'and', predicates: [{ metric: 'tNope', range: { gt: 1 } }] }],
      [{ type: 'and', predicates: [{ metric: 'tSegmentDuration', range: {} }] }],
      'not-an-array',
    ]) {
      const r = await rejection(api.postAnalyticsConversationsDetailsQuery({ interval: win, segmentFilters } as unknown as pc.Models.ConversationQuery));
      assert.equal(r.status, 400, JSON.stringify(segmentFilters));
    }
  });

  it('jobs apply the same filters', async () => {
    const body = { interval: win, segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'callback' }] }] };
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs(body);
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const { conversations } = await allJobPages(api, jobId ?? '', 1000);
    assert.deepEqual(ids(conversations), sb.groundTruth(body, 'job'));
    // Every row matches the filter, and the filter removed rows: a job ignoring it would fail here.
    assert.ok(conversations.length > 0);
    assert.ok(conversations.every((c) => segments(c).some((x) => x.s.mediaType === 'callback')));
    const unfiltered = sb.groundTruth({ interval: win }, 'job');
    assert.ok(conversations.length < unfiltered.length / 5, `${conversations.length} of ${unfiltered.length}`);
    // Jobs see activity overlap, so they find every sync hit (and the previous evening's callbacks).
    const want = all.filter((c) => segments(c).some((x) => x.s.mediaType === 'callback'));
    const got = new Set(ids(conversations));
    assert.ok(want.every((c) => got.has(c.conversationId)));
  });

  it('evaluation, survey and resolution filters match nothing, without scanning the interval', async () => {
    const big = await start({ conversations: 200_000 });
    try {
      const bigApi = (await sdk(big)).analytics;
      const t = Date.now();
      const r = await bigApi.postAnalyticsConversationsDetailsQuery({ interval: interval(ANCHOR_MS - 7 * DAY, ANCHOR_MS), evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationId', operator: 'exists' }] }] });
      assert.deepEqual(r, { totalHits: 0 });
      assert.ok(Date.now() - t < 1000, `took ${Date.now() - t} ms`);
    } finally {
      await big.close();
    }
  });
});
