import { isPlainObject } from '../common/isPlainObject';
import { Errors, showValue } from './errors';
import { AGGREGATION_TYPE, CONVERSATION_DIMENSION, ORDER, ORDER_BY, SEGMENT_DIMENSION } from '../api/vocabulary';
import { parseInstant } from '../api/isoInstant';
import { compileFilters, type CompiledQueryFilters } from './filters';
import type { SandboxOptions } from './options';

/** A validated ConversationQuery (sync) or AsyncConversationQuery (job) body. */
export interface ParsedQuery {
  route: 'query' | 'job';
  start: number;
  end: number;
  order: 'asc' | 'desc' | 'unordered';
  orderBy: (typeof ORDER_BY)[number];
  filters: CompiledQueryFilters;
  /** Sync only. */
  pageSize: number;
  pageNumber: number;
  aggregations: Aggregation[];
  /** Jobs only. */
  limit?: number;
  startOfDayIntervalMatching: boolean;
  /** Canonical form of everything that selects rows (not paging): the result-set cache key. */
  selectionKey: string;
}

export interface Aggregation {
  type: 'termFrequency' | 'numericRange';
  dimension?: string;
  metric?: string;
  size: number;
  ranges: { gte?: number; lt?: number }[];
}

const FILTER_FIELDS = ['conversationFilters', 'segmentFilters', 'evaluationFilters', 'surveyFilters', 'resolutionFilters'];
const QUERY_FIELDS = new Set(['interval', 'order', 'orderBy', 'paging', 'aggregations', ...FILTER_FIELDS]);
const JOB_FIELDS = new Set(['interval', 'order', 'orderBy', 'limit', 'startOfDayIntervalMatching', ...FILTER_FIELDS]);

export function parseInterval(raw: unknown): { start: number; end: number } {
  if (raw === undefined || raw === null) {
    throw Errors.badRequest('interval is required.', 'interval');
  }
  if (typeof raw !== 'string') {
    throw Errors.invalidDate('interval must be a string "start/end".');
  }
  const parts = raw.split('/');
  if (parts.length !== 2) {
    throw Errors.invalidDate(`Invalid interval [${raw}]: expected "start/end".`);
  }
  const start = parseInstant(parts[0]);
  const end = parseInstant(parts[1]);
  if (start === undefined || end === undefined) {
    throw Errors.invalidDate(`Invalid interval [${raw}].`);
  }
  if (start >= end) {
    throw Errors.invalidDate(`Invalid interval [${raw}]: the start must be before the end.`);
  }
  return { start, end };
}

function positiveInt(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw Errors.badRequest(`${field} must be an integer ${range}; got ${showValue(typeof v === 'string' ? JSON.stringify(v) : v)}.`, field);
  }
  return v;
}

