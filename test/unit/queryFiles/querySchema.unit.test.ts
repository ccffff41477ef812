import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { querySchema } from '../../../src/api/querySchema';
import {
  AGGREGATION_TYPE, DIMENSION_VALUES, FILTER_FIELD, FILTER_TYPE, FILTER_VOCABULARY, type FilterKind, OPERATOR, ORDER, ORDER_BY, PROPERTY_TYPE,
} from '../../../src/api/vocabulary';
import { schemaValidator } from '../../../src/queryFiles/checkQueryFile';
import { parseQueryBody } from '../../../src/sandbox/queryBody';
import { defaultOptions } from '../../../src/sandbox/options';

const INTERVAL = '2026-01-01T00:00:00.000Z/2026-01-02T00:00:00.000Z';
type Body = Record<string, unknown>;
const KINDS = Object.keys(FILTER_FIELD) as FilterKind[];

function schemaAccepts(body: Body, route: 'query' | 'job' = 'query'): boolean {
  return schemaValidator()(route === 'job' ? { ...body, gcquery: { run: 'job' } } : body) as boolean;
}

function sandboxAccepts(body: Body, route: 'query' | 'job' = 'query'): boolean {
  try {
    parseQueryBody(body, route, defaultOptions());
    return true;
  } catch {
    return false;
  }
}

const withPredicate = (kind: FilterKind, predicate: Body): Body => ({ interval: INTERVAL, [FILTER_FIELD[kind]]: [{ type: 'and', predicates: [predicate] }] });

