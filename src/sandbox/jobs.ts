import { randomUUID } from 'node:crypto';
import type { Dataset } from './dataset';
import { ApiError, Errors } from './errors';
import type { FaultInjector } from './faults';
import { queryInt, type Reply } from './http';
import type { SandboxOptions } from './options';
import { parseQueryBody, type ParsedQuery } from './queryBody';
import { selectSteps, type ResultSet } from './selection';

export type JobState = 'QUEUED' | 'PENDING' | 'FAILED' | 'CANCELLED' | 'FULFILLED' | 'EXPIRED';

interface Job {
  id: string;
  query: ParsedQuery;
  submittedAt: number;
  /** Captured at submission so a later configure() cannot move a job backwards through its states. */
  queuedMs: number;
  runMs: number;
  /** Data-lake cutoff: conversations that started at or after it are not in the results. */
  cutoff: number;
  failed: boolean;
  cancelled: boolean;
  /** Set by the expire-mid-paging fault: when the job expired. */
  expiredAt?: number;
  pagesServed: number;
  results?: ResultSet;
  /** The background scan while it runs (see _scan). */
  scan?: Generator<void, ResultSet, void>;
  /** Where the last real page started and its size: enough to serve it again byte for byte (pages are deterministic). */
  lastPage?: { offset: number; pageSize: number };
}

const FAIL_MESSAGE = 'The analytics job failed: the data lake query could not be completed (sandbox fault injection). Submit the job again.';
const MAX_JOBS = 10_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const COMMA = Buffer.from(',');

/**
 * Async detail jobs (genesys-api.md §2, §9). States advance with time: QUEUED for jobQueuedMs, PENDING
 * for jobRunMs, then FULFILLED (or FAILED); EXPIRED once completion + jobTtlSeconds has passed (the
 * TTL is read live, so configure() can expire existing jobs); CANCELLED after DELETE.
 */
export class JobStore {
  private readonly _jobs = new Map<string, Job>();

  constructor(
    private readonly _options: () => SandboxOptions,
    private readonly _data: () => Dataset,
    private readonly _faults: FaultInjector,
  ) {}

  /** Forgets every job and stops their background scans (on close and when the data is rebuilt). */
  clear(): void {
    for (const job of this._jobs.values()) {
      job.scan = undefined;
    }
    this._jobs.clear();
  }

  submit(body: unknown, now: number): Reply {
    const o = this._options();
    const query = parseQueryBody(body, 'job', o);
    this._release(now);
    this._checkRunningCap(o.maxRunningJobs, now);
    const job: Job = {
      id: randomUUID(),
      query,
      submittedAt: now,
      queuedMs: o.jobQueuedMs,
      runMs: o.jobRunMs,
      cutoff: now - o.availabilityLagSeconds * 1000,
      failed: this._faults.jobFails(o.faults),
      cancelled: false,
      pagesServed: 0,
    };
    if (this._jobs.size >= MAX_JOBS) {
      const first = this._jobs.keys().next();
      if (!first.done) {
        this._jobs.delete(first.value);
      }
    }
    this._jobs.set(job.id, job);
    if (!job.failed) {
      this._scan(job);
    }
    return { status: 202, body: { jobId: job.id } };
  }

  /** Refuses a submission while `cap` jobs are QUEUED or PENDING; Retry-After is when the first of them completes. */
  private _checkRunningCap(cap: number, now: number): void {
    if (cap <= 0) {
      return;
    }
    let running = 0;
    let firstDone = Number.POSITIVE_INFINITY;
    for (const job of this._jobs.values()) {
      const state = this.stateOf(job, now);
      if (state === 'QUEUED' || state === 'PENDING') {
        running++;
        firstDone = Math.min(firstDone, this._completion(job));
      }
    }
    if (running >= cap) {
      throw Errors.tooManyRunningJobs(cap, (firstDone - now) / 1000);
    }
  }

