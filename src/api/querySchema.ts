/**
 * The query-file JSON Schema, generated from the API vocabulary (vocabulary.ts) — never hand-copied.
 * VS Code's JSON support uses it (through `jsonValidation`, written to dist/schema/gcquery.schema.json by
 * esbuild.mjs) for completion, hover and squiggles; checkQueryFile validates with ajv against this same
 * object. Keys VS Code understands beyond JSON Schema (`markdownDescription`, `errorMessage`,
 * `enumDescriptions`, `allowTrailingCommas`, `doNotSuggest`) are annotations to ajv; `gcMessage` is ours:
 * the message checkQueryFile shows when an `anyOf` of that schema fails.
 */
import { JOB_MAX_PAGE_SIZE, SYNC_MAX_PAGE_SIZE } from './limits';
import { INTERVAL_EXAMPLES, INTERVAL_PATTERN } from '../queryFiles/intervalGrammar';
import {
  AGGREGATION_TYPE, CONVERSATION_DIMENSION, DIMENSION_VALUES, FILTER_FIELD, FILTER_TYPE, FILTER_VOCABULARY,
  type FilterKind, OPERATOR, ORDER, ORDER_BY, PREDICATE_TYPE, PROPERTY_TYPE, SEGMENT_DIMENSION,
} from './vocabulary';

export type JsonSchema = { [key: string]: unknown };

/** The keys only an async job accepts, and only a sync query accepts. */
export const JOB_ONLY_KEYS = ['limit', 'startOfDayIntervalMatching'] as const;
export const SYNC_ONLY_KEYS = ['paging', 'aggregations'] as const;
export const META_SCHEMA_KEY = '$schema';

const KIND_TITLE: Record<FilterKind, string> = {
  conversation: 'conversation-level data (one row per conversation)',
  segment: 'segments (matched per segment, with its session and participant)',
  evaluation: 'quality evaluations',
  survey: 'surveys',
  resolution: 'resolutions (next-contact avoidance)',
};

const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const enumOf = (values: readonly string[], description: string, what: string): JsonSchema => ({
  type: 'string',
  enum: [...values],
  description,
  errorMessage: `Not a valid ${what}. Press Ctrl+Space for the accepted values.`,
});

function range(): JsonSchema {
  const bound = (op: string): JsonSchema => ({
    type: ['number', 'string'],
    description: `${op}: a number for metrics (milliseconds for t-metrics), an ISO-8601 date-time for date dimensions.`,
  });
  return {
    type: 'object',
    description: 'A numeric (or date) range the metric or dimension must fall in; set at least one bound.',
    properties: { gt: bound('Greater than'), gte: bound('Greater than or equal'), lt: bound('Less than'), lte: bound('Less than or equal') },
    additionalProperties: false,
    minProperties: 1,
  };
}

/** `value` completions for enumerated dimensions: examples (not an enum) since the API accepts any string. */
function dimensionValueRules(dimensions: readonly string[]): JsonSchema[] {
  return dimensions
    .filter((d) => DIMENSION_VALUES[d])
    .map((d) => ({
      if: { properties: { dimension: { const: d } }, required: ['dimension'] },
      then: { properties: { value: { type: 'string', examples: [...DIMENSION_VALUES[d]!], description: `A ${d}: ${DIMENSION_VALUES[d]!.join(', ')}.` } } },
    }));
}

