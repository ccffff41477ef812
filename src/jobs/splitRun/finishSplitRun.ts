import type { GenesysError } from '../../genesys/errors';
import { GenesysError as GenesysErrorClass } from '../../genesys/errors';
import type { RunManifest } from '../../results/manifest';
import type { RunWriter } from '../../results/runWriter';
import type { RunContext } from '../runContext';
import type { RunOutcome } from '../runTypes';
import { formatSpan } from './splitInterval';
import type { SplitPlanStore } from './splitPlan';

/**
 * Ends a split run once no part runs any more:
 * - cancelled by the user: CANCELLED, rows of every part that ended kept;
 * - a part failed on an error a resume may cure (or was never started after one): ERROR, still
 *   resumable (the phase stays), like a single job's error;
 * - a part expired: EXPIRED (so Re-fetch is offered), with an 'expired' error naming the span(s),
 *   the rows kept, and that Re-fetch re-submits only those spans;
 * - a part whose submission may have been sent ('ambiguous'), FAILED at Genesys or cut short: PARTIAL
 *   (ERROR for the ambiguous one), each with a warning naming its span;
 * - else FULFILLED.
 * The sub-jobs' caches are all merged then, so the parts folder is removed once the run is done.
 */
export async function finishSplitRun(ctx: RunContext, writer: RunWriter, plan: SplitPlanStore, errors: ReadonlyMap<number, GenesysError>): Promise<RunOutcome> {
  const { parts, spans } = plan.plan;
  const pages = parts.reduce((n, p) => n + (p.pages ?? 0), 0);
  const cancelled = ctx.signal?.aborted === true;
  if (!cancelled) {
    const resumable = parts.find((p) => p.status === 'error' && p.errorKind !== 'ambiguous');
    if (resumable || parts.some((p) => p.status === undefined)) {
      const error = (resumable && errors.get(resumable.index)) ?? new GenesysErrorClass({ kind: resumable?.errorKind ?? 'transient', code: 'subjob.error', message: resumable?.errorMessage ?? 'A sub-job stopped.' });
      await writer.update({ pages });
      return { ...(await ctx.fail(writer, error)), subJobs: parts.length };
    }
  }
  const troubled = parts.filter((p) => p.status !== 'completed');
  if (!cancelled) {
    for (const p of troubled) {
      await ctx.warn(`Sub-interval ${formatSpan(spans[p.index]!)} ended ${p.status ?? 'unstarted'} with ${p.rows ?? 0} rows: ${p.errorMessage ?? p.status ?? 'not fetched'}`);
    }
  }
  const expired = troubled.filter((p) => p.status === 'expired');
  const ambiguous = troubled.find((p) => p.errorKind === 'ambiguous');
  let error: GenesysError | undefined;
  let state: RunManifest['state'] = cancelled ? 'CANCELLED' : troubled.length === 0 ? 'FULFILLED' : 'PARTIAL';
  if (!cancelled && expired.length > 0) {
    state = 'EXPIRED';
    const which = expired.map((p) => formatSpan(spans[p.index]!)).join(', ');
    error = new GenesysErrorClass({
      kind: 'expired',
      code: 'job.expired',
      message: `The sub-job${expired.length > 1 ? 's' : ''} for ${which} expired at Genesys before all pages were fetched. The ${writer.rowCount.toLocaleString('en-US')} row(s) fetched are kept and marked partial. Re-fetch re-submits only the missing sub-interval${troubled.length > 1 ? 's' : ''}.`,
    });
  } else if (!cancelled && ambiguous) {
    state = 'ERROR';
    error = errors.get(ambiguous.index) ?? new GenesysErrorClass({ kind: 'ambiguous', code: 'interrupted', message: ambiguous.errorMessage ?? 'A sub-job may have been created.' });
  }
  await writer.update({
    state,
    phase: 'done',
    partial: troubled.length > 0,
    submitSentAt: undefined,
    pages,
    ...(error ? { error: { kind: error.kind, message: error.message, supportInfo: error.supportInfo() } } : { error: undefined }),
  });
  await ctx.syncHistory();
  await plan.removeParts();
  return { ...ctx.outcomeFrom(writer.manifest, writer.dir, error), subJobs: parts.length };
}
