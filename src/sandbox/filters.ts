import { isPlainObject } from '../common/isPlainObject';
import { Errors, showValue } from './errors';
import {
  CONVERSATION_DIMENSION, CONVERSATION_METRIC, EVALUATION_DIMENSION, EVALUATION_METRIC, FILTER_TYPE, OPERATOR,
  PREDICATE_TYPE, PROPERTY_TYPE, RESOLUTION_METRIC, SEGMENT_DIMENSION, SEGMENT_METRIC, SURVEY_DIMENSION, SURVEY_METRIC,
} from '../api/vocabulary';
import type { Conversation, Participant, Segment, Session } from './generator/model';

/**
 * The detail-query filter grammar (genesys-api.md §1.1), compiled once per request and then run on the
 * compact model. Semantics chosen for the [?] points: the filters of one array are ANDed; a segment
 * filter is evaluated against one segment at a time (with its session and participant), so an `and`
 * segment filter must be satisfied by a single segment.
 */

type Operator = (typeof OPERATOR)[number];
interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}
interface Predicate {
  kind: 'dimension' | 'metric' | 'property';
  name: string;
  operator: Operator;
  value?: string;
  range?: Range;
}
interface Clause {
  type: 'and' | 'or';
  predicates: Predicate[];
}
export interface CompiledFilter {
  type: 'and' | 'or';
  predicates: Predicate[];
  clauses: Clause[];
}

/** Values of a dimension or metric on one subject (a conversation, or one segment in context). */
export interface Subject {
  dimension(name: string): readonly string[] | undefined;
  metric(name: string): number | undefined;
}

export type FilterKind = 'conversation' | 'segment' | 'evaluation' | 'survey' | 'resolution';

const VOCAB: Record<FilterKind, { prefix: string; dimensions: readonly string[]; metrics: readonly string[] }> = {
  conversation: { prefix: 'ConversationDetailQuery', dimensions: CONVERSATION_DIMENSION, metrics: CONVERSATION_METRIC },
  segment: { prefix: 'SegmentDetailQuery', dimensions: SEGMENT_DIMENSION, metrics: SEGMENT_METRIC },
  evaluation: { prefix: 'EvaluationDetailQuery', dimensions: EVALUATION_DIMENSION, metrics: EVALUATION_METRIC },
  survey: { prefix: 'SurveyDetailQuery', dimensions: SURVEY_DIMENSION, metrics: SURVEY_METRIC },
  resolution: { prefix: 'ResolutionDetailQuery', dimensions: [], metrics: RESOLUTION_METRIC },
};

function enumValue<T extends string>(v: unknown, allowed: readonly T[], fieldType: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw Errors.invalidValue(showValue(v), fieldType, allowed);
  }
  return v as T;
}

export function compileFilters(raw: unknown, kind: FilterKind, field: string): CompiledFilter[] {
  if (raw === undefined) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw Errors.badRequest(`${field} must be an array of filters.`, field);
  }
  return raw.map((f, i) => compileFilter(f, kind, `${field}[${i}]`));
}

function compileFilter(raw: unknown, kind: FilterKind, field: string): CompiledFilter {
  const vocab = VOCAB[kind];
  if (!isPlainObject(raw)) {
    throw Errors.badRequest(`${field} must be an object.`, field);
  }
  const type = enumValue(raw.type, FILTER_TYPE, `${vocab.prefix}FilterType`);
  const predicates = compilePredicates(raw.predicates, kind, `${field}.predicates`);
  let clauses: Clause[] = [];
  if (raw.clauses !== undefined) {
    if (!Array.isArray(raw.clauses)) {
      throw Errors.badRequest(`${field}.clauses must be an array.`, `${field}.clauses`);
    }
    clauses = raw.clauses.map((c, i) => {
      const cf = `${field}.clauses[${i}]`;
      if (!isPlainObject(c)) {
        throw Errors.badRequest(`${cf} must be an object.`, cf);
      }
      const ct = enumValue(c.type, FILTER_TYPE, `${vocab.prefix}ClauseType`);
      const cp = compilePredicates(c.predicates, kind, `${cf}.predicates`);
      if (cp.length === 0) {
        throw Errors.badRequest(`${cf} must have at least one predicate.`, `${cf}.predicates`);
      }
      return { type: ct, predicates: cp };
    });
  }
  if (predicates.length === 0 && clauses.length === 0) {
    throw Errors.badRequest(`${field} must have at least one predicate or clause.`, field);
  }
  return { type, predicates, clauses };
}

