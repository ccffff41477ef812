import * as assert from 'node:assert/strict';
import { GenesysError } from '../../../src/genesys/errors';
import type { RunOutcome } from '../../../src/jobs/runTypes';
import { adviseOutcome, hitPagingCeiling } from '../../../src/vscode/runs/outcomeAdvice';
import { progressText } from '../../../src/vscode/runs/runTracker';

function outcome(over: Partial<RunOutcome> = {}): RunOutcome {
  return { status: 'completed', runId: 'r1', kind: 'query', state: 'FULFILLED', rowCount: 250, pages: 3, partial: false, warnings: [], elapsedMs: 1500, resultsDir: '/cache/r1', ...over };
}

describe('run outcome advice', () => {
  it('announces a completed run with Open Results', () => {
    const a = adviseOutcome(outcome(), "Query 'q.json'");
    assert.equal(a.severity, 'info');
    assert.equal(a.message, "Query 'q.json' finished: 250 rows in 1.5 s.");
    assert.deepEqual(a.actions, ['openResults']);
  });

  it('shows nothing for a cancelled run', () => {
    assert.equal(adviseOutcome(outcome({ status: 'cancelled', state: 'CANCELLED' }), 'Job').severity, 'none');
  });

  it('offers Run as Job instead past the deep-paging ceiling, from the cap warning or the server error', () => {
    const capped = outcome({ status: 'partial', state: 'PARTIAL', partial: true, warnings: ['This query matches 120,000 conversations, but the synchronous query can page through only the first 100,000. Run it as an async job to get all of them, or split the interval into smaller ones.'] });
    assert.ok(hitPagingCeiling(capped));
    assert.deepEqual(adviseOutcome(capped, 'Query').actions, ['runAsJob', 'openResults']);
    const error = new GenesysError({ kind: 'invalidQuery', status: 400, serverMessage: 'Pagination may not exceed 100000 results', message: 'Genesys Cloud rejected the request' });
    const failed = outcome({ status: 'error', state: 'ERROR', rowCount: 0, error });
    assert.deepEqual(adviseOutcome(failed, 'Query').actions, ['runAsJob', 'showLog']);
  });

  it('offers Resume (reads only) for a job that has an id, Submit Again only when the submission itself failed', () => {
    const transient = new GenesysError({ kind: 'transient', status: 503, message: 'Genesys Cloud had a temporary problem (HTTP 503).' });
    const paging = adviseOutcome(outcome({ kind: 'job', status: 'error', state: 'ERROR', jobId: 'j1', rowCount: 100, error: transient }), 'Job');
    assert.deepEqual(paging.actions, ['resume', 'openResults', 'showLog']);
    assert.match(paging.message, /100 rows fetched before the error are kept/);
    // A submission that may have reached Genesys fails as 'ambiguous' (the engine never retries it): said once,
    // with Submit Again as the user's choice.
    const ambiguous = new GenesysError({ kind: 'ambiguous', message: 'The job was sent to Genesys Cloud but no usable answer came back (ECONNRESET), so a job may have been created.' });
    const dropped = adviseOutcome(outcome({ kind: 'job', status: 'error', state: 'ERROR', rowCount: 0, error: ambiguous }), 'Job');
    assert.deepEqual(dropped.actions, ['submitAgain', 'showLog']);
    assert.equal(dropped.message.match(/may have been created/g)?.length, 1, dropped.message);
    // A rejected body cannot have created a job, and submitting it again cannot help.
    const bad = outcome({ kind: 'job', status: 'error', state: 'ERROR', rowCount: 0, error: new GenesysError({ kind: 'invalidQuery', status: 400, message: 'bad' }) });
    assert.deepEqual(adviseOutcome(bad, 'Job').actions, ['showLog']);
    // A split run has no job id of its own: its sub-jobs exist, so Resume; a lost sub-job submission is Submit Again's.
    const split = adviseOutcome(outcome({ kind: 'job', status: 'error', state: 'ERROR', rowCount: 100, subJobs: 8, error: transient }), 'Job');
    assert.deepEqual(split.actions, ['resume', 'openResults', 'showLog']);
    const splitLost = adviseOutcome(outcome({ kind: 'job', status: 'error', state: 'ERROR', rowCount: 100, subJobs: 8, error: ambiguous }), 'Job');
    assert.ok(splitLost.actions.includes('submitAgain') && !splitLost.actions.includes('resume'), splitLost.actions.join(','));
  });

  it('offers Sign In Again for auth errors and Retry for transient sync failures, not for permission errors', () => {
    const auth = new GenesysError({ kind: 'auth', status: 401, message: 'token' });
    assert.deepEqual(adviseOutcome(outcome({ status: 'error', state: 'ERROR', rowCount: 0, error: auth }), 'Query').actions, ['signIn', 'showLog']);
    const net = new GenesysError({ kind: 'network', errno: 'ECONNREFUSED', message: 'Cannot reach' });
    assert.deepEqual(adviseOutcome(outcome({ status: 'error', state: 'ERROR', rowCount: 0, error: net }), 'Query').actions, ['retry', 'showLog']);
    const perm = new GenesysError({ kind: 'permission', status: 403, message: 'missing' });
    assert.deepEqual(adviseOutcome(outcome({ status: 'error', state: 'ERROR', rowCount: 0, error: perm }), 'Query').actions, ['showLog']);
  });

  it('offers Re-fetch for an expired job', () => {
    assert.deepEqual(adviseOutcome(outcome({ kind: 'job', status: 'expired', state: 'EXPIRED', rowCount: 0 }), 'Job').actions, ['refetch']);
  });

  it('progress text shows job state, elapsed time, pages and rows', () => {
    const base = { kind: 'job' as const, pages: 0, rowCount: 0, startedAt: 0 };
    assert.equal(progressText({ ...base, jobState: 'PENDING' }, 12_000), 'PENDING · 12 s');
    assert.equal(progressText({ ...base, jobState: 'FULFILLED', pages: 3, rowCount: 2400 }, 75_000), 'FULFILLED · 1 min · 3 pages · 2,400 rows');
    assert.equal(progressText({ kind: 'query', pages: 1, rowCount: 100, totalHits: 950, startedAt: 0 }, 1000), '1 s · 1 page · 100 of 950 rows');
  });
});
