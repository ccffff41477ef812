import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WRITER_LOCK_FILE } from '../../../src/results/runWriter';
import { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';
import { withDeadline } from '../../fakes/waitFor';

interface LockResult {
  acquired: boolean;
  pid: number;
  message?: string;
}

const CHILDREN = 6;
const ROUNDS = 2;

describe('engine / writer lock takeover across processes', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;

  beforeEach(() => {
    tmp = makeTempDir();
    store = new ResultsStore({ root: tmp.path });
  });
  afterEach(() => tmp.remove());

  /** Starts `n` children that open the run's writer at the same moment; resolves with what each got. */
  async function contend(runId: string, n: number): Promise<{ results: LockResult[]; children: ChildProcess[] }> {
    const children: ChildProcess[] = [];
    const ready: Array<Promise<void>> = [];
    const results: Array<Promise<LockResult>> = [];
    for (let i = 0; i < n; i++) {
      const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'lockChild.js')], {
        env: { ...process.env, LOCK_CHILD: JSON.stringify({ root: tmp.path, runId }) },
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      children.push(child);
      const lines = createInterface({ input: child.stdout! });
      ready.push(new Promise((resolve, reject) => lines.once('line', () => resolve()).once('close', () => reject(new Error('lock child died before it was ready')))));
      results.push(
        new Promise((resolve, reject) => {
          let seen = 0;
          lines.on('line', (line) => ++seen === 2 && resolve(JSON.parse(line) as LockResult));
          child.once('exit', (code) => reject(new Error(`lock child exited ${code} before answering`)));
        }),
      );
    }
    await withDeadline(Promise.all(ready), 30_000, 'lock children ready');
    // Every child is loaded and waiting: they all start within the same millisecond.
    const at = Date.now() + 100;
    for (const child of children) {
      child.stdin!.write(`go ${at}\n`);
    }
    return { results: await withDeadline(Promise.all(results), 30_000, 'lock children'), children };
  }

  async function release(children: ChildProcess[]): Promise<void> {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) {
              resolve();
              return;
            }
            c.once('exit', () => resolve());
            c.stdin!.end();
          }),
      ),
    );
  }

  it(`lets exactly one of ${CHILDREN} processes take over a dead owner's lock (${ROUNDS} rounds), and the lock names it`, async () => {
    const w = await store.create({ runId: 'run-contended', kind: 'job', connectionId: 'x', body: {} });
    await w.close();
    const lock = join(store.runDir('run-contended'), WRITER_LOCK_FILE);
    for (let round = 0; round < ROUNDS; round++) {
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      await fsp.writeFile(lock, String(dead));
      const { results, children } = await contend('run-contended', CHILDREN);
      try {
        const winners = results.filter((r) => r.acquired);
        assert.equal(winners.length, 1, `round ${round}: ${winners.length} owners at once: ${JSON.stringify(results)}`);
        for (const loser of results.filter((r) => !r.acquired)) {
          assert.match(loser.message ?? '', /already being fetched/);
        }
        assert.equal((await fsp.readFile(lock, 'utf8')).trim(), String(winners[0]!.pid));
      } finally {
        await release(children);
      }
      await assert.rejects(fsp.stat(lock), /ENOENT/, 'released by its owner');
    }
    const leftovers = (await fsp.readdir(store.runDir('run-contended'))).filter((f) => f.startsWith(WRITER_LOCK_FILE));
    assert.deepEqual(leftovers, [], 'no takeover or temp files left behind');
  });

  it('takes over a lock whose takeover was interrupted by a crash (stale takeover file)', async () => {
    const w = await store.create({ runId: 'run-stuck', kind: 'job', connectionId: 'x', body: {} });
    await w.close();
    const dead = String(spawnSync(process.execPath, ['-e', '']).pid);
    await fsp.writeFile(join(store.runDir('run-stuck'), WRITER_LOCK_FILE), dead);
    await fsp.writeFile(join(store.runDir('run-stuck'), `${WRITER_LOCK_FILE}.takeover`), dead);
    const writer = await store.openWriter('run-stuck');
    assert.equal((await fsp.readFile(join(store.runDir('run-stuck'), WRITER_LOCK_FILE), 'utf8')).trim(), String(process.pid));
    await writer.close();
  });
});
