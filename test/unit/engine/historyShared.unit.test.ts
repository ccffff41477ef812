import * as assert from 'node:assert/strict';
import type { HistoryEntry } from '../../../src/history/historyEntry';
import { HistoryStore } from '../../../src/history/historyStore';
import type { HistoryChange } from '../../../src/history/historyStore';
import { makeTempDir } from '../../fakes/tempDir';

function entry(runId: string, patch: Partial<HistoryEntry> = {}): HistoryEntry {
  return { id: runId, runId, kind: 'job', connectionId: 'c', body: {}, state: 'FULFILLED', submittedAt: '2026-01-01T00:00:00.000Z', rowCount: 1, partial: false, updatedAt: '2026-01-01T00:00:00.000Z', ...patch };
}

/** Two windows = two extension hosts = two HistoryStore instances on one folder. */
describe('engine / history shared by two windows', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let a: HistoryStore;
  let b: HistoryStore;

  beforeEach(async () => {
    tmp = makeTempDir();
    a = await HistoryStore.open({ dir: tmp.path, compactAfterLines: 6 });
    b = await HistoryStore.open({ dir: tmp.path, compactAfterLines: 6 });
  });
  afterEach(() => {
    a.dispose();
    b.dispose();
    tmp.remove();
  });

  it('never drops the other window\'s entries when compacting, even with interleaved writes', async () => {
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 25; i++) {
      writes.push(a.upsert(entry(`run-a${i}`)), b.upsert(entry(`run-b${i}`)));
      writes.push(a.update(`run-a${Math.floor(i / 2)}`, { rowCount: i }), b.update(`run-b${Math.floor(i / 2)}`, { rowCount: i }));
    }
    await Promise.all(writes);
    await a.compact();
    const fresh = await HistoryStore.open({ dir: tmp.path });
    assert.equal(fresh.list().length, 50);
    assert.equal(fresh.get('run-a12')?.rowCount, 24);
    assert.equal(fresh.get('run-b12')?.rowCount, 24);
    fresh.dispose();
  });

  it('sees the other window\'s upserts and removals on reload(), with change events', async () => {
    const events: HistoryChange[] = [];
    b.onDidChange((e) => events.push(e));
    await a.upsert(entry('run-1'));
    await a.upsert(entry('run-2'));
    await b.reload();
    assert.deepEqual(b.list().map((e) => e.runId).sort(), ['run-1', 'run-2']);
    await a.remove('run-1');
    await a.update('run-2', { state: 'EXPIRED' });
    await b.reload();
    assert.equal(b.get('run-1'), undefined);
    assert.equal(b.get('run-2')?.state, 'EXPIRED');
    assert.deepEqual(events.map((e) => (e.type === 'upsert' ? `upsert ${e.entry.runId} ${e.entry.state}` : `remove ${e.runId}`)), ['upsert run-1 FULFILLED', 'upsert run-2 FULFILLED', 'upsert run-2 EXPIRED', 'remove run-1']);
    events.length = 0;
    await b.reload();
    assert.deepEqual(events, [], 'nothing changed, nothing announced');
  });

  it('follows a compaction made by the other window', async () => {
    for (let i = 0; i < 10; i++) {
      await a.upsert(entry('run-x', { rowCount: i }));
    }
    await a.compact();
    await b.reload();
    assert.equal(b.get('run-x')?.rowCount, 9);
    await b.upsert(entry('run-y'));
    await a.reload();
    assert.deepEqual(a.list().map((e) => e.runId).sort(), ['run-x', 'run-y']);
  });
});
