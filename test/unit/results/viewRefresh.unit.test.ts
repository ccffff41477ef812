import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../../../src/genesys/types';
import { INDEX_FILE, ROWS_FILE } from '../../../src/results/manifest';
import { ResultsStore } from '../../../src/results/resultsStore';
import type { RunWriter } from '../../../src/results/runWriter';
import { openResultsView, VIEW_DB_FILE } from '../../../src/results/view';
import type { LoadProgress, ViewQuery } from '../../../src/results/view';
import { makeTempDir } from '../../fakes/tempDir';
import { memberOf } from '../engine/cacheFiles';
import { generatedConversations, writeRun } from './viewRuns';

const conversations: ViewQuery = { grain: 'conversation', sort: [], filters: [] };
const participants: ViewQuery = { grain: 'participant', sort: [], filters: [] };
const participantCount = (rs: readonly ConversationRecord[]): number => rs.reduce((n, c) => n + (c.participants?.length ?? 0), 0);

describe('results view / incremental refresh of view.duckdb', function () {
  this.timeout(120_000);
  const tmp = makeTempDir('gca-view-refresh-');
  const records = generatedConversations(900, 5);
  const store = new ResultsStore({ root: tmp.path });
  let writer: RunWriter;
  let dir: string;

  before(async () => {
    writer = await writeRun(store, 'run-live', records.slice(0, 300), 100);
    dir = store.runDir('run-live');
  });

  after(async () => {
    await writer.close().catch(() => undefined);
    tmp.remove();
  });

  async function ids(view: Awaited<ReturnType<typeof openResultsView>>, q: ViewQuery = conversations): Promise<string[]> {
    const w = await view.window({ view: q, offset: 0, limit: 2000, columns: ['conversationId'] });
    return w.rows.map((r) => r[0] as string);
  }

  it('takes in rows appended while the run is still being written, without reloading the old ones', async () => {
    const progress: LoadProgress[] = [];
    const view = await openResultsView(dir, { onLoadProgress: (p) => progress.push(p), batchSize: 128, commitIntervalMs: 0 });
    try {
      assert.equal(await view.count(conversations), 300);
      assert.equal(await view.count(participants), participantCount(records.slice(0, 300)));
      await writer.appendPage(records.slice(300, 450));
      progress.length = 0;
      assert.equal(await view.refresh(), 450);
      assert.equal(progress[0]!.loaded, 300 + 128, 'the refresh starts where the last one ended');
      assert.deepEqual(progress.at(-1), { grains: ['conversation', 'participant'], loaded: 450, total: 450, workers: 0 });
      assert.deepEqual(await ids(view), records.slice(0, 450).map((c) => c.conversationId));
      assert.equal(await view.count(participants), participantCount(records.slice(0, 450)));

      // Pages keep arriving while the table refreshes: every refresh sees a prefix, the last one all of it.
      const appending = (async () => {
        for (let i = 450; i < 900; i += 50) {
          await writer.appendPage(records.slice(i, i + 50));
        }
      })();
      const seen: number[] = [];
      let done = false;
      void appending.finally(() => (done = true));
      while (!done) {
        seen.push(await view.refresh());
      }
      await appending;
      seen.push(await view.refresh());
      assert.ok(seen.every((n, i) => i === 0 || n >= seen[i - 1]!), `counts only grow: ${seen.join(',')}`);
      assert.equal(seen.at(-1), 900);
      assert.deepEqual(await ids(view), records.map((c) => c.conversationId));
      assert.equal(await view.count(participants), participantCount(records));
    } finally {
      await view.close();
    }
  });

  it('reuses view.duckdb when reopened, and rebuilds it when it is deleted', async () => {
    await writer.close();
    const progress: LoadProgress[] = [];
    let view = await openResultsView(dir, { onLoadProgress: (p) => progress.push(p) });
    assert.equal(await view.count(conversations), 900);
    assert.equal(await view.count(participants), participantCount(records));
    assert.equal(progress.length, 0, 'nothing was loaded again');
    await view.close();

    await fsp.rm(join(dir, VIEW_DB_FILE));
    view = await openResultsView(dir, { onLoadProgress: (p) => progress.push(p) });
    try {
      assert.ok(existsSync(join(dir, VIEW_DB_FILE)));
      assert.equal(progress.at(-1)?.loaded, 900);
      assert.deepEqual(await ids(view), records.map((c) => c.conversationId));
    } finally {
      await view.close();
    }
  });

  it('starts over when the raw cache was cut back under it (a writer reopened after a crash)', async () => {
    const view = await openResultsView(dir);
    try {
      assert.equal(await view.count(conversations), 900);
      // Pages of 100: rows 0–99 are the first gzip member.
      await fsp.truncate(join(dir, ROWS_FILE), (await memberOf(dir, 99)).end);
      await fsp.truncate(join(dir, INDEX_FILE), 100 * 8);
      assert.equal(await view.refresh(), 100);
      assert.deepEqual(await ids(view), records.slice(0, 100).map((c) => c.conversationId));
      assert.equal(await view.count(participants), participantCount(records.slice(0, 100)));
    } finally {
      await view.close();
    }
  });

  it('shares one database between two views of the same run and closes it with the last', async () => {
    const a = await openResultsView(dir);
    const b = await openResultsView(dir);
    assert.equal(await a.count(conversations), await b.count(conversations));
    await a.close();
    assert.equal(await b.count(conversations), 100);
    await b.close();
    await assert.rejects(b.count(conversations), /closed/);
  });

  it('indexes into memory when another process holds view.duckdb', async () => {
    // Another VS Code window with the same run open: DuckDB locks the file per process.
    const holder = spawn(
      process.execPath,
      ['-e', `require(${JSON.stringify(require.resolve('@duckdb/node-api'))}).DuckDBInstance.create(${JSON.stringify(join(dir, VIEW_DB_FILE))}).then((db) => { console.log('holding'); setInterval(() => db, 1000); })`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => (d.toString().includes('holding') ? resolve() : undefined));
        holder.on('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
      });
      const progress: LoadProgress[] = [];
      const view = await openResultsView(dir, { onLoadProgress: (p) => progress.push(p) });
      try {
        assert.equal(progress.at(-1)?.loaded, 100, 'loaded again, into memory');
        assert.equal(await view.count(conversations), 100);
        assert.deepEqual(await ids(view), records.slice(0, 100).map((c) => c.conversationId));
      } finally {
        await view.close();
      }
    } finally {
      holder.kill();
    }
  });
});
