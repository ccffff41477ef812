/**
 * Checks the schema cannot express: the interval (resolved, real dates, start before end, the sync
 * query's length limit), the sync query's row ceiling, and values of enumerated dimensions.
 */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { parseInstant } from '../api/isoInstant';
import { SYNC_MAX_INTERVAL_DAYS, SYNC_ROW_CEILING } from '../api/limits';
import { DIMENSION_VALUES, FILTER_FIELD } from '../api/vocabulary';
import type { QueryProblem, QueryRoute } from './queryFile';
import { nearest, replaceValue, switchRoute } from './queryFixes';
import { isAbsoluteInterval, resolveInterval } from './relativeInterval';
import { isKnownTimeZone } from './zonedTime';

const DAY_MS = 86_400_000;
/**
 * The "could pass 100,000 rows" hint: an unfiltered sync query over more than this many days. A mid-size
 * contact centre handles ~10,000–15,000 conversations a day, so a week of everything already nears the
 * ceiling; with any conversation or segment filter we cannot guess and stay quiet.
 */
export const LARGE_SYNC_UNFILTERED_DAYS = 7;

export interface SemanticInput {
  text: string;
  root: Node;
  body: Record<string, unknown>;
  route: QueryRoute;
  now: Date;
  timeZone: string;
  /** Whether the zone came from the file's `gcquery.timeZone` (then a bad zone is reported there). */
  zoneFromFile: boolean;
}

export interface IntervalOutcome {
  resolved?: string;
  problems: QueryProblem[];
}

const at = (node: Node, severity: QueryProblem['severity'], code: string, message: string, fixes: QueryProblem['fixes'] = []): QueryProblem =>
  ({ severity, code, message, offset: node.offset, length: node.length, fixes });

/** Timezone names for "did you mean" (Node knows them all; older runtimes give none). */
function knownZones(): readonly string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

/** Resolves and checks the interval. Only called when the schema found it well-formed. */
export function checkInterval(input: SemanticInput): IntervalOutcome {
  const { text, root, body, route, now, timeZone } = input;
  const node = findNodeAtLocation(root, ['interval']);
  const written = body.interval;
  if (!node || typeof written !== 'string') {
    return { problems: [] };
  }
  if (!isKnownTimeZone(timeZone) && !isAbsoluteInterval(written)) {
    const zoneNode = input.zoneFromFile ? findNodeAtLocation(root, ['gcquery', 'timeZone']) : undefined;
    const near = nearest(timeZone, knownZones());
    return {
      problems: [at(zoneNode ?? node, 'error', 'unknown-time-zone', `Unknown time zone '${timeZone}'${input.zoneFromFile ? '' : ' (from the settings)'}: use an IANA name such as Europe/London, America/New_York or UTC.`,
        zoneNode ? near.map((z, i) => replaceValue(zoneNode, z, `Change to '${z}'`, i === 0)) : [])],
    };
  }
  const resolved = resolveInterval(written, now, timeZone);
  if ('error' in resolved) {
    return { problems: [at(node, 'error', 'interval-invalid', `The interval is not valid: ${resolved.error}`)] };
  }
  const [start, end] = resolved.interval.split('/').map((p) => parseInstant(p)) as [number | undefined, number | undefined];
  if (start === undefined || end === undefined) {
    const bad = resolved.interval.split('/')[start === undefined ? 0 : 1]!.trim();
    return { problems: [at(node, 'error', 'interval-invalid', `The interval is not valid: '${bad}' is not a real ISO-8601 date-time (such as 2026-01-01T00:00:00Z).`)] };
  }
  const problems: QueryProblem[] = [];
  if (start >= end) {
    const parts = written.split('/');
    const fixes = isAbsoluteInterval(written) ? [replaceValue(node, `${parts[1]!.trim()}/${parts[0]!.trim()}`, 'Swap start and end', true)] : [];
    problems.push(at(node, 'error', 'interval-reversed', `The interval '${written}' starts at or after its end${written.trim() === resolved.interval ? '' : ` (${resolved.interval})`}; swap the two dates.`, fixes));
    return { problems };
  }
  const days = (end - start) / DAY_MS;
  if (route === 'query' && days > SYNC_MAX_INTERVAL_DAYS) {
    problems.push(at(node, 'error', 'interval-too-long',
      `A sync query covers at most ${SYNC_MAX_INTERVAL_DAYS} days; this interval spans ${days.toFixed(1)}. Run it as an async job, or shorten the interval.`,
      [switchRoute(text, 'job', true)]));
  } else if (route === 'query' && days > LARGE_SYNC_UNFILTERED_DAYS && !hasFilters(body)) {
    problems.push(at(node, 'hint', 'large-sync',
      `${Math.round(days)} days of unfiltered conversations can pass the sync query's ${SYNC_ROW_CEILING.toLocaleString('en-US')}-row ceiling; an async job has none.`,
      [switchRoute(text, 'job')]));
  }
  return { resolved: resolved.interval, problems };
}

