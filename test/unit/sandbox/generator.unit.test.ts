import * as assert from 'node:assert/strict';
import type { Sandbox } from '../../../src/sandbox';
import { startSandbox } from '../../../src/sandbox';
import { ConversationGenerator } from '../../../src/sandbox/generator/conversation';
import { MAX_CONVERSATION_MS } from '../../../src/sandbox/generator/model';
import { Timeline } from '../../../src/sandbox/generator/timeline';
import { buildOrg } from '../../../src/sandbox/org';
import { ANCHOR, ANCHOR_MS, DAY, allJobPages, interval, sdk, start, waitForState } from './helpers';

describe('sandbox: data generator', () => {
  const org = buildOrg(42, 'Sandbox Org');
  const timeline = new Timeline(20_000, ANCHOR_MS, 28, 42);
  const gen = new ConversationGenerator(42, org, timeline);

  it('has ~12 queues, 60 users, 15 wrap-up codes', () => {
    assert.equal(org.queues.length, 12);
    assert.equal(org.users.length, 60);
    assert.equal(org.wrapUpCodes.length, 15);
    assert.equal(new Set(org.users.map((u) => u.id)).size, 60);
  });

  it('spreads starts monotonically over [anchor - days, anchor) with a daily rhythm', () => {
    let prev = -Infinity;
    const byHour = new Array<number>(24).fill(0);
    for (let i = 0; i < timeline.count; i++) {
      const s = timeline.startOf(i);
      assert.ok(s >= prev, `start(${i}) not monotone`);
      assert.ok(s >= ANCHOR_MS - 28 * DAY && s < ANCHOR_MS);
      byHour[new Date(s).getUTCHours()]++;
      prev = s;
    }
    assert.ok(byHour[12] > 5 * byHour[3], `busy noon vs quiet night: ${byHour[12]} vs ${byHour[3]}`);
    assert.equal(timeline.firstAtOrAfter(ANCHOR_MS - 28 * DAY), 0);
    assert.equal(timeline.firstAtOrAfter(ANCHOR_MS), timeline.count);
    const mid = timeline.startOf(9999);
    assert.ok(timeline.startOf(timeline.firstAtOrAfter(mid)) >= mid);
    assert.ok(timeline.firstAtOrAfter(mid) <= 9999);
  });

  it('generates consistent records: bounded duration, segments inside the conversation, metrics matching segments', () => {
    const media = new Map<string, number>();
    for (let i = 0; i < timeline.count; i += 7) {
      const c = gen.generate(i);
      assert.equal(c.conversationId, gen.idOf(i));
      assert.equal(gen.indexOfId(c.conversationId), i);
      assert.ok(c.end - c.start < MAX_CONVERSATION_MS && c.end > c.start);
      for (const p of c.participants) {
        for (const s of p.sessions) {
          media.set(s.mediaType, (media.get(s.mediaType) ?? 0) + 1);
          for (const g of s.segments) {
            assert.ok(g.start >= c.start && g.end <= c.end && g.end >= g.start);
          }
          const metric = (n: string) => s.metrics.find((m) => m.name === n)?.value;
          const dur = (t: string) => s.segments.filter((g) => g.type === t).reduce((n, g) => n + g.end - g.start, 0);
          if (p.purpose === 'agent' && metric('tTalk') !== undefined) {
            assert.equal(metric('tTalk'), dur('interact'));
            assert.equal(metric('tAcw'), dur('wrapup'));
            assert.equal(metric('tHeld') ?? 0, dur('hold'));
            assert.equal(metric('tHandle'), (metric('tTalk') ?? 0) + (metric('tHeld') ?? 0) + (metric('tAcw') ?? 0));
            assert.ok(s.segments.some((g) => g.type === 'wrapup' && g.wrapUpCode));
          }
          if (p.purpose === 'acd') {
            assert.equal(p.participantName, org.queues.find((q) => q.id === s.segments[0].queueId)?.name);
            assert.equal(metric('tAcd'), dur('delay'));
          }
        }
      }
    }
    for (const m of ['voice', 'email', 'message', 'callback', 'chat']) {
      assert.ok((media.get(m) ?? 0) > 0, m);
    }
  });

  it('keeps every timed metric equal to its segments, and segment sequences as in genesys-api.md §6', () => {
    const purposes = new Set(['acd', 'agent', 'api', 'botflow', 'campaign', 'customer', 'dialer', 'external', 'fax', 'group', 'inbound', 'ivr', 'manual', 'outbound', 'station', 'user', 'voicemail', 'voicesurveyflow', 'workflow']);
    for (let i = 0; i < timeline.count; i += 11) {
      const c = gen.generate(i);
      let last = c.start;
      for (const p of c.participants) {
        assert.ok(purposes.has(p.purpose), p.purpose);
        for (const s of p.sessions) {
          const metric = (n: string) => s.metrics.find((m) => m.name === n)?.value;
          const dur = (t: string) => s.segments.filter((g) => g.type === t).reduce((n, g) => n + g.end - g.start, 0);
          const types = s.segments.map((g) => g.type);
          for (let k = 1; k < s.segments.length; k++) {
            assert.equal(s.segments[k].start, s.segments[k - 1].end, `segments of a session are contiguous: ${types.join(' -> ')}`);
          }
          last = Math.max(last, ...s.segments.map((g) => g.end));
          for (const [name, type] of [['tAlert', 'alert'], ['tDialing', 'dialing'], ['tIvr', 'ivr'], ['tFlow', 'ivr'], ['tAcd', 'delay'], ['tAbandon', 'delay'], ['tHeld', 'hold'], ['tAcw', 'wrapup']] as const) {
            if (metric(name) !== undefined) {
              assert.equal(metric(name), dur(type), `${name} of ${p.purpose}`);
            }
          }
          if (p.purpose === 'agent') {
            assert.ok(types[0] === 'alert' || types[0] === 'dialing', types.join(' -> '));
            assert.equal(types[types.length - 1], 'wrapup');
            if (s.direction === 'outbound') {
              assert.equal(metric('tContacting'), dur('contacting'));
            }
          }
          if (p.purpose === 'acd') {
            assert.deepEqual(types, ['delay']);
            assert.equal(metric('nOffered'), 1);
          }
          if (metric('tShortAbandon') !== undefined) {
            assert.ok((metric('tShortAbandon') ?? 0) < 10_000 && metric('tShortAbandon') === metric('tAbandon'));
          }
        }
      }
      assert.equal(c.end, last, 'conversationEnd is the last segment end');
    }
  });

  it('generates a conversation in well under 100 µs on average', () => {
    const n = 5000;
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      gen.generate((i * 7919) % timeline.count);
    }
    const us = Number(process.hrtime.bigint() - t) / 1000 / n;
    assert.ok(us < 100, `${us.toFixed(1)} µs per conversation`);
  });

  it('rejects ids it did not issue', () => {
    assert.equal(gen.indexOfId('not-a-uuid'), undefined);
    const id = gen.idOf(5);
    assert.equal(gen.indexOfId(id.slice(0, 35) + (id[35] === '0' ? '1' : '0')), undefined);
  });
});

