import * as assert from 'node:assert/strict';
import type { HistoryEntry } from '../../../src/history/historyEntry';
import type { ModelContext } from '../../../src/vscode/history/historyModel';
import { buildHistoryModel, contextValueOf, displayState, formatAge, formatDuration, formatExpiry, nextRefreshDelay, runItemModel } from '../../../src/vscode/history/historyModel';

const NOW = Date.parse('2026-03-04T12:00:00.000Z');
const INTERVAL = '2026-03-03T00:00:00.000Z/2026-03-04T00:00:00.000Z';

/** A finished job entry with valid defaults; tests state only what matters. */
function entry(over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'job-1',
    runId: 'run-1',
    kind: 'job',
    connectionId: 'sandbox',
    body: { interval: INTERVAL },
    state: 'FULFILLED',
    submittedAt: '2026-03-04T11:00:00.000Z',
    completedAt: '2026-03-04T11:01:00.000Z',
    expirationDate: '2026-03-06T11:01:00.000Z',
    rowCount: 1234,
    partial: false,
    resultsDir: '/cache/run-1',
    jobId: 'job-1',
    updatedAt: '2026-03-04T11:01:00.000Z',
    ...over,
  };
}

function ctx(over: Partial<ModelContext> = {}): ModelContext {
  return { now: NOW, inFlight: new Set(), runLabels: new Map(), connectionLabels: new Map([['sandbox', 'Sandbox']]), ...over };
}

