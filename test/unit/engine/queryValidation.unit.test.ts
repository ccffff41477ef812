import * as assert from 'node:assert/strict';
import { isGenesysError } from '../../../src/genesys/errors';
import { parseInterval, validateJobBody, validateSyncQuery } from '../../../src/jobs/queryValidation';

const interval = '2024-01-01T00:00:00.000Z/2024-01-02T00:00:00.000Z';

function rejects(fn: () => unknown, pattern: RegExp, field?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isGenesysError(err, 'invalidQuery'), String(err));
    assert.match(err.message, pattern);
    if (field) {
      assert.equal(err.field, field);
    }
    return true;
  });
}

describe('engine / queryValidation', () => {
  it('accepts a well-formed interval and reads offset-less times as UTC', () => {
    assert.deepEqual(parseInterval(interval), { startMs: Date.UTC(2024, 0, 1), endMs: Date.UTC(2024, 0, 2) });
    assert.equal(parseInterval('2024-01-01T00:00/2024-01-01T01:00').startMs, Date.UTC(2024, 0, 1));
    assert.equal(parseInterval('2024-01-01T02:00:00+02:00/2024-01-01T03:00:00Z').startMs, Date.UTC(2024, 0, 1));
  });

  it('rejects malformed intervals and start after end', () => {
    rejects(() => parseInterval('yesterday/today'), /not an ISO-8601/, 'interval');
    rejects(() => parseInterval('2024-01-01T00:00:00Z'), /separated by '\/'/, 'interval');
    rejects(() => parseInterval('2024-01-02T00:00:00Z/2024-01-01T00:00:00Z'), /starts at or after its end/, 'interval');
    rejects(() => parseInterval(undefined), /needs an 'interval'/, 'interval');
  });

  it('checks sync paging: pageSize 1..100, pageNumber >= 1, integers', () => {
    validateSyncQuery({ interval, paging: { pageSize: 100, pageNumber: 1 } });
    rejects(() => validateSyncQuery({ interval, paging: { pageSize: 0, pageNumber: 1 } }), /from 1 to 100/, 'paging.pageSize');
    rejects(() => validateSyncQuery({ interval, paging: { pageSize: 101, pageNumber: 1 } }), /from 1 to 100/, 'paging.pageSize');
    rejects(() => validateSyncQuery({ interval, paging: { pageSize: 2.5, pageNumber: 1 } }), /whole number/, 'paging.pageSize');
    rejects(() => validateSyncQuery({ interval, paging: { pageSize: 10, pageNumber: 0 } }), /1-based/, 'paging.pageNumber');
    rejects(() => validateSyncQuery([]), /JSON object/);
  });

  it('rejects a job body with paging (with the reason) or aggregations', () => {
    validateJobBody({ interval, limit: 10 });
    rejects(() => validateJobBody({ interval, paging: { pageSize: 100, pageNumber: 1 } }), /must not contain 'paging'.*cursor/, 'paging');
    rejects(() => validateJobBody({ interval, aggregations: [] }), /aggregations/);
    rejects(() => validateJobBody({ interval, limit: 0 }), /limit/);
  });
});