function hasFilters(body: Record<string, unknown>): boolean {
  return ['conversationFilters', 'segmentFilters'].some((k) => Array.isArray(body[k]) && (body[k] as unknown[]).length > 0);
}

/** pageNumber × pageSize beyond the sync query's ceiling: the API answers 400. */
export function checkPagingCeiling(input: SemanticInput): QueryProblem[] {
  const paging = input.body.paging as { pageSize?: unknown; pageNumber?: unknown } | undefined;
  const node = findNodeAtLocation(input.root, ['paging']);
  if (input.route !== 'query' || !node || typeof paging?.pageNumber !== 'number') {
    return [];
  }
  const size = typeof paging.pageSize === 'number' ? paging.pageSize : 25;
  if (paging.pageNumber * size <= SYNC_ROW_CEILING) {
    return [];
  }
  return [at(node.parent ?? node, 'error', 'paging-ceiling',
    `Page ${paging.pageNumber} of ${size} rows reaches past row ${SYNC_ROW_CEILING.toLocaleString('en-US')}, the most a sync query pages through. Run it as an async job, or narrow the interval.`,
    [switchRoute(input.text, 'job', true)])];
}

/** `value` of an enumerated dimension that is not one of its values (a warning: the API matches it exactly). */
export function checkDimensionValues(input: SemanticInput): QueryProblem[] {
  const problems: QueryProblem[] = [];
  for (const field of Object.values(FILTER_FIELD)) {
    const filters = findNodeAtLocation(input.root, [field]);
    for (const predicate of predicatesIn(filters)) {
      const dimension = childValue(predicate, 'dimension');
      const valueNode = childNode(predicate, 'value');
      const allowed = typeof dimension === 'string' ? DIMENSION_VALUES[dimension] : undefined;
      if (!allowed || valueNode?.type !== 'string' || allowed.includes(valueNode.value as string)) {
        continue;
      }
      const near = nearest(valueNode.value as string, allowed);
      const hint = near.length > 0 ? `Did you mean '${near[0]}'?` : `Known values: ${allowed.join(', ')}.`;
      problems.push(at(valueNode, 'warning', 'unknown-dimension-value',
        `'${String(valueNode.value)}' is not a known ${String(dimension)}, so it will match nothing (values are case-sensitive). ${hint}`,
        near.map((n, i) => replaceValue(valueNode, n, `Change to '${n}'`, i === 0))));
    }
  }
  return problems;
}

function childNode(obj: Node, key: string): Node | undefined {
  return obj.type === 'object' ? obj.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1] : undefined;
}

function childValue(obj: Node, key: string): unknown {
  return childNode(obj, key)?.value;
}

/** Every predicate object of a filter array (filters' predicates and their clauses' predicates). */
function predicatesIn(filters: Node | undefined): Node[] {
  const out: Node[] = [];
  const preds = (holder: Node): void => {
    const list = childNode(holder, 'predicates');
    out.push(...(list?.type === 'array' ? (list.children ?? []).filter((n) => n.type === 'object') : []));
  };
  for (const filter of filters?.type === 'array' ? (filters.children ?? []) : []) {
    preds(filter);
    const clauses = childNode(filter, 'clauses');
    for (const clause of clauses?.type === 'array' ? (clauses.children ?? []) : []) {
      preds(clause);
    }
  }
  return out;
}
