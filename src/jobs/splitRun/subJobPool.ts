import { join } from 'node:path';
import type { GenesysError } from '../../genesys/errors';
import { classifyError } from '../../genesys/errors';
import type { HttpEvent } from '../../genesys/httpObserver';
import type { JobState, WireRow } from '../../genesys/types';
import type { ResultsStore } from '../../results/resultsStore';
import type { RunWriter } from '../../results/runWriter';
import type { JobRunner } from '../jobRunner';
import type { RunContext } from '../runContext';
import type { RunOptions, RunOutcome, RunStatus } from '../runTypes';
import type { ConcurrencyPolicyOptions, ConcurrencySignal, ConcurrencyState } from './concurrencyPolicy';
import { initialConcurrency, nextConcurrency } from './concurrencyPolicy';
import { mergePart, ownsRow } from './mergeParts';
import { formatSpan } from './splitInterval';
import type { PlanPart, SplitPlanStore } from './splitPlan';

/** What happened to one sub-job: for the log (and tests that stop a process at a known point). */
/** `runId` is the split run's; `index` the sub-job's span (0-based, chronological) of `parts`. */
export type SubJobEvent =
  | { type: 'submitted'; runId: string; index: number; parts: number; span: string; jobId: string }
  | { type: 'ended'; runId: string; index: number; parts: number; span: string; status: RunStatus; rows: number };

export interface SubJobPoolDeps {
  ctx: RunContext;
  /** The merged run's writer. */
  writer: RunWriter;
  plan: SplitPlanStore;
  /** The main store (re-fetch copies rows from a run in it). */
  store: ResultsStore;
  /** `<run>/parts/`: one cache per sub-job until it is merged. */
  partsStore: ResultsStore;
  /** A JobRunner writing into partsStore, without history. */
  runner: JobRunner;
  policy: ConcurrencyPolicyOptions;
  /** Parts whose cache (manifest) exists in partsStore: resumed, never started again. */
  existing: ReadonlySet<string>;
  httpEvents?: (listener: (event: HttpEvent) => void) => () => void;
  onConcurrency?: (state: Readonly<ConcurrencyState>) => void;
  onSubJob?: (event: SubJobEvent) => void;
}

/** How the sub-jobs ended, for the run's own end. */
export interface PoolResult {
  /** The error of each part that ended in one (by index): the first resumable one fails the run. */
  errors: Map<number, GenesysError>;
}

/**
 * Runs the plan's unfinished parts as concurrent JobRunner walks (launched in the asked order, as many
 * walking at once as the concurrency policy allows and as many again submitted ahead: see `launch`) and
 * merges ended parts into the run strictly in that order (a part is merged once every part before it is). The plan is saved when a part ends (its status)
 * and once it is merged, before its own cache is deleted: a crash at any point resumes without losing
 * or repeating a row (a part merged again is de-duplicated by the writer's id filter). After an error
 * no further part is launched (running ones go on, so they stay resumable); a cancel stops launching
 * and aborts every running part (each DELETEs its job), then merges whatever ended.
 */
