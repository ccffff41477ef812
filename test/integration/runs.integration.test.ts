import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { RunOutcome } from '../../src/jobs/runTypes';
import { ResultsStore } from '../../src/results/resultsStore';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { GenesysCloudApi } from '../../src/vscode/api';
import type { RunItemModel } from '../../src/vscode/history/historyModel';
import { presetInterval } from '../../src/vscode/runs/presets';
import { api, extension, waitFor } from './helpers';

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

async function item(exported: GenesysCloudApi, runId: string): Promise<RunItemModel | undefined> {
  return (await exported.runs.historyItems()).find((i) => i.runId === runId);
}

describe('runs and the Query History', function () {
  this.timeout(60_000);
  const config = () => vscode.workspace.getConfiguration(Settings.section);
  let sandbox: Sandbox;
  let exported: GenesysCloudApi;
  // Seven whole UTC days of the sandbox's generated data (a few hundred conversations a day).
  const interval = presetInterval({ kind: 'last7Days' }, new Date());
  const queryBody = { interval, order: 'asc', orderBy: 'conversationStart' };
  const jobBody = { interval, order: 'asc', orderBy: 'conversationStart' };

  before(async () => {
    exported = await api();
    await exported.runs.whenReady();
    sandbox = await startSandbox({ port: 0, orgName: 'Runs Sandbox', rateLimitPerMinute: 0, jobQueuedMs: 100, jobRunMs: 200 });
    await config().update(Settings.sandboxUrl, sandbox.url, vscode.ConfigurationTarget.Global);
    // These tests follow one job (its id, its resume); split runs have their own file.
    await config().update(Settings.jobsMaxParallelSubJobs, 1, vscode.ConfigurationTarget.Global);
    const info = await exported.connectSandbox();
    assert.equal(info.url, sandbox.url);
  });

  after(async () => {
    await config().update(Settings.sandboxUrl, undefined, vscode.ConfigurationTarget.Global);
    await config().update(Settings.jobsMaxParallelSubJobs, undefined, vscode.ConfigurationTarget.Global);
    await exported.connectSandbox().catch(() => undefined);
    await sandbox?.close();
  });

  it('runs one page of a sync query (page size and number from the argument object) and lists it', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { body: queryBody, mode: 'page', pageSize: 50, pageNumber: 2, label: 'page-two.gcquery.json' });
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    const truth = sandbox.groundTruth({ ...queryBody }, 'query');
    assert.ok(truth.length > 150, `enough data (${truth.length})`);
    assert.deepEqual(await storedIds(exported.runs.resultsRoot, outcome.runId), truth.slice(50, 100));
    const shown = await waitFor('the history item', () => item(exported, outcome.runId));
    assert.equal(shown.label, 'page-two.gcquery.json');
    assert.equal(shown.state, 'fulfilled');
    assert.match(shown.description, /^query · 50 rows · /);
    assert.match(shown.contextValue, /hasResults;.*exportable;.*deletable;.*rerunnable;/);
    assert.ok(shown.tooltip.includes(`Query ID: ${outcome.runId}`));
  });

  it('runs all pages of a sync query; the conversation IDs are the sandbox ground truth', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { body: queryBody, mode: 'all', pageSize: 100 });
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    const truth = sandbox.groundTruth({ ...queryBody }, 'query');
    assert.equal(outcome.rowCount, truth.length);
    assert.deepEqual(await storedIds(exported.runs.resultsRoot, outcome.runId), truth);
    const shown = await item(exported, outcome.runId);
    assert.match(shown?.label ?? '', / → /, 'labelled by its interval');
  });

  it('stops at the deep-paging ceiling with the rows kept, and a page past it fails with the advice to run a job', async () => {
    sandbox.configure({ deepPagingCap: 200 });
    try {
      const all = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { body: queryBody, mode: 'all', pageSize: 100 });
      assert.equal(all.status, 'partial');
      assert.equal(all.rowCount, 200);
      assert.ok(all.warnings.some((w) => /async job/.test(w)), all.warnings.join('\n'));
      assert.equal((await item(exported, all.runId))?.state, 'partial');
      const past = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { body: queryBody, mode: 'page', pageSize: 100, pageNumber: 3 });
      assert.equal(past.status, 'error');
      assert.equal(past.error?.kind, 'invalidQuery');
      assert.match(past.error?.serverMessage ?? '', /Pagination may not exceed/i);
      assert.equal((await item(exported, past.runId))?.state, 'failed');
    } finally {
      sandbox.configure({ deepPagingCap: 100_000 });
    }
  });

  it('runs a job to FULFILLED and caches every conversation; its tooltip counts down to expiry', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runJob, { body: jobBody, label: 'week.gcquery.json' });
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    assert.ok(outcome.jobId);
    assert.deepEqual(await storedIds(exported.runs.resultsRoot, outcome.runId), sandbox.groundTruth({ ...jobBody }, 'job'));
    const shown = await item(exported, outcome.runId);
    assert.equal(shown?.state, 'fulfilled');
    assert.ok(shown?.tooltip.includes(`Job ID: ${outcome.jobId}`));
    assert.ok(shown?.tooltip.some((l) => /^Results expire in 1 d 23 h|^Results expire in 2 d/.test(l)), shown?.tooltip.join('\n'));
  });

  it('cancels a running job from the history: the sandbox sees the DELETE and the run is listed as cancelled', async () => {
    sandbox.configure({ jobQueuedMs: 60_000 });
    sandbox.resetStats();
    try {
      const running = vscode.commands.executeCommand<RunOutcome>(Commands.runJob, { body: jobBody, background: true });
      const inFlight = await waitFor('the run in flight', () => exported.runs.inFlight()[0]);
      assert.equal(inFlight.background, true);
      const queued = await waitFor('the job submitted', async () => {
        const shown = await item(exported, inFlight.runId);
        const submitted = shown?.tooltip.some((l) => /^Job ID: (?!\(not submitted)/.test(l));
        return shown && submitted && /cancellable;/.test(shown.contextValue) ? shown : undefined;
      });
      assert.equal(queued.state, 'queued');
      assert.equal(await vscode.commands.executeCommand<boolean>(Commands.cancelRun, inFlight.runId), true);
      const outcome = await running;
      assert.equal(outcome.status, 'cancelled');
      const deletes = Object.entries(sandbox.stats().byRoute).filter(([route]) => route.startsWith('DELETE'));
      assert.ok(deletes.length > 0 && deletes[0]![1] >= 1, JSON.stringify(sandbox.stats().byRoute));
      const shown = await waitFor('the cancelled item', async () => ((await item(exported, outcome.runId))?.state === 'cancelled' ? item(exported, outcome.runId) : undefined));
      assert.doesNotMatch(shown!.contextValue, /cancellable;/);
    } finally {
      sandbox.configure({ jobQueuedMs: 100 });
    }
  });

  it('shows a job as expired once its results expire, then re-fetches it on the same connection with its lineage kept', async () => {
    sandbox.configure({ jobTtlSeconds: 3 });
    let refetched: RunOutcome | undefined;
    try {
      const first = await vscode.commands.executeCommand<RunOutcome>(Commands.runJob, { body: jobBody, label: 'short-lived' });
      assert.equal(first.status, 'completed', first.error?.message);
      const expired = await waitFor('the job to show as expired', async () => {
        const shown = await item(exported, first.runId);
        return shown?.state === 'expired' ? shown : undefined;
      }, 15_000);
      assert.match(expired.contextValue, /refetchable;/);
      assert.match(expired.contextValue, /hasResults;/, 'its cached rows still open');
      assert.match(expired.description, /rows cached/);
      sandbox.configure({ jobTtlSeconds: 172_800 });
      refetched = await vscode.commands.executeCommand<RunOutcome>(Commands.refetchRun, first.runId);
      assert.ok(refetched);
      assert.equal(refetched.status, 'completed', refetched.error?.message);
      assert.equal(refetched.refetchOf, first.runId);
      assert.notEqual(refetched.jobId, first.jobId);
      assert.deepEqual(await storedIds(exported.runs.resultsRoot, refetched.runId), sandbox.groundTruth({ ...jobBody }, 'job'));
      const successor = await item(exported, refetched.runId);
      assert.equal(successor?.label, 'short-lived');
      assert.match(successor?.description ?? '', /re-fetch/);
      assert.ok(successor?.tooltip.includes(`Re-fetch of run ${first.runId}`));
      const old = await item(exported, first.runId);
      assert.ok(old?.tooltip.includes(`Re-fetched as run ${refetched.runId}`), old?.tooltip.join('\n'));
    } finally {
      sandbox.configure({ jobTtlSeconds: 172_800 });
    }
  });

  it('resumes a job whose process was killed mid-walk, with no conversation lost or duplicated', async () => {
    const root = exported.runs.resultsRoot;
    const connectionId = exported.connection?.id;
    assert.equal(connectionId, 'sandbox', 'the child fixture records runs under the sandbox connection id');
    sandbox.configure({ latencyMs: 25 });
    // The engine's own crash fixture: a real JobRunner in another process, SIGKILLed after a few pages.
    const child = spawn(process.execPath, [join(__dirname, '..', 'unit', 'engine', 'fixtures', 'jobChild.js')], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', JOB_CHILD: JSON.stringify({ url: sandbox.url, root, body: jobBody, pageSize: 100 }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let runId = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the child was not killed within 20 s')), 20_000);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const e = JSON.parse(line) as { type: string; runId?: string; pages?: number };
        if (e.type === 'started') {
          runId = e.runId!;
        } else if (e.type === 'page' && e.pages === 4) {
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
    sandbox.configure({ latencyMs: 0 });
    const before = await new ResultsStore({ root }).readManifest(runId);
    assert.equal(before?.phase, 'paging');
    assert.ok(before && before.rowCount >= 400, `killed mid-walk at ${before?.rowCount} rows`);

    const resumed = await exported.runs.resumeUnfinished();
    assert.deepEqual(resumed, [runId]);
    const done = await waitFor('the resumed run to finish', async () => {
      const shown = await item(exported, runId);
      return shown?.state === 'fulfilled' && exported.runs.inFlight().length === 0 ? shown : undefined;
    }, 30_000);
    const truth = sandbox.groundTruth({ ...jobBody }, 'job');
    assert.deepEqual(await storedIds(root, runId), truth);
    assert.match(done.description, new RegExp(`${truth.length.toLocaleString('en-US')} rows`));
    const manifest = JSON.parse(await fsp.readFile(join(root, runId, 'manifest.json'), 'utf8')) as { duplicatesSkipped: number };
    assert.equal(manifest.duplicatesSkipped, 0);
  });

  it('exports a cached run to CSV and NDJSON without running it again, and deletes a run with its cache', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { body: queryBody, mode: 'page', pageSize: 20, pageNumber: 1 });
    const dir = await fsp.mkdtemp(join(exported.runs.resultsRoot, '..', 'export-'));
    sandbox.resetStats();
    const csv = await vscode.commands.executeCommand<{ rows: number }>(Commands.exportRun, outcome.runId, { destination: join(dir, 'rows.csv') });
    assert.equal(csv.rows, 20);
    const ndjson = await vscode.commands.executeCommand<{ rows: number }>(Commands.exportRun, outcome.runId, { destination: join(dir, 'rows.ndjson') });
    assert.equal(ndjson.rows, 20);
    const lines = (await fsp.readFile(join(dir, 'rows.ndjson'), 'utf8')).trim().split('\n');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { conversationId: string }).conversationId), sandbox.groundTruth({ ...queryBody }, 'query').slice(0, 20));
    assert.equal((await fsp.readFile(join(dir, 'rows.csv'), 'utf8')).trim().split('\n').length, 21, 'header + 20 rows');
    assert.equal(sandbox.stats().requests, 0, 'export reads the cache only');
    await fsp.rm(dir, { recursive: true, force: true });

    await vscode.commands.executeCommand(Commands.deleteRun, outcome.runId);
    assert.equal(await item(exported, outcome.runId), undefined);
    await assert.rejects(fsp.stat(join(exported.runs.resultsRoot, outcome.runId)));
  });
  it('follows several runs at once in the background, each complete, and runs one again with the same body and mode', async () => {
    sandbox.configure({ latencyMs: 20 });
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, exported.runs.inFlight().length)), 20);
    try {
      const [job, query] = await Promise.all([
        vscode.commands.executeCommand<RunOutcome>(Commands.runJob, { body: jobBody, background: true }),
        vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { body: queryBody, mode: 'all', pageSize: 100, background: true }),
      ]);
      assert.equal(peak, 2, 'both runs were in flight together');
      assert.deepEqual(await storedIds(exported.runs.resultsRoot, job.runId), sandbox.groundTruth({ ...jobBody }, 'job'));
      assert.deepEqual(await storedIds(exported.runs.resultsRoot, query.runId), sandbox.groundTruth({ ...queryBody }, 'query'));
      const again = await vscode.commands.executeCommand<RunOutcome>(Commands.runAgain, query.runId);
      assert.notEqual(again.runId, query.runId);
      assert.equal(again.kind, 'query');
      assert.equal(again.rowCount, query.rowCount, 'all pages again, not one');
    } finally {
      clearInterval(watch);
      sandbox.configure({ latencyMs: 0 });
    }
  });

  it('runs the query in the active editor, named after its file', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace is open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'last-day.gcquery.json'));
    await vscode.window.showTextDocument(doc);
    const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { mode: 'all' });
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    const body = JSON.parse(doc.getText()) as Record<string, unknown>;
    assert.deepEqual(await storedIds(exported.runs.resultsRoot, outcome.runId), sandbox.groundTruth(body, 'query'));
    const shown = await item(exported, outcome.runId);
    assert.equal(shown?.label, 'last-day.gcquery.json');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('records a failed run with the classified error (a missing permission) in its tooltip', async () => {
    sandbox.configure({ permissions: [] });
    try {
      const outcome = await vscode.commands.executeCommand<RunOutcome>(Commands.runQuery, { body: queryBody, mode: 'page', pageSize: 10 });
      assert.equal(outcome.status, 'error');
      assert.equal(outcome.error?.kind, 'permission');
      const shown = await item(exported, outcome.runId);
      assert.equal(shown?.state, 'failed');
      assert.ok(shown?.tooltip.some((l) => l.startsWith('Error: ') && l.includes('analytics:conversationDetail:view')), shown?.tooltip.join('\n'));
    } finally {
      sandbox.configure({ permissions: ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'] });
    }
  });

  it('links only registered commands from the walkthrough and the Query History welcome', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const pkg = extension().packageJSON as {
      contributes: { walkthroughs: { steps: { description: string }[] }[]; viewsWelcome: { contents: string }[] };
    };
    const texts = [...pkg.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.description)), ...pkg.contributes.viewsWelcome.map((w) => w.contents)];
    const linked = texts.flatMap((t) => [...t.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!));
    assert.ok(linked.includes(Commands.runQuery) && linked.includes(Commands.runJob));
    for (const id of linked) {
      assert.ok(registered.has(id), `${id} is linked but not registered`);
    }
  });
});
