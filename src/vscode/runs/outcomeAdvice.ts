/**
 * What to tell the user when a run ends, and which actions to offer: pure, so the choice of actions
 * per outcome (GenesysError kind, job phase, deep-paging cap) is unit-tested.
 */
import type { RunOutcome } from '../../jobs/runTypes';

export type OutcomeAction =
  /** Open the cached rows (genesysCloud.openResults). */
  | 'openResults'
  /** Send the same sync query again (reads only). */
  | 'retry'
  /** Continue a job that has a job id: polls/pages on, never re-submits. */
  | 'resume'
  /** Submit the job body again: only ever on the user's explicit choice (it may create a second job). */
  | 'submitAgain'
  /** Run the sync query's body as an async job (past the deep-paging ceiling). */
  | 'runAsJob'
  | 'refetch'
  | 'signIn'
  | 'showLog';

export type Severity = 'info' | 'warning' | 'error' | 'none';

export interface OutcomeAdvice {
  severity: Severity;
  message: string;
  actions: OutcomeAction[];
}

/** The server's deep-paging answer, or our own cap warning, both point the user to a job. */
export function hitPagingCeiling(outcome: Pick<RunOutcome, 'kind' | 'warnings' | 'error'>): boolean {
  if (outcome.kind !== 'query') {
    return false;
  }
  if (outcome.error?.kind === 'invalidQuery' && /pagination may not exceed|exceed/i.test(`${outcome.error.serverMessage ?? ''} ${outcome.error.message}`)) {
    return true;
  }
  return outcome.warnings.some((w) => /run it as an async job/i.test(w));
}

const rowsText = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** Advice for the end of a run named `what` ("Query 'last-day.gcquery.json'"). */
export function adviseOutcome(outcome: RunOutcome, what: string): OutcomeAdvice {
  const hasRows = outcome.rowCount > 0;
  switch (outcome.status) {
    case 'completed':
      return { severity: 'info', message: `${what} finished: ${rowsText(outcome.rowCount)} in ${seconds(outcome.elapsedMs)}.`, actions: ['openResults'] };
    case 'partial': {
      const warning = outcome.warnings[outcome.warnings.length - 1] ?? 'It stopped before the last page.';
      if (hitPagingCeiling(outcome)) {
        return { severity: 'warning', message: `${what} kept the first ${rowsText(outcome.rowCount)} only. ${warning}`, actions: ['runAsJob', 'openResults'] };
      }
      return { severity: 'warning', message: `${what} is partial (${rowsText(outcome.rowCount)} kept): ${warning}`, actions: ['openResults', 'showLog'] };
    }
    case 'cancelled':
      // Cancelled by the user: no toast (the status bar says it briefly).
      return { severity: 'none', message: `${what} was cancelled${hasRows ? ` (${rowsText(outcome.rowCount)} kept)` : ''}.`, actions: [] };
    case 'expired':
      return {
        severity: 'warning',
        message: `The results of ${what} expired at Genesys${hasRows ? ` after ${rowsText(outcome.rowCount)} were cached` : ''}. Re-fetch submits the same body again.`,
        actions: hasRows ? ['refetch', 'openResults'] : ['refetch'],
      };
    case 'failed':
      return {
        severity: 'error',
        message: `Genesys reports that ${what} failed${outcome.errorMessage ? `: ${outcome.errorMessage}` : '.'}`,
        actions: ['submitAgain', 'showLog'],
      };
    case 'error':
      return adviseError(outcome, what);
  }
}

function adviseError(outcome: RunOutcome, what: string): OutcomeAdvice {
  const e = outcome.error;
  const base = `${what} failed: ${e?.message ?? 'unknown error'}`;
  const kept = outcome.rowCount > 0 ? ` ${rowsText(outcome.rowCount)} fetched before the error are kept.` : '';
  const actions: OutcomeAction[] = [];
  if (hitPagingCeiling(outcome)) {
    actions.push('runAsJob');
  } else if (e?.kind === 'auth') {
    actions.push('signIn');
  } else if (outcome.kind === 'job' && (outcome.jobId || (outcome.subJobs && e?.kind !== 'ambiguous'))) {
    // (A split run's sub-jobs exist, except one whose submission was lost: that one is Submit Again's.)
    // The job exists: continuing it only reads, so it is always safe.
    if (e?.kind !== 'invalidQuery') {
      actions.push('resume');
    }
  } else if (outcome.kind === 'job') {
    if (e?.kind !== 'invalidQuery') {
      actions.push('submitAgain');
    }
  } else if (e?.kind !== 'invalidQuery' && e?.kind !== 'permission') {
    actions.push('retry');
  }
  if (outcome.rowCount > 0) {
    actions.push('openResults');
  }
  actions.push('showLog');
  return { severity: 'error', message: `${base}${kept}`, actions };
}
