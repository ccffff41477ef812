import * as assert from 'node:assert/strict';
import type { Sandbox } from '../../../src/sandbox';
import { startSandbox } from '../../../src/sandbox';
import { ConversationGenerator } from '../../../src/sandbox/generator/conversation';
import type { Conversation, Session } from '../../../src/sandbox/generator/model';
import { MAX_CONVERSATION_MS } from '../../../src/sandbox/generator/model';
import { toWire } from '../../../src/sandbox/generator/serialize';
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
            assert.equal(metric('tAcd'), dur('delay') + dur('interact'));
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
          for (const [name, type] of [['tAlert', 'alert'], ['tDialing', 'dialing'], ['tIvr', 'ivr'], ['tFlow', 'ivr'], ['tAbandon', 'delay'], ['tConnected', 'interact'], ['tNotResponding', 'alert'], ['tHeld', 'hold'], ['tAcw', 'wrapup']] as const) {
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
            assert.deepEqual(types, metric('tAbandon') === undefined ? ['delay', 'interact'] : ['delay']);
            assert.equal(metric('nOffered'), 1);
            assert.equal(metric('tAcd'), dur('delay') + dur('interact'));
          }
          if (metric('tShortAbandon') !== undefined) {
            assert.ok((metric('tShortAbandon') ?? 0) < 10_000 && metric('tShortAbandon') === metric('tAbandon'));
          }
        }
      }
      assert.equal(c.end, last, 'conversationEnd is the last segment end');
    }
  });

  describe('realism rules of genesys-api.md §6 (sample of ~6,700 conversations)', () => {
    type S = Session;
    const sample: Conversation[] = [];
    for (let i = 0; i < timeline.count; i += 3) {
      sample.push(gen.generate(i));
    }
    const metric = (s: S, n: string) => s.metrics.find((m) => m.name === n)?.value;
    const dur = (s: S, t: string) => s.segments.filter((g) => g.type === t).reduce((n, g) => n + g.end - g.start, 0);
    const types = (s: S) => s.segments.map((g) => g.type).join(' -> ');
    const sessionsOf = (c: Conversation, purpose: string) => c.participants.filter((p) => p.purpose === purpose).flatMap((p) => p.sessions.map((s) => ({ p, s })));
    const inboundVoice = sample.filter((c) => c.originatingDirection === 'inbound' && c.participants[0].sessions[0].mediaType === 'voice');

    it('has a customer session system -> interact on every inbound voice call, with nConnected and tConnected', () => {
      assert.ok(inboundVoice.length > 2500, String(inboundVoice.length));
      for (const c of inboundVoice) {
        const [{ p, s }] = sessionsOf(c, 'customer');
        assert.equal(c.participants[0], p, 'the customer is the first participant');
        assert.equal(types(s), 'system -> interact');
        assert.equal(s.segments[0].start, c.start);
        assert.ok(s.segments[0].end - s.segments[0].start <= 3000 && s.segments[0].end > s.segments[0].start);
        assert.equal(metric(s, 'nConnected'), 1);
        assert.equal(s.metrics.find((m) => m.name === 'nConnected')?.emit, s.segments[1].start);
        assert.equal(metric(s, 'tConnected'), dur(s, 'interact'));
        assert.equal(s.provider, 'Edge');
      }
      for (const c of sample.filter((x) => x.originatingDirection === 'inbound')) {
        const [{ s }] = sessionsOf(c, 'customer');
        assert.equal(metric(s, 'nConnected'), 1);
        assert.equal(metric(s, 'tConnected'), dur(s, 'interact'), types(s));
        assert.ok(s.segments[s.segments.length - 1].disconnectType !== undefined);
      }
    });

    it('has a voice IVR participant system -> ivr with nFlow, tIvr, tFlow and tFlowExit when it transferred', () => {
      let transferred = 0;
      let selfServed = 0;
      for (const c of inboundVoice) {
        const customer = sessionsOf(c, 'customer')[0].s;
        const ivrs = sessionsOf(c, 'ivr');
        assert.equal(ivrs.length, 1);
        assert.equal(sessionsOf(c, 'workflow').length, 0, 'voice flows are purpose ivr');
        const { s } = ivrs[0];
        assert.equal(types(s), 'system -> ivr');
        assert.equal(s.segments[0].start, c.start);
        assert.equal(s.segments[1].start, customer.segments[1].start, 'the IVR answers when the customer connects');
        assert.equal(s.peerId, customer.sessionId);
        assert.equal(s.flow?.flowType, 'INBOUNDCALL');
        assert.equal(s.flow?.entryType, 'dnis');
        assert.equal(metric(s, 'nFlow'), 1);
        assert.equal(metric(s, 'tIvr'), dur(s, 'ivr'));
        assert.equal(metric(s, 'tFlow'), dur(s, 'ivr'));
        if (s.flow?.exitReason === 'TRANSFER') {
          transferred++;
          assert.equal(s.segments[1].disconnectType, 'transfer');
          assert.equal(s.flow.transferType, 'ACD');
          assert.equal(metric(s, 'tFlowExit'), metric(s, 'tFlow'));
          assert.equal(s.metrics.find((m) => m.name === 'tFlowExit')?.emit, s.segments[1].end);
          assert.ok(sessionsOf(c, 'acd').length > 0);
        } else {
          selfServed++;
          assert.equal(s.flow?.exitReason, 'DISCONNECT');
          assert.equal(metric(s, 'tFlowExit'), undefined);
          assert.equal(metric(s, 'tFlowDisconnect'), metric(s, 'tFlow'));
          assert.equal(sessionsOf(c, 'acd').length, 0);
        }
      }
      assert.ok(transferred > 10 * selfServed && selfServed > 0, `${transferred} transferred, ${selfServed} self-served`);
      for (const c of sample) {
        for (const { s } of sessionsOf(c, 'workflow')) {
          assert.notEqual(s.mediaType, 'voice');
          assert.ok(metric(s, s.flow?.exitReason === 'TRANSFER' ? 'tFlowExit' : 'tFlowDisconnect') !== undefined);
        }
      }
    });

    it('has acd sessions delay -> interact(transfer) when answered, a single delay (peer/client) with tAbandon when abandoned', () => {
      let answered = 0;
      let abandoned = 0;
      for (const c of sample) {
        const customer = sessionsOf(c, 'customer')[0]?.s;
        for (const { s } of sessionsOf(c, 'acd')) {
          assert.equal(s.peerId, customer?.sessionId);
          assert.deepEqual(s.requestedRoutings, ['Standard']);
          assert.equal(metric(s, 'nOffered'), 1);
          const agents = sessionsOf(c, 'agent').filter((a) => a.s.peerId === s.sessionId);
          if (metric(s, 'tAbandon') === undefined) {
            answered++;
            assert.equal(types(s), 'delay -> interact');
            assert.equal(s.usedRouting, 'Standard');
            assert.equal(s.segments[1].disconnectType, 'transfer');
            assert.equal(s.segments[0].disconnectType, undefined);
            assert.equal(metric(s, 'tAcd'), s.segments[1].end - s.segments[0].start);
            const answering = agents.filter((a) => metric(a.s, 'tAnswered') !== undefined);
            assert.equal(answering.length, 1);
            const alert = answering[0].s.segments[0];
            assert.equal(alert.type, 'alert');
            assert.equal(alert.start, s.segments[1].start, "the acd interact starts with the answering agent's alert");
            assert.equal(alert.end, s.segments[1].end, 'and ends when the agent answers');
            assert.equal(metric(answering[0].s, 'tAnswered'), metric(s, 'tAcd'));
          } else {
            abandoned++;
            assert.equal(types(s), 'delay');
            assert.ok(['peer', 'client'].includes(s.segments[0].disconnectType ?? ''), s.segments[0].disconnectType);
            assert.equal(metric(s, 'tAbandon'), dur(s, 'delay'));
            assert.equal(metric(s, 'tAcd'), dur(s, 'delay'));
            assert.equal(metric(s, 'tShortAbandon') !== undefined, dur(s, 'delay') < 10_000);
            assert.equal(agents.length, 0);
            assert.equal(s.usedRouting, undefined, 'an abandoned call was never routed');
          }
        }
      }
      assert.ok(abandoned > 0.03 * answered && abandoned < 0.15 * answered, `${abandoned} abandoned of ${answered + abandoned}`);
    });

    it('offers 5-8% of answered inbound voice calls first to an agent who does not answer (alert -> wrapup, tNotResponding)', () => {
      let answeredVoice = 0;
      let missed = 0;
      for (const c of sample) {
        for (const { s: acd } of sessionsOf(c, 'acd')) {
          if (metric(acd, 'tAbandon') !== undefined) {
            continue;
          }
          const agents = sessionsOf(c, 'agent').filter((a) => a.s.peerId === acd.sessionId);
          const notResponding = agents.filter((a) => metric(a.s, 'tNotResponding') !== undefined);
          if (acd.mediaType !== 'voice') {
            assert.equal(notResponding.length, 0);
            continue;
          }
          answeredVoice++;
          assert.ok(notResponding.length <= 1);
          if (notResponding.length === 0) {
            continue;
          }
          missed++;
          const { p, s } = notResponding[0];
          const answering = agents.find((a) => metric(a.s, 'tAnswered') !== undefined);
          assert.ok(answering, 'a second agent answers');
          assert.notEqual(p.userId, answering.p.userId);
          assert.equal(types(s), 'alert -> wrapup');
          assert.ok(['client', 'noAnswerTransfer'].includes(s.segments[0].disconnectType ?? ''), s.segments[0].disconnectType);
          assert.equal(metric(s, 'tNotResponding'), dur(s, 'alert'));
          assert.equal(metric(s, 'tAlert'), dur(s, 'alert'));
          assert.ok(dur(s, 'alert') >= 8000 && dur(s, 'alert') <= 30_000);
          assert.equal(metric(s, 'tAcw'), dur(s, 'wrapup'));
          assert.equal(metric(s, 'tHandle'), metric(s, 'tAcw'));
          assert.equal(metric(s, 'tTalk'), undefined);
          assert.equal(metric(s, 'tAnswered'), undefined);
          assert.ok(s.segments.every((g) => g.queueId === acd.segments[0].queueId));
          assert.ok(s.segments[0].start > acd.segments[0].start, 'offered while the call waits');
          assert.ok(s.segments[0].end < answering.s.segments[0].start, 'the next agent is alerted after the first stops ringing');
        }
      }
      const share = missed / answeredVoice;
      assert.ok(share >= 0.05 && share <= 0.08, `${missed} of ${answeredVoice} (${(share * 100).toFixed(1)}%)`);
    });

    it('links legs with peerId, marks voice sessions provider Edge and emits no null or undefined on the wire', () => {
      for (const c of sample) {
        const ids = new Set(c.participants.flatMap((p) => p.sessions.map((s) => s.sessionId)));
        assert.ok(c.divisionIds.length > 0);
        for (const p of c.participants) {
          for (const s of p.sessions) {
            if (s.peerId !== undefined) {
              assert.ok(ids.has(s.peerId) && s.peerId !== s.sessionId);
            }
            if (s.mediaType === 'voice') {
              assert.equal(s.provider, 'Edge');
            }
            if (p.purpose === 'agent' && c.originatingDirection === 'inbound') {
              assert.equal(sessionsOf(c, 'acd').find((a) => a.s.sessionId === s.peerId)?.s.segments[0].queueId, s.segments[0].queueId);
              assert.equal(s.usedRouting, 'Standard');
              assert.equal(s.remote, c.participants[0].participantName);
            }
          }
        }
      }
      const noNulls = (v: unknown, path: string): void => {
        assert.ok(v !== null && v !== undefined, path);
        if (typeof v === 'object') {
          for (const [k, x] of Object.entries(v as object)) {
            noNulls(x, `${path}.${k}`);
          }
        }
      };
      for (const c of sample.slice(0, 1500)) {
        noNulls(toWire(c, true), c.conversationId);
      }
    });
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

  it('starts a 1,000,000-conversation org without materialising it and answers an unfiltered query', async () => {
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
      const r = await api.postAnalyticsConversationsDetailsQuery({ interval: interval(ANCHOR_MS - 7 * DAY, ANCHOR_MS), paging: { pageSize: 100, pageNumber: 3 } });
      assert.ok((r.totalHits ?? 0) > 200_000, String(r.totalHits));
      assert.equal(r.conversations?.length, 100);
    } finally {
      await sb?.close();
    }
  });
});
