import { join } from 'node:path';
import { systemClock } from '../../common/clock';
import { newRunId } from '../../common/ids';
import { silentLogger } from '../../common/logger';
import { classifyError, invalidQueryError } from '../../genesys/errors';
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
import { DEFAULT_CONCURRENCY } from './concurrencyPolicy';
import { finishSplitRun } from './finishSplitRun';
import { planSplit } from './splitInterval';
import type { SplitPlanFile } from './splitPlan';
import { isMissing, PARTS_DIR, readPlan, SplitPlanStore } from './splitPlan';
import { runSubJobs } from './subJobPool';
import type { SubJobEvent } from './subJobPool';

export interface SplitJobRunnerOptions extends JobRunnerOptions {
  /** Most sub-jobs paging at once (a setting would cap it); 1 = today's sequential walk. Default 8 (DEFAULT_CONCURRENCY.max). */
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
  /** Told when a sub-job is submitted and when it ends: the log says which span went where. */
  onSubJob?: (event: SubJobEvent) => void;
}

export { PARTS_DIR } from './splitPlan';

/**
 * Runs a long job as parallel sub-jobs over sub-intervals (planSplit), each a JobRunner walk into its
 * own cache under `<run>/parts/`, merged in interval order into ONE run (one manifest, one history
 * entry, one progress): rows de-duplicated by conversation id, each conversation kept from the span its
 * conversationStart falls in, so the rows come out ordered as asked. Cancel cancels (DELETEs) every
 * sub-job. The plan (spans, bodies, each part's run id, status and whether it is merged) is persisted
 * in split.json, so `resume` continues each part from its own manifest and `refetch` re-submits only
 * the spans that are missing (expired, failed, never fetched). A body that cannot be split runs as one
 * ordinary JobRunner job, and `resume`/`refetch` of a run without a plan are JobRunner's.
 */
export class SplitJobRunner {
  private readonly _o: SplitJobRunnerOptions;
  private readonly _policy: ConcurrencyPolicyOptions;

  constructor(options: SplitJobRunnerOptions) {
    this._o = options;
    const max = Math.max(1, Math.floor(options.maxParallel ?? DEFAULT_CONCURRENCY.max));
    // Start at the cap: 429s and a jobs cap bring it down within a round trip, growth takes rounds.
    this._policy = { ...DEFAULT_CONCURRENCY, initial: max, ...options.concurrency, max };
  }

  /** Sub-jobs to plan: none (one job) when one runs at a time, else `partsPerSlot` per slot. */
  private get _parts(): number {
    return this._policy.max === 1 ? 1 : this._policy.max * Math.max(1, Math.floor(this._o.partsPerSlot ?? 2));
  }

  /** Validates `body` (throws GenesysError 'invalidQuery' synchronously), then runs it split, or as one walk when it cannot be split. */
  start(body: unknown, options: RunOptions = {}): RunHandle {
    const job = validateJobBody(body);
    const plan = planSplit(job, this._parts, this._policy.max);
    if (plan.bodies.length === 1) {
      return new JobRunner(this._o).start(job, options);
    }
    const runId = newRunId();
    const result = this._guarded(runId, options, (ctx) =>
      this._create(ctx, { runId, job, sourceFile: options.sourceFile }, { version: 1, spans: plan.spans, bodies: plan.bodies, parts: plan.spans.map((_, index) => ({ index, runId: newRunId(), ownRowsOnly: true })) }),
    );
    return { runId, result };
  }

  /**
   * Continues an interrupted (or failed) run. A split run continues each unfinished part from its own
   * manifest under parts/ (a part whose submission may have been sent is never submitted again: it
   * ends with the 'ambiguous' error and its span is missing), keeps merged parts, merges the rest.
   */
  resume(runId: string, options: RunOptions = {}): RunHandle {
    const result = (async (): Promise<RunOutcome> => {
      let plan: SplitPlanStore | undefined;
      try {
        plan = await SplitPlanStore.open(this._o.store.runDir(runId));
      } catch (err) {
        return this._guarded(runId, options, () => Promise.reject(err));
      }
      if (!plan) {
        return new JobRunner(this._o).resume(runId, options).result;
      }
      const found = plan;
      return this._guarded(runId, options, (ctx) => this._resume(ctx, found));
    })();
    return { runId, result };
  }

  /**
   * Re-fetches run `runId` as a new run linked to it (`refetchOf`, and `refetchedBy` in history). Of a
   * split run only the missing spans (sub-jobs that expired, failed, were cancelled or never fetched)
   * are submitted again; the others are copied from its cache. A run without a plan (or with nothing
   * missing) is re-submitted whole, split when the body splits.
   */
  refetch(runId: string, options: RunOptions = {}): RunHandle {
    const newId = newRunId();
    const result = (async (): Promise<RunOutcome> => {
      let job: AsyncJobBody;
      let sourceFile: string | undefined;
      let old: SplitPlanFile | undefined;
      try {
        const manifest = await this._o.store.readManifest(runId);
        const body = manifest?.body ?? this._o.history?.get(runId)?.body;
        if (body === undefined) {
          throw invalidQueryError(`The body of run '${runId}' is no longer known, so it cannot be re-fetched.`);
        }
        job = validateJobBody(body);
        sourceFile = manifest?.sourceFile;
        old = manifest ? await readPlan(this._o.store.runDir(runId)) : undefined;
      } catch (err) {
        return this._guarded(newId, options, () => Promise.reject(err));
      }
      const plan = old && old.parts.some(isMissing) ? old : undefined;
      const fresh = plan ? undefined : planSplit(job, this._parts, this._policy.max);
      if (fresh && fresh.bodies.length === 1) {
        try {
          await this._o.history?.update(runId, { refetchedBy: newId });
        } catch (err) {
          return this._guarded(newId, options, () => Promise.reject(err));
        }
        return new JobRunner(this._o).start(job, { ...options, runId: newId, refetchOf: runId, ...(sourceFile ? { sourceFile } : {}) }).result;
      }
      const file: SplitPlanFile = plan
        ? {
            version: 1,
            spans: plan.spans,
            bodies: plan.bodies,
            // Complete spans are copied from the old run's merged rows; the missing ones are fetched anew.
            parts: plan.parts.map((p) => (isMissing(p) ? { index: p.index, runId: newRunId(), ownRowsOnly: true } : { index: p.index, runId: newRunId(), copyFrom: runId, status: 'completed' as const, rows: p.rows ?? 0, pages: 0 })),
          }
        : { version: 1, spans: fresh!.spans, bodies: fresh!.bodies, parts: fresh!.spans.map((_, index) => ({ index, runId: newRunId(), ownRowsOnly: true })) };
      return this._guarded(newId, options, async (ctx) => {
        await this._o.history?.update(runId, { refetchedBy: newId });
        return this._create(ctx, { runId: newId, job, sourceFile, refetchOf: runId }, file);
      });
    })();
    return { runId: newId, result };
  }

