import * as assert from 'node:assert/strict';
import { XSS_CORPUS, isHostileConversation, parseSandboxArgs, type Sandbox } from '../../../src/sandbox';
import { Dataset } from '../../../src/sandbox/dataset';
import { toWire } from '../../../src/sandbox/generator/serialize';
import { defaultOptions } from '../../../src/sandbox/options';
import { ANCHOR, ANCHOR_MS, DAY, interval, sdk, start } from './helpers';

interface WireParticipant {
  purpose: string;
  participantName?: string;
  attributes?: Record<string, string>;
  sessions: Array<{ remote?: string; segments: Array<{ segmentType: string; wrapUpNote?: string }> }>;
}

function dataset(xssCorpus: boolean): Dataset {
  return new Dataset({ ...defaultOptions(), seed: 11, conversations: 3000, days: 7, anchor: ANCHOR, xssCorpus }, ANCHOR_MS);
}

function wire(d: Dataset, i: number): { conversationId: string; participants: WireParticipant[] } {
  return toWire(d.get(i), true) as unknown as { conversationId: string; participants: WireParticipant[] };
}

describe('sandbox: XSS corpus in the data', () => {
  it('exports the hostile strings, including a 10 KB one, RTL override and zero-width characters', () => {
    for (const needle of ['<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>', 'javascript:alert(1)', '"><svg onload=alert(1)>']) {
      assert.ok(XSS_CORPUS.includes(needle), needle);
    }
    assert.ok(XSS_CORPUS.some((s) => s.includes('\u202E')));
    assert.ok(XSS_CORPUS.some((s) => s.includes('\u200B')));
    assert.ok(XSS_CORPUS.some((s) => s.length >= 10_000));
  });

  it('plants every string in names, attributes and wrap-up notes of ~1 in 40 conversations, keeping the record shape', () => {
    const d = dataset(true);
    const seen = new Set<string>();
    let hostile = 0;
    for (let i = 0; i < d.generator.count; i++) {
      const c = wire(d, i);
      const text = JSON.stringify(c);
      const planted = XSS_CORPUS.filter((s) => text.includes(JSON.stringify(s).slice(1, -1)));
      assert.equal(planted.length > 0, isHostileConversation(11, i), `conversation ${i}`);
      if (planted.length === 0) {
        continue;
      }
      hostile++;
      planted.forEach((s) => seen.add(s));
      const customer = c.participants.find((p) => p.purpose === 'customer' || p.purpose === 'external')!;
      assert.ok(XSS_CORPUS.includes(customer.participantName!), 'customer name is a corpus string');
      assert.equal(customer.attributes?.link, 'javascript:alert(1)');
      for (const p of c.participants) {
        for (const s of p.sessions) {
          for (const g of s.segments) {
            assert.ok(g.wrapUpNote === undefined || (p.purpose === 'agent' && g.segmentType === 'wrapup'), 'wrapUpNote only on agent wrap-ups');
          }
        }
      }
      assert.ok(c.participants.some((p) => p.sessions.some((s) => s.remote === customer.participantName)) || customer.purpose === 'external', 'remote follows the renamed customer');
    }
    assert.deepEqual([...seen].sort(), [...XSS_CORPUS].sort());
    assert.ok(hostile > 30 && hostile < 150, `${hostile} hostile conversations of 3000`);
  });

  it('can be turned off (option and --xss-corpus off), and changes no id, time or filter result', () => {
    const on = dataset(true);
    const off = dataset(false);
    for (let i = 0; i < off.generator.count; i++) {
      const text = JSON.stringify(wire(off, i));
      assert.ok(!XSS_CORPUS.some((s) => text.includes(JSON.stringify(s).slice(1, -1))), `conversation ${i} is clean`);
      assert.equal(on.get(i).conversationId, off.get(i).conversationId);
      assert.equal(on.get(i).end, off.get(i).end);
    }
    assert.deepEqual(parseSandboxArgs(['--xss-corpus', 'off']), { xssCorpus: false });
    assert.throws(() => parseSandboxArgs(['--xss-corpus', 'maybe']), /on or off/);
  });

  it('serves the strings over the wire byte for byte (sync query through the SDK)', async () => {
    const sb: Sandbox = await start({ seed: 11, conversations: 3000, days: 7 });
    try {
      const { analytics } = await sdk(sb);
      const names = new Set<string>();
      for (let page = 1; page <= 5; page++) {
        const res = await analytics.postAnalyticsConversationsDetailsQuery({ interval: interval(ANCHOR_MS - 7 * DAY, ANCHOR_MS), paging: { pageSize: 100, pageNumber: page } });
        for (const c of res.conversations ?? []) {
          for (const p of c.participants ?? []) {
            if (p.participantName && XSS_CORPUS.includes(p.participantName)) {
              names.add(p.participantName);
            }
          }
        }
      }
      assert.ok(names.size >= 2, `corpus names seen: ${[...names].map((n) => n.slice(0, 20)).join(' | ')}`);
    } finally {
      await sb.close();
    }
  });
});
