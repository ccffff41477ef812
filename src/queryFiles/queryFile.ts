/**
 * The contract of a query file (`*.gcquery.json`, JSON with comments): a conversation-detail query body at the
 * top level — so the file also works pasted into Postman or `gc` — plus one optional `gcquery` object of
 * metadata that is never sent. Validation (checkQueryFile) and the VS Code features (diagnostics, CodeLens,
 * completion) all go through these types.
 */

/** The metadata key; stripped from the body before anything is sent. */
export const META_KEY = 'gcquery';

export type QueryRoute = 'query' | 'job';

export interface QueryFileMeta {
  /** The run's label in the Query History (default: the file name). */
  name?: string;
  /** Which API runs it: the synchronous query (default) or an async job. */
  run?: QueryRoute;
  /** Job results page size (1..1000); a sync query pages with `paging` in the body. */
  pageSize?: number;
  /** IANA zone in which relative intervals ("yesterday", "this week") are resolved. */
  timeZone?: string;
}

/** A text edit by character offsets into the file's text. */
export interface TextEditAt {
  offset: number;
  length: number;
  newText: string;
}

export interface QueryFix {
  title: string;
  edits: TextEditAt[];
  isPreferred?: boolean;
}

export type ProblemSeverity = 'error' | 'warning' | 'hint';

/** One diagnostic: where (offsets into the text), what, and the quick fixes that repair it. */
export interface QueryProblem {
  severity: ProblemSeverity;
  message: string;
  offset: number;
  length: number;
  /** Stable identifier of the check (e.g. `schema`, `interval-reversed`, `paging-in-job`). */
  code: string;
  fixes: QueryFix[];
}

export interface ParsedQueryFile {
  meta: QueryFileMeta;
  /** The route: `meta.run`, else the caller's, else `query`. */
  route: QueryRoute;
  /** The body to send: the meta key removed and a relative interval resolved to ISO `start/end`. */
  body: Record<string, unknown>;
  /** The interval as written (e.g. "yesterday"), when it differed from the resolved one. */
  intervalAsWritten?: string;
}

export interface CheckOptions {
  /** Overrides `meta.run` (a "Run as Job" CodeLens on a file that says `query`). */
  route?: QueryRoute;
  /** "Now" for relative intervals; injected so tests need no clock. */
  now: Date;
  /** Zone for relative intervals when the file names none (a setting; default the machine's). */
  timeZone?: string;
}

export interface CheckResult {
  /** Present when nothing of severity `error` was found: the body is ready to send. */
  parsed?: ParsedQueryFile;
  problems: QueryProblem[];
}