export function parseQueryBody(body: unknown, route: 'query' | 'job', o: SandboxOptions): ParsedQuery {
  if (!isPlainObject(body)) {
    throw Errors.badRequest('The request body must be a JSON object.');
  }
  const allowed = route === 'query' ? QUERY_FIELDS : JOB_FIELDS;
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) {
      if (route === 'job' && key === 'paging') {
        throw Errors.badRequest(
          'paging is not supported on async jobs: submit the query without paging, then page the results with cursor and pageSize on GET .../jobs/{jobId}/results.',
          'paging',
        );
      }
      throw Errors.badRequest(`Unrecognized field "${key}" in the ${route === 'query' ? 'ConversationQuery' : 'AsyncConversationQuery'} body.`, key);
    }
  }
  const { start, end } = parseInterval(body.interval);
  if (route === 'query' && o.maxSyncIntervalDays > 0 && end - start > o.maxSyncIntervalDays * 86_400_000) {
    throw Errors.badRequest(`The interval may not exceed ${o.maxSyncIntervalDays} days for a synchronous query; use an async job.`, 'interval');
  }
  const order = body.order === undefined ? 'asc' : enumOf(body.order, ORDER, 'Order');
  const orderBy = body.orderBy === undefined ? 'conversationStart' : enumOf(body.orderBy, ORDER_BY, 'OrderBy');

  let pageSize = 25;
  let pageNumber = 1;
  if (body.paging !== undefined) {
    if (!isPlainObject(body.paging)) {
      throw Errors.badRequest('paging must be an object {pageSize, pageNumber}.', 'paging');
    }
    if (body.paging.pageSize !== undefined) {
      pageSize = positiveInt(body.paging.pageSize, 'paging.pageSize', 1, o.syncMaxPageSize);
    }
    if (body.paging.pageNumber !== undefined) {
      pageNumber = positiveInt(body.paging.pageNumber, 'paging.pageNumber', 1, Number.MAX_SAFE_INTEGER);
    }
    if (o.deepPagingCap > 0 && pageNumber * pageSize > o.deepPagingCap) {
      throw Errors.badRequest(`Pagination may not exceed ${o.deepPagingCap} results`, 'paging');
    }
  }
  let limit: number | undefined;
  if (body.limit !== undefined) {
    limit = positiveInt(body.limit, 'limit', 1, Number.MAX_SAFE_INTEGER);
  }
  let startOfDayIntervalMatching = false;
  if (body.startOfDayIntervalMatching !== undefined) {
    if (typeof body.startOfDayIntervalMatching !== 'boolean') {
      throw Errors.badRequest('startOfDayIntervalMatching must be a boolean.', 'startOfDayIntervalMatching');
    }
    startOfDayIntervalMatching = body.startOfDayIntervalMatching;
  }
  const conversation = compileFilters(body.conversationFilters, 'conversation', 'conversationFilters');
  const segment = compileFilters(body.segmentFilters, 'segment', 'segmentFilters');
  const others = [
    compileFilters(body.evaluationFilters, 'evaluation', 'evaluationFilters'),
    compileFilters(body.surveyFilters, 'survey', 'surveyFilters'),
    compileFilters(body.resolutionFilters, 'resolution', 'resolutionFilters'),
  ];
  const aggregations = parseAggregations(body.aggregations);
  const selectionKey = JSON.stringify([
    route, start, end, order, orderBy, limit ?? null, startOfDayIntervalMatching,
    // The compiled filters, not the raw body: they hold only validated fields, so unknown keys (which
    // may nest deeply enough to overflow JSON.stringify) neither crash the request nor split the cache.
    conversation, segment, others,
  ]);
  return {
    route,
    start,
    end,
    order,
    orderBy,
    filters: { conversation, segment, unsatisfiable: others.some((f) => f.length > 0) },
    pageSize,
    pageNumber,
    aggregations,
    limit,
    startOfDayIntervalMatching,
    selectionKey,
  };
}

function enumOf<T extends string>(v: unknown, allowed: readonly T[], fieldType: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw Errors.invalidValue(showValue(v), fieldType, allowed);
  }
  return v as T;
}

function parseAggregations(raw: unknown): Aggregation[] {
  if (raw === undefined) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw Errors.badRequest('aggregations must be an array.', 'aggregations');
  }
  return raw.map((a, i) => {
    const field = `aggregations[${i}]`;
    if (!isPlainObject(a)) {
      throw Errors.badRequest(`${field} must be an object.`, field);
    }
    const type = enumOf(a.type, AGGREGATION_TYPE, 'AnalyticsQueryAggregationType');
    const agg: Aggregation = { type, size: 10, ranges: [] };
    if (type === 'termFrequency') {
      agg.dimension = enumOf(a.dimension, [...CONVERSATION_DIMENSION, ...SEGMENT_DIMENSION], 'AnalyticsQueryAggregationDimension');
      if (a.size !== undefined) {
        agg.size = positiveInt(a.size, `${field}.size`, 1, 1000);
      }
    } else {
      if (typeof a.metric !== 'string') {
        throw Errors.badRequest(`${field}.metric is required for numericRange.`, `${field}.metric`);
      }
      agg.metric = a.metric;
      if (!Array.isArray(a.ranges) || a.ranges.length === 0) {
        throw Errors.badRequest(`${field}.ranges is required for numericRange.`, `${field}.ranges`);
      }
      agg.ranges = a.ranges.map((r, j) => {
        if (!isPlainObject(r) || (r.gte !== undefined && typeof r.gte !== 'number') || (r.lt !== undefined && typeof r.lt !== 'number')) {
          throw Errors.badRequest(`${field}.ranges[${j}] must be {gte?: number, lt?: number}.`, `${field}.ranges[${j}]`);
        }
        return { gte: r.gte as number | undefined, lt: r.lt as number | undefined };
      });
    }
    return agg;
  });
}