  private _guarded(runId: string, options: RunOptions, fn: (ctx: RunContext) => Promise<RunOutcome>): Promise<RunOutcome> {
    const ctx = new RunContext({ runId, kind: 'job', options, clock: this._o.clock ?? systemClock, logger: this._o.logger ?? silentLogger, history: this._o.history, store: this._o.store });
    return ctx.guard(fn);
  }

  private async _create(ctx: RunContext, run: { runId: string; job: AsyncJobBody; sourceFile?: string | undefined; refetchOf?: string }, file: SplitPlanFile): Promise<RunOutcome> {
    const writer = await this._o.store.create({
      runId: run.runId,
      kind: 'job',
      connectionId: this._o.connectionId,
      body: run.job,
      pageSize: this._o.pageSize ?? 1000,
      ...(run.refetchOf ? { refetchOf: run.refetchOf } : {}),
      ...(run.sourceFile ? { sourceFile: run.sourceFile } : {}),
    });
    ctx.attach(writer);
    try {
      // The plan is on disk before any sub-job can be submitted: a crash from here on resumes by it.
      const plan = await SplitPlanStore.create(writer.dir, file);
      return await this._drive(ctx, writer, plan, new Set());
    } catch (err) {
      return await ctx.fail(writer, classifyError(err));
    } finally {
      await writer.close();
    }
  }

  private async _resume(ctx: RunContext, plan: SplitPlanStore): Promise<RunOutcome> {
    const manifest = await this._o.store.readManifest(ctx.runId);
    if (!manifest || manifest.kind !== 'job') {
      throw invalidQueryError(`There is no cached job run '${ctx.runId}' to resume.`);
    }
    if (manifest.phase === 'done') {
      return { ...ctx.outcomeFrom(manifest, this._o.store.runDir(ctx.runId)), subJobs: plan.plan.parts.length };
    }
    const writer = await this._o.store.openWriter(ctx.runId);
    ctx.attach(writer);
    try {
      if (writer.manifest.state === 'ERROR') {
        // Running again: neither history nor the pruner may see it as ERROR meanwhile.
        await writer.update({ state: writer.manifest.phase === 'paging' ? 'FULFILLED' : 'QUEUED', partial: false, error: undefined });
      }
      const partsStore = new ResultsStore({ root: join(writer.dir, PARTS_DIR) });
      const existing = new Set((await partsStore.list()).map((m) => m.runId));
      for (const p of plan.plan.parts) {
        if (!p.merged && p.status === 'error' && p.errorKind !== 'ambiguous' && existing.has(p.runId)) {
          // Failed on an error a resume may cure (network, server): resumed from its own manifest.
          delete p.status;
          delete p.errorKind;
          delete p.errorMessage;
        }
        if (p.status === undefined && !existing.has(p.runId)) {
          // A folder without a manifest was created but never written to, so never submitted: start afresh.
          await partsStore.delete(p.runId);
        }
      }
      return await this._drive(ctx, writer, plan, existing);
    } catch (err) {
      return await ctx.fail(writer, classifyError(err));
    } finally {
      await writer.close();
    }
  }

  private async _drive(ctx: RunContext, writer: RunWriter, plan: SplitPlanStore, existing: ReadonlySet<string>): Promise<RunOutcome> {
    // Sub-jobs were (or are being) submitted: a plain JobRunner.resume of this run must not submit the
    // whole body on its own, so the run says "a submission is in flight" until it is done.
    const m = writer.manifest;
    await writer.update({ phase: m.phase === 'paging' ? 'paging' : 'polling', submitSentAt: m.submitSentAt ?? new Date().toISOString(), ...(m.phase === 'submitting' ? { state: 'QUEUED' as const } : {}) });
    await ctx.syncHistory();
    const partsStore = new ResultsStore({ root: join(writer.dir, PARTS_DIR) });
    const { errors } = await runSubJobs({
      ctx,
      writer,
      plan,
      store: this._o.store,
      partsStore,
      runner: new JobRunner({ ...this._o, store: partsStore, history: undefined }),
      policy: this._policy,
      existing,
      ...(this._o.httpEvents ? { httpEvents: this._o.httpEvents } : {}),
      ...(this._o.onConcurrency ? { onConcurrency: this._o.onConcurrency } : {}),
      ...(this._o.onSubJob ? { onSubJob: this._o.onSubJob } : {}),
    });
    await plan.save();
    return finishSplitRun(ctx, writer, plan, errors);
  }
}

