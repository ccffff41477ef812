import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { RunOutcome } from '../../src/jobs/runTypes';
import { ResultsStore } from '../../src/results/resultsStore';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { GenesysCloudApi } from '../../src/vscode/api';
import { presetInterval } from '../../src/vscode/runs/presets';
import { api, waitFor } from './helpers';

const RESULTS_ROUTE = 'GET /api/v2/analytics/conversations/details/jobs/{jobId}/results';
const DELETE_ROUTE = 'DELETE /api/v2/analytics/conversations/details/jobs/{jobId}';

/** Conversation IDs of a cached run, in stored order. */
async function storedIds(root: string, runId: string): Promise<string[]> {
  const store = new ResultsStore({ root });
  const manifest = await store.readManifest(runId);
  assert.ok(manifest, `run ${runId} has a manifest`);
  const reader = await store.openReader(runId);
  try {
    return (await reader.readRows(0, manifest.rowCount)).map((c) => c.conversationId);
  } finally {
    await reader.close();
  }
}

describe('split job runs: parallel sub-jobs (genesysCloud.jobs.maxParallelSubJobs = 4)', function () {
  this.timeout(90_000);
  const config = () => vscode.workspace.getConfiguration(Settings.section);
  let sandbox: Sandbox;
  let exported: GenesysCloudApi;
  const jobBody = { interval: presetInterval({ kind: 'last7Days' }, new Date()), order: 'asc', orderBy: 'conversationStart' };

  before(async () => {
    exported = await api();
    await exported.runs.whenReady();
    // Pages that take the server time (as a data lake's do) and a cap on running jobs below the
    // setting: parallelism matters, and the run has to learn the cap.
    sandbox = await startSandbox({ port: 0, orgName: 'Split Sandbox', rateLimitPerMinute: 0, jobQueuedMs: 100, jobRunMs: 200, maxRunningJobs: 3, resultsPageMsPer1000: 1500 });
    await config().update(Settings.sandboxUrl, sandbox.url, vscode.ConfigurationTarget.Global);
    await config().update(Settings.jobsMaxParallelSubJobs, 4, vscode.ConfigurationTarget.Global);
    await config().update(Settings.jobsResultsPageSize, 100, vscode.ConfigurationTarget.Global);
    const info = await exported.connectSandbox();
    assert.equal(info.url, sandbox.url);
  });

  after(async () => {
    await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
    await config().update(Settings.jobsMaxParallelSubJobs, undefined, vscode.ConfigurationTarget.Global);
    await config().update(Settings.jobsResultsPageSize, undefined, vscode.ConfigurationTarget.Global);
    await exported.connectSandbox().catch(() => undefined);
    await sandbox?.close();
  });

  it('runs a job as parallel sub-jobs into one history entry whose rows are the ground truth', async () => {
    sandbox.resetStats();
    const before = new Set((await exported.runs.historyItems()).map((i) => i.runId));
    let peak = 0;
    // Results requests the sandbox is serving at once: above one only when sub-jobs page in parallel.
    const sampler = setInterval(() => (peak = Math.max(peak, sandbox.stats().inFlight)), 10);
    let outcome: RunOutcome;
    try {
      outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runJob, { body: jobBody, label: 'split-week' });
    } finally {
      clearInterval(sampler);
    }
    assert.equal(outcome.status, 'completed', outcome.error?.message ?? outcome.warnings.join('; '));
    const truth = sandbox.groundTruth({ ...jobBody }, 'job');
    const ids = await storedIds(exported.runs.resultsRoot, outcome.runId);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.deepEqual(ids, truth, 'the single job’s conversations, in its order');
    const stats = sandbox.stats();
    assert.equal(stats.jobsCreated, 8, 'one job per sub-interval (4 × 2), none submitted twice');
    assert.ok(peak >= 2, `sub-jobs paged in parallel (peak ${peak} requests at once)`);
    const added = (await exported.runs.historyItems()).filter((i) => !before.has(i.runId));
    assert.deepEqual(added.map((i) => i.runId), [outcome.runId], 'one history entry');
    const shown = await waitFor('the tooltip naming the sub-jobs', async () => {
      const item = (await exported.runs.historyItems()).find((i) => i.runId === outcome.runId);
      return item?.tooltip.includes('Jobs: 8 sub-jobs over sub-intervals, merged into this run') ? item : undefined;
    }, 45_000);
    assert.equal(shown.label, 'split-week');
    assert.equal(shown.state, 'fulfilled');
    assert.equal(existsSync(join(exported.runs.resultsRoot, outcome.runId, 'parts')), false, 'sub-job caches merged and removed');
  });

  it('cancels a split run mid-walk: every sub-job submitted is DELETEd, one run listed as cancelled', async () => {
    sandbox.resetStats();
    const running = vscode.commands.executeCommand<RunOutcome>(Commands.runJob, { body: jobBody, background: true, label: 'split-cancel' });
    // On a loaded two-core machine the run has taken over 20 s to show as in flight.
    const inFlight = await waitFor('the run in flight', () => exported.runs.inFlight()[0], 45_000);
    // A results page takes the server 150 ms per 100 rows: no sub-job has finished when the first is asked for.
    await waitFor('sub-jobs paging', () => (sandbox.stats().byRoute[RESULTS_ROUTE] ?? 0) >= 1, 30_000);
    assert.equal(await vscode.commands.executeCommand<boolean>(Commands.cancelRun, inFlight.runId), true);
    const outcome = await running;
    assert.equal(outcome.status, 'cancelled', outcome.error?.message);
    // A submission in flight at the cancel is not aborted (the job may be created anyway): its job is
    // DELETEd when its answer arrives, possibly after the outcome, and one refused by the jobs cap may still
    // be waiting out its Retry-After in the client. Wait for the sandbox to go quiet (no new request for 3 s),
    // so the next test starts from a clean slate too.
    let fingerprint = '';
    let quietSince = Date.now();
    const stats = await waitFor(
      'every sub-job created DELETEd, the sandbox quiet for 3 s',
      () => {
        const s = sandbox.stats();
        const now = JSON.stringify([s.byRoute, s.jobsCreated, s.inFlight]);
        if (now !== fingerprint) {
          fingerprint = now;
          quietSince = Date.now();
        }
        return s.inFlight === 0 && (s.byRoute[DELETE_ROUTE] ?? 0) >= s.jobsCreated && Date.now() - quietSince >= 3_000 ? s : undefined;
      },
      45_000,
    ).catch(() => sandbox.stats());
    assert.ok(stats.jobsCreated >= 2, `sub-jobs submitted: ${stats.jobsCreated}`);
    assert.equal(stats.byRoute[DELETE_ROUTE], stats.jobsCreated, `every sub-job deleted: ${JSON.stringify(stats.byRoute)}`);
    const shown = await waitFor('the cancelled item', async () => {
      const item = (await exported.runs.historyItems()).find((i) => i.runId === outcome.runId);
      return item?.state === 'cancelled' ? item : undefined;
    });
    assert.doesNotMatch(shown.contextValue, /cancellable;/);
    assert.equal(exported.runs.inFlight().length, 0);
  });

  it('resumes at start-up a split run whose process was killed mid-walk: each sub-job from its manifest, none submitted twice', async () => {
    sandbox.resetStats();
    const root = exported.runs.resultsRoot;
    assert.equal(exported.connection?.id, 'sandbox', 'the child fixture records runs under the sandbox connection id');
    // The engine's crash fixture: a real SplitJobRunner in another process (2 at once, 4 sub-jobs), SIGKILLed
    // once every sub-job was submitted and a few pages of the last ones were stored.
    const child = spawn(process.execPath, [join(__dirname, '..', 'unit', 'engine', 'fixtures', 'splitChild.js')], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', SPLIT_CHILD: JSON.stringify({ url: sandbox.url, root, body: jobBody, pageSize: 100, maxParallel: 2, partsPerSlot: 2 }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let runId = '';
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the child was not killed within 40 s')), 40_000);
      let submitted = 0;
      let pagesAfter = 0;
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const e = JSON.parse(line) as { type: string; runId?: string };
        lines.push(e.type.startsWith('subjob') ? line : e.type);
        if (e.type === 'started') {
          runId = e.runId!;
        } else if (e.type === 'subjob-submitted') {
          submitted++;
        } else if (e.type === 'page' && submitted === 4 && ++pagesAfter === 2) {
          child.kill('SIGKILL');
        } else if (e.type === 'exit') {
          reject(new Error('the child finished before it was killed'));
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.on('error', reject);
    });
    assert.equal(sandbox.stats().jobsCreated, 4, `jobs created before the kill: ${JSON.stringify({ lines, byRoute: sandbox.stats().byRoute })}`);
    const resumed = await exported.runs.resumeUnfinished();
    assert.deepEqual(resumed, [runId]);
    const done = await waitFor('the resumed run to finish', async () => {
      const item = (await exported.runs.historyItems()).find((i) => i.runId === runId);
      return item?.state === 'fulfilled' && exported.runs.inFlight().length === 0 ? item : undefined;
    }, 60_000);
    const truth = sandbox.groundTruth({ ...jobBody }, 'job');
    const ids = await storedIds(root, runId);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.deepEqual(ids, truth);
    assert.match(done.description, new RegExp(`${truth.length.toLocaleString('en-US')} rows`));
    assert.equal(sandbox.stats().jobsCreated, 4, 'no sub-job submitted again');
  });
});