describe('sandbox: determinism and scale', () => {
  it('same seed + anchor => identical results over the API; different seed => different', async () => {
    const a = await start({ seed: 7 });
    const b = await start({ seed: 7 });
    const c = await start({ seed: 8 });
    try {
      const body = { interval: interval(ANCHOR_MS - 2 * DAY, ANCHOR_MS - DAY), paging: { pageSize: 50, pageNumber: 2 } };
      const [ra, rb, rc] = await Promise.all([a, b, c].map(async (sb) => (await sdk(sb)).analytics.postAnalyticsConversationsDetailsQuery(body)));
      assert.deepEqual(ra, rb);
      assert.notDeepEqual(ra.conversations?.map((x) => x.conversationId), rc.conversations?.map((x) => x.conversationId));
      const jobs = await Promise.all([a, b].map(async (sb) => {
        const api = (await sdk(sb)).analytics;
        const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: body.interval });
        await waitForState(api, jobId ?? '', ['FULFILLED']);
        return (await allJobPages(api, jobId ?? '', 500)).conversations;
      }));
      assert.deepEqual(jobs[0], jobs[1]);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('defaults the anchor to the start of the current UTC hour', async () => {
    const sb = await startSandbox({ conversations: 10 });
    try {
      const anchor = Date.parse(sb.options.anchor ?? '');
      assert.equal(anchor % 3_600_000, 0);
      assert.ok(Date.now() - anchor < 3_600_000 + 60_000);
    } finally {
      await sb.close();
    }
  });

  it('starts a 1,000,000-conversation org without materialising it and answers an unfiltered query quickly', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    let sb: Sandbox | undefined;
    try {
      sb = await startSandbox({ conversations: 1_000_000, anchor: ANCHOR, rateLimitPerMinute: 0 });
      gc?.();
      const grown = process.memoryUsage().heapUsed - before;
      assert.ok(grown < 30 * 1024 * 1024, `heap grew ${(grown / 1e6).toFixed(1)} MB`);
      const api = (await sdk(sb)).analytics;
      const t = Date.now();
      const r = await api.postAnalyticsConversationsDetailsQuery({ interval: interval(ANCHOR_MS - 7 * DAY, ANCHOR_MS), paging: { pageSize: 100, pageNumber: 3 } });
      const ms = Date.now() - t;
      assert.ok((r.totalHits ?? 0) > 200_000, String(r.totalHits));
      assert.equal(r.conversations?.length, 100);
      assert.ok(ms < 3000, `took ${ms} ms`);
    } finally {
      await sb?.close();
    }
  });
});
