import * as assert from 'node:assert/strict';
import { loadDuckDB } from '../../../src/results/view/duckdb';
import type { DuckDBConnection, DuckDBInstance } from '../../../src/results/view/duckdb';
import { ReadConnections } from '../../../src/results/view/readConnections';

describe('results view / read connections (one statement per DuckDB connection at a time)', function () {
  this.timeout(60_000);
  let instance: DuckDBInstance;

  before(async () => {
    const duckdb = await loadDuckDB();
    instance = await duckdb.DuckDBInstance.create(':memory:');
  });

  after(() => instance?.closeSync());

  it('runs up to `max` statements side by side, never two on one connection, and answers each correctly', async () => {
    const pool = new ReadConnections(instance, 3);
    const active = new Map<DuckDBConnection, number>();
    const seen = new Set<DuckDBConnection>();
    let running = 0;
    let peak = 0;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        pool.use(async (c) => {
          seen.add(c);
          active.set(c, (active.get(c) ?? 0) + 1);
          assert.equal(active.get(c), 1, 'a connection runs one statement at a time');
          running++;
          peak = Math.max(peak, running);
          try {
            const reader = await c.runAndReadAll('SELECT $1::INTEGER * 2 AS v FROM range(1000) LIMIT 1', [i]);
            return reader.getRowsJS()[0]?.[0];
          } finally {
            running--;
            active.set(c, active.get(c)! - 1);
          }
        }),
      ),
    );
    assert.deepEqual(answers, Array.from({ length: 40 }, (_, i) => i * 2));
    assert.equal(seen.size, 3, 'opens connections up to the cap, and no more');
    assert.equal(peak, 3);
    await pool.close();
  });

  it('close() waits for the statements in flight, then refuses new ones with a clear error', async () => {
    const pool = new ReadConnections(instance, 2);
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    let statementDone = false;
    const inFlight = pool.use(async (c) => {
      await gate;
      const reader = await c.runAndReadAll('SELECT 7');
      statementDone = true;
      return reader.getRowsJS()[0]?.[0];
    });
    // A statement waiting for a connection when the pool closes is refused too.
    const blocker = pool.use(() => gate);
    const queued = pool.use(async () => 'ran');
    let closed = false;
    const closing = pool.close().then(() => (closed = true));
    await assert.rejects(queued, /This results view is closed/);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closed, false, 'close waits for the statement in flight');
    finish();
    assert.equal(await inFlight, 7);
    await blocker;
    await closing;
    assert.ok(statementDone && closed);
    await assert.rejects(pool.use(async () => 'late'), /This results view is closed/);
  });

  it('gives a connection back when the statement fails, so the next one still runs', async () => {
    const pool = new ReadConnections(instance, 1);
    await assert.rejects(pool.use((c) => c.run('SELECT * FROM no_such_table')), /no_such_table/);
    const reader = await pool.use((c) => c.runAndReadAll('SELECT 1'));
    assert.equal(reader.getRowsJS()[0]?.[0], 1);
    await pool.close();
  });
});