describe('Query History model', () => {
  it('maps run states to the seven display states', () => {
    assert.equal(displayState(entry({ state: 'QUEUED', completedAt: undefined }), NOW), 'queued');
    assert.equal(displayState(entry({ state: 'PENDING', completedAt: undefined }), NOW), 'running');
    assert.equal(displayState(entry({ kind: 'query', state: 'RUNNING', completedAt: undefined }), NOW), 'running');
    assert.equal(displayState(entry(), NOW), 'fulfilled');
    assert.equal(displayState(entry({ state: 'PARTIAL' }), NOW), 'partial');
    assert.equal(displayState(entry({ state: 'FAILED' }), NOW), 'failed');
    assert.equal(displayState(entry({ state: 'ERROR' }), NOW), 'failed');
    assert.equal(displayState(entry({ state: 'CANCELLED' }), NOW), 'cancelled');
    assert.equal(displayState(entry({ state: 'EXPIRED' }), NOW), 'expired');
    // A job FULFILLED at Genesys but still being paged is running here, and partial once interrupted.
    assert.equal(displayState(entry({ completedAt: undefined }), NOW, true), 'running');
    assert.equal(displayState(entry({ completedAt: undefined }), NOW, false), 'partial');
  });

  it('flips a fulfilled job to expired when its expirationDate passes, keeping its cached rows openable', () => {
    const e = entry({ expirationDate: '2026-03-04T12:00:05.000Z' });
    assert.equal(displayState(e, NOW), 'fulfilled');
    assert.equal(displayState(e, NOW + 5_000), 'expired');
    const item = runItemModel(e, ctx({ now: NOW + 5_000 }));
    assert.match(item.contextValue, /hasResults;/);
    assert.match(item.contextValue, /refetchable;/);
    assert.match(item.description, /1,234 rows cached/);
    assert.ok(item.tooltip.some((l) => /^Results expired 0 s ago/.test(l)), item.tooltip.join('\n'));
    // Sync queries have no expiry.
    assert.equal(displayState(entry({ kind: 'query', expirationDate: undefined }), NOW + 1e12), 'fulfilled');
  });

  it('formats ages, durations and expiry countdowns', () => {
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(5 * 60_000), '5 min');
    assert.equal(formatDuration(200 * 60_000), '3 h 20 min');
    assert.equal(formatDuration(52 * 3_600_000), '2 d 4 h');
    assert.equal(formatAge('2026-03-04T11:59:30.000Z', NOW), 'just now');
    assert.equal(formatAge('2026-03-04T11:00:00.000Z', NOW), '1 h ago');
    assert.equal(formatExpiry('2026-03-06T14:00:00.000Z', NOW), 'expires in 2 d 2 h');
    assert.equal(formatExpiry('2026-03-04T11:55:00.000Z', NOW), 'expired 5 min ago');
    assert.equal(formatExpiry(undefined, NOW), undefined);
  });

  it('labels a run by its query file, else its interval; describes kind, rows and age; tooltip has IDs and expiry', () => {
    const plain = runItemModel(entry(), ctx());
    assert.equal(plain.label, '2026-03-03 → 2026-03-04');
    assert.equal(plain.description, 'job · 1,234 rows · 1 h ago');
    assert.ok(plain.tooltip.includes('Job ID: job-1'));
    assert.ok(plain.tooltip.includes('Connection: Sandbox'));
    assert.ok(plain.tooltip.includes('Submitted: 2026-03-04T11:00:00.000Z'));
    assert.ok(plain.tooltip.includes('Completed: 2026-03-04T11:01:00.000Z'));
    assert.ok(plain.tooltip.some((l) => l.startsWith('Results expire in 1 d 23 h')), plain.tooltip.join('\n'));
    const named = runItemModel(entry({ kind: 'query', id: 'run-1', jobId: undefined, expirationDate: undefined }), ctx({ runLabels: new Map([['run-1', 'last-day.gcquery.json']]) }));
    assert.equal(named.label, 'last-day.gcquery.json');
    assert.ok(named.tooltip.includes('Query ID: run-1'));
    const running = runItemModel(entry({ state: 'PENDING', completedAt: undefined, rowCount: 0 }), ctx({ inFlight: new Set(['run-1']) }));
    assert.equal(running.description, 'job · PENDING · 1 h ago');
    const refetch = runItemModel(entry({ refetchOf: 'run-0' }), ctx());
    assert.match(refetch.description, /re-fetch/);
    assert.ok(refetch.tooltip.includes('Re-fetch of run run-0'));
    const split = runItemModel(entry({ runId: 'run-9', jobId: undefined }), ctx({ subJobs: new Map([['run-9', 4]]) }));
    assert.ok(split.tooltip.includes('Jobs: 4 sub-jobs over sub-intervals, merged into this run'), split.tooltip.join('\n'));
    assert.ok(!split.tooltip.some((l) => l.startsWith('Job ID')), 'a split run has no job id of its own');
  });

  it('puts capability tokens in contextValue: cancellable only in flight, deletable only when not, exportable with rows', () => {
    assert.equal(contextValueOf(entry(), 'fulfilled', false), 'run;job;hasResults;exportable;deletable;rerunnable;');
    assert.equal(contextValueOf(entry({ state: 'PENDING', rowCount: 0 }), 'running', true), 'run;job;hasResults;cancellable;rerunnable;');
    assert.equal(contextValueOf(entry({ kind: 'query', resultsDir: undefined, resultsPruned: true }), 'fulfilled', false), 'run;query;deletable;rerunnable;');
    assert.equal(contextValueOf(entry(), 'expired', false), 'run;job;hasResults;exportable;deletable;rerunnable;refetchable;');
    // A running re-fetch is not offered again.
    assert.doesNotMatch(contextValueOf(entry(), 'expired', true), /refetchable;/);
  });

  it('groups by connection (newest group first), sorts runs newest first, and filters by connection or state', () => {
    const entries = [
      entry({ runId: 'a', connectionId: 'sandbox', submittedAt: '2026-03-04T09:00:00.000Z' }),
      entry({ runId: 'b', connectionId: 'prod', submittedAt: '2026-03-04T11:30:00.000Z', state: 'FAILED' }),
      entry({ runId: 'c', connectionId: 'sandbox', submittedAt: '2026-03-04T10:00:00.000Z', state: 'CANCELLED' }),
    ];
    const groups = buildHistoryModel(entries, ctx());
    assert.deepEqual(groups.map((g) => [g.label, g.runs.map((r) => r.runId)]), [['prod', ['b']], ['Sandbox', ['c', 'a']]]);
    assert.deepEqual(buildHistoryModel(entries, ctx(), { connectionId: 'sandbox' }).map((g) => g.runs.map((r) => r.runId)), [['c', 'a']]);
    assert.deepEqual(buildHistoryModel(entries, ctx(), { states: ['failed', 'cancelled'] }).flatMap((g) => g.runs.map((r) => r.runId)), ['b', 'c']);
    assert.deepEqual(buildHistoryModel(entries, ctx(), { states: ['queued'] }), []);
  });

  it('redraws at the next expiry (at least every minute while runs are listed), never when empty', () => {
    assert.equal(nextRefreshDelay([], NOW), undefined);
    assert.equal(nextRefreshDelay([entry({ expirationDate: '2026-03-04T12:00:02.000Z' })], NOW), 2_000);
    assert.equal(nextRefreshDelay([entry()], NOW), 60_000);
  });
});
