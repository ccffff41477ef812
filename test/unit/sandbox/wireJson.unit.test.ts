import * as assert from 'node:assert/strict';
import { isHostileConversation } from '../../../src/sandbox';
import { Dataset } from '../../../src/sandbox/dataset';
import { isoUtc } from '../../../src/sandbox/generator/isoTime';
import type { Conversation } from '../../../src/sandbox/generator/model';
import { wireJson } from '../../../src/sandbox/generator/serialize';
import { defaultOptions } from '../../../src/sandbox/options';
import { ANCHOR, ANCHOR_MS } from './helpers';

describe('sandbox: wire text written directly', () => {
  it('formats times exactly as Date#toISOString, across days, years and odd inputs', () => {
    const edges = [0, -1, 1, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -62_198_755_200_001, 1.5, -0.5, 8.64e15];
    let seed = 7;
    const random = Array.from({ length: 50_000 }, () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31 - 0.5) * 2e13);
    });
    for (const ms of [...edges, ...random]) {
      assert.equal(isoUtc(ms), new Date(ms).toISOString(), String(ms));
    }
    assert.throws(() => isoUtc(NaN), RangeError);
    assert.throws(() => isoUtc(8.64e15 + 1), RangeError);
  });

  it("is JSON.stringify's own text of the record, the XSS corpus included", () => {
    const d = new Dataset({ ...defaultOptions(), seed: 11, conversations: 4000, days: 7, anchor: ANCHOR, xssCorpus: true }, ANCHOR_MS);
    let hostile = 0;
    for (let i = 0; i < 4000; i += 3) {
      const c = d.get(i);
      hostile += isHostileConversation(11, i) ? 1 : 0;
      for (const withAttributes of [true, false]) {
        const text = wireJson(c, withAttributes);
        assert.equal(JSON.stringify(JSON.parse(text)), text, `conversation ${i}`);
      }
    }
    assert.ok(hostile > 10, `hostile conversations seen: ${hostile}`);
  });

  it('escapes what JSON.stringify escapes and leaves out absent fields in its order', () => {
    const nasty = 'a"b\\c\u0000\u001f\n\ud800 \ud83d\ude00 </script>';
    const c: Conversation = {
      index: 0,
      conversationId: 'c1',
      start: 0,
      end: 1000,
      originatingDirection: 'inbound',
      conversationInitiator: 'customer',
      customerParticipation: false,
      divisionIds: ['d"1'],
      minMos: 4.25,
      participants: [
        {
          participantId: 'p1',
          participantName: nasty,
          purpose: 'customer',
          attributes: { [nasty]: nasty, empty: '' },
          sessions: [
            {
              sessionId: 's1',
              mediaType: 'voice',
              direction: 'inbound',
              remote: nasty,
              flow: { flowId: 'f', flowName: nasty, flowType: 'INBOUNDCALL', entryType: 'dnis', exitReason: undefined },
              metrics: [{ name: 'tTalk', value: Number.NaN, emit: 500 }],
              segments: [{ type: 'interact', start: 0, end: 1000, wrapUpNote: nasty }],
            },
          ],
        },
      ],
    };
    const expected = {
      conversationId: 'c1',
      conversationStart: '1970-01-01T00:00:00.000Z',
      conversationEnd: '1970-01-01T00:00:01.000Z',
      conversationInitiator: 'customer',
      customerParticipation: false,
      divisionIds: ['d"1'],
      mediaStatsMinConversationMos: 4.25,
      originatingDirection: 'inbound',
      participants: [
        {
          participantId: 'p1',
          participantName: nasty,
          purpose: 'customer',
          attributes: { [nasty]: nasty, empty: '' },
          sessions: [
            {
              sessionId: 's1',
              mediaType: 'voice',
              direction: 'inbound',
              remote: nasty,
              flow: { flowId: 'f', flowName: nasty, flowType: 'INBOUNDCALL', entryType: 'dnis' },
              metrics: [{ name: 'tTalk', value: null, emitDate: '1970-01-01T00:00:00.500Z' }],
              segments: [{ segmentStart: '1970-01-01T00:00:00.000Z', segmentEnd: '1970-01-01T00:00:01.000Z', segmentType: 'interact', wrapUpNote: nasty }],
            },
          ],
        },
      ],
    };
    assert.equal(wireJson(c, true), JSON.stringify(expected));
    const { attributes: _, ...withoutAttributes } = expected.participants[0]!;
    assert.equal(wireJson(c, false), JSON.stringify({ ...expected, participants: [withoutAttributes] }));
  });
});
