import { join } from 'node:path';
import { systemClock } from '../../common/clock';
import { newRunId } from '../../common/ids';
import { silentLogger } from '../../common/logger';
import { classifyError } from '../../genesys/errors';
import type { GenesysError } from '../../genesys/errors';
import type { HttpEvent } from '../../genesys/httpObserver';
import type { AsyncJobBody } from '../../genesys/types';
import { ResultsStore } from '../../results/resultsStore';
import type { RunWriter } from '../../results/runWriter';
import { JobRunner } from '../jobRunner';
import type { JobRunnerOptions } from '../jobRunner';
import { validateJobBody } from '../queryValidation';
import { RunContext } from '../runContext';
import type { RunHandle, RunOptions, RunOutcome } from '../runTypes';
import type { ConcurrencyPolicyOptions, ConcurrencyState } from './concurrencyPolicy';
import { DEFAULT_CONCURRENCY, initialConcurrency, nextConcurrency } from './concurrencyPolicy';
import { mergePart } from './mergeParts';
import { formatSpan, planSplit } from './splitInterval';
import type { Span } from './splitInterval';

export interface SplitJobRunnerOptions extends JobRunnerOptions {
  /** Most sub-jobs paging at once (a setting would cap it); 1 = today's sequential walk. Default 4. */
  maxParallel?: number;
  /** Sub-intervals per slot of parallelism (more parts let the concurrency adapt between them); default 2. */
  partsPerSlot?: number;
  concurrency?: Partial<Omit<ConcurrencyPolicyOptions, 'max'>>;
  /**
   * Subscribes to the HTTP events of `api` (an HttpEventHub given to the GenesysClient as `observer`),
   * so the concurrency follows 429s, the rate-limit headers and a running-jobs cap. Without it the
   * concurrency stays at its initial value.
   */
  httpEvents?: (listener: (event: HttpEvent) => void) => () => void;
  /** Told every change of the concurrency (limit, and a running-jobs cap once learned): logs, tests. */
  onConcurrency?: (state: Readonly<ConcurrencyState>) => void;
}

interface Part {
  index: number;
  span: Span;
  body: AsyncJobBody;
  runId: string;
  pages: number;
  rows: number;
  outcome?: RunOutcome;
}

/** Folder (inside the run's folder) holding the sub-jobs' own caches until they are merged. */
export const PARTS_DIR = 'parts';

/**
 * Runs a long job as parallel sub-jobs over sub-intervals (planSplit), each a JobRunner walk into its
 * own cache under `<run>/parts/`, merged in interval order into ONE run (one manifest, one history
 * entry, one progress): rows de-duplicated by conversation id, each conversation kept from the span its
 * conversationStart falls in, so the rows come out ordered as asked. Cancel cancels (DELETEs) every
 * sub-job. Not yet: resume of a split run after a crash, re-fetch of one expired sub-job (the run ends
 * partial with a warning naming the span; Retry re-runs the whole body).
 */
export class SplitJobRunner {
  private readonly _o: SplitJobRunnerOptions;
  private readonly _policy: ConcurrencyPolicyOptions;

  constructor(options: SplitJobRunnerOptions) {
    this._o = options;
    const max = Math.max(1, Math.floor(options.maxParallel ?? 4));
    // Start at the cap: 429s and a jobs cap bring it down within a round trip, growth takes rounds.
    this._policy = { ...DEFAULT_CONCURRENCY, initial: max, ...options.concurrency, max };
  }

  /** Validates `body` (throws GenesysError 'invalidQuery' synchronously), then runs it split, or as one walk when it cannot be split. */
  start(body: unknown, options: RunOptions = {}): RunHandle {
    const job = validateJobBody(body);
    const plan = planSplit(job, this._policy.max * Math.max(1, Math.floor(this._o.partsPerSlot ?? 2)));
    if (plan.bodies.length === 1) {
      return new JobRunner(this._o).start(job, options);
    }
    const runId = newRunId();
    const ctx = new RunContext({ runId, kind: 'job', options, clock: this._o.clock ?? systemClock, logger: this._o.logger ?? silentLogger, history: this._o.history, store: this._o.store });
    const result = ctx.guard(async () => {
      const writer = await this._o.store.create({ runId, kind: 'job', connectionId: this._o.connectionId, body: job, pageSize: this._o.pageSize ?? 1000 });
      ctx.attach(writer);
      try {
        return await this._run(ctx, writer, plan.spans, plan.bodies);
      } catch (err) {
        return await ctx.fail(writer, classifyError(err));
      } finally {
        await writer.close();
      }
    });
    return { runId, result };
  }

