import { systemClock } from '../common/clock';
import type { Clock } from '../common/clock';
import { newRunId } from '../common/ids';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { cancelledError, classifyError, GenesysError as GenesysErrorClass, invalidQueryError } from '../genesys/errors';
import { ambiguousSubmissionError, expiredJobError } from '../genesys/runErrors';
import type { GenesysError } from '../genesys/errors';
import type { AsyncJobBody, JobResultsPage, JobState, JobStatus } from '../genesys/types';
import type { RunManifest } from '../results/manifest';
import type { RunWriter } from '../results/runWriter';
import { PageGuard } from './pageGuard';
import type { PageGuardOptions } from './pageGuard';
import { PollSchedule } from './pollSchedule';
import type { PollScheduleOptions } from './pollSchedule';
import { parseInterval, validateJobBody, validateJobPageSize } from './queryValidation';
import { RunContext } from './runContext';
import type { RunHandle, RunnerDeps, RunOptions, RunOutcome } from './runTypes';

export interface JobRunnerOptions extends RunnerDeps {
  /** Results page size (1..1000); default 1000 (setting `genesysCloud.jobs.resultsPageSize`). */
  pageSize?: number;
  poll?: Partial<PollScheduleOptions>;
  pageGuard?: Partial<PageGuardOptions>;
  /**
   * Longest wait for the DELETE sent when a run is cancelled (its retries included); default 15 s.
   * Cancel must end promptly even when Genesys is unreachable; an undeleted job expires on its own.
   */
  cancelDeleteTimeoutMs?: number;
}

const TERMINAL: readonly JobState[] = ['FULFILLED', 'FAILED', 'CANCELLED', 'EXPIRED'];

type FetchedPage = { page: JobResultsPage } | { error: GenesysError };

/** A cursor walk in progress: where it is, and the request for its next page. */
interface WalkState {
  jobId: string;
  guard: PageGuard;
  intervalEnd: number;
  cursor: string | undefined;
  pageSize: number;
  signal: AbortSignal;
  pending: Promise<FetchedPage>;
}

/**
 * One turn of the event loop. A request started just before is then written to its (keep-alive)
 * socket: the HTTP stack hands the request to the socket in a nextTick and the SDK/axios chain in
 * microtasks, all of which run before the check phase. Without it, a synchronous stretch of work
 * right after starting the request (a page's rows serialised) would hold it back (measured: 85 ms).
 */
