import * as assert from 'node:assert/strict';
import { formatCell, formatCount, formatDuration, formatTime, toJsonRows, toTsv, zoneLabel } from '../../../src/webview/model/format';

describe('webview formatting', () => {
  it('groups counts by thousands as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12345, 159229, 1000000, 100000000, -1234567, Number.MAX_SAFE_INTEGER, 1.5]) {
      assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
    }
  });

  describe('formatDuration (h:mm:ss)', () => {
    it('formats milliseconds with unbounded hours and rounds to the second', () => {
      assert.equal(formatDuration(0), '0:00:00');
      assert.equal(formatDuration(59_400), '0:00:59');
      assert.equal(formatDuration(59_500), '0:01:00');
      assert.equal(formatDuration(3_723_000), '1:02:03');
      assert.equal(formatDuration(26 * 3_600_000 + 5_000), '26:00:05');
    });

    it('keeps the sign of negative values and shows nothing for non-finite ones', () => {
      assert.equal(formatDuration(-61_000), '-0:01:01');
      assert.equal(formatDuration(Number.NaN), '');
      assert.equal(formatDuration(Number.POSITIVE_INFINITY), '');
    });
  });

  describe('formatTime (UTC / local zone)', () => {
    const iso = '2026-03-08T06:59:30.250Z';

    it('shows UTC wall time', () => {
      assert.equal(formatTime(iso, 'utc'), '2026-03-08 06:59:30');
    });

    it('shows the wall time of a pinned local zone, across a DST change', () => {
      // New York switches to EDT at 07:00 UTC on 2026-03-08.
      assert.equal(formatTime(iso, 'local', 'America/New_York'), '2026-03-08 01:59:30');
      assert.equal(formatTime('2026-03-08T07:00:30Z', 'local', 'America/New_York'), '2026-03-08 03:00:30');
      assert.equal(formatTime('2026-12-31T23:30:00Z', 'local', 'Asia/Kolkata'), '2027-01-01 05:00:00');
    });

    it('leaves unparseable text as it came', () => {
      assert.equal(formatTime('not a time', 'utc'), 'not a time');
    });

    it('names the zone for column headers', () => {
      assert.equal(zoneLabel('utc'), 'UTC');
      assert.equal(zoneLabel('local', 'Europe/Paris'), 'Europe/Paris');
    });
  });

  describe('formatCell', () => {
    const ctx = { timeZone: 'utc' as const, names: { q1: 'Sales', q2: 'Support' } };

    it('formats times and durations and keeps the raw value on hover', () => {
      assert.deepEqual(formatCell('2026-01-02T03:04:05Z', { type: 'time' }, ctx), { text: '2026-01-02 03:04:05', title: '2026-01-02T03:04:05Z' });
      assert.deepEqual(formatCell(90_000, { type: 'duration' }, ctx), { text: '0:01:30', title: '90000 ms' });
    });

    it('shows names instead of IDs (each of a multi-valued cell) with the IDs on hover, and IDs it cannot name', () => {
      assert.deepEqual(formatCell('q1;q2', { type: 'string', idKind: 'queue' }, ctx), { text: 'Sales; Support', title: 'q1;q2' });
      assert.deepEqual(formatCell('q9', { type: 'string', idKind: 'queue' }, ctx), { text: 'q9' });
    });

    it('renders null as empty and other values as their string', () => {
      assert.deepEqual(formatCell(null, { type: 'string' }, ctx), { text: '' });
      assert.deepEqual(formatCell(false, { type: 'boolean' }, ctx), { text: 'false' });
      assert.deepEqual(formatCell('<img src=x onerror=alert(1)>', { type: 'string' }, ctx), { text: '<img src=x onerror=alert(1)>' });
    });
  });

  describe('copies', () => {
    it('writes TSV with a header row, quoting fields that hold tabs, newlines or quotes', () => {
      assert.equal(toTsv(['a', 'b'], [['1', 'x\ty'], ['say "hi"', 'line1\nline2']]), 'a\tb\n1\t"x\ty"\n"say ""hi"""\t"line1\nline2"');
      assert.equal(toTsv(undefined, [['only']]), 'only');
    });

    it('writes raw values keyed by column id as JSON (one object for one row)', () => {
      assert.equal(toJsonRows(['id', 'n'], [['c1', 5]]), JSON.stringify({ id: 'c1', n: 5 }, null, 2));
      assert.deepEqual(JSON.parse(toJsonRows(['id'], [['a'], [null]])), [{ id: 'a' }, { id: null }]);
    });
  });
});
