import * as assert from 'node:assert/strict';
import { COLUMN_ID_PATTERN } from '../../../src/results/view/columnSpec';
import { GRAIN_NAMES, GRAINS } from '../../../src/results/view/grains';
import { countSql, distinctSql, selectSql, ViewRequestError } from '../../../src/results/view/sqlBuilder';
import type { ColumnFilter, ViewQuery } from '../../../src/results/view/viewTypes';
import { HOSTILE } from './viewRuns';

const view = (filters: ColumnFilter[] = [], sort: ViewQuery['sort'] = [], grain: ViewQuery['grain'] = 'conversation'): ViewQuery => ({ grain, filters, sort });

describe('results view / SQL built from view requests', () => {
  it('gives every grain unique, plain column ids (they double as DuckDB column names)', () => {
    for (const grain of GRAIN_NAMES) {
      const ids = GRAINS[grain].columns.map((c) => c.id);
      for (const id of ids) {
        assert.match(id, COLUMN_ID_PATTERN, `${grain}.${id}`);
      }
      // DuckDB identifiers are case-insensitive: 'tTalk' and 'ttalk' would be one column.
      assert.equal(new Set(ids.map((i) => i.toLowerCase())).size, ids.length, `${grain} has duplicate ids`);
      assert.ok(!ids.some((i) => ['conv_idx', 'p_idx', 's_idx', 'g_idx'].includes(i)), `${grain} reuses a key column name`);
    }
  });

  it('rejects unknown and hostile column ids with a clear error, never splicing them', () => {
    for (const bad of ['nope', 'conversationId"; DROP TABLE conversation; --', 'conv_idx', '', 42, null]) {
      assert.throws(() => selectSql(view(), [bad as string]), (err: unknown) => err instanceof ViewRequestError && /Unknown column/.test(err.message));
      assert.throws(() => countSql(view([{ column: bad as string, op: 'equals', value: 'x' }])), ViewRequestError);
      assert.throws(() => selectSql(view([], [{ column: bad as string, direction: 'asc' }]), ['conversationId']), ViewRequestError);
      assert.throws(() => distinctSql(view(), bad as string, 10), ViewRequestError);
    }
    // A column of another grain is unknown here.
    assert.throws(() => selectSql(view([], [], 'conversation'), ['segmentType']), /Unknown column "segmentType" for the conversation grain/);
  });

  it('binds every filter value as a parameter: hostile text never reaches the SQL', () => {
    for (const value of HOSTILE.filter((h) => h !== '')) {
      for (const op of ['contains', 'equals', 'notEquals', 'gt', 'lte'] as const) {
        const s = selectSql(view([{ column: 'ani', op, value }]), ['conversationId', 'ani'], { offset: 0, limit: 10 });
        assert.ok(!s.sql.includes(value), `${op} spliced ${JSON.stringify(value)}`);
        assert.ok(s.params.includes(value), `${op} did not bind ${JSON.stringify(value)}`);
      }
    }
  });

  it('rejects unknown operators, grains and sort directions', () => {
    assert.throws(() => countSql(view([{ column: 'ani', op: 'like' as 'equals', value: 'x' }])), /Unknown filter operator "like"/);
    assert.throws(() => countSql({ grain: 'x; DROP' as 'conversation', sort: [], filters: [] }), /Unknown grain/);
    assert.throws(() => selectSql(view([], [{ column: 'ani', direction: 'ASC; DROP' as 'asc' }]), ['ani']), /Sort direction/);
  });

  it('checks values against the column type with an actionable message', () => {
    assert.throws(() => countSql(view([{ column: 'tTalk', op: 'gt', value: 'ten' }])), /'ten' is not a number \(filter on 'tTalk', in milliseconds\)/);
    assert.throws(() => countSql(view([{ column: 'conversationStart', op: 'gte', value: 'yesterday' }])), /not a date and time .*ISO 8601/);
    assert.throws(() => countSql(view([{ column: 'abandoned', op: 'equals', value: 'maybe' }])), /not true or false/);
    assert.throws(() => countSql(view([{ column: 'tTalk', op: 'between', value: 1 }])), /needs an upper bound/);
    assert.throws(() => countSql(view([{ column: 'ani', op: 'equals' }])), /needs a value/);
  });

  it('turns typed filter values into typed parameters (numbers, ISO times as epoch ms, booleans)', () => {
    const s = countSql(
      view([
        { column: 'tTalk', op: 'between', value: '1000', value2: 5000 },
        { column: 'conversationStart', op: 'gte', value: '2026-01-08T00:00:00.000Z' },
        { column: 'abandoned', op: 'equals', value: 'true' },
        { column: 'queue', op: 'empty' },
        { column: 'wrapUpCode', op: 'notEmpty' },
      ]),
    );
    assert.deepEqual(s.params, [1000, 5000, Date.parse('2026-01-08T00:00:00.000Z'), true]);
    assert.match(s.sql, /t\."tTalk" BETWEEN CAST\(\$1 AS DOUBLE\) AND CAST\(\$2 AS DOUBLE\)/);
    assert.match(s.sql, /\(t\."queue" IS NULL OR t\."queue" = ''\)/);
    assert.match(s.sql, /NOT \(t\."wrapUpCode" IS NULL OR t\."wrapUpCode" = ''\)/);
  });

  it('sorts by several keys, empties last, then by the row key so pages never overlap', () => {
    const seg = selectSql(view([], [{ column: 'queueId', direction: 'asc' }, { column: 'duration', direction: 'desc' }], 'segment'), ['conversationId']);
    assert.match(seg.sql, /ORDER BY t\."queueId" ASC NULLS LAST, t\."duration" DESC NULLS LAST, t\.conv_idx ASC, t\.p_idx ASC, t\.s_idx ASC, t\.g_idx ASC/);
  });
});
