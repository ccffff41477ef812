import * as assert from 'node:assert/strict';
import { rowKeys } from '../../../../src/jobs/splitRun/rowKeys';

describe('engine / split run: reading a stored row\'s id and start', () => {
  const start = '2026-01-01T23:30:00.000Z';

  it('reads the first two keys of a row as our cache stores it, matching JSON.parse', () => {
    const json = JSON.stringify({ conversationId: 'a-1', conversationStart: start, participants: [{ conversationStart: '1999-01-01T00:00:00Z' }] });
    assert.deepEqual(rowKeys(json), { conversationId: 'a-1', startMs: Date.parse(start) });
  });

  it('parses rows in any other layout: keys in another order, a nested decoy first, escapes', () => {
    const decoy = JSON.stringify({ conversationId: 'b', participants: [{ conversationStart: '1999-01-01T00:00:00Z' }], conversationStart: start });
    assert.deepEqual(rowKeys(decoy), { conversationId: 'b', startMs: Date.parse(start) });
    const reordered = JSON.stringify({ conversationStart: start, conversationId: 'c' });
    assert.deepEqual(rowKeys(reordered), { conversationId: 'c', startMs: Date.parse(start) });
    const escaped = JSON.stringify({ conversationId: 'd"\\x', conversationStart: start });
    assert.deepEqual(rowKeys(escaped), { conversationId: 'd"\\x', startMs: Date.parse(start) });
  });

  it('gives NaN for a missing, empty or unreadable start', () => {
    assert.ok(Number.isNaN(rowKeys(JSON.stringify({ conversationId: 'e' })).startMs));
    assert.ok(Number.isNaN(rowKeys(JSON.stringify({ conversationId: 'f', conversationStart: '' })).startMs));
    assert.ok(Number.isNaN(rowKeys(JSON.stringify({ conversationId: 'g', conversationStart: 'soon' })).startMs));
    assert.ok(Number.isNaN(rowKeys(JSON.stringify({ conversationId: 'h', conversationStart: 5 })).startMs));
  });

  it('reads the same keys from a row\'s UTF-8 bytes, a head cut inside a character included', () => {
    const bytes = (value: unknown): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(value)));
    assert.deepEqual(rowKeys(bytes({ conversationId: 'é-ü', conversationStart: start, x: 'z'.repeat(500) })), { conversationId: 'é-ü', startMs: Date.parse(start) });
    // An id long enough that the decoded head ends inside it (and inside a two-byte character): parsed in full.
    const long = 'ü'.repeat(200);
    assert.deepEqual(rowKeys(bytes({ conversationId: long, conversationStart: start })), { conversationId: long, startMs: Date.parse(start) });
    const reordered = Buffer.from(`[${JSON.stringify({ conversationStart: start, conversationId: 'c' })}]`);
    assert.deepEqual(rowKeys(reordered.subarray(1, reordered.length - 1)), { conversationId: 'c', startMs: Date.parse(start) });
  });
});
