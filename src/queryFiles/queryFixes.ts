/**
 * Building blocks of quick fixes: text edits computed with jsonc-parser (so commas and comments are kept
 * right) and the nearest valid spelling of a mistyped name.
 */
import { distance } from 'fastest-levenshtein';
import { modify, type JSONPath, type Node } from 'jsonc-parser';
import { META_KEY, type QueryFix, type QueryRoute, type TextEditAt } from './queryFile';

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

function jsoncEdits(text: string, path: JSONPath, value: unknown): TextEditAt[] {
  return modify(text, path, value, FORMAT).map((e) => ({ offset: e.offset, length: e.length, newText: e.content }));
}

/**
 * The candidates closest to `value`: a case-insensitive match first, then those within a few edits
 * (a third of the length, at least 2). At most `max`, best first.
 */
export function nearest(value: string, candidates: readonly string[], max = 3): string[] {
  const lower = value.toLowerCase();
  const exact = candidates.filter((c) => c.toLowerCase() === lower);
  if (exact.length > 0) {
    return exact.slice(0, max);
  }
  const limit = Math.max(2, Math.floor(value.length / 3));
  return candidates
    .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** Replace a value node by a JSON value. */
export function replaceValue(node: Node, value: unknown, title: string, isPreferred = false): QueryFix {
  return { title, isPreferred, edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(value) }] };
}

/** Rename a property: replace its key node (a string node) by another name. */
export function renameKey(keyNode: Node, name: string, isPreferred = false): QueryFix {
  return { title: `Change to '${name}'`, isPreferred, edits: [{ offset: keyNode.offset, length: keyNode.length, newText: JSON.stringify(name) }] };
}

/** Remove a property (and its comma) at a path. */
export function removeProperty(text: string, path: JSONPath, isPreferred = false): QueryFix {
  return { title: `Remove '${String(path[path.length - 1])}'`, isPreferred, edits: jsoncEdits(text, path, undefined) };
}

/** Set `gcquery.run`, creating the metadata object when the file has none. */
export function switchRoute(text: string, route: QueryRoute, isPreferred = false): QueryFix {
  const title = route === 'job' ? 'Run it as an async job ("gcquery": { "run": "job" })' : 'Run it as a sync query ("gcquery": { "run": "query" })';
  return { title, isPreferred, edits: jsoncEdits(text, [META_KEY, 'run'], route) };
}

/** Add a property at a path. */
export function addProperty(text: string, path: JSONPath, value: unknown, title: string): QueryFix {
  return { title, isPreferred: true, edits: jsoncEdits(text, path, value) };
}

/** Applies edits (non-overlapping, any order) to a text: what the editor does, for tests and previews. */
export function applyEdits(text: string, edits: readonly TextEditAt[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) {
    out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  }
  return out;
}
