import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Sandbox } from '../../../src/sandbox';
import { classifyError } from '../../../src/genesys/errors';
import { ROWS_FILE } from '../../../src/results/manifest';
import type { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';
import { withDeadline } from '../../fakes/waitFor';
import { FULL_INTERVAL, makeStore, resetFaults, startTestSandbox, storedIds } from './engineHarness';

const body = { interval: FULL_INTERVAL };

interface ChildExit {
  type: 'exit';
  status: string;
  runId: string;
  errorKind?: string;
  errorMessage?: string;
  rowCount: number;
  partial: boolean;
}

/**
 * Runs a real job in a child process whose files may not grow past `limitKb` (RLIMIT_FSIZE via bash's
 * `ulimit -f`): the rows file hits the limit mid-run, first with a short write, then with EFBIG — a real
 * local disk failure, as when the disk fills up.
 */
async function runWithFileSizeLimit(sandbox: Sandbox, root: string, limitKb: number): Promise<ChildExit> {
  const fixture = join(__dirname, 'fixtures', 'jobChild.js');
  const child = spawn('bash', ['-c', `ulimit -f ${limitKb} && exec "$0" "$1"`, process.execPath, fixture], {
    env: { ...process.env, JOB_CHILD: JSON.stringify({ url: sandbox.url, root, body, pageSize: 50 }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exit = new Promise<ChildExit>((resolve, reject) => {
    let last: ChildExit | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const e = JSON.parse(line) as { type: string };
      if (e.type === 'exit') {
        last = e as ChildExit;
      }
    });
    child.on('exit', (code) => (last ? resolve(last) : reject(new Error(`child exited ${code} without an outcome`))));
    child.on('error', reject);
  });
  return withDeadline(exit, 30_000, 'child run');
}

describe('engine / local I/O failures are ours, not Genesys errors', function () {
  this.timeout(40_000);
  let sandbox: Sandbox;
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;

  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    resetFaults(sandbox);
    tmp = makeTempDir();
    store = makeStore(join(tmp.path, 'results'));
  });
  afterEach(() => tmp.remove());

  it('classifies real file-system errors (ENOSPC, EEXIST, ENOENT) as local-io naming the path, never as HTTP', async () => {
    const errors: unknown[] = [];
    await fsp.writeFile('/dev/full', 'x').catch((e: unknown) => errors.push(e));
    await fsp.mkdir(tmp.path).catch((e: unknown) => errors.push(e));
    await fsp.readFile(join(tmp.path, 'missing.json')).catch((e: unknown) => errors.push(e));
    assert.equal(errors.length, 3);
    const [full, exists, missing] = errors.map((e) => classifyError(e, 'getJobResults'));
    for (const e of [full!, exists!, missing!]) {
      assert.equal(e.kind, 'local-io');
      assert.equal(e.status, undefined);
      assert.doesNotMatch(e.message, /Genesys Cloud rejected|HTTP/);
      assert.match(e.message, /not at Genesys Cloud/);
    }
    assert.equal(full!.errno, 'ENOSPC');
    assert.match(full!.message, /disk is full/);
    assert.equal(exists!.path, tmp.path);
    assert.match(exists!.message, new RegExp(`\\(${tmp.path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\).*already exists`));
    assert.match(missing!.supportInfo(), /errno=ENOENT path=.*missing\.json/);
  });

  it('ends a job whose results file cannot grow as ERROR local-io naming rows.ndjson.gz, partial, rows kept', async () => {
    const root = join(tmp.path, 'results');
    const exit = await runWithFileSizeLimit(sandbox, root, 400);
    assert.equal(exit.status, 'error');
    assert.equal(exit.errorKind, 'local-io', exit.errorMessage);
    assert.match(exit.errorMessage ?? '', /rows\.ndjson\.gz/);
    assert.match(exit.errorMessage ?? '', /EFBIG/);
    assert.equal(exit.partial, true);
    assert.ok(exit.rowCount > 0);
    const m = await store.readManifest(exit.runId);
    assert.equal(m?.state, 'ERROR');
    assert.equal(m?.partial, true);
    assert.equal(m?.error?.kind, 'local-io');
    assert.equal(m?.rowCount, exit.rowCount);
  });

  it('never indexes rows a short write left out: every stored row reads back whole, in order', async () => {
    const root = join(tmp.path, 'results');
    const exit = await runWithFileSizeLimit(sandbox, root, 300);
    assert.equal(exit.errorKind, 'local-io', exit.errorMessage);
    const truth = sandbox.groundTruth(body, 'job');
    // storedIds reads through the offsets index: a row the index claims but the file lacks throws here.
    const ids = await storedIds(store, exit.runId);
    assert.equal(ids.length, exit.rowCount);
    assert.deepEqual(ids, truth.slice(0, ids.length));
    const rows = await fsp.stat(join(store.runDir(exit.runId), ROWS_FILE));
    assert.ok(rows.size >= (await store.readManifest(exit.runId))!.bytes);
  });
});