function predicate(kind: FilterKind): JsonSchema {
  const { dimensions, metrics } = FILTER_VOCABULARY[kind];
  const types = kind === 'segment' ? PREDICATE_TYPE : PREDICATE_TYPE.filter((t) => t !== 'property');
  const properties: JsonSchema = {
    type: enumOf(types, 'What the predicate tests; usually inferred from whichever of dimension, metric or property is set.', 'predicate type'),
    ...(dimensions.length > 0 ? { dimension: enumOf(dimensions, `A ${kind} dimension to test.`, `${kind} dimension`) } : {}),
    metric: enumOf(metrics, `A ${kind} metric to test (t-metrics are milliseconds, n-metrics counts, o-metrics observations).`, `${kind} metric`),
    operator: { ...enumOf(OPERATOR, '`matches` (default) compares with `value` or `range`; `exists`/`notExists` test presence.', 'operator'), default: 'matches' },
    value: str('The value to match, as a string (IDs are UUIDs; enumerated dimensions are case-sensitive).'),
    range: range(),
  };
  if (kind === 'segment') {
    properties.property = str('A custom segment property name (with `type: "property"`).', { minLength: 1 });
    properties.propertyType = enumOf(PROPERTY_TYPE, 'The type of the custom property.', 'property type');
  }
  const requires = (type: string, key: string): JsonSchema => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { required: [key] },
  });
  return {
    type: 'object',
    description: `A predicate on ${KIND_TITLE[kind]}: a dimension, metric${kind === 'segment' ? ' or property' : ''} and a value or range.`,
    properties,
    additionalProperties: false,
    allOf: [
      ...(dimensions.length > 0 ? [requires('dimension', 'dimension')] : []),
      requires('metric', 'metric'),
      ...(kind === 'segment' ? [requires('property', 'property')] : []),
      {
        if: { not: { anyOf: [{ required: ['type'] }, { required: ['metric'] }, { required: ['property'] }] } },
        then: { required: [dimensions.length > 0 ? 'dimension' : 'metric'] },
      },
      {
        if: { not: { properties: { operator: { enum: ['exists', 'notExists'] } }, required: ['operator'] } },
        then: { anyOf: [{ required: ['value'] }, { required: ['range'] }], gcMessage: "The 'matches' operator needs a 'value' or a 'range'." },
      },
      ...dimensionValueRules(dimensions),
    ],
  };
}

function filterDefinitions(kind: FilterKind): JsonSchema {
  const pred = { $ref: `#/definitions/${kind}Predicate` };
  const type = enumOf(FILTER_TYPE, 'How the predicates and clauses combine: `and` (all) or `or` (any).', 'filter type');
  return {
    [`${kind}Predicate`]: predicate(kind),
    [`${kind}Clause`]: {
      type: 'object',
      description: 'A group of predicates combined by its own `type` (the second level of nesting).',
      properties: { type, predicates: { type: 'array', items: pred, minItems: 1, description: 'The clause\'s predicates (at least one).' } },
      required: ['type', 'predicates'],
      additionalProperties: false,
    },
    [`${kind}Filter`]: {
      type: 'object',
      description: `A filter on ${KIND_TITLE[kind]}. The filters of one array are ANDed.`,
      properties: {
        type,
        predicates: { type: 'array', items: pred, description: 'Predicates combined by the filter\'s `type`.' },
        clauses: { type: 'array', items: { $ref: `#/definitions/${kind}Clause` }, description: 'Clauses (groups of predicates) combined by the filter\'s `type`.' },
      },
      required: ['type'],
      additionalProperties: false,
      anyOf: [
        { required: ['predicates'], properties: { predicates: { minItems: 1 } } },
        { required: ['clauses'], properties: { clauses: { minItems: 1 } } },
      ],
      gcMessage: 'A filter needs at least one predicate or clause.',
    },
  };
}

const KINDS = Object.keys(FILTER_FIELD) as FilterKind[];

function aggregation(): JsonSchema {
  return {
    type: 'object',
    description: 'A facet over the matching conversations (sync query only; does not filter).',
    properties: {
      type: enumOf(AGGREGATION_TYPE, '`termFrequency` counts values of a dimension; `numericRange` buckets a metric.', 'aggregation type'),
      dimension: enumOf([...CONVERSATION_DIMENSION, ...SEGMENT_DIMENSION], 'The dimension to count (termFrequency).', 'dimension'),
      metric: str('The metric to bucket (numericRange).'),
      size: { type: 'integer', minimum: 1, maximum: 1000, description: 'How many of the most frequent values (termFrequency, default 10).' },
      ranges: {
        type: 'array',
        minItems: 1,
        description: 'The buckets (numericRange).',
        items: { type: 'object', properties: { gte: { type: 'number', description: 'Lower bound (inclusive).' }, lt: { type: 'number', description: 'Upper bound (exclusive).' } }, additionalProperties: false },
      },
    },
    required: ['type'],
    additionalProperties: false,
    allOf: [
      { if: { properties: { type: { const: 'termFrequency' } }, required: ['type'] }, then: { required: ['dimension'] } },
      { if: { properties: { type: { const: 'numericRange' } }, required: ['type'] }, then: { required: ['metric', 'ranges'] } },
    ],
  };
}

const NOT_HERE = (message: string): JsonSchema => ({ not: {}, errorMessage: message, doNotSuggest: true });