function compilePredicates(raw: unknown, kind: FilterKind, field: string): Predicate[] {
  if (raw === undefined) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw Errors.badRequest(`${field} must be an array.`, field);
  }
  return raw.map((p, i) => compilePredicate(p, kind, `${field}[${i}]`));
}

function compilePredicate(raw: unknown, kind: FilterKind, field: string): Predicate {
  const vocab = VOCAB[kind];
  if (!isPlainObject(raw)) {
    throw Errors.badRequest(`${field} must be an object.`, field);
  }
  const declared = raw.type === undefined ? undefined : enumValue(raw.type, PREDICATE_TYPE, `${vocab.prefix}PredicateType`);
  // "type can usually be inferred": from whichever of metric/dimension/property is present.
  const inferred = declared ?? (raw.metric !== undefined ? 'metric' : raw.property !== undefined ? 'property' : 'dimension');
  const operator = raw.operator === undefined ? 'matches' : enumValue(raw.operator, OPERATOR, `${vocab.prefix}PredicateOperator`);
  let name: string;
  if (inferred === 'metric') {
    name = enumValue(raw.metric, vocab.metrics, `${vocab.prefix}PredicateMetric`);
  } else if (inferred === 'dimension') {
    if (raw.dimension === undefined) {
      throw Errors.badRequest(`${field} must name a dimension, metric or property.`, field);
    }
    name = enumValue(raw.dimension, vocab.dimensions, `${vocab.prefix}PredicateDimension`);
  } else {
    if (kind !== 'segment') {
      throw Errors.badRequest(`${field}: property predicates are only supported in segment filters.`, field);
    }
    if (typeof raw.property !== 'string' || raw.property === '') {
      throw Errors.badRequest(`${field}.property must be a non-empty string.`, `${field}.property`);
    }
    if (raw.propertyType !== undefined) {
      enumValue(raw.propertyType, PROPERTY_TYPE, 'SegmentDetailQueryPredicatePropertyType');
    }
    name = raw.property;
  }
  const pred: Predicate = { kind: inferred, name, operator };
  if (raw.value !== undefined) {
    if (typeof raw.value !== 'string') {
      throw Errors.badRequest(`${field}.value must be a string.`, `${field}.value`);
    }
    pred.value = raw.value;
  }
  if (raw.range !== undefined) {
    pred.range = compileRange(raw.range, `${field}.range`);
  }
  if (operator === 'matches' && pred.value === undefined && pred.range === undefined) {
    throw Errors.badRequest(`${field}: the matches operator needs a value or a range.`, field);
  }
  return pred;
}

function compileRange(raw: unknown, field: string): Range {
  if (!isPlainObject(raw)) {
    throw Errors.badRequest(`${field} must be an object with gt, gte, lt or lte.`, field);
  }
  const out: Range = {};
  let any = false;
  for (const key of ['gt', 'gte', 'lt', 'lte'] as const) {
    const v = raw[key];
    if (v === undefined) {
      continue;
    }
    // Ranges on date dimensions are ISO strings; on metrics, numbers.
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
    if (!Number.isFinite(n)) {
      throw Errors.badRequest(`${field}.${key} must be a number.`, `${field}.${key}`);
    }
    out[key] = n;
    any = true;
  }
  if (!any) {
    throw Errors.badRequest(`${field} must set at least one of gt, gte, lt, lte.`, field);
  }
  return out;
}

function inRange(n: number, r: Range): boolean {
  return (r.gt === undefined || n > r.gt) && (r.gte === undefined || n >= r.gte) && (r.lt === undefined || n < r.lt) && (r.lte === undefined || n <= r.lte);
}

function testPredicate(p: Predicate, s: Subject): boolean {
  if (p.kind === 'metric') {
    const v = s.metric(p.name);
    if (p.operator === 'exists') {
      return v !== undefined;
    }
    if (p.operator === 'notExists') {
      return v === undefined;
    }
    if (v === undefined) {
      return false;
    }
    return (p.range === undefined || inRange(v, p.range)) && (p.value === undefined || Number(p.value) === v);
  }
  const values = s.dimension(p.name);
  const present = values !== undefined && values.length > 0;
  if (p.operator === 'exists') {
    return present;
  }
  if (p.operator === 'notExists') {
    return !present;
  }
  if (!present) {
    return false;
  }
  return values.some((v) => {
    if (p.value !== undefined && v !== p.value) {
      return false;
    }
    if (p.range !== undefined) {
      const n = /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) : Number(v);
      return Number.isFinite(n) && inRange(n, p.range);
    }
    return true;
  });
}