describe('query-file schema (generated from the vocabulary)', () => {
  it('accepts every dimension and metric of every filter kind, as the sandbox does', () => {
    let count = 0;
    for (const kind of KINDS) {
      const { dimensions, metrics } = FILTER_VOCABULARY[kind];
      for (const dimension of dimensions) {
        const body = withPredicate(kind, { type: 'dimension', dimension, operator: 'matches', value: DIMENSION_VALUES[dimension]?.[0] ?? 'x' });
        assert.ok(schemaAccepts(body), `${kind} dimension ${dimension}`);
        assert.ok(sandboxAccepts(body), `sandbox: ${kind} dimension ${dimension}`);
        count++;
      }
      for (const metric of metrics) {
        const body = withPredicate(kind, { type: 'metric', metric, range: { gte: 0 } });
        assert.ok(schemaAccepts(body), `${kind} metric ${metric}`);
        assert.ok(sandboxAccepts(body), `sandbox: ${kind} metric ${metric}`);
        count++;
      }
    }
    const expected = KINDS.reduce((n, k) => n + FILTER_VOCABULARY[k].dimensions.length + FILTER_VOCABULARY[k].metrics.length, 0);
    assert.equal(count, expected);
    assert.ok(count > 150, `${count} names checked`);
  });

  it('accepts every operator, filter type, order, orderBy, property type and aggregation type', () => {
    for (const operator of OPERATOR) {
      assert.ok(schemaAccepts(withPredicate('segment', { dimension: 'queueId', operator, ...(operator === 'matches' ? { value: 'q' } : {}) })), operator);
    }
    for (const type of FILTER_TYPE) {
      assert.ok(schemaAccepts({ interval: INTERVAL, segmentFilters: [{ type, clauses: [{ type, predicates: [{ dimension: 'mediaType', value: 'voice' }] }] }] }), type);
    }
    for (const order of ORDER) {
      assert.ok(schemaAccepts({ interval: INTERVAL, order }), order);
    }
    for (const orderBy of ORDER_BY) {
      assert.ok(schemaAccepts({ interval: INTERVAL, orderBy }), orderBy);
    }
    for (const propertyType of PROPERTY_TYPE) {
      assert.ok(schemaAccepts(withPredicate('segment', { type: 'property', property: 'p', propertyType, value: '1' })), propertyType);
    }
    for (const type of AGGREGATION_TYPE) {
      const agg = type === 'termFrequency' ? { type, dimension: 'mediaType' } : { type, metric: 'tHandle', ranges: [{ gte: 0, lt: 1000 }] };
      assert.ok(schemaAccepts({ interval: INTERVAL, aggregations: [agg] }), type);
    }
  });

  it('offers every value of the enumerated dimensions as completions on `value`', () => {
    const text = JSON.stringify(querySchema);
    for (const [dimension, values] of Object.entries(DIMENSION_VALUES)) {
      for (const v of values) {
        assert.ok(text.includes(JSON.stringify(v)), `${dimension}: ${v}`);
      }
    }
  });

  it('rejects names that are not in the vocabulary, and so does the sandbox', () => {
    const wrong: Body[] = [
      withPredicate('segment', { dimension: 'queueID', value: 'x' }),
      withPredicate('segment', { metric: 'tHandle', range: { gte: 0 } }), // a conversation metric, not a segment one
      withPredicate('conversation', { dimension: 'mediaType', value: 'voice' }), // a segment dimension
      withPredicate('conversation', { metric: 'tHandled', range: { gte: 0 } }),
      withPredicate('segment', { dimension: 'queueId', operator: 'equals', value: 'x' }),
      withPredicate('segment', { type: 'dim', dimension: 'queueId', value: 'x' }),
      withPredicate('conversation', { type: 'property', property: 'p', value: 'x' }),
      withPredicate('segment', { type: 'property', property: 'p', propertyType: 'text', value: 'x' }),
      { interval: INTERVAL, order: 'ascending' },
      { interval: INTERVAL, orderBy: 'start' },
      { interval: INTERVAL, segmentFilters: [{ type: 'xor', predicates: [{ dimension: 'queueId', value: 'x' }] }] },
      { interval: INTERVAL, aggregations: [{ type: 'histogram', dimension: 'mediaType' }] },
    ];
    for (const body of wrong) {
      assert.equal(schemaAccepts(body), false, `schema accepted ${JSON.stringify(body)}`);
      assert.equal(sandboxAccepts(body), false, `sandbox accepted ${JSON.stringify(body)}`);
    }
  });

  describe('agrees with the sandbox on a corpus of bodies', () => {
    // [description, body, route]: the schema and the sandbox's queryBody validation must give the same verdict.
    const corpus: [string, Body, 'query' | 'job'][] = [
      ['minimal', { interval: INTERVAL }, 'query'],
      ['minimal job', { interval: INTERVAL }, 'job'],
      ['no interval', { order: 'asc' }, 'query'],
      ['interval not a string', { interval: 20260101 }, 'query'],
      ['paging in bounds', { interval: INTERVAL, paging: { pageSize: 100, pageNumber: 1 } }, 'query'],
      ['pageSize 0', { interval: INTERVAL, paging: { pageSize: 0, pageNumber: 1 } }, 'query'],
      ['pageSize 101', { interval: INTERVAL, paging: { pageSize: 101, pageNumber: 1 } }, 'query'],
      ['pageNumber 0', { interval: INTERVAL, paging: { pageSize: 10, pageNumber: 0 } }, 'query'],
      ['pageSize not whole', { interval: INTERVAL, paging: { pageSize: 10.5, pageNumber: 1 } }, 'query'],
      ['paging not an object', { interval: INTERVAL, paging: 25 }, 'query'],
      ['paging in a job', { interval: INTERVAL, paging: { pageSize: 10, pageNumber: 1 } }, 'job'],
      ['aggregations in a job', { interval: INTERVAL, aggregations: [{ type: 'termFrequency', dimension: 'mediaType' }] }, 'job'],
      ['limit in a job', { interval: INTERVAL, limit: 500 }, 'job'],
      ['limit 0 in a job', { interval: INTERVAL, limit: 0 }, 'job'],
      ['limit in a sync query', { interval: INTERVAL, limit: 500 }, 'query'],
      ['startOfDayIntervalMatching in a job', { interval: INTERVAL, startOfDayIntervalMatching: true }, 'job'],
      ['startOfDayIntervalMatching not boolean', { interval: INTERVAL, startOfDayIntervalMatching: 'yes' }, 'job'],
      ['startOfDayIntervalMatching in a sync query', { interval: INTERVAL, startOfDayIntervalMatching: true }, 'query'],
      ['unknown top-level field', { interval: INTERVAL, filters: [] }, 'query'],
      ['filters not an array', { interval: INTERVAL, segmentFilters: { type: 'and' } }, 'query'],
      ['filter without predicates or clauses', { interval: INTERVAL, segmentFilters: [{ type: 'and' }] }, 'query'],
      ['filter with empty predicates', { interval: INTERVAL, segmentFilters: [{ type: 'and', predicates: [] }] }, 'query'],
      ['filter without type', { interval: INTERVAL, segmentFilters: [{ predicates: [{ dimension: 'queueId', value: 'q' }] }] }, 'query'],
      ['clause with empty predicates', { interval: INTERVAL, segmentFilters: [{ type: 'or', clauses: [{ type: 'and', predicates: [] }] }] }, 'query'],
      ['predicate type inferred from metric', withPredicate('conversation', { metric: 'tHandle', range: { gt: 0 } }), 'query'],
      ['predicate with nothing to test', withPredicate('segment', { value: 'x' }), 'query'],
      ['matches without value or range', withPredicate('segment', { dimension: 'queueId' }), 'query'],
      ['exists without value', withPredicate('segment', { dimension: 'wrapUpCode', operator: 'exists' }), 'query'],
      ['value not a string', withPredicate('segment', { dimension: 'queueId', value: 42 }), 'query'],
      ['range without bounds', withPredicate('conversation', { metric: 'tHandle', range: {} }), 'query'],
      ['range on a date dimension', withPredicate('conversation', { dimension: 'conversationStart', range: { gte: '2026-01-01T00:00:00Z' } }), 'query'],
      ['metric type without metric', withPredicate('conversation', { type: 'metric', range: { gte: 0 } }), 'query'],
      ['property predicate in a segment filter', withPredicate('segment', { type: 'property', property: 'x', value: 'y' }), 'query'],
      ['property predicate with empty name', withPredicate('segment', { type: 'property', property: '', value: 'y' }), 'query'],
      ['resolution metric', withPredicate('resolution', { metric: 'nNextContactAvoided', range: { gte: 1 } }), 'query'],
      ['survey dimension', withPredicate('survey', { dimension: 'surveyType', value: 'Web' }), 'job'],
      ['termFrequency without dimension', { interval: INTERVAL, aggregations: [{ type: 'termFrequency' }] }, 'query'],
      ['numericRange without ranges', { interval: INTERVAL, aggregations: [{ type: 'numericRange', metric: 'tHandle' }] }, 'query'],
      ['aggregation size 0', { interval: INTERVAL, aggregations: [{ type: 'termFrequency', dimension: 'queueId', size: 0 }] }, 'query'],
      ['body an array', [] as unknown as Body, 'query'],
    ];
    for (const [name, body, route] of corpus) {
      it(`${name} (${route})`, () => {
        assert.equal(schemaAccepts(body, route), sandboxAccepts(body, route), `schema ${schemaAccepts(body, route) ? 'accepts' : 'rejects'}, sandbox ${sandboxAccepts(body, route) ? 'accepts' : 'rejects'}`);
      });
    }
  });

  it('is contributed for *.gcquery.json from the file the build writes, which ships in the package', () => {
    const root = join(__dirname, '../../../..');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation: { fileMatch: string; url: string }[]; languages: { id: string; filenamePatterns?: string[] }[] };
    };
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '*.gcquery.json', url: './dist/schema/gcquery.schema.json' }]);
    assert.ok(manifest.contributes.languages.some((l) => l.id === 'jsonc' && l.filenamePatterns?.includes('*.gcquery.json')));
    assert.match(readFileSync(join(root, '.vscodeignore'), 'utf8'), /^!dist\/schema\/gcquery\.schema\.json$/m);
    assert.match(readFileSync(join(root, 'esbuild.mjs'), 'utf8'), /dist\/schema\/gcquery\.schema\.json/);
  });

  it('describes every property, for hover documentation', () => {
    const missing: string[] = [];
    const walk = (schema: unknown, path: string): void => {
      if (!schema || typeof schema !== 'object') {
        return;
      }
      const s = schema as Record<string, unknown>;
      for (const [key, sub] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {})) {
        const subSchema = sub as Record<string, unknown>;
        // Properties inside if/then only narrow a property already described.
        if (!path.includes('/if') && !path.includes('/then') && !path.includes('/else') && !subSchema.description && !subSchema.$ref) {
          missing.push(`${path}/${key}`);
        }
        walk(sub, `${path}/${key}`);
      }
      for (const k of ['items', 'definitions', 'allOf', 'if', 'then', 'else']) {
        const v = s[k];
        if (k === 'definitions' && v) {
          Object.entries(v as Record<string, unknown>).forEach(([name, d]) => walk(d, `#/definitions/${name}`));
        } else if (Array.isArray(v)) {
          v.forEach((x, i) => walk(x, `${path}/${k}/${i}`));
        } else if (v) {
          walk(v, `${path}/${k}`);
        }
      }
    };
    walk(querySchema, '#');
    assert.deepEqual(missing, []);
  });
});
