import * as assert from 'node:assert/strict';
import { validateJobBody, validateSyncQuery } from '../../../src/jobs/queryValidation';
import { CLASSIC_PRESET, checkIntervalInput, formatInterval, parseQueryBody, presetBody, presetInterval, toJobBody, withPaging } from '../../../src/vscode/runs/presets';

const NOW = new Date('2026-03-04T15:30:00.000Z');

describe('run presets', () => {
  it('yesterday and last 7 days are whole UTC days ending at the start of today', () => {
    assert.equal(presetInterval({ kind: 'yesterday' }, NOW), '2026-03-03T00:00:00.000Z/2026-03-04T00:00:00.000Z');
    assert.equal(presetInterval({ kind: 'last7Days' }, NOW), '2026-02-25T00:00:00.000Z/2026-03-04T00:00:00.000Z');
    assert.equal(presetInterval({ kind: 'interval', interval: ' 2026-01-01T00:00:00Z/2026-01-02T00:00:00Z ' }, NOW), '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z');
  });

  it("the classic preset is the tutorial's query: one day of voice conversations by conversationStart ascending", () => {
    const body = presetBody(CLASSIC_PRESET, 'query', NOW);
    assert.deepEqual(body, {
      interval: '2026-03-03T00:00:00.000Z/2026-03-04T00:00:00.000Z',
      order: 'asc',
      orderBy: 'conversationStart',
      segmentFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'voice' }] }],
    });
    assert.doesNotThrow(() => validateSyncQuery(body));
  });

  it('job bodies pass job validation (no paging) and match the query by start of day; no media type means no filter', () => {
    const body = presetBody({ range: { kind: 'last7Days' } }, 'job', NOW);
    assert.equal((body as { startOfDayIntervalMatching?: boolean }).startOfDayIntervalMatching, true);
    assert.equal('segmentFilters' in body, false);
    assert.equal('paging' in body, false);
    assert.doesNotThrow(() => validateJobBody(body));
  });

  it('a queue picked by name filters segments by its ID, with the media type in the same predicate group', () => {
    const body = presetBody({ range: { kind: 'yesterday' }, mediaType: 'chat', queueId: 'q-1' }, 'query', NOW);
    assert.deepEqual(body.segmentFilters, [
      {
        type: 'and',
        predicates: [
          { type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'chat' },
          { type: 'dimension', dimension: 'queueId', operator: 'matches', value: 'q-1' },
        ],
      },
    ]);
    const queueOnly = presetBody({ range: { kind: 'yesterday' }, queueId: 'q-2' }, 'job', NOW);
    assert.deepEqual(queueOnly.segmentFilters, [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'queueId', operator: 'matches', value: 'q-2' }] }]);
  });

  it('checks a typed interval with an actionable message', () => {
    assert.equal(checkIntervalInput('2026-01-01T00:00:00Z/2026-01-02T00:00:00Z'), undefined);
    assert.match(checkIntervalInput('2026-01-01') ?? '', /separated by "\/"/);
    assert.match(checkIntervalInput('yesterday/today') ?? '', /ISO-8601/);
    assert.match(checkIntervalInput('2026-01-02T00:00:00Z/2026-01-01T00:00:00Z') ?? '', /after the start/);
  });

  it('formats intervals as dates for whole days, to the minute otherwise', () => {
    assert.equal(formatInterval('2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z'), '2026-01-01 → 2026-01-02');
    assert.equal(formatInterval('2026-01-01T08:30:00Z/2026-01-01T09:00:00Z'), '2026-01-01 08:30 → 2026-01-01 09:00');
    assert.equal(formatInterval(undefined), 'query');
  });

  it('recognises a query body in editor text and nothing else', () => {
    assert.deepEqual(parseQueryBody('{"interval":"a/b","order":"asc"}'), { interval: 'a/b', order: 'asc' });
    assert.equal(parseQueryBody('{"order":"asc"}'), undefined);
    assert.equal(parseQueryBody('[{"interval":"a/b"}]'), undefined);
    assert.equal(parseQueryBody('{"interval": "a/b",}'), undefined);
    assert.equal(parseQueryBody('not json'), undefined);
  });

  it('turns a sync body into a job body (no paging or aggregations) and back', () => {
    const sync = { interval: 'a/b', paging: { pageSize: 25, pageNumber: 3 }, aggregations: [{ type: 'termFrequency' }], segmentFilters: [] };
    assert.deepEqual(toJobBody(sync), { interval: 'a/b', segmentFilters: [] });
    assert.deepEqual(withPaging({ interval: 'a/b', limit: 5, startOfDayIntervalMatching: true }, 50, 2), { interval: 'a/b', paging: { pageSize: 50, pageNumber: 2 } });
  });
});
