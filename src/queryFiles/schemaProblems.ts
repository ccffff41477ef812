/**
 * Turns ajv's errors (against the generated schema) into problems on the right range — the offending
 * value, or the key of an unknown or misplaced property — with messages a user can act on and the
 * quick fixes the common mistakes have (nearest spelling, the bound of a range, remove / switch route).
 */
import type { ErrorObject } from 'ajv';
import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';
import { JOB_ONLY_KEYS, type JsonSchema } from '../api/querySchema';
import type { QueryFix, QueryProblem, QueryRoute } from './queryFile';
import { addProperty, nearest, removeProperty, renameKey, replaceValue, switchRoute } from './queryFixes';

/** `/segmentFilters/0/dimension` → ['segmentFilters', 0, 'dimension']. */
export function pointerToPath(pointer: string): JSONPath {
  if (pointer === '') {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `['segmentFilters', 0, 'dimension']` → `segmentFilters[0].dimension`. */
export function fieldName(path: JSONPath): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '') || 'the file';
}

/** What an enum names, for messages: "segment dimension", "operator". */
function enumNoun(path: JSONPath): string {
  const last = String(path[path.length - 1]);
  const kind = path.find((p): p is string => typeof p === 'string' && p.endsWith('Filters'))?.replace('Filters', '');
  return kind && (last === 'dimension' || last === 'metric') ? `${kind} ${last}` : last;
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

interface Context {
  text: string;
  root: Node;
  route: QueryRoute;
}

function problem(node: Node, message: string, code: string, fixes: QueryFix[] = []): QueryProblem {
  return { severity: 'error', message, offset: node.offset, length: node.length, code, fixes };
}

function unknownKey(ctx: Context, e: ErrorObject, objPath: JSONPath, objNode: Node): QueryProblem {
  const key = String(e.params.additionalProperty);
  const prop = objNode.children?.find((p) => p.children?.[0]?.value === key);
  const keyNode = prop?.children?.[0] ?? objNode;
  const known = Object.keys((e.parentSchema?.properties as JsonSchema | undefined) ?? {});
  const near = nearest(key, known);
  const where = objPath.length === 0 ? 'a query file' : fieldName(objPath);
  const hint = near.length > 0 ? ` Did you mean '${near[0]}'?` : ` Known fields: ${known.join(', ')}.`;
  return problem(keyNode, `Unknown field '${key}' in ${where}.${hint}`, 'unknown-key', [
    ...near.map((n, i) => renameKey(keyNode, n, i === 0)),
    removeProperty(ctx.text, [...objPath, key], near.length === 0),
  ]);
}

/** A key the other route accepts (paging in a job, limit in a sync query): remove it, or switch route. */
function wrongRoute(ctx: Context, path: JSONPath, node: Node): QueryProblem {
  const key = String(path[path.length - 1]);
  const prop = node.parent ?? node;
  const jobOnly = (JOB_ONLY_KEYS as readonly string[]).includes(key);
  if (jobOnly) {
    return problem(prop, `Only an async job accepts '${key}'; a sync query does not. Remove it, or run the file as a job.`, 'job-only-key', [
      removeProperty(ctx.text, path, true),
      switchRoute(ctx.text, 'job'),
    ]);
  }
  const message = key === 'paging'
    ? "An async job body must not contain 'paging': job results are read page by page with a cursor after the job completes (the page size is gcquery.pageSize). Remove 'paging', or run the file as a sync query."
    : `An async job does not accept '${key}' (only the sync query does). Remove it, or run the file as a sync query.`;
  return problem(prop, message, key === 'paging' ? 'paging-in-job' : 'sync-only-key', [removeProperty(ctx.text, path, true), switchRoute(ctx.text, 'query')]);
}

function fromError(ctx: Context, e: ErrorObject): QueryProblem | undefined {
  const path = pointerToPath(e.instancePath);
  const node = findNodeAtLocation(ctx.root, path) ?? ctx.root;
  const field = fieldName(path);
  const data: unknown = e.data;
  switch (e.keyword) {
    case 'additionalProperties':
      return unknownKey(ctx, e, path, node);
    case 'not':
      return wrongRoute(ctx, path, node);
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const near = typeof data === 'string' ? nearest(data, allowed) : [];
      const noun = enumNoun(path);
      const hint = near.length > 0 ? ` Did you mean '${near[0]}'?` : allowed.length <= 12 ? ` Use one of: ${allowed.join(', ')}.` : ' Press Ctrl+Space in the value for the list.';
      return problem(node, `${show(data)} is not a valid ${noun} (${field}).${hint}`, 'unknown-value', near.map((n, i) => replaceValue(node, n, `Change to '${n}'`, i === 0)));
    }
    case 'minimum':
    case 'maximum': {
      const bound = e.params.limit as number;
      const other = (e.parentSchema?.[e.keyword === 'minimum' ? 'maximum' : 'minimum'] as number | undefined);
      const [lo, hi] = e.keyword === 'minimum' ? [bound, other] : [other, bound];
      const span = hi === undefined ? `at least ${lo}` : lo === undefined ? `at most ${hi}` : `from ${lo} to ${hi}`;
      const more = field === 'paging.pageSize' && e.keyword === 'maximum' ? ' For more rows, fetch more pages or run an async job.' : '';
      const whole = e.parentSchema?.type === 'integer' ? 'a whole number ' : '';
      return problem(node, `${field} must be ${whole}${span} (got ${show(data)}).${more}`, 'out-of-range', [replaceValue(node, bound, `Change to ${bound}`, true)]);
    }
    case 'type': {
      const want = String(e.params.type).replace(',', ' or ');
      const got = Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`;
      return problem(node, `${field} must be ${/^[aeiou]/.test(want) ? 'an' : 'a'} ${want} (got ${got}).`, 'wrong-type');
    }
    case 'required': {
      const missing = String(e.params.missingProperty);
      const target = node.parent?.type === 'property' ? node.parent.children![0]! : { ...node, length: 1 };
      const fixes = path.length === 0 && missing === 'interval' ? [addProperty(ctx.text, ['interval'], 'yesterday', 'Add "interval": "yesterday"')] : [];
      return problem(target, `${field === 'the file' ? 'The query' : field} needs '${missing}'.${missing === 'interval' ? ' For example "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z" or "yesterday".' : ''}`, 'missing-field', fixes);
    }
    case 'pattern':
      return problem(node, `${show(data)}: ${String(e.parentSchema?.errorMessage ?? `${field} has the wrong format.`)}`, field === 'interval' ? 'interval-format' : 'wrong-format');
    case 'anyOf':
      return problem(node, String(e.parentSchema?.gcMessage ?? `${field} does not match any accepted form.`), 'incomplete');
    case 'minItems':
      return problem(node, `${field} must have at least ${String(e.params.limit)} item(s).`, 'empty');
    case 'minLength':
      return problem(node, `${field} must not be empty.`, 'empty');
    case 'minProperties':
      return problem(node, `${field} must set at least one of its fields.`, 'empty');
    default:
      return problem(node, `${field} ${e.message ?? 'is not valid'}.`, 'schema');
  }
}

/**
 * Problems for ajv's errors. Noise is dropped: the `if` wrapper of a failed `then`, and the branch errors of
 * a failed `anyOf` (the anyOf's own message says it better). One problem per range and check.
 */
export function schemaProblems(errors: readonly ErrorObject[], ctx: Context): QueryProblem[] {
  const seen = new Set<string>();
  const out: QueryProblem[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.schemaPath.includes('/anyOf/')) {
      continue;
    }
    const p = fromError(ctx, e);
    const key = p && `${p.offset}:${p.length}:${p.code}`;
    if (p && key && !seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}