  private async _run(ctx: RunContext, writer: RunWriter, spans: Span[], bodies: AsyncJobBody[]): Promise<RunOutcome> {
    // Sub-jobs were (or are being) submitted: a plain JobRunner.resume of this run must not submit the
    // whole body on its own, so the run says "a submission is in flight" until it is done.
    await writer.update({ phase: 'polling', submitSentAt: new Date().toISOString(), state: 'QUEUED' });
    await ctx.syncHistory();
    const partsStore = new ResultsStore({ root: join(writer.dir, PARTS_DIR) });
    const parts: Part[] = bodies.map((body, index) => ({ index, span: spans[index]!, body, runId: '', pages: 0, rows: 0 }));
    // Launched and merged in the order the rows are asked for: newest span first for 'desc'.
    const sequence = bodies[0]?.order === 'desc' ? [...parts].reverse() : parts;
    const runner = new JobRunner({ ...this._o, store: partsStore, history: undefined });
    const subSignal = new AbortController();
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, subSignal.signal]) : subSignal.signal;
    let state: ConcurrencyState = initialConcurrency(this._policy);
    let active = 0;
    let next = 0;
    let merged = 0;
    let merging = Promise.resolve();
    let fulfilledSeen = false;
    let done!: () => void;
    const allDone = new Promise<void>((resolve) => (done = resolve));
    const progress = (): void => {
      ctx.progress({ type: 'page', runId: ctx.runId, pages: parts.reduce((n, p) => n + p.pages, 0), rowCount: parts.reduce((n, p) => n + p.rows, 0), elapsedMs: ctx.elapsed() });
      ctx.maybeSyncHistory();
    };
    const mergeReady = (): void => {
      while (merged < sequence.length && sequence[merged]!.outcome) {
        const part = sequence[merged++]!;
        merging = merging.then(async () => {
          if (part.runId === '') {
            return; // never launched (the run stopped first)
          }
          if (part.outcome!.rowCount > 0) {
            await mergePart(writer, join(partsStore.root, part.runId), spans, part.index);
          }
          await partsStore.delete(part.runId);
        });
      }
      if (merged === parts.length) {
        done();
      }
    };
    const launch = (): void => {
      while (active < state.limit && next < parts.length && !signal.aborted) {
        const part = sequence[next++]!;
        active++;
        const handle = runner.start(part.body, {
          signal,
          onProgress: (e) => {
            if (e.type === 'page') {
              part.pages = e.pages;
              part.rows = e.rowCount;
              progress();
            } else if (e.type === 'state' && e.state === 'FULFILLED' && !fulfilledSeen) {
              fulfilledSeen = true;
              void writer.update({ state: 'FULFILLED', phase: 'paging' }).then(() => ctx.syncHistory(), () => undefined);
            }
          },
        });
        part.runId = handle.runId;
        void handle.result.then((outcome) => {
          part.outcome = outcome;
          active--;
          if (outcome.status === 'cancelled' || outcome.status === 'error') {
            // One sub-job down for good (cancel, or an error its retries could not cure): stop the rest.
            subSignal.abort();
          }
          launch();
          // Parts never launched (stopped early) end as cancelled without a job.
          if (signal.aborted) {
            for (const p of sequence.slice(next)) {
              p.outcome ??= { ...outcome, status: 'cancelled', rowCount: 0, pages: 0, partial: true, warnings: [] };
            }
            next = parts.length;
          }
          mergeReady();
        });
      }
    };
    const unlisten = this._o.httpEvents?.((event) => {
      const signalOf = policySignal(event, active);
      if (signalOf) {
        const before = state;
        state = nextConcurrency(this._policy, state, signalOf);
        if (state.limit !== before.limit || state.jobsCap !== before.jobsCap) {
          this._o.onConcurrency?.(state);
        }
        launch();
      }
    });
    try {
      launch();
      await allDone;
      await merging;
    } finally {
      unlisten?.();
    }
    return this._finish(ctx, writer, parts);
  }

  private async _finish(ctx: RunContext, writer: RunWriter, parts: Part[]): Promise<RunOutcome> {
    const troubled = parts.filter((p) => p.outcome!.status !== 'completed');
    const cancelled = parts.some((p) => p.outcome!.status === 'cancelled' && ctx.signal?.aborted);
    for (const p of troubled) {
      if (!cancelled) {
        const why = p.outcome!.error?.message ?? p.outcome!.status;
        await ctx.warn(`Sub-interval ${formatSpan(p.span)} ended ${p.outcome!.status} with ${p.outcome!.rowCount} rows: ${why}`);
      }
    }
    const error: GenesysError | undefined = troubled.find((p) => p.outcome!.error && p.outcome!.status !== 'cancelled')?.outcome!.error;
    const state = cancelled ? 'CANCELLED' : troubled.length === 0 ? 'FULFILLED' : 'PARTIAL';
    const pages = parts.reduce((n, p) => n + (p.outcome?.pages ?? 0), 0);
    await writer.update({ state, phase: 'done', partial: troubled.length > 0, submitSentAt: undefined, pages, ...(error ? { error: { kind: error.kind, message: error.message, supportInfo: error.supportInfo() } } : {}) });
    await ctx.syncHistory();
    return ctx.outcomeFrom(writer.manifest, writer.dir, error);
  }
}

/** What an HTTP event says to the concurrency policy, if anything. */
function policySignal(event: HttpEvent, active: number): Parameters<typeof nextConcurrency>[2] | undefined {
  if (event.type === 'response' && event.status >= 200 && event.status < 300) {
    return { type: 'answer', ...(event.rateLimit ? { rateLimit: event.rateLimit } : {}) };
  }
  if (event.type === 'retry' && event.kind === 'rateLimited') {
    // A refused submission is the running-jobs cap (the budget would refuse reads as well).
    return event.operation === 'submitJob' ? { type: 'jobsCap', running: Math.max(1, active - 1) } : { type: 'rateLimited' };
  }
  return undefined;
}
