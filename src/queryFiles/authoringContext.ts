import type { Node } from 'jsonc-parser';
import { findNodeAtLocation, findNodeAtOffset, getLocation, parseTree } from 'jsonc-parser';
import type { IdKind } from '../results/view/viewTypes';

/**
 * Where the cursor is in a query file, for authoring help that the JSON Schema cannot give: the ID
 * value of a predicate whose dimension names an entity (queueId, userId, wrapUpCode, divisionId), and
 * the filter / predicate positions where snippets apply. Pure (jsonc-parser, tolerant of broken text).
 */

/** Predicate dimensions whose values are IDs of a listable entity. */
export const ID_DIMENSIONS: Readonly<Record<string, IdKind>> = {
  queueId: 'queue',
  userId: 'user',
  wrapUpCode: 'wrapupcode',
  divisionId: 'division',
};

export interface IdValueContext {
  kind: IdKind;
  dimension: string;
  /** The string literal to replace (with its quotes), or an empty range where a value is to be inserted. */
  offset: number;
  length: number;
  /** The value typed so far (without quotes). */
  value: string;
}

function stringProperty(obj: Node | undefined, key: string): string | undefined {
  const prop = obj?.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key);
  const v = prop?.children?.[1];
  return v?.type === 'string' ? (v.value as string) : undefined;
}

/** The ID value at `offset` (inside `"value": "…"` of an ID-dimension predicate, or right after `"value":`). */
export function idValueAt(text: string, offset: number): IdValueContext | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) {
    return undefined;
  }
  const location = getLocation(text, offset);
  const path = location.path;
  if (location.isAtPropertyKey || path.length < 2 || path[path.length - 1] !== 'value') {
    return undefined;
  }
  const predicate = findNodeAtLocation(root, path.slice(0, -1));
  if (predicate?.type !== 'object') {
    return undefined;
  }
  const dimension = stringProperty(predicate, 'dimension');
  const kind = dimension ? ID_DIMENSIONS[dimension] : undefined;
  if (!kind || !dimension) {
    return undefined;
  }
  const node = findNodeAtOffset(root, offset, true);
  const valueNode = node?.type === 'string' && node.parent?.type === 'property' && node.parent.children?.[1] === node ? node : undefined;
  if (valueNode) {
    return { kind, dimension, offset: valueNode.offset, length: valueNode.length, value: String(valueNode.value) };
  }
  return { kind, dimension, offset, length: 0, value: '' };
}

/** Positions where filter and predicate snippets apply. */
export type SnippetSite = 'topLevelKey' | 'segmentFilter' | 'conversationFilter' | 'predicate';

/** Which snippets fit at `offset`, if any. */
export function snippetSiteAt(text: string, offset: number): SnippetSite | undefined {
  const location = getLocation(text, offset);
  const path = location.path;
  if (path.length === 1 && (location.isAtPropertyKey || path[0] === '')) {
    return 'topLevelKey';
  }
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'number' && parent === 'predicates') {
    return 'predicate';
  }
  if (typeof last === 'number' && path.length === 2 && (parent === 'segmentFilters' || parent === 'conversationFilters')) {
    return parent === 'segmentFilters' ? 'segmentFilter' : 'conversationFilter';
  }
  return undefined;
}

/** Offset of the top-level object's `{` (where CodeLenses go), or 0. */
export function bodyStartOffset(text: string): number {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  return root?.type === 'object' ? root.offset : 0;
}