function combine<T>(type: 'and' | 'or', items: readonly T[], test: (t: T) => boolean): boolean {
  return type === 'and' ? items.every(test) : items.some(test);
}

export function testFilter(f: CompiledFilter, s: Subject): boolean {
  const preds = f.predicates.map((p) => () => testPredicate(p, s));
  const clauses = f.clauses.map((c) => () => combine(c.type, c.predicates, (p) => testPredicate(p, s)));
  return combine(f.type, [...preds, ...clauses], (fn) => fn());
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Conversation-level view: metrics summed over every session of every participant. */
export function conversationSubject(c: Conversation): Subject {
  return {
    dimension(name) {
      switch (name) {
        case 'conversationId':
          return [c.conversationId];
        case 'conversationStart':
          return [iso(c.start)];
        case 'conversationEnd':
          return [iso(c.end)];
        case 'conversationInitiator':
          return [c.conversationInitiator];
        case 'originatingDirection':
          return [c.originatingDirection];
        case 'divisionId':
          return c.divisionIds;
        case 'externalTag':
          return c.externalTag === undefined ? undefined : [c.externalTag];
        case 'customerParticipation':
          return [String(c.customerParticipation)];
        case 'mediaStatsMinConversationMos':
          return c.minMos === undefined ? undefined : [String(c.minMos)];
        default:
          return undefined;
      }
    },
    metric(name) {
      let sum: number | undefined;
      for (const p of c.participants) {
        for (const s of p.sessions) {
          for (const m of s.metrics) {
            if (m.name === name) {
              sum = (sum ?? 0) + m.value;
            }
          }
        }
      }
      return sum;
    },
  };
}

/** One segment seen with its session and participant, as segment predicates see it. */
export function segmentSubject(p: Participant, s: Session, g: Segment): Subject {
  const one = (v: string | undefined) => (v === undefined ? undefined : [v]);
  return {
    dimension(name) {
      switch (name) {
        case 'mediaType':
        case 'direction':
        case 'ani':
        case 'dnis':
        case 'messageType':
        case 'provider':
        case 'remote':
        case 'addressFrom':
        case 'addressTo':
        case 'outboundCampaignId':
        case 'usedRouting':
          return one(s[name]);
        case 'purpose':
        case 'userId':
        case 'participantName':
          return one(p[name]);
        case 'queueId':
        case 'wrapUpCode':
        case 'disconnectType':
        case 'subject':
          return one(g[name]);
        case 'segmentType':
          return [g.type];
        case 'segmentEnd':
          return [iso(g.end)];
        case 'flowId':
          return one(s.flow?.flowId);
        case 'flowName':
          return one(s.flow?.flowName);
        case 'exitReason':
          return one(s.flow?.exitReason);
        case 'transferType':
          return one(s.flow?.transferType);
        case 'transferTargetName':
          return one(s.flow?.transferTargetName);
        default:
          return undefined;
      }
    },
    metric(name) {
      return name === 'tSegmentDuration' ? g.end - g.start : undefined;
    },
  };
}

export interface CompiledQueryFilters {
  conversation: CompiledFilter[];
  segment: CompiledFilter[];
  /** Evaluation/survey/resolution filters: the sandbox has no such records, so any of them matches nothing. */
  unsatisfiable: boolean;
}

export function hasFilters(f: CompiledQueryFilters): boolean {
  return f.conversation.length > 0 || f.segment.length > 0 || f.unsatisfiable;
}

export function matchesFilters(c: Conversation, f: CompiledQueryFilters): boolean {
  if (f.unsatisfiable) {
    return false;
  }
  if (f.conversation.length > 0) {
    const subject = conversationSubject(c);
    if (!f.conversation.every((flt) => testFilter(flt, subject))) {
      return false;
    }
  }
  for (const flt of f.segment) {
    let found = false;
    outer: for (const p of c.participants) {
      for (const s of p.sessions) {
        for (const g of s.segments) {
          if (testFilter(flt, segmentSubject(p, s, g))) {
            found = true;
            break outer;
          }
        }
      }
    }
    if (!found) {
      return false;
    }
  }
  return true;
}
