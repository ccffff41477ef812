import { invalidQueryError } from '../genesys/errors';
import { firstBodyError } from '../queryFiles/checkBody';
import type { AsyncJobBody, ConversationQueryBody } from '../genesys/types';

import { JOB_MAX_PAGE_SIZE, SYNC_MAX_PAGE_SIZE } from '../api/limits';

export { JOB_MAX_PAGE_SIZE, SYNC_MAX_PAGE_SIZE };

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

export interface ParsedInterval {
  startMs: number;
  endMs: number;
}

/**
 * Parses an ISO-8601 `start/end` interval. A time without an offset is read as UTC, as Genesys does,
 * not as local time as `Date.parse` would. Throws GenesysError('invalidQuery') with a helpful message.
 */
export function parseInterval(interval: unknown): ParsedInterval {
  const example = 'e.g. "2024-01-01T00:00:00.000Z/2024-01-02T00:00:00.000Z"';
  if (typeof interval !== 'string' || interval.trim() === '') {
    throw invalidQueryError(`The query needs an 'interval': an ISO-8601 start/end in UTC, ${example}.`, 'interval');
  }
  const parts = interval.split('/');
  if (parts.length !== 2) {
    throw invalidQueryError(`The interval '${interval}' must be two ISO-8601 date-times separated by '/', ${example}.`, 'interval');
  }
  const [start, end] = parts.map((p) => p.trim()) as [string, string];
  const startMs = parseDateTime(start);
  const endMs = parseDateTime(end);
  if (startMs === undefined || endMs === undefined) {
    throw invalidQueryError(`The interval '${interval}' is not valid: '${startMs === undefined ? start : end}' is not an ISO-8601 date-time (${example}).`, 'interval');
  }
  if (startMs >= endMs) {
    throw invalidQueryError(`The interval '${interval}' starts at or after its end; swap the two dates.`, 'interval');
  }
  return { startMs, endMs };
}

function parseDateTime(text: string): number | undefined {
  if (!ISO_DATE_TIME.test(text)) {
    return undefined;
  }
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

function assertObject(body: unknown, what: string): asserts body is Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidQueryError(`The ${what} body must be a JSON object.`);
  }
}

/** Checks a page size for the sync query (1..100, integer). */
export function validateSyncPageSize(pageSize: unknown): number {
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > SYNC_MAX_PAGE_SIZE) {
    throw invalidQueryError(
      `paging.pageSize must be a whole number from 1 to ${SYNC_MAX_PAGE_SIZE} (got ${JSON.stringify(pageSize)}). For more rows, fetch more pages or run an async job.`,
      'paging.pageSize',
    );
  }
  return pageSize;
}

/** Checks a page number for the sync query (1-based integer). */
export function validatePageNumber(pageNumber: unknown): number {
  if (typeof pageNumber !== 'number' || !Number.isInteger(pageNumber) || pageNumber < 1) {
    throw invalidQueryError(`paging.pageNumber must be a whole number starting at 1 (got ${JSON.stringify(pageNumber)}); Genesys pages are 1-based.`, 'paging.pageNumber');
  }
  return pageNumber;
}

/** The checks query files get (schema and semantics, one set of messages), as the last gate before sending. */
function sharedChecks(body: Record<string, unknown>, route: 'query' | 'job'): void {
  const error = firstBodyError(body, route);
  if (error) {
    throw invalidQueryError(error.message, error.field);
  }
}

/** Validates a synchronous query body before anything is sent. Returns it typed. */
export function validateSyncQuery(body: unknown): ConversationQueryBody {
  assertObject(body, 'query');
  parseInterval(body.interval);
  if (body.paging !== undefined) {
    assertObject(body.paging, "'paging'");
    validateSyncPageSize(body.paging.pageSize);
    validatePageNumber(body.paging.pageNumber);
  }
  sharedChecks(body, 'query');
  return body as unknown as ConversationQueryBody;
}

/** Validates an async job body before anything is sent (no `paging`, no `aggregations`…). Returns it typed. */
export function validateJobBody(body: unknown): AsyncJobBody {
  assertObject(body, 'job');
  parseInterval(body.interval);
  sharedChecks(body, 'job');
  return body as unknown as AsyncJobBody;
}

/** Checks the results page size of a job walk (1..1000). */
export function validateJobPageSize(pageSize: unknown): number {
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > JOB_MAX_PAGE_SIZE) {
    throw invalidQueryError(`The job results page size must be a whole number from 1 to ${JOB_MAX_PAGE_SIZE} (got ${JSON.stringify(pageSize)}).`, 'pageSize');
  }
  return pageSize;
}
