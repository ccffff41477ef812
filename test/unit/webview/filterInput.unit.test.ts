import * as assert from 'node:assert/strict';
import { buildFilter, opsFor, parseDuration, parseTime, parseValue, valueText } from '../../../src/webview/model/filterInput';

describe('webview filter input', () => {
  it('offers range operators for times, durations and numbers, text operators for strings', () => {
    assert.ok(opsFor('time').includes('between'));
    assert.ok(opsFor('duration').includes('gte'));
    assert.ok(!opsFor('string').includes('between'));
    assert.deepEqual(opsFor('boolean'), ['equals', 'empty', 'notEmpty']);
  });

  it('reads durations as h:mm:ss, m:ss or seconds, in milliseconds', () => {
    assert.equal(parseDuration('1:02:03'), 3_723_000);
    assert.equal(parseDuration('2:03'), 123_000);
    assert.equal(parseDuration('90'), 90_000);
    assert.equal(parseDuration('1.5'), 1_500);
    assert.equal(parseDuration('1:75'), undefined);
    assert.equal(parseDuration('soon'), undefined);
  });

  it('reads times in the zone the table shows, or with their own offset', () => {
    assert.equal(parseTime('2026-03-01 14:30', 'utc'), '2026-03-01T14:30:00.000Z');
    assert.equal(parseTime('2026-03-01', 'utc'), '2026-03-01T00:00:00.000Z');
    assert.equal(parseTime('2026-03-01T14:30:00+02:00', 'local'), '2026-03-01T12:30:00.000Z');
    assert.equal(parseTime('2026-02-31', 'utc'), undefined);
    assert.equal(parseTime('yesterday', 'utc'), undefined);
  });

  it('builds filters with typed values and explains bad input', () => {
    assert.deepEqual(buildFilter('d', 'duration', 'between', '0:01:00', '0:05:00', 'utc'), { ok: true, filter: { column: 'd', op: 'between', value: 60_000, value2: 300_000 } });
    assert.deepEqual(buildFilter('n', 'string', 'empty', '', '', 'utc'), { ok: true, filter: { column: 'n', op: 'empty' } });
    assert.deepEqual(buildFilter('b', 'boolean', 'equals', 'true', '', 'utc'), { ok: true, filter: { column: 'b', op: 'equals', value: true } });
    const bad = buildFilter('t', 'time', 'gte', 'tomorrow', '', 'utc');
    assert.ok(!bad.ok && /not a time/.test(bad.error));
    assert.deepEqual(parseValue('  ', 'number', 'utc'), { ok: false, error: 'Enter a value' });
    assert.deepEqual(parseValue('12x', 'number', 'utc'), { ok: false, error: "'12x' is not a number" });
    // Strings are taken as typed (spaces included): the user may be looking for them.
    assert.deepEqual(parseValue(' a ', 'string', 'utc'), { ok: true, value: ' a ' });
  });

  it('shows an existing filter value back the way it would be typed', () => {
    assert.equal(valueText(90_000, 'duration', 'utc'), '0:01:30');
    assert.equal(valueText('2026-03-01T14:30:00.000Z', 'time', 'utc'), '2026-03-01 14:30:00');
    assert.equal(valueText(undefined, 'string', 'utc'), '');
  });
});
