import { isPlainObject } from '../common/isPlainObject';
import { GenesysError } from './errors';
import { ScannedJobPage } from './jobPageScan';
import type { Availability, ConversationRecord, EntityPage, JobResultsPage, JobState, JobStatus, NamedEntity, SyncQueryPage } from './types';
import { JOB_STATES } from './types';

/**
 * Turns what the SDK resolved with (parsed JSON, `undefined` for empty bodies) into our DTOs, checking
 * only what the engine relies on. A shape we cannot use is a transient server fault, not a crash.
 */
function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function badShape(what: string): GenesysError {
  return new GenesysError({ kind: 'transient', code: 'malformed.response', message: `Genesys Cloud sent ${what} in an unexpected shape. Try again.` });
}

function conversations(value: unknown): ConversationRecord[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    throw badShape('conversations');
  }
  for (const c of value) {
    if (typeof record(c).conversationId !== 'string') {
      throw badShape('a conversation without conversationId');
    }
  }
  return value as ConversationRecord[];
}

export function normaliseSyncPage(value: unknown): SyncQueryPage {
  const r = record(value);
  const page: SyncQueryPage = {};
  const list = conversations(r.conversations);
  if (list) {
    page.conversations = list;
  }
  if (typeof r.totalHits === 'number') {
    page.totalHits = r.totalHits;
  }
  if (Array.isArray(r.aggregations)) {
    page.aggregations = r.aggregations as Array<Record<string, unknown>>;
  }
  return page;
}

export function normaliseJobStatus(value: unknown): JobStatus {
  const r = record(value);
  const state = r.state;
  if (typeof state !== 'string' || !(JOB_STATES as readonly string[]).includes(state)) {
    throw badShape(`a job status with unknown state '${String(state)}'`);
  }
  const status: JobStatus = { state: state as JobState };
  for (const key of ['errorMessage', 'submissionDate', 'completionDate', 'expirationDate'] as const) {
    if (typeof r[key] === 'string') {
      status[key] = r[key];
    }
  }
  return status;
}

/**
 * A results page: usually scanned from its bytes by the HTTP client (jobPageScan.ts), else parsed (a body
 * the scanner does not take, e.g. pretty-printed), whose rows are then serialised once here.
 */
export function normaliseJobResultsPage(value: unknown): JobResultsPage {
  const r: Record<string, unknown> = value instanceof ScannedJobPage ? { ...value } : record(value);
  const rows = value instanceof ScannedJobPage ? value.rows : conversations(r.conversations)?.map((c) => ({ conversationId: c.conversationId, json: Buffer.from(JSON.stringify(c)) }));
  const page: JobResultsPage = rows ? { rows } : {};
  if (typeof r.cursor === 'string' && r.cursor !== '') {
    page.cursor = r.cursor;
  }
  if (typeof r.dataAvailabilityDate === 'string') {
    page.dataAvailabilityDate = r.dataAvailabilityDate;
  }
  if (value instanceof ScannedJobPage && value.release) {
    page.release = value.release;
  }
  return page;
}

export function normaliseAvailability(value: unknown): Availability {
  const r = record(value);
  return typeof r.dataAvailabilityDate === 'string' ? { dataAvailabilityDate: r.dataAvailabilityDate } : {};
}

/** A list page (`{entities, pageNumber, pageSize, total, pageCount}`), keeping each entity's id and name only. */
export function normaliseEntityPage(value: unknown, asked: { pageSize: number; pageNumber: number }): EntityPage {
  const r = record(value);
  if (r.entities !== undefined && !Array.isArray(r.entities)) {
    throw badShape('a list page');
  }
  const entities: NamedEntity[] = [];
  for (const e of (r.entities as unknown[] | undefined) ?? []) {
    const x = record(e);
    if (typeof x.id === 'string' && x.id !== '') {
      entities.push({ id: x.id, name: typeof x.name === 'string' ? x.name : '' });
    }
  }
  return {
    entities,
    pageNumber: typeof r.pageNumber === 'number' ? r.pageNumber : asked.pageNumber,
    pageSize: typeof r.pageSize === 'number' ? r.pageSize : asked.pageSize,
    ...(typeof r.total === 'number' ? { total: r.total } : {}),
    ...(typeof r.pageCount === 'number' ? { pageCount: r.pageCount } : {}),
  };
}
