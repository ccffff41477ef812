import * as assert from 'node:assert/strict';
import { resolveInterval } from '../../../src/queryFiles/relativeInterval';

const HOUR = 3_600_000;

function resolved(expr: string, now: string, zone: string): string {
  const r = resolveInterval(expr, new Date(now), zone);
  assert.ok('interval' in r, `${expr} in ${zone}: ${'error' in r ? r.error : ''}`);
  return r.interval;
}

function hours(interval: string): number {
  const [a, b] = interval.split('/').map((p) => Date.parse(p)) as [number, number];
  return (b - a) / HOUR;
}

describe('relative intervals', () => {
  describe('named days across DST changes (local midnights, sent as UTC)', () => {
    const cases: [string, string, string, string, number][] = [
      // zone, now, expression, expected interval, its length in hours
      ['Europe/London', '2026-03-30T10:00:00Z', 'yesterday', '2026-03-29T00:00:00.000Z/2026-03-29T23:00:00.000Z', 23],
      ['Europe/London', '2026-10-26T12:00:00Z', 'yesterday', '2026-10-24T23:00:00.000Z/2026-10-26T00:00:00.000Z', 25],
      ['Europe/London', '2026-03-29T12:00:00Z', 'today', '2026-03-29T00:00:00.000Z/2026-03-29T23:00:00.000Z', 23],
      ['America/New_York', '2026-03-09T15:00:00Z', 'yesterday', '2026-03-08T05:00:00.000Z/2026-03-09T04:00:00.000Z', 23],
      ['America/New_York', '2026-11-02T10:00:00Z', 'yesterday', '2026-11-01T04:00:00.000Z/2026-11-02T05:00:00.000Z', 25],
      // Just after local midnight in New York it is already the next UTC day: yesterday is the local one.
      ['America/New_York', '2026-06-16T02:00:00Z', 'yesterday', '2026-06-14T04:00:00.000Z/2026-06-15T04:00:00.000Z', 24],
      ['Australia/Sydney', '2026-04-06T10:00:00Z', 'yesterday', '2026-04-04T13:00:00.000Z/2026-04-05T14:00:00.000Z', 25],
      ['Australia/Sydney', '2026-10-05T01:00:00Z', 'yesterday', '2026-10-03T14:00:00.000Z/2026-10-04T13:00:00.000Z', 23],
      ['UTC', '2026-03-30T10:00:00Z', 'yesterday', '2026-03-29T00:00:00.000Z/2026-03-30T00:00:00.000Z', 24],
      // Santiago moves its clocks at midnight: 6 September 2026 starts at 01:00 local (04:00Z).
      ['America/Santiago', '2026-09-06T15:00:00Z', 'today', '2026-09-06T04:00:00.000Z/2026-09-07T03:00:00.000Z', 23],
    ];
    for (const [zone, now, expr, expected, length] of cases) {
      it(`${expr} at ${now} in ${zone} → ${length} h`, () => {
        const interval = resolved(expr, now, zone);
        assert.equal(interval, expected);
        assert.equal(hours(interval), length);
      });
    }
  });

  it('weeks start on Monday and months on the 1st, in the zone', () => {
    const now = '2026-03-30T10:00:00Z'; // a Monday, the day after London's spring change
    assert.equal(resolved('this week', now, 'Europe/London'), '2026-03-29T23:00:00.000Z/2026-04-05T23:00:00.000Z');
    assert.equal(resolved('last week', now, 'Europe/London'), '2026-03-23T00:00:00.000Z/2026-03-29T23:00:00.000Z');
    assert.equal(hours(resolved('last week', now, 'Europe/London')), 7 * 24 - 1);
    assert.equal(resolved('this month', now, 'Europe/London'), '2026-03-01T00:00:00.000Z/2026-03-31T23:00:00.000Z');
    assert.equal(resolved('last month', now, 'Europe/London'), '2026-02-01T00:00:00.000Z/2026-03-01T00:00:00.000Z');
    assert.equal(resolved('last month', '2026-01-15T12:00:00Z', 'America/New_York'), '2025-12-01T05:00:00.000Z/2026-01-01T05:00:00.000Z');
    // Sunday evening in New York is Monday in UTC: still New York's week.
    assert.equal(resolved('this week', '2026-06-15T01:00:00Z', 'America/New_York'), '2026-06-08T04:00:00.000Z/2026-06-15T04:00:00.000Z');
  });

  it('last N days/weeks/months/hours end where the current unit starts', () => {
    const now = '2026-03-30T10:20:00Z';
    assert.equal(resolved('last 7 days', now, 'Europe/London'), '2026-03-23T00:00:00.000Z/2026-03-29T23:00:00.000Z');
    assert.equal(resolved('last 1 day', now, 'UTC'), resolved('yesterday', now, 'UTC'));
    assert.equal(resolved('last 2 weeks', now, 'UTC'), '2026-03-16T00:00:00.000Z/2026-03-30T00:00:00.000Z');
    assert.equal(resolved('last 3 months', now, 'UTC'), '2025-12-01T00:00:00.000Z/2026-03-01T00:00:00.000Z');
    assert.equal(resolved('last 3 hours', now, 'UTC'), '2026-03-30T07:00:00.000Z/2026-03-30T10:00:00.000Z');
    // India is UTC+05:30: its hours start at :30 UTC.
    assert.equal(resolved('last 3 hours', now, 'Asia/Kolkata'), '2026-03-30T06:30:00.000Z/2026-03-30T09:30:00.000Z');
  });

  it('ISO durations: calendar units on the local calendar, time units exact', () => {
    assert.equal(resolved('PT4H/now', '2026-03-29T12:00:00Z', 'Europe/London'), '2026-03-29T08:00:00.000Z/2026-03-29T12:00:00.000Z');
    // One local day back across the spring change is 23 hours.
    assert.equal(resolved('P1D/now', '2026-03-29T12:00:00Z', 'Europe/London'), '2026-03-28T13:00:00.000Z/2026-03-29T12:00:00.000Z');
    assert.equal(resolved('P1D/now', '2026-03-29T12:00:00Z', 'UTC'), '2026-03-28T12:00:00.000Z/2026-03-29T12:00:00.000Z');
    assert.equal(resolved('now-P7D/now', '2026-06-10T12:00:00Z', 'UTC'), '2026-06-03T12:00:00.000Z/2026-06-10T12:00:00.000Z');
    assert.equal(resolved('now-P1DT2H/now+PT1H', '2026-06-10T12:00:00Z', 'UTC'), '2026-06-09T10:00:00.000Z/2026-06-10T13:00:00.000Z');
    assert.equal(resolved('2026-01-01T00:00:00Z/P1W', '2026-06-10T12:00:00Z', 'UTC'), '2026-01-01T00:00:00.000Z/2026-01-08T00:00:00.000Z');
    assert.equal(resolved('2026-01-31T00:00:00Z/P1M', '2026-06-10T12:00:00Z', 'UTC'), '2026-01-31T00:00:00.000Z/2026-02-28T00:00:00.000Z');
    assert.equal(resolved('PT90M/2026-01-01T00:00:00Z', '2026-06-10T12:00:00Z', 'UTC'), '2025-12-31T22:30:00.000Z/2026-01-01T00:00:00.000Z');
  });

  it('an absolute interval comes back as written', () => {
    assert.equal(resolved(' 2026-01-01T00:00:00Z/2026-01-02T00:00:00+01:00 ', '2026-06-10T12:00:00Z', 'Nowhere/Atlantis'), '2026-01-01T00:00:00Z/2026-01-02T00:00:00+01:00');
  });

  it('says what is wrong with what it cannot resolve', () => {
    const errors: [string, string, RegExp][] = [
      ['yesterday', 'Europe/Lodnon', /Unknown time zone 'Europe\/Lodnon'/],
      ['tomorrow', 'UTC', /not an interval/],
      ['P1D/P1D', 'UTC', /duration at both ends/],
      ['P/now', 'UTC', /not an ISO-8601 duration/],
      ['last 0 days', 'UTC', /from 1 to/],
      ['2026-02-30T00:00:00Z/now', 'UTC', /not an ISO-8601 date-time/],
    ];
    for (const [expr, zone, message] of errors) {
      const r = resolveInterval(expr, new Date('2026-06-10T12:00:00Z'), zone);
      assert.ok('error' in r, `${expr} resolved`);
      assert.match(r.error, message);
    }
  });
});
