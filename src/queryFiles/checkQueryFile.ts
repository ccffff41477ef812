/**
 * Checks a query file before anything is sent: JSONC syntax, the generated JSON Schema (with ajv, the same
 * object VS Code's JSON support validates with), then what the schema cannot say (semanticChecks.ts).
 * Every problem carries its range and quick fixes. With no error, `parsed` holds the body to send: the
 * metadata stripped and a relative interval resolved.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { META_SCHEMA_KEY, querySchema } from '../api/querySchema';
import {
  META_KEY, type CheckOptions, type CheckResult, type ParsedQueryFile, type QueryFileMeta, type QueryProblem, type QueryRoute,
} from './queryFile';
import { schemaProblems } from './schemaProblems';
import { checkDimensionValues, checkInterval, checkPagingCeiling, type SemanticInput } from './semanticChecks';

/** More than this many problems says nothing more; the rest are dropped (a 5 MB file of mistakes). */
export const MAX_PROBLEMS = 200;

let validator: ValidateFunction | undefined;

/** The compiled schema, built on first use (compiling takes ~100 ms; activation should not pay it). */
export function schemaValidator(): ValidateFunction {
  if (!validator) {
    // allErrors: report every mistake at once; verbose: errors carry their schema (messages, known keys).
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false });
    // VS Code's annotations (and our gcMessage) are not validation keywords.
    ajv.addVocabulary(['markdownDescription', 'errorMessage', 'enumDescriptions', 'allowTrailingCommas', 'doNotSuggest', 'gcMessage']);
    validator = ajv.compile(querySchema);
  }
  return validator;
}

const syntaxMessage = (e: ParseError): string => {
  const what: Record<string, string> = {
    InvalidSymbol: 'Unexpected character',
    PropertyNameExpected: 'A property name in double quotes is expected',
    ValueExpected: 'A value is expected',
    ColonExpected: "A ':' is expected",
    CommaExpected: "A ',' is expected",
    CloseBraceExpected: "A closing '}' is expected",
    CloseBracketExpected: "A closing ']' is expected",
    EndOfFileExpected: 'Nothing may follow the query object',
    UnexpectedEndOfString: 'The string is not closed',
    UnexpectedEndOfComment: 'The comment is not closed',
  };
  const code = printParseErrorCode(e.error);
  return `${what[code] ?? code} — the file is not valid JSON (comments and trailing commas are fine).`;
};

function metaOf(value: unknown): QueryFileMeta {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return {};
  }
  const m = value as Record<string, unknown>;
  return {
    ...(typeof m.name === 'string' ? { name: m.name } : {}),
    ...(m.run === 'query' || m.run === 'job' ? { run: m.run } : {}),
    ...(typeof m.pageSize === 'number' ? { pageSize: m.pageSize } : {}),
    ...(typeof m.timeZone === 'string' ? { timeZone: m.timeZone } : {}),
  };
}

const machineZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function finish(problems: QueryProblem[], parsed?: ParsedQueryFile): CheckResult {
  const sorted = problems.sort((a, b) => a.offset - b.offset).slice(0, MAX_PROBLEMS);
  return sorted.some((p) => p.severity === 'error') || !parsed ? { problems: sorted } : { parsed, problems: sorted };
}

/** Checks a query file's text. Pure: `now` and the zone come in through `opts`. */
export function checkQueryFile(text: string, opts: CheckOptions): CheckResult {
  const syntax: ParseError[] = [];
  const root: Node | undefined = parseTree(text, syntax, { allowTrailingComma: true, disallowComments: false });
  if (syntax.length > 0) {
    return finish(syntax.map((e) => ({ severity: 'error', code: 'json-syntax', message: syntaxMessage(e), offset: e.offset, length: Math.max(e.length, 1), fixes: [] })));
  }
  if (!root) {
    return { problems: [{ severity: 'error', code: 'json-syntax', message: 'The file is empty: a query file is a JSON object with at least an "interval".', offset: 0, length: 0, fixes: [] }] };
  }
  if (root.type !== 'object') {
    return { problems: [{ severity: 'error', code: 'not-an-object', message: `A query file is a JSON object ({ "interval": … }), not ${root.type === 'array' ? 'an array' : `a ${root.type}`}.`, offset: root.offset, length: root.length, fixes: [] }] };
  }
  // getNodeValue builds null-prototype objects; a JSON round trip gives plain ones (and keeps a
  // "__proto__" key an own property rather than a prototype).
  const data = JSON.parse(JSON.stringify(getNodeValue(root))) as Record<string, unknown>;
  const meta = metaOf(data[META_KEY]);
  const route: QueryRoute = opts.route ?? meta.run ?? 'query';
  // Validate against the effective route: a "Run as Job" on a file that says `query` checks it as a job.
  const forAjv = opts.route && meta.run !== opts.route ? { ...data, [META_KEY]: { ...(data[META_KEY] as object | undefined), run: opts.route } } : data;
  const problems: QueryProblem[] = [];
  if (!schemaValidator()(forAjv)) {
    problems.push(...schemaProblems(schemaValidator().errors ?? [], { text, root, route }));
  }
  const { [META_KEY]: _meta, [META_SCHEMA_KEY]: _schema, ...body } = data;
  const input: SemanticInput = { text, root, body, route, now: opts.now, timeZone: meta.timeZone ?? opts.timeZone ?? machineZone(), zoneFromFile: meta.timeZone !== undefined };
  const intervalNode = findNodeAtLocation(root, ['interval']);
  const intervalIsWellFormed = intervalNode?.type === 'string' && !problems.some((p) => p.offset === intervalNode.offset);
  const interval = intervalIsWellFormed ? checkInterval(input) : { problems: [] };
  problems.push(...interval.problems, ...checkPagingCeiling(input), ...checkDimensionValues(input));
  if (!interval.resolved) {
    return finish(problems);
  }
  const written = (body.interval as string).trim();
  const parsed: ParsedQueryFile = {
    meta,
    route,
    body: { ...body, interval: interval.resolved },
    ...(interval.resolved !== written ? { intervalAsWritten: body.interval as string } : {}),
  };
  return finish(problems, parsed);
}