function untilSent(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs async detail jobs end to end: submit, adaptive polling, walking every cursor page into the
 * results cache, cancel (DELETE), resume after a crash or reload, and re-fetch of expired jobs.
 * The manifest is updated after every page (rows first), so `resume` never loses or repeats a row.
 */
export class JobRunner {
  private readonly _o: Required<Pick<JobRunnerOptions, 'api' | 'connectionId' | 'store' | 'pageSize'>> & JobRunnerOptions;
  private readonly _clock: Clock;
  private readonly _logger: Logger;

  constructor(options: JobRunnerOptions) {
    const pageSize = validateJobPageSize(options.pageSize ?? 1000);
    this._o = { ...options, pageSize };
    this._clock = options.clock ?? systemClock;
    this._logger = options.logger ?? silentLogger;
  }

  /**
   * Validates `body` (throws GenesysError 'invalidQuery' synchronously, sending nothing — e.g. for a
   * body with `paging`), then submits and follows the job in the background. `runId`: use this id
   * (unused) instead of a new one.
   */
  start(body: unknown, options: RunOptions & { refetchOf?: string; runId?: string } = {}): RunHandle {
    const job = validateJobBody(body);
    // A caller-chosen id (a split run's sub-job, recorded in its plan before it starts); the store
    // refuses an id whose folder exists, so a run is never created twice.
    const runId = options.runId ?? newRunId();
    const result = this._guarded(runId, options, async (ctx) => {
      const writer = await this._o.store.create({
        runId,
        kind: 'job',
        connectionId: this._o.connectionId,
        body: job,
        pageSize: this._o.pageSize,
        ...(options.refetchOf ? { refetchOf: options.refetchOf } : {}),
        ...(options.sourceFile ? { sourceFile: options.sourceFile } : {}),
      });
      return this._drive(ctx, writer);
    });
    return { runId, result };
  }

  /**
   * Continues a run from its manifest: polls if the job was still running, or pages on from the last
   * stored cursor (rows past the manifest's count are cut first). A finished run resolves at once.
   */
  resume(runId: string, options: RunOptions = {}): RunHandle {
    const result = this._guarded(runId, options, async (ctx) => {
      const manifest = await this._o.store.readManifest(runId);
      if (!manifest || manifest.kind !== 'job') {
        throw invalidQueryError(`There is no cached job run '${runId}' to resume.`);
      }
      if (manifest.phase === 'done') {
        return ctx.outcomeFrom(manifest, this._o.store.runDir(runId));
      }
      const writer = await this._o.store.openWriter(runId);
      return this._drive(ctx, writer);
    });
    return { runId, result };
  }

  /** Re-submits the saved body of `runId` (e.g. EXPIRED) as a new run linked to it (`refetchOf`). */
  refetch(runId: string, options: RunOptions = {}): RunHandle {
    const newId = newRunId();
    const result = this._guarded(newId, options, async (ctx) => {
      const old = await this._o.store.readManifest(runId);
      const body = old?.body ?? this._o.history?.get(runId)?.body;
      if (body === undefined) {
        throw invalidQueryError(`The body of run '${runId}' is no longer known, so it cannot be re-fetched.`);
      }
      const job = validateJobBody(body);
      await this._o.history?.update(runId, { refetchedBy: newId });
      const writer = await this._o.store.create({ runId: newId, kind: 'job', connectionId: this._o.connectionId, body: job, pageSize: this._o.pageSize, refetchOf: runId, ...(old?.sourceFile ? { sourceFile: old.sourceFile } : {}) });
      return this._drive(ctx, writer);
    });
    return { runId: newId, result };
  }

  private _guarded(runId: string, options: RunOptions, fn: (ctx: RunContext) => Promise<RunOutcome>): Promise<RunOutcome> {
    const ctx = new RunContext({ runId, kind: 'job', options, clock: this._clock, logger: this._logger, history: this._o.history, store: this._o.store });
    return ctx.guard(fn);
  }

  private async _drive(ctx: RunContext, writer: RunWriter): Promise<RunOutcome> {
    ctx.attach(writer);
    try {
      if (writer.manifest.state === 'ERROR') {
        // Resumed after an error: running again, so neither history nor the pruner may see it as ERROR.
        // (The poll sets the real state; paging only starts once the job was FULFILLED.)
        await writer.update({ state: writer.manifest.phase === 'paging' ? 'FULFILLED' : 'QUEUED', partial: false, error: undefined });
        await ctx.syncHistory();
      }
      if (writer.manifest.phase === 'submitting' || !writer.manifest.jobId) {
        await this._submit(ctx, writer);
      }
      let fulfilled: JobStatus | undefined;
      if (writer.manifest.phase === 'polling') {
        const polled = await this._poll(ctx, writer);
        if ('outcome' in polled) {
          return polled.outcome;
        }
        fulfilled = polled.fulfilled;
      }
      return await this._walk(ctx, writer, fulfilled);
    } catch (err) {
      return await this._onError(ctx, writer, classifyError(err));
    } finally {
      await writer.close();
    }
  }

  private async _submit(ctx: RunContext, writer: RunWriter): Promise<void> {
    const body = writer.manifest.body as AsyncJobBody;
    if (ctx.signal?.aborted) {
      // Cancelled before anything was sent: do not create a job only to DELETE it.
      throw cancelledError();
    }
    if (writer.manifest.submitSentAt) {
      // An earlier submission of this run was sent and its answer never recorded (the process died
      // mid-request, or the answer was lost): a job may exist. Only the user may submit again.
      throw ambiguousSubmissionError(
        new GenesysErrorClass({ kind: 'transient', code: 'interrupted', message: 'The submission was interrupted.' }),
        `interrupted at ${writer.manifest.submitSentAt}`,
      );
    }
    await writer.update({ submitSentAt: new Date(this._clock.now()).toISOString() });
    // Not aborted mid-flight: the server may create the job anyway, and then we must be able to DELETE it.
    const submit = this._o.api.submitJob(body);
    let jobId: string;
    try {
      jobId = await ctx.raceCancel(submit);
    } catch (err) {
      submit.then((id) => this.deleteQuietly(id), () => undefined);
      const kind = classifyError(err, 'submitJob').kind;
      if (kind !== 'ambiguous' && kind !== 'cancelled') {
        // Refused, rate limited past the budget, or never sent: provably no job, so a resume may submit.
        await writer.update({ submitSentAt: undefined });
      }
      throw err;
    }
    await writer.update({ jobId, phase: 'polling', state: 'QUEUED', submitSentAt: undefined });
    ctx.progress({ type: 'submitted', runId: ctx.runId, jobId, elapsedMs: ctx.elapsed() });
    await ctx.syncHistory();
    this._logger.info(`Job ${jobId} submitted (run ${ctx.runId})`);
  }

  /**
   * Polls until FULFILLED (returns that status, not yet recorded: the walk records it once its first
   * request is on the wire) or another terminal state (returns the outcome).
   */
  private async _poll(ctx: RunContext, writer: RunWriter): Promise<{ fulfilled: JobStatus } | { outcome: RunOutcome }> {
    const jobId = writer.manifest.jobId!;
    const schedule = new PollSchedule(this._o.poll);
    let last: JobState | undefined;
    for (;;) {
      let status: JobStatus;
      try {
        status = await this._o.api.getJobStatus(jobId, ctx.signal);
      } catch (err) {
        const e = classifyError(err, 'getJobStatus');
        if (e.kind === 'notFound') {
          return { outcome: await this._expired(ctx, writer, e) };
        }
        throw e;
      }
      if (status.state === 'FULFILLED') {
        return { fulfilled: status };
      }
      if (status.state !== last) {
        last = status.state;
        await writer.update({
          state: status.state,
          ...pick(status, ['submissionDate', 'completionDate', 'expirationDate', 'errorMessage']),
        });
        ctx.progress({ type: 'state', runId: ctx.runId, jobId, state: status.state, elapsedMs: ctx.elapsed(), ...(status.expirationDate ? { expirationDate: status.expirationDate } : {}) });
        await ctx.syncHistory();
      }
      if (status.state === 'EXPIRED') {
        return { outcome: await this._expired(ctx, writer) };
      }
      if (TERMINAL.includes(status.state)) {
        return { outcome: await this._finish(ctx, writer, status.state, {}) };
      }
      await this._clock.sleep(schedule.next(), ctx.signal);
    }
  }

  /** Records a FULFILLED status (one manifest write, then progress and history) as the walk begins. */
  private async _recordFulfilled(ctx: RunContext, writer: RunWriter, status: JobStatus): Promise<void> {
    const jobId = writer.manifest.jobId!;
    await writer.update({
      state: 'FULFILLED',
      phase: 'paging',
      ...pick(status, ['submissionDate', 'completionDate', 'expirationDate', 'errorMessage']),
    });
    ctx.progress({ type: 'state', runId: ctx.runId, jobId, state: 'FULFILLED', elapsedMs: ctx.elapsed(), ...(status.expirationDate ? { expirationDate: status.expirationDate } : {}) });
    await ctx.syncHistory();
  }

  private async _walk(ctx: RunContext, writer: RunWriter, fulfilled?: JobStatus): Promise<RunOutcome> {
    const jobId = writer.manifest.jobId!;
    const m = writer.manifest;
    const guard = new PageGuard(this._o.pageGuard, { lastPageHash: m.lastPageHash, emptyPageRun: m.emptyPageRun, repeatRun: m.repeatRun });
    const intervalEnd = parseInterval((m.body as AsyncJobBody).interval).endMs;
    if (m.pages > 0 && m.cursor === undefined) {
      // Resumed after the last page was stored but before the run was marked done: nothing left to fetch
      // (starting again from the first page would re-download every page only to drop the rows).
      return this._finish(ctx, writer, m.partial ? 'PARTIAL' : 'FULFILLED', { partial: m.partial });
    }
    const cursor = m.cursor;
    // A resumed run keeps the page size its cursor was issued for, whatever the setting says now.
    const pageSize = m.pageSize ?? this._o.pageSize;
    // A split run's sub-job waits here, FULFILLED, until one of its walkers is free.
    await ctx.turnToWalk();
    // Ends the prefetched request (and its retries) when the walk stops for any reason, e.g. the page
    // being written failed: nobody would read its answer.
    const walk = new AbortController();
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, walk.signal]) : walk.signal;
    try {
      // The first page is asked for the moment the job is seen FULFILLED; the state is recorded (manifest
      // fsync, history) while it travels. Crash in between: the manifest still says polling, and a
      // resume polls once more and walks from the first page, as it would have anyway.
      // The page promise lives only in `w` (no local holds it): a resolved promise keeps its page alive.
      const w: WalkState = { jobId, guard, intervalEnd, cursor, pageSize, signal, pending: this._fetchPage(jobId, cursor, pageSize, signal) };
      if (fulfilled) {
        await untilSent();
        await this._recordFulfilled(ctx, writer, fulfilled);
      }
      return await this._walkPages(ctx, writer, w);
    } finally {
      walk.abort();
    }
  }

  /**
   * Stores page after page until the walk ends. Each page is handled in its own call (_storePage), so
   * nothing of it stays referenced from this loop while the next page is awaited: a suspended async
   * function keeps its locals, and a page holds its 5 MB body until its rows are stored.
   */
  private async _walkPages(ctx: RunContext, writer: RunWriter, w: WalkState): Promise<RunOutcome> {
    for (;;) {
      const outcome = await this._storePage(ctx, writer, w);
      if (outcome) {
        return outcome;
      }
    }
  }

  /** Awaits `w.pending`, asks for the next page (into `w.pending`) and stores this one; an outcome ends the walk. */
  private async _storePage(ctx: RunContext, writer: RunWriter, w: WalkState): Promise<RunOutcome | undefined> {
    const { jobId, guard, intervalEnd, pageSize, signal, cursor } = w;
    const fetched = await w.pending;
    if ('error' in fetched) {
      if (fetched.error.kind === 'notFound') {
        return this._onResultsGone(ctx, writer, fetched.error);
      }
      throw fetched.error;
    }
    const page = fetched.page;
    const verdict = guard.inspect(cursor, page);
    const nextCursor = verdict.action === 'continue' ? verdict.nextCursor : undefined;
    // Ask for the next page while this one is written: the disk work hides behind the network wait.
    // The manifest still advances one page at a time, after that page's rows are on disk.
    if (nextCursor !== undefined) {
      w.pending = this._fetchPage(jobId, nextCursor, pageSize, signal);
      // Let it reach the socket before this page's CPU work (compressing 1000 rows) holds the thread.
      await untilSent();
    }
    if (page.dataAvailabilityDate && !writer.manifest.dataAvailabilityDate) {
      await writer.update({ dataAvailabilityDate: page.dataAvailabilityDate });
      if (Date.parse(page.dataAvailabilityDate) < intervalEnd) {
        await ctx.warn(`The interval ends after the data lake's availability date (${page.dataAvailabilityDate}): conversations after it may be missing from the job. Use a sync query for recent data, or re-run later.`);
      }
    }
    const keep = ctx.keepRow;
    await writer.appendRawRows(keep ? (page.rows ?? []).filter(keep) : (page.rows ?? []), {
      pages: writer.manifest.pages + 1,
      cursor: nextCursor,
      ...guard.state,
      ...(verdict.action === 'stop' ? { partial: true } : {}),
    });
    // The rows are on disk (the writer copied them into its gzip members): the body can be reused.
    page.release?.();
    ctx.progress({ type: 'page', runId: ctx.runId, pages: writer.manifest.pages, rowCount: writer.rowCount, elapsedMs: ctx.elapsed() });
    ctx.maybeSyncHistory();
    if (verdict.action === 'last') {
      return this._finish(ctx, writer, 'FULFILLED', {});
    }
    if (verdict.action === 'stop') {
      await ctx.warn(verdict.reason);
      return this._finish(ctx, writer, 'PARTIAL', { partial: true });
    }
    w.cursor = nextCursor;
    return undefined;
  }

  /** One results page; never rejects (an error is returned), so a prefetch cannot go unhandled. */
  private async _fetchPage(jobId: string, cursor: string | undefined, pageSize: number, signal: AbortSignal): Promise<FetchedPage> {
    try {
      return { page: await this._o.api.getJobResults(jobId, { cursor, pageSize }, signal) };
    } catch (err) {
      return { error: classifyError(err, 'getJobResults') };
    }
  }

  /** Results vanished mid-walk (404): expired, cancelled elsewhere, or unknown. */
  private async _onResultsGone(ctx: RunContext, writer: RunWriter, error: GenesysError): Promise<RunOutcome> {
    let state: JobState = 'EXPIRED';
    try {
      const status = await this._o.api.getJobStatus(writer.manifest.jobId!, ctx.signal);
      state = status.state;
      if (status.expirationDate && state === 'EXPIRED') {
        await writer.update({ expirationDate: status.expirationDate });
      }
    } catch (err) {
      if (classifyError(err).kind !== 'notFound') {
        throw err;
      }
    }
    if (state === 'CANCELLED') {
      return this._finish(ctx, writer, 'CANCELLED', { partial: true });
    }
    if (state !== 'EXPIRED') {
      throw error;
    }
    return this._expired(ctx, writer, error);
  }

  /** Ends the run EXPIRED with an 'expired' GenesysError saying when, what is kept, and that Re-fetch re-submits. */
  private async _expired(ctx: RunContext, writer: RunWriter, cause?: GenesysError): Promise<RunOutcome> {
    const m = writer.manifest;
    const error = expiredJobError({ expirationDate: m.expirationDate, rowCount: writer.rowCount, jobId: m.jobId, cause });
    await ctx.warn(error.message);
    await writer.update({ error: { kind: error.kind, message: error.message, supportInfo: error.supportInfo() } });
    return this._finish(ctx, writer, 'EXPIRED', { partial: m.pages > 0, error });
  }

  private async _onError(ctx: RunContext, writer: RunWriter, error: GenesysError): Promise<RunOutcome> {
    if (error.kind === 'cancelled') {
      const jobId = writer.manifest.jobId;
      const state = writer.manifest.state;
      // Cancel means: stop paging AND tell Genesys, unless the job is already gone.
      if (jobId && state !== 'EXPIRED' && state !== 'FAILED' && state !== 'CANCELLED') {
        await this.deleteQuietly(jobId);
      }
      return this._finish(ctx, writer, 'CANCELLED', { partial: writer.manifest.phase !== 'done' });
    }
    if (error.kind === 'ambiguous') {
      // Done, so start-up never resumes (= re-submits) it; Retry is the user's explicit re-fetch.
      await writer.update({ phase: 'done' });
    }
    return ctx.fail(writer, error);
  }

  private async _finish(ctx: RunContext, writer: RunWriter, state: RunManifest['state'], extra: { partial?: boolean; error?: GenesysError }): Promise<RunOutcome> {
    await writer.update({ state, phase: 'done', partial: extra.partial ?? false, cursor: undefined });
    await ctx.syncHistory();
    return ctx.outcomeFrom(writer.manifest, writer.dir, extra.error);
  }

  /** DELETEs a job, bounded by `cancelDeleteTimeoutMs`; a failure is logged, never thrown (the job then expires at Genesys). */
  async deleteQuietly(jobId: string): Promise<void> {
    const timeoutMs = this._o.cancelDeleteTimeoutMs ?? 15_000;
    try {
      await this._o.api.deleteJob(jobId, AbortSignal.timeout(timeoutMs));
      this._logger.info(`Job ${jobId} deleted (cancelled)`);
    } catch (err) {
      const e = classifyError(err, 'deleteJob');
      const why = e.kind === 'cancelled' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : e.message;
      this._logger.warn(`Could not delete job ${jobId} (${why}); it stays at Genesys until it expires.`);
    }
  }
}

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) {
    if (obj[k] !== undefined) {
      out[k] = obj[k];
    }
  }
  return out;
}