export async function runSubJobs(d: SubJobPoolDeps): Promise<PoolResult> {
  const { ctx, writer, plan } = d;
  const { spans, bodies, parts } = plan.plan;
  const sequence = bodies[0]?.order === 'desc' ? [...parts].reverse() : [...parts];
  const live = new Map<number, { pages: number; rows: number }>();
  // Parts whose job Genesys accepted and has not finished running (QUEUED/PENDING as last seen): what a
  // running-jobs cap counts.
  const queued = new Set<number>();
  /** Parts started afresh whose submission has not been answered yet (one may be refused by a cap). */
  const submitting = new Set<number>();
  const errors = new Map<number, GenesysError>();
  /** Each part's job, once Genesys accepted its submission (in this process). */
  const jobIds = new Map<number, string>();
  let state: ConcurrencyState = initialConcurrency(d.policy);
  let active = 0;
  /** Parts walking their results: at most `state.limit` (the request rate). */
  const walking = new Set<number>();
  /** FULFILLED parts waiting for a walker to be free; `position` is the part's in `sequence`. */
  const turns: Array<{ index: number; position: number; go: () => void }> = [];
  let next = 0;
  let mergedUpTo = 0;
  let halted = false;
  let mergeError: unknown;
  let merges: Promise<void> = Promise.resolve();
  let fulfilledSeen = writer.manifest.state === 'FULFILLED';
  const stopped = (): boolean => halted || mergeError !== undefined || ctx.signal?.aborted === true;
  const describe = (p: PlanPart) => ({ runId: ctx.runId, index: p.index, parts: parts.length, span: formatSpan(spans[p.index]!) });

  const progress = (): void => {
    let pages = 0;
    let rows = 0;
    for (const p of parts) {
      const l = live.get(p.index);
      pages += l?.pages ?? p.pages ?? 0;
      rows += l?.rows ?? p.rows ?? 0;
    }
    ctx.progress({ type: 'page', runId: ctx.runId, pages, rowCount: rows, elapsedMs: ctx.elapsed() });
    ctx.maybeSyncHistory();
  };

  const mergeOne = async (group: PlanPart[]): Promise<void> => {
    await plan.save(); // their statuses first: a crash mid-merge then knows they ended
    const first = group[0]!;
    const from = first.copyFrom !== undefined ? d.store.runDir(first.copyFrom) : join(d.partsStore.root, first.runId);
    if (first.copyFrom !== undefined || (first.rows ?? 0) > 0) {
      await mergePart(writer, from, spans, new Set(group.map((p) => p.index)), first.copyFrom === undefined && first.ownRowsOnly === true);
    }
    for (const p of group) {
      p.merged = true;
    }
    await plan.save();
    if (first.copyFrom === undefined) {
      await d.partsStore.delete(first.runId);
    }
  };

  /** Queues the merge of every ended part whose predecessors are merged; `final`: skip parts never started. */
  const pump = (final: boolean): void => {
    while (mergedUpTo < sequence.length) {
      const p = sequence[mergedUpTo]!;
      if (p.merged) {
        mergedUpTo++;
        continue;
      }
      if (p.status === undefined) {
        if (final) {
          mergedUpTo++;
          continue;
        }
        return;
      }
      // Copied spans next to each other come from one run: one pass over its rows for all of them.
      const group = [p];
      mergedUpTo++;
      while (p.copyFrom !== undefined && mergedUpTo < sequence.length) {
        const q = sequence[mergedUpTo]!;
        if (q.copyFrom !== p.copyFrom || q.merged || q.status === undefined) {
          break;
        }
        group.push(q);
        mergedUpTo++;
      }
      merges = merges.then(async () => {
        if (mergeError === undefined) {
          try {
            await mergeOne(group);
          } catch (err) {
            mergeError = err;
          }
        }
      });
    }
  };

  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const checkSettled = (): void => {
    if (active === 0 && (next >= sequence.length || stopped())) {
      settle();
    }
  };

  // In run order, not in the order they got FULFILLED: the plan makes the parts walked last the shortest.
  const giveTurns = (): void => {
    while (turns.length > 0 && walking.size < state.limit) {
      const first = turns.reduce((best, t, k) => (t.position < turns[best]!.position ? k : best), 0);
      turns.splice(first, 1)[0]!.go();
    }
  };

  const ended = (part: PlanPart, outcome: RunOutcome): void => {
    active--;
    walking.delete(part.index);
    submitting.delete(part.index);
    const waiting = turns.findIndex((t) => t.index === part.index);
    if (waiting >= 0) {
      turns.splice(waiting, 1); // ended (cancelled) before its turn came
    }
    queued.delete(part.index);
    live.delete(part.index);
    part.status = outcome.status;
    part.rows = outcome.rowCount;
    part.pages = outcome.pages;
    if (outcome.error) {
      errors.set(part.index, outcome.error);
      part.errorKind = outcome.error.kind;
      part.errorMessage = outcome.error.message;
    }
    if (outcome.status === 'error' && outcome.error?.kind !== 'ambiguous') {
      // An error its retries could not cure: submit no more jobs. Running parts go on (and stay resumable).
      halted = true;
    }
    d.onSubJob?.({ type: 'ended', ...describe(part), status: outcome.status, rows: outcome.rowCount });
    progress();
    giveTurns();
    launch();
    pump(false);
    checkSettled();
  };

  // The run's state as progress shows it: the furthest any sub-job got (queued, running, fulfilled).
  const STAGES: readonly JobState[] = ['QUEUED', 'PENDING', 'FULFILLED'];
  let stage = fulfilledSeen ? 2 : -1;
  const advance = (jobState: JobState, jobId: string): void => {
    const at = STAGES.indexOf(jobState);
    if (at > stage) {
      stage = at;
      ctx.progress({ type: 'state', runId: ctx.runId, jobId, state: jobState, elapsedMs: ctx.elapsed() });
    }
  };

  /**
   * Starts parts while fewer than `state.limit` (and a learned running-jobs cap) are not yet walking
   * (submitted, polled, or FULFILLED and waiting for a turn). So the next parts' jobs run at Genesys while
   * earlier ones page, and their first page is asked for the moment a walker is free; yet no more of our
   * jobs are QUEUED or PENDING at once (what a running-jobs cap counts) than without submitting ahead.
   */
  const launch = (): void => {
    while (active - walking.size < Math.min(state.limit, state.jobsCap ?? Number.POSITIVE_INFINITY) && next < sequence.length && !stopped()) {
      const position = next++;
      const part = sequence[position]!;
      if (part.status !== undefined) {
        continue; // ended before this process (resume) or copied (re-fetch)
      }
      active++;
      live.set(part.index, { pages: 0, rows: 0 });
      const options: RunOptions = {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(part.ownRowsOnly ? { keepRow: (row: WireRow) => ownsRow(spans, part.index, row.json) } : {}),
        beforeWalk: () =>
          new Promise<void>((resolve) => {
            queued.delete(part.index); // FULFILLED: no longer a running job at Genesys
            turns.push({
              index: part.index,
              position,
              go: () => {
                walking.add(part.index);
                resolve();
                launch();
              },
            });
            giveTurns();
          }),
        onProgress: (e) => {
          if (e.type === 'page') {
            live.set(part.index, { pages: e.pages, rows: e.rowCount });
            progress();
          } else if (e.type === 'submitted') {
            submitting.delete(part.index);
            jobIds.set(part.index, e.jobId);
            d.onSubJob?.({ type: 'submitted', ...describe(part), jobId: e.jobId });
            queued.add(part.index);
            advance('QUEUED', e.jobId);
          } else if (e.type === 'state') {
            if (e.state === 'QUEUED' || e.state === 'PENDING') {
              queued.add(part.index); // a resumed part polls on
            } else {
              queued.delete(part.index);
            }
            advance(e.state, e.jobId);
            // The merged run's results expire at Genesys with its first sub-job (history shows it, Re-fetch follows).
            const m = writer.manifest;
            const expires = e.expirationDate !== undefined && (m.expirationDate === undefined || Date.parse(e.expirationDate) < Date.parse(m.expirationDate));
            const first = e.state === 'FULFILLED' && !fulfilledSeen;
            fulfilledSeen ||= e.state === 'FULFILLED';
            if (first || expires) {
              void writer
                .update({ ...(first ? { state: 'FULFILLED' as const, phase: 'paging' as const } : {}), ...(expires ? { expirationDate: e.expirationDate } : {}) })
                .then(() => ctx.syncHistory(), () => undefined);
            }
          }
        },
      };
      // A part with a cache is resumed from it (JobRunner.resume never re-submits one whose submission
      // may have been sent); one without was never created, so never submitted, and starts now.
      const resumed = d.existing.has(part.runId);
      if (!resumed) {
        submitting.add(part.index);
      }
      const handle = resumed ? d.runner.resume(part.runId, options) : d.runner.start(bodies[part.index], { ...options, runId: part.runId });
      void handle.result.then((outcome) => ended(part, outcome));
    }
  };

  const unlisten = d.httpEvents?.((event) => {
    // Our jobs running at a refusal: those accepted and not seen done, and (at most) the other submissions
    // still unanswered. Counting those too errs high, which costs one more refusal; erring low would
    // hold back every later sub-job.
    const signal = policySignal(event, queued.size + Math.max(0, submitting.size - 1));
    if (signal) {
      const before = state;
      state = nextConcurrency(d.policy, state, signal);
      if (state.limit !== before.limit || state.jobsCap !== before.jobsCap) {
        d.onConcurrency?.(state);
      }
      giveTurns();
      launch();
    }
  });
  try {
    launch();
    pump(false);
    checkSettled();
    await settled;
    // Cancelled: whatever ended is merged (in order, skipping parts never started); the run is over.
    pump(ctx.signal?.aborted === true);
    await merges;
    if (ctx.signal?.aborted) {
      // A cancel DELETEs every sub-job: the running ones did their own; those that had completed (rows kept) too.
      const done = parts.filter((p) => p.status === 'completed' && jobIds.has(p.index));
      await Promise.all(done.map((p) => d.runner.deleteQuietly(jobIds.get(p.index)!)));
    }
  } finally {
    unlisten?.();
  }
  if (mergeError !== undefined) {
    throw classifyError(mergeError);
  }
  return { errors };
}

/** What an HTTP event says to the concurrency policy, if anything. */
function policySignal(event: HttpEvent, running: number): ConcurrencySignal | undefined {
  if (event.type === 'response' && event.status >= 200 && event.status < 300) {
    return { type: 'answer', ...(event.rateLimit ? { rateLimit: event.rateLimit } : {}) };
  }
  if (event.type === 'retry' && event.kind === 'rateLimited') {
    // A refused submission is the running-jobs cap (the budget would refuse reads as well): the cap the
    // refusal names (ErrorBody.limit.value), else our count.
    return event.operation === 'submitJob' ? { type: 'jobsCap', running: event.limit ?? Math.max(1, running) } : { type: 'rateLimited' };
  }
  return undefined;
}
