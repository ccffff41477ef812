import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEntry } from '../../../src/history/historyEntry';
import { HISTORY_FILE, HistoryStore } from '../../../src/history/historyStore';
import { JobRunner } from '../../../src/jobs/jobRunner';
import { SyncQueryRunner } from '../../../src/jobs/syncQueryRunner';
import type { Sandbox } from '../../../src/sandbox';
import { runItemModel } from '../../../src/vscode/history/historyModel';
import { makeTempDir } from '../../fakes/tempDir';
import { FULL_INTERVAL, makeClient, makeStore, startTestSandbox } from '../engine/engineHarness';

const FILE = 'file:///work/queries/abandoned%20calls.gcquery.json';

describe('query files: a run links back to its file (manifest, history, tooltip)', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(() => sandbox.close());
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.remove());

  it('sync, job and re-fetch runs record sourceFile in the manifest and the persisted history entry', async () => {
    const store = makeStore(join(tmp.path, 'results'));
    const history = await HistoryStore.open({ dir: tmp.path });
    const { client } = makeClient(sandbox);
    const deps = { api: client, connectionId: 'sandbox', store, history };
    const sync = await new SyncQueryRunner(deps).runAll({ interval: FULL_INTERVAL, paging: { pageSize: 100, pageNumber: 1 } }, { sourceFile: FILE }).result;
    const jobs = new JobRunner({ ...deps, poll: { initialMs: 20, maxMs: 50 } });
    const job = await jobs.start({ interval: FULL_INTERVAL }, { sourceFile: FILE }).result;
    const refetch = await jobs.refetch(job.runId).result;
    const plain = await new SyncQueryRunner(deps).runAll({ interval: FULL_INTERVAL }).result;
    for (const o of [sync, job, refetch]) {
      assert.equal(o.status, 'completed');
      assert.equal((await store.readManifest(o.runId))?.sourceFile, FILE);
      assert.equal(history.get(o.runId)?.sourceFile, FILE);
    }
    assert.equal(history.get(plain.runId)?.sourceFile, undefined);
    history.dispose();
    const again = await HistoryStore.open({ dir: tmp.path });
    assert.equal(again.get(sync.runId)?.sourceFile, FILE, 'persisted across a restart');
    again.dispose();
  });

  it('loads a journal written before the field existed, and shows the file in the tooltip when there is one', async () => {
    const old: HistoryEntry = { id: 'r1', runId: 'r1', kind: 'query', connectionId: 'c', body: { interval: 'x' }, state: 'FULFILLED', submittedAt: '2026-01-01T00:00:00.000Z', rowCount: 3, partial: false, updatedAt: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(tmp.path, HISTORY_FILE), `${JSON.stringify({ op: 'put', entry: old })}\n`);
    const history = await HistoryStore.open({ dir: tmp.path });
    assert.deepEqual(history.loadWarnings, []);
    const loaded = history.get('r1');
    assert.ok(loaded);
    const ctx = { now: Date.parse('2026-01-02T00:00:00Z'), inFlight: new Set<string>(), runLabels: new Map<string, string>(), connectionLabels: new Map<string, string>() };
    assert.ok(!runItemModel(loaded, ctx).tooltip.some((l) => l.startsWith('Query file:')));
    assert.ok(runItemModel({ ...loaded, sourceFile: FILE }, ctx).tooltip.includes('Query file: /work/queries/abandoned calls.gcquery.json'));
    history.dispose();
  });
});