  /**
   * Selects the job's rows in the background, a chunk per event-loop turn, like the real service
   * working while the job is QUEUED/PENDING; a results call that arrives first finishes it inline.
   */
  private _scan(job: Job): void {
    const data = this._data();
    job.scan = selectSteps(job.query, data, job.cutoff);
    const step = () => {
      if (!job.scan || job.cancelled || this._data() !== data) {
        job.scan = undefined;
        return;
      }
      const r = job.scan.next();
      if (r.done) {
        job.results = r.value;
        job.scan = undefined;
      } else {
        setImmediate(step);
      }
    };
    setImmediate(step);
  }

  /**
   * Frees what finished jobs hold (result sets, background scans). The records stay, small, so
   * status keeps answering EXPIRED/CANCELLED/FAILED; a re-activated job (TTL raised again) rescans.
   */
  private _release(now: number): void {
    for (const job of this._jobs.values()) {
      if (job.results === undefined && job.scan === undefined && job.lastPage === undefined) {
        continue;
      }
      const state = this.stateOf(job, now);
      if (state === 'EXPIRED' || state === 'CANCELLED' || state === 'FAILED') {
        job.results = undefined;
        job.scan = undefined;
        job.lastPage = undefined;
      }
    }
  }

  private _resultsOf(job: Job): ResultSet {
    if (!job.results) {
      const scan = job.scan ?? selectSteps(job.query, this._data(), job.cutoff);
      job.scan = undefined;
      for (;;) {
        const r = scan.next();
        if (r.done) {
          job.results = r.value;
          break;
        }
      }
    }
    return job.results;
  }

  private _completion(job: Job): number {
    return job.submittedAt + job.queuedMs + job.runMs;
  }

  private _expiration(job: Job): number {
    return this._completion(job) + this._options().jobTtlSeconds * 1000;
  }

  stateOf(job: Job, now: number): JobState {
    if (job.cancelled) {
      return 'CANCELLED';
    }
    if (job.expiredAt !== undefined) {
      return 'EXPIRED';
    }
    const t = now - job.submittedAt;
    if (t < job.queuedMs) {
      return 'QUEUED';
    }
    if (t < job.queuedMs + job.runMs) {
      return 'PENDING';
    }
    if (job.failed) {
      return 'FAILED';
    }
    return now >= this._expiration(job) ? 'EXPIRED' : 'FULFILLED';
  }

  private _find(id: string): Job {
    const job = this._jobs.get(id);
    if (!job) {
      throw Errors.notFound(`Job ${id} was not found.`);
    }
    return job;
  }

  status(id: string, now: number): Reply {
    const job = this._find(id);
    const state = this.stateOf(job, now);
    const body: Record<string, unknown> = { state };
    if (state === 'FAILED') {
      body.errorMessage = FAIL_MESSAGE;
    }
    const completion = this._completion(job);
    const completed = now >= completion && state !== 'CANCELLED';
    if (completed && !job.failed) {
      body.expirationDate = iso(job.expiredAt ?? this._expiration(job));
    }
    body.submissionDate = iso(job.submittedAt);
    if (completed || (state === 'CANCELLED' && now >= completion)) {
      body.completionDate = iso(completion);
    }
    return { status: 200, body };
  }

  cancel(id: string): Reply {
    const job = this._find(id);
    job.cancelled = true;
    job.results = undefined;
    job.scan = undefined;
    return { status: 204 };
  }

  availability(now: number): Reply {
    return { status: 200, body: { dataAvailabilityDate: iso(now - this._options().availabilityLagSeconds * 1000) } };
  }

