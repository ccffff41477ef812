import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Sandbox } from '../../../../src/sandbox';
import { HttpEventHub } from '../../../../src/genesys/httpObserver';
import { HistoryStore } from '../../../../src/history/historyStore';
import { planSplit } from '../../../../src/jobs/splitRun/splitInterval';
import { PLAN_FILE, readPlan } from '../../../../src/jobs/splitRun/splitPlan';
import type { SplitPlanFile } from '../../../../src/jobs/splitRun/splitPlan';
import { PARTS_DIR, SplitJobRunner } from '../../../../src/jobs/splitRun/splitJobRunner';
import type { SplitJobRunnerOptions } from '../../../../src/jobs/splitRun/splitJobRunner';
import type { ResultsStore } from '../../../../src/results/resultsStore';
import { makeTempDir } from '../../../fakes/tempDir';
import { withDeadline } from '../../../fakes/waitFor';
import type { TestClient } from '../engineHarness';
import { FULL_INTERVAL, makeClient, makeStore, resetFaults, startTestSandbox, storedIds } from '../engineHarness';

const body = { interval: FULL_INTERVAL };

/** A split run that is interrupted (process killed), loses a sub-job's answer, or has sub-jobs expire. */
describe('engine / split run: resume, lost submissions and re-fetch of expired spans', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;
  let history: HistoryStore;
  let hub: HttpEventHub;
  let tc: TestClient;

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(() => sandbox.close());
  beforeEach(async () => {
    resetFaults(sandbox);
    sandbox.configure({ maxRunningJobs: 0, resultsPageMsPer1000: 0 });
    tmp = makeTempDir();
    store = makeStore(join(tmp.path, 'results'));
    history = await HistoryStore.open({ dir: tmp.path });
    hub = new HttpEventHub();
    tc = makeClient(sandbox, { observer: hub });
  });
  afterEach(() => {
    tc.client.dispose();
    history.dispose();
    tmp.remove();
  });

  function runner(options: Partial<SplitJobRunnerOptions> = {}): SplitJobRunner {
    return new SplitJobRunner({
      api: tc.client, connectionId: 'sandbox', store, history, pageSize: 500, poll: { initialMs: 40, maxMs: 300 },
      maxParallel: 3, httpEvents: (l) => hub.listen(l), ...options,
    });
  }

  async function assertGroundTruth(runId: string): Promise<void> {
    const ids = await storedIds(store, runId);
    assert.equal(new Set(ids).size, ids.length, 'duplicates');
    assert.deepEqual(ids, sandbox.groundTruth(body, 'job'), 'the conversations of the single job, in its order');
  }

  it('resumes a split run whose process was SIGKILLed mid-walk: each sub-job from its own manifest, merged parts kept, none submitted twice', async function () {
    this.timeout(60_000);
    // 40 ms a page of 100 rows: the later sub-jobs are mid-walk when the process dies.
    sandbox.configure({ resultsPageMsPer1000: 400 });
    const root = join(tmp.path, 'results');
    const child = spawn(process.execPath, [join(__dirname, '..', 'fixtures', 'splitChild.js')], {
      env: { ...process.env, SPLIT_CHILD: JSON.stringify({ url: sandbox.url, root, body, pageSize: 100, maxParallel: 2, partsPerSlot: 2 }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let runId = '';
    let submitted = 0;
    // Sub-jobs are submitted ahead, so the crash waits for a merge to be saved: read from disk.
    const mergedOnDisk = (): boolean => {
      try {
        return (JSON.parse(readFileSync(join(store.runDir(runId), PLAN_FILE), 'utf8')) as SplitPlanFile).parts.some((p) => p.merged);
      } catch {
        return false; // not written yet, or caught mid-rename
      }
    };
    let watch: ReturnType<typeof setInterval> | undefined;
    const killed = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const e = JSON.parse(line) as { type: string; runId?: string };
        if (e.type === 'started') {
          runId = e.runId!;
        } else if (e.type === 'subjob-submitted') {
          submitted++;
        } else if (e.type === 'subjob-ended' && !watch) {
          // From the first sub-job's end, 2 s a page: the sub-jobs still walking outlast the first merge
          // being saved by seconds, whatever the machine's load. The crash comes right after that save.
          sandbox.configure({ resultsPageMsPer1000: 20_000 });
          watch = setInterval(() => {
            if (submitted === 4 && mergedOnDisk()) {
              clearInterval(watch);
              child.kill('SIGKILL');
            }
          }, 20);
        } else if (e.type === 'exit') {
          reject(new Error('child finished before it was killed'));
        }
      });
      child.on('exit', () => {
        clearInterval(watch);
        resolve();
      });
      child.on('error', reject);
    });
    await withDeadline(killed, 30_000, 'child killed');
    assert.ok(runId, 'child reported its run id');
    const plan = await readPlan(store.runDir(runId));
    assert.ok(plan, 'the plan was persisted');
    assert.equal(plan.parts.length, 4);
    assert.ok(plan.parts.some((p) => p.merged), `a part was merged before the crash: ${JSON.stringify(plan.parts)}`);
    assert.ok(plan.parts.some((p) => !p.merged), 'a part was unfinished at the crash');
    assert.deepEqual((await store.listResumable()).map((m) => m.runId), [runId]);
    assert.equal(sandbox.stats().jobsCreated, 4);

    sandbox.configure({ resultsPageMsPer1000: 0 });
    const outcome = await withDeadline(runner({ maxParallel: 2, partsPerSlot: 2 }).resume(runId).result, 30_000, 'resume');
    assert.equal(outcome.status, 'completed', outcome.error?.message ?? outcome.warnings.join('; '));
    await assertGroundTruth(runId);
    assert.equal(sandbox.stats().jobsCreated, 4, 'no sub-job submitted again');
    assert.equal(existsSync(join(store.runDir(runId), PARTS_DIR)), false, 'sub-job caches removed');
    assert.deepEqual((await store.list()).map((m) => m.runId), [runId], 'one run');
    const m = await store.readManifest(runId);
    assert.equal(m?.phase, 'done');
    assert.equal(m?.submitSentAt, undefined);
  });

  it('never submits again a sub-job whose answer was lost; the run names its span, and Re-fetch re-submits only that span', async () => {
    // Submissions create their job and then lose the answer until the client has seen one such loss.
    sandbox.configure({ faults: { dropJobResponseShare: 1 } });
    const unlisten = hub.listen((e) => {
      if ((e.type === 'failure' || e.type === 'giveUp') && e.operation === 'submitJob') {
        sandbox.configure({ faults: { dropJobResponseShare: 0 } });
      }
    });
    const spans = planSplit(body, 6, 3).spans.length;
    const first = await withDeadline(runner().start(body).result, 50_000, 'split run');
    unlisten();
    assert.equal(first.status, 'error');
    assert.equal(first.error?.kind, 'ambiguous', first.error?.message);
    assert.equal(first.subJobs, spans, 'the outcome says it is a split run (Submit Again re-fetches its missing spans)');
    const lost = first.warnings.filter((w) => /^Sub-interval \S+ ended error/.test(w)).length;
    assert.ok(lost >= 1 && lost < spans, `lost answers: ${lost} of ${spans}: ${first.warnings.join('; ')}`);
    assert.equal(sandbox.stats().jobsCreated, spans, 'each span submitted once');
    assert.equal((await store.readManifest(first.runId))?.phase, 'done', 'start-up does not resume it');
    // Resume sends nothing: the lost submissions are the user's to repeat.
    const resumed = await runner().resume(first.runId).result;
    assert.equal(resumed.status, 'error');
    assert.equal(sandbox.stats().jobsCreated, spans);

    const again = runner().refetch(first.runId);
    const outcome = await withDeadline(again.result, 50_000, 're-fetch');
    assert.equal(outcome.status, 'completed', outcome.error?.message ?? outcome.warnings.join('; '));
    assert.equal(outcome.refetchOf, first.runId);
    assert.equal(sandbox.stats().jobsCreated, spans + lost, 'only the lost spans were submitted again');
    await assertGroundTruth(again.runId);
    assert.equal(history.get(first.runId)?.refetchedBy, again.runId);
  });

  it('ends EXPIRED naming the spans whose sub-jobs expired mid-walk; Re-fetch re-submits only those and ends with the ground truth', async () => {
    // A page size at which some sub-jobs need more than two pages (and expire) and others do not.
    const plan = planSplit(body, 6, 3); // as runner() plans it: 3 walkers, 2 parts each
    const counts = plan.bodies.map((b) => sandbox.groundTruth(b, 'job').length);
    const pageSize = Math.floor((Math.min(...counts) + Math.max(...counts)) / 4);
    const expiring = counts.filter((n) => n > 2 * pageSize).length;
    assert.ok(expiring > 0 && expiring < counts.length, `sub-job sizes ${counts.join(',')} at page size ${pageSize}`);
    sandbox.configure({ faults: { expireJobsAfterPages: 2 } });
    const first = await withDeadline(runner({ pageSize }).start(body).result, 50_000, 'split run');
    assert.equal(first.status, 'expired', first.error?.message);
    assert.equal(first.error?.kind, 'expired');
    assert.match(first.error?.message ?? '', /expired at Genesys before all pages were fetched\. The [\d,]+ row\(s\) fetched are kept and marked partial\. Re-fetch re-submits only the missing sub-interval/);
    assert.equal(first.partial, true);
    assert.equal(first.warnings.filter((w) => /^Sub-interval \S+ ended expired/.test(w)).length, expiring);
    assert.equal(history.get(first.runId)?.state, 'EXPIRED');
    const created = sandbox.stats().jobsCreated;
    assert.equal(created, counts.length);

    sandbox.configure({ faults: { expireJobsAfterPages: 0 } });
    const again = runner({ pageSize }).refetch(first.runId);
    const outcome = await withDeadline(again.result, 50_000, 're-fetch');
    assert.equal(outcome.status, 'completed', outcome.error?.message ?? outcome.warnings.join('; '));
    assert.equal(sandbox.stats().jobsCreated - created, expiring, 'only the expired spans were submitted again');
    await assertGroundTruth(again.runId);
    assert.equal(history.get(again.runId)?.refetchOf, first.runId);
    assert.equal(history.get(first.runId)?.refetchedBy, again.runId);
  });
});