/** Builds the schema object. Pure and deterministic: the build writes it, the engine compiles it. */
export function buildQuerySchema(): JsonSchema {
  const definitions: JsonSchema = {};
  for (const kind of KINDS) {
    Object.assign(definitions, filterDefinitions(kind));
  }
  const filterFields = Object.fromEntries(
    KINDS.map((kind) => [FILTER_FIELD[kind], { type: 'array', items: { $ref: `#/definitions/${kind}Filter` }, description: `Filters on ${KIND_TITLE[kind]}.` }]),
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Genesys Cloud conversation-details query file (*.gcquery.json)',
    description: 'A conversation-detail query body (sent as is) plus an optional `gcquery` object of metadata (never sent).',
    type: 'object',
    allowTrailingCommas: true,
    properties: {
      [META_SCHEMA_KEY]: { type: 'string', description: 'The JSON Schema of this file (not sent).' },
      gcquery: {
        type: 'object',
        description: 'Metadata for the extension; removed before the query is sent.',
        properties: {
          name: str('The run\'s label in the Query History (default: the file name).'),
          run: { type: 'string', enum: ['query', 'job'], enumDescriptions: ['Synchronous query: pages with `paging` in the body; up to 31 days and 100,000 rows.', 'Asynchronous job: submitted, polled, then read with a cursor; for large exports.'], description: 'Which API runs the file: `query` (default) or `job`.', default: 'query' },
          pageSize: { type: 'integer', minimum: 1, maximum: JOB_MAX_PAGE_SIZE, description: `Job results page size (1..${JOB_MAX_PAGE_SIZE}). A sync query pages with \`paging\` in the body.` },
          timeZone: str('IANA time zone for relative intervals such as "yesterday" (default: the setting, else this machine\'s).', { examples: ['UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney'] }),
        },
        additionalProperties: false,
      },
      interval: str(
        'Required. ISO-8601 `start/end` in UTC (`2026-01-01T00:00:00Z/2026-01-02T00:00:00Z`), or a relative interval resolved when the query runs: `today`, `yesterday`, `last 7 days`, `this week`, `last week`, `this month`, `last month`, `P1D/now`, `PT4H/now`, `now-P7D/now`.',
        { pattern: INTERVAL_PATTERN, examples: INTERVAL_EXAMPLES, errorMessage: 'Not an interval: use ISO-8601 start/end (2026-01-01T00:00:00Z/2026-01-02T00:00:00Z) or a relative one such as "yesterday", "last 7 days" or "P1D/now".' },
      ),
      order: { ...enumOf(ORDER, 'Sort direction (default `asc`).', 'order'), default: 'asc' },
      orderBy: { ...enumOf(ORDER_BY, 'Sort key (default `conversationStart`).', 'orderBy'), default: 'conversationStart' },
      paging: {
        type: 'object',
        description: 'Sync query only: which page to return. Jobs page their results with a cursor instead.',
        properties: {
          pageSize: { type: 'integer', minimum: 1, maximum: SYNC_MAX_PAGE_SIZE, default: 25, description: `Rows per page, 1..${SYNC_MAX_PAGE_SIZE} (default 25).` },
          pageNumber: { type: 'integer', minimum: 1, default: 1, description: 'The page, from 1.' },
        },
        additionalProperties: false,
      },
      aggregations: { type: 'array', items: aggregation(), description: 'Sync query only: facets over the matching set.' },
      limit: { type: 'integer', minimum: 1, description: 'Job only: the most conversations to return in total.' },
      startOfDayIntervalMatching: { type: 'boolean', description: 'Job only: keep only conversations that started after the start (UTC day) of the interval, as the sync query does.' },
      ...filterFields,
    },
    required: ['interval'],
    additionalProperties: false,
    // Route-dependent keys: `gcquery.run: "job"` makes paging/aggregations errors; otherwise limit/startOfDayIntervalMatching.
    if: { properties: { gcquery: { properties: { run: { const: 'job' } }, required: ['run'] } }, required: ['gcquery'] },
    then: {
      properties: Object.fromEntries(SYNC_ONLY_KEYS.map((k) => [k, NOT_HERE(`An async job does not accept '${k}'; remove it, or set "gcquery": { "run": "query" }.`)])),
    },
    else: {
      properties: Object.fromEntries(JOB_ONLY_KEYS.map((k) => [k, NOT_HERE(`Only an async job accepts '${k}'; remove it, or set "gcquery": { "run": "job" }.`)])),
    },
    definitions,
  };
}

/** The schema object, built once. */
export const querySchema: JsonSchema = buildQuerySchema();