  results(id: string, query: URLSearchParams, now: number): Reply {
    const o = this._options();
    const job = this._find(id);
    const state = this.stateOf(job, now);
    switch (state) {
      case 'QUEUED':
      case 'PENDING':
        throw new ApiError(400, 'bad.request', `Job ${id} is not complete: its state is ${state}. Poll the job status until it is FULFILLED before requesting results.`);
      case 'FAILED':
        throw new ApiError(400, 'bad.request', `Job ${id} FAILED: ${FAIL_MESSAGE}`);
      case 'CANCELLED':
        throw Errors.notFound(`Job ${id} was cancelled; its results are not available.`);
      case 'EXPIRED':
        throw Errors.notFound(`The results of job ${id} have expired. Submit the job again.`);
      case 'FULFILLED':
        break;
    }
    const pageSize = queryInt(query, 'pageSize', Math.min(o.jobDefaultPageSize, o.jobMaxPageSize), o.jobMaxPageSize);
    const cursorText = query.get('cursor');
    const offset = cursorText === null || cursorText === '' ? 0 : decodeCursor(cursorText, job.id);
    const rs = this._resultsOf(job);
    if (offset > rs.size) {
      throw Errors.badRequest('The cursor is not valid for this job.', 'cursor');
    }
    const dataAvailabilityDate = iso(job.cutoff);
    // Cursor-loop faults model the misbehaviour the gc CLI guards against (genesys-api.md §2.3).
    if (job.lastPage !== undefined && this._faults.roll(o.faults.repeatPageShare)) {
      return { status: 200, body: this._page(job, rs, job.lastPage.offset, job.lastPage.pageSize) };
    }
    if (this._faults.roll(o.faults.emptyPageShare)) {
      return { status: 200, body: { conversations: [], cursor: encodeCursor(job.id, offset), dataAvailabilityDate } };
    }
    const bytes = this._page(job, rs, offset, pageSize);
    job.lastPage = { offset, pageSize };
    job.pagesServed++;
    if (o.faults.expireJobsAfterPages > 0 && job.pagesServed >= o.faults.expireJobsAfterPages) {
      job.expiredAt = now;
    }
    const rows = Math.max(0, Math.min(pageSize, rs.size - offset));
    return { status: 200, body: bytes, ...(o.resultsPageMsPer1000 > 0 ? { serviceMs: (o.resultsPageMsPer1000 * rows) / 1000 } : {}) };
  }

  /** The page's JSON bytes, joined from each conversation's (what JSON.stringify of the page object gives). */
  private _page(job: Job, rs: ResultSet, offset: number, pageSize: number): Buffer {
    const ids = rs.slice(offset, offset + pageSize);
    const data = this._data();
    const parts: Buffer[] = [Buffer.from('{')];
    if (ids.length > 0) {
      parts.push(Buffer.from('"conversations":['));
      ids.forEach((i, k) => {
        if (k > 0) {
          parts.push(COMMA);
        }
        parts.push(data.jobWireText(i));
      });
      parts.push(Buffer.from('],'));
    }
    const next = offset + ids.length;
    if (next < rs.size) {
      parts.push(Buffer.from(`"cursor":${JSON.stringify(encodeCursor(job.id, next))},`));
    }
    parts.push(Buffer.from(`"dataAvailabilityDate":${JSON.stringify(iso(job.cutoff))}}`));
    return Buffer.concat(parts);
  }

  /** Builds the results text of every conversation a job of `body` would return now (kept with `keepWireText`). */
  warm(body: unknown, now: number): number {
    const data = this._data();
    const rows = this._jobRows(body, now);
    for (const i of rows) {
      data.jobWireText(i);
    }
    return rows.length;
  }

  /** All ids a job submitted now would return, in order (respects limit and the lake cutoff). */
  groundTruth(body: unknown, now: number): string[] {
    const data = this._data();
    return this._jobRows(body, now).map((i) => data.generator.idOf(i));
  }

  /** The conversations (dataset indexes) a job of `body` submitted at `now` returns, in order. */
  private _jobRows(body: unknown, now: number): number[] {
    const o = this._options();
    const rs = this._data().selectCached(parseQueryBody(body, 'job', o), now - o.availabilityLagSeconds * 1000);
    return rs.slice(0, rs.size);
  }
}

/** Opaque to clients; encodes the job and the absolute position so a stored cursor resumes exactly. */
function encodeCursor(jobId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ j: jobId, o: offset })).toString('base64');
}

function decodeCursor(text: string, jobId: string): number {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw Errors.badRequest('The cursor is not valid.', 'cursor');
  }
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    if (typeof v === 'object' && v !== null && 'j' in v && 'o' in v && v.j === jobId && typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0) {
      return v.o;
    }
  } catch {
    // fall through to the 400 below
  }
  throw Errors.badRequest('The cursor is not valid for this job.', 'cursor');
}
