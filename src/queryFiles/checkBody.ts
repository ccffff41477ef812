/**
 * The engine's last gate uses the same checks (and so the same messages) as query files: a body about to
 * be sent, checked as a query file with nothing but the body. Leaves to the server what only it can know
 * for sure (the [?] limits of genesys-api.md: the longest sync interval, the deep-paging ceiling).
 */
import { getLocation } from 'jsonc-parser';
import { checkQueryFile } from './checkQueryFile';
import type { QueryRoute } from './queryFile';
import { fieldName } from './schemaProblems';

const SERVER_DECIDES = new Set(['interval-too-long', 'paging-ceiling']);

/** The first error of a body for a route (message and field path), or undefined when it may be sent. */
export function firstBodyError(body: Record<string, unknown>, route: QueryRoute): { message: string; field?: string } | undefined {
  const text = JSON.stringify(body, null, 1);
  // A body's interval is absolute (relative ones are resolved from files), so "now" and the zone do not matter.
  const result = checkQueryFile(text, { route, now: new Date(0), timeZone: 'UTC' });
  const first = result.problems.find((p) => p.severity === 'error' && !SERVER_DECIDES.has(p.code));
  if (!first) {
    return undefined;
  }
  const path = getLocation(text, first.offset + 1).path.filter((s) => s !== '');
  return { message: first.message, ...(path.length > 0 ? { field: fieldName(path) } : {}) };
}
