import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { META_KEY, type CheckOptions, type CheckResult, type QueryFileMeta } from './queryFile';

/**
 * TEMPORARY stand-in for checkQueryFile (qf-a) until its branch is merged: parses JSONC, strips the
 * metadata and reports syntax errors only. Same signature, so the swap is one import.
 */
export function checkQueryFile(text: string, opts: CheckOptions): CheckResult {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length > 0) {
    return { problems: errors.map((e) => ({ severity: 'error', message: `JSON: ${printParseErrorCode(e.error)}`, offset: e.offset, length: e.length, code: 'json', fixes: [] })) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { problems: [{ severity: 'error', message: 'A query file holds one JSON object.', offset: 0, length: text.length, code: 'json', fixes: [] }] };
  }
  const { [META_KEY]: rawMeta, ...body } = value as Record<string, unknown>;
  const meta = (rawMeta && typeof rawMeta === 'object' ? rawMeta : {}) as QueryFileMeta;
  return { parsed: { meta, route: opts.route ?? meta.run ?? 'query', body }, problems: [] };
}
