import * as assert from 'node:assert/strict';
import { formatSpan, ownerOf, planSplit, splitSpan } from '../../../../src/jobs/splitRun/splitInterval';
import type { Span } from '../../../../src/jobs/splitRun/splitInterval';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);

/** Contiguous, non-empty, covering exactly [start, end). */
function assertCovers(spans: Span[], whole: Span): void {
  assert.equal(spans[0]!.startMs, whole.startMs);
  assert.equal(spans[spans.length - 1]!.endMs, whole.endMs);
  for (let i = 0; i < spans.length; i++) {
    assert.ok(spans[i]!.endMs > spans[i]!.startMs, `span ${i} is empty`);
    if (i > 0) {
      assert.equal(spans[i]!.startMs, spans[i - 1]!.endMs, `gap or overlap before span ${i}`);
    }
  }
}

describe('engine / split run: splitting an interval', () => {
  it('splits 30 whole UTC days into 4 spans on UTC midnights, differing by at most a day', () => {
    const whole = { startMs: at('2025-12-16T00:00:00Z'), endMs: at('2026-01-15T00:00:00Z') };
    const spans = splitSpan(whole, 4);
    assert.equal(spans.length, 4);
    assertCovers(spans, whole);
    for (const s of spans.slice(1)) {
      assert.equal(s.startMs % DAY, 0, `${new Date(s.startMs).toISOString()} is not a UTC midnight`);
    }
    const days = spans.map((s) => (s.endMs - s.startMs) / DAY);
    assert.ok(Math.max(...days) - Math.min(...days) <= 1, `uneven: ${days.join(', ')}`);
    assert.equal(days.reduce((a, b) => a + b, 0), 30);
  });

  it('splits on whole hours when a span would hold less than a week: 30 days in 16 parts are 45 hours each', () => {
    const whole = { startMs: at('2025-12-16T00:00:00Z'), endMs: at('2026-01-15T00:00:00Z') };
    const spans = splitSpan(whole, 16);
    assertCovers(spans, whole);
    assert.deepEqual(new Set(spans.map((s) => (s.endMs - s.startMs) / HOUR)), new Set([45]));
  });

  it('plans the first wave (one part per walker, in run order) long and the later parts shrinking to the last', () => {
    const body = { interval: '2025-12-16T00:00:00.000Z/2026-01-15T00:00:00.000Z' };
    const hours = (plan: ReturnType<typeof planSplit>): number[] => plan.spans.map((s) => (s.endMs - s.startMs) / HOUR);
    // 720 hours: 8 parts of LEADING_WEIGHT (3) units, then 8 of 2(16 - i)/9 units (16/9 … 2/9, 8 in all): 22.5 hours a unit.
    const asc = hours(planSplit(body, 16, 8));
    assert.deepEqual(asc, [68, 67, 68, 67, 68, 67, 68, 67, 40, 35, 30, 25, 20, 15, 10, 5]);
    assert.deepEqual(hours(planSplit({ ...body, order: 'desc' }, 16, 8)).map((h) => h > 60), asc.map((h) => h > 60).reverse(), 'newest spans first for desc: they are the long ones');
    assert.deepEqual(new Set(hours(planSplit(body, 8, 8))), new Set([90]), 'no later parts: equal spans');
  });

  it('keeps odd ends of an uneven interval (noon to midnight) in the first and last spans', () => {
    const whole = { startMs: at('2026-03-01T12:00:00Z'), endMs: at('2026-04-01T00:00:00Z') };
    const spans = splitSpan(whole, 4);
    assertCovers(spans, whole);
    assert.equal(spans.length, 4);
    assert.equal(spans[1]!.startMs % DAY, 0);
    assert.equal((spans[0]!.endMs - spans[0]!.startMs) % DAY, 12 * HOUR, 'the first span carries the half day');
  });

  it('crosses a DST date and a month end with plain UTC arithmetic (boundaries stay at 00:00Z)', () => {
    // 2026-03-29 is the EU switch to summer time: nothing may shift by an hour.
    const whole = { startMs: at('2026-03-27T00:00:00Z'), endMs: at('2026-04-02T00:00:00Z') };
    const spans = splitSpan(whole, 6);
    assert.deepEqual(spans.map((s) => formatSpan(s).slice(0, 24)), [
      '2026-03-27T00:00:00.000Z', '2026-03-28T00:00:00.000Z', '2026-03-29T00:00:00.000Z', '2026-03-30T00:00:00.000Z', '2026-03-31T00:00:00.000Z', '2026-04-01T00:00:00.000Z',
    ]);
  });

  it('falls back to whole hours for an interval shorter than the parts in days, and to fewer spans when it must', () => {
    const whole = { startMs: at('2026-01-01T10:30:00Z'), endMs: at('2026-01-01T16:00:00Z') };
    const spans = splitSpan(whole, 4);
    assertCovers(spans, whole);
    assert.equal(spans.length, 4);
    for (const s of spans.slice(1)) {
      assert.equal(s.startMs % HOUR, 0);
    }
    const tiny = { startMs: 1000, endMs: 1003 };
    const few = splitSpan(tiny, 8);
    assertCovers(few, tiny);
    assert.ok(few.length <= 3);
    assert.deepEqual(splitSpan(whole, 1), [whole]);
    assert.throws(() => splitSpan({ startMs: 5, endMs: 5 }, 2), RangeError);
  });

  it('plans one body per span, changing only the interval; does not split a limit or a non-start order', () => {
    const body = { interval: '2025-12-16T00:00:00.000Z/2026-01-15T00:00:00.000Z', order: 'desc' as const, segmentFilters: [{ type: 'and' as const, predicates: [{ dimension: 'mediaType', value: 'voice' }] }] };
    const plan = planSplit(body, 3);
    assert.equal(plan.bodies.length, 3);
    assert.equal(plan.bodies[0]!.interval, '2025-12-16T00:00:00.000Z/2025-12-26T00:00:00.000Z');
    for (const b of plan.bodies) {
      assert.deepEqual({ ...b, interval: body.interval }, body);
    }
    assert.equal(planSplit({ ...body, limit: 10 }, 3).bodies.length, 1);
    assert.match(planSplit({ ...body, limit: 10 }, 3).reason ?? '', /limit/);
    assert.equal(planSplit({ ...body, orderBy: 'conversationEnd' }, 3).bodies.length, 1);
    assert.equal(planSplit({ ...body, orderBy: 'conversationStart' }, 3).bodies.length, 3);
    assert.equal(planSplit(body, 1).bodies.length, 1);
    // A 90-minute job is not cut into slivers: at most one span per hour.
    assert.equal(planSplit({ interval: '2026-01-01T00:00:00Z/2026-01-01T01:30:00Z' }, 8).bodies.length, 1);
  });

  it('gives each conversation to the span its start falls in (earlier starts to the first)', () => {
    const spans = splitSpan({ startMs: 0, endMs: 4 * DAY }, 4);
    assert.equal(ownerOf(spans, -5 * HOUR), 0);
    assert.equal(ownerOf(spans, 0), 0);
    assert.equal(ownerOf(spans, DAY - 1), 0);
    assert.equal(ownerOf(spans, DAY), 1);
    assert.equal(ownerOf(spans, 3 * DAY + 5), 3);
    assert.equal(ownerOf(spans, 9 * DAY), 3);
  });
});
