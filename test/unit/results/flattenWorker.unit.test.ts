import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ConversationRecord } from '../../../src/genesys/types';
import { ROWS_FILE } from '../../../src/results/manifest';
import { ResultsStore } from '../../../src/results/resultsStore';
import { openResultsView } from '../../../src/results/view';
import type { Grain, LoadProgress, ResultsView } from '../../../src/results/view';
import { GRAIN_NAMES, GRAINS } from '../../../src/results/view/grains';
import { makeTempDir } from '../../fakes/tempDir';
import { damageMemberOf, memberOf, writePlainRunFolder } from '../engine/cacheFiles';
import { generatedConversations, hostileConversation, writeRun } from './viewRuns';

/**
 * Large loads parse and flatten on worker threads (flattenThread.ts), each its own batches, while the
 * calling thread appends them in run order. The rows must be exactly those of the single-thread path
 * (ground truth: every cell of every grain, in run order, for a sandbox run with hostile records and edge
 * shapes mixed in).
 */
describe('results view / loading on the flatten worker', function () {
  this.timeout(180_000);
  const tmp = makeTempDir('gca-worker-');
  const store = new ResultsStore({ root: tmp.path });

  function records(): ConversationRecord[] {
    const base = generatedConversations(2400, 23);
    const out = base.map((c, i) => (i % 25 === 3 ? hostileConversation(c, i) : c));
    const noCustomer = JSON.parse(JSON.stringify(base[1])) as ConversationRecord;
    noCustomer.conversationId = 'edge-no-customer';
    noCustomer.participants = (noCustomer.participants ?? []).filter((p) => p.purpose !== 'customer' && p.purpose !== 'external');
    const odd = { conversationId: 'edge-odd', participants: 'not a list', divisionIds: ['', 'b', 'b'], conversationStart: 'not a time' } as unknown as ConversationRecord;
    return [...out.slice(0, 1200), { conversationId: 'edge-bare' } as ConversationRecord, noCustomer, odd, ...out.slice(1200)];
  }

  async function open(runId: string, workers: number): Promise<{ view: ResultsView; workerCounts: Set<number> }> {
    const workerCounts = new Set<number>();
    const view = await openResultsView(store.runDir(runId), { workers, batchSize: 300, onLoadProgress: (p: LoadProgress) => workerCounts.add(p.workers) });
    return { view, workerCounts };
  }

  async function everyRow(view: ResultsView, grain: Grain): Promise<unknown[][]> {
    const columns = GRAINS[grain].columns.map((c) => c.id);
    const out: unknown[][] = [];
    for (let offset = 0; ; offset += 2000) {
      const w = await view.window({ view: { grain, sort: [], filters: [] }, offset, limit: 2000, columns });
      out.push(...w.rows.map((r) => [...r]));
      if (offset + 2000 >= w.totalRows) {
        return out;
      }
    }
  }

  after(() => tmp.remove());

  it('gives exactly the rows of the single-thread load, cell for cell, in every grain, with three workers', async () => {
    const recs = records();
    for (const runId of ['host', 'worker']) {
      await (await writeRun(store, runId, recs)).close();
    }
    const host = await open('host', 0);
    // 2,403 conversations in batches of 300 on three workers: each worker makes every third batch.
    const worker = await open('worker', 3);
    try {
      assert.equal(await worker.view.count({ grain: 'conversation', sort: [], filters: [] }), recs.length);
      for (const grain of GRAIN_NAMES) {
        const [a, b] = [await everyRow(host.view, grain), await everyRow(worker.view, grain)];
        assert.ok(a.length >= recs.length, `${grain}: ${a.length} rows`);
        assert.equal(b.length, a.length, `${grain}: row count`);
        for (let i = 0; i < a.length; i++) {
          assert.deepEqual(b[i], a[i], `${grain} row ${i}`);
        }
      }
      const ids = (await everyRow(worker.view, 'conversation')).map((r) => r[0]);
      assert.deepEqual(ids, recs.map((r) => r.conversationId), 'conversations in run order');
      assert.deepEqual([...host.workerCounts], [0]);
      // One worker until the first batch is committed, then three.
      assert.deepEqual([...worker.workerCounts], [1, 3], 'three workers did the large loads');
    } finally {
      await host.view.close();
      await worker.view.close();
    }
  });

  it('loads a run folder from before the compressed cache (plain rows.ndjson) to the same rows as a compressed one', async () => {
    const recs = records().slice(0, 1500);
    await (await writeRun(store, 'gz', recs)).close();
    await writePlainRunFolder(store.runDir('plain'), 'plain', recs);
    const gz = await open('gz', 2);
    const plain = await open('plain', 2);
    try {
      assert.deepEqual([...plain.workerCounts], [1, 2]);
      const [a, b] = [await everyRow(gz.view, 'conversation'), await everyRow(plain.view, 'conversation')];
      assert.equal(a.length, recs.length);
      assert.deepEqual(b, a);
    } finally {
      await gz.view.close();
      await plain.view.close();
    }
  });

  it('keeps small refreshes on the calling thread', async () => {
    const recs = generatedConversations(500, 5);
    await (await writeRun(store, 'small', recs)).close();
    const { view, workerCounts } = await open('small', 2);
    try {
      assert.deepEqual([...workerCounts], [0]);
      assert.equal(await view.count({ grain: 'conversation', sort: [], filters: [] }), 500);
    } finally {
      await view.close();
    }
  });

  it('reports a broken cached row from the worker with its row number', async () => {
    const recs = generatedConversations(1500, 7);
    const writer = await store.create({ runId: 'broken', kind: 'job', connectionId: 'sandbox', body: {} });
    // Row 1000 (1-based) stored broken: the cache holds whatever text it was given, compressed like any other.
    const raw = recs.map((r, i) => {
      const json = JSON.stringify(r);
      return { conversationId: r.conversationId, json: i === 999 ? `${json.slice(0, 10)}{"conv${json.slice(16)}` : json };
    });
    for (let i = 0; i < raw.length; i += 500) {
      await writer.appendRawRows(raw.slice(i, i + 500));
    }
    await writer.close();
    await assert.rejects(openResultsView(store.runDir('broken'), { batchSize: 300, workers: 3 }), /cached row 1000 of .* is not valid JSON/);
  });

  it('reports a damaged compressed block from the worker, naming the file and the block', async () => {
    const recs = generatedConversations(1500, 8);
    await (await writeRun(store, 'damaged', recs)).close();
    const dir = store.runDir('damaged');
    await damageMemberOf(dir, 1200);
    const { start, end } = await memberOf(dir, 1200);
    await assert.rejects(openResultsView(dir, { batchSize: 300, workers: 3 }), (err: Error) => {
      assert.equal(err.message, `The cached rows in ${join(dir, ROWS_FILE)} are damaged (the block at bytes ${start}–${end}: incorrect data check). Delete the run and run the query again.`);
      return true;
    });
  });
});
