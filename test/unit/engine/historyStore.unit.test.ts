import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEntry } from '../../../src/history/historyEntry';
import { HISTORY_FILE, HistoryStore } from '../../../src/history/historyStore';
import type { HistoryChange } from '../../../src/history/historyStore';
import { pruneResults } from '../../../src/history/prune';
import { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';

function entry(runId: string, patch: Partial<HistoryEntry> = {}): HistoryEntry {
  return { id: runId, runId, kind: 'job', connectionId: 'c', body: { interval: 'x' }, state: 'FULFILLED', submittedAt: `2026-01-0${runId.slice(-1)}T00:00:00.000Z`, rowCount: 10, partial: false, updatedAt: '2026-01-01T00:00:00.000Z', ...patch };
}

describe('engine / historyStore', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.remove());

  it('persists entries across restarts, newest first, with change events', async () => {
    const h = await HistoryStore.open({ dir: tmp.path });
    const events: HistoryChange[] = [];
    const sub = h.onDidChange((e) => events.push(e));
    await h.upsert(entry('run-1'));
    await h.upsert(entry('run-2', { jobId: 'job-2', id: 'job-2' }));
    await h.update('run-1', { state: 'EXPIRED' });
    await h.remove('run-0');
    sub.dispose();
    h.dispose();
    assert.deepEqual(events.map((e) => e.type), ['upsert', 'upsert', 'upsert']);
    const again = await HistoryStore.open({ dir: tmp.path });
    assert.deepEqual(again.list().map((e) => e.runId), ['run-2', 'run-1']);
    assert.equal(again.get('run-1')?.state, 'EXPIRED');
    assert.equal(again.findByJobId('job-2')?.runId, 'run-2');
    assert.deepEqual(again.loadWarnings, []);
    again.dispose();
  });

  it('recovers from garbage lines and a torn last line, with a warning, keeping the damaged file aside', async () => {
    const h = await HistoryStore.open({ dir: tmp.path });
    await h.upsert(entry('run-1'));
    await h.upsert(entry('run-2'));
    await h.upsert(entry('run-3'));
    h.dispose();
    const file = join(tmp.path, HISTORY_FILE);
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [lines[0], 'garbage {{{', '{"op":"put","entry":{"nope":1}}', lines[1], lines[2]!.slice(0, 40)].join('\n'));
    const recovered = await HistoryStore.open({ dir: tmp.path });
    assert.deepEqual(recovered.list().map((e) => e.runId).sort(), ['run-1', 'run-2']);
    assert.equal(recovered.loadWarnings.length, 1);
    assert.match(recovered.loadWarnings[0]!, /3 unreadable line\(s\) skipped, 2 run\(s\) recovered/);
    assert.ok(readdirSync(tmp.path).some((n) => n.startsWith(`${HISTORY_FILE}.corrupt-`)));
    // The journal was rewritten clean: appends work and a further restart has no warning.
    await recovered.upsert(entry('run-4'));
    recovered.dispose();
    const clean = await HistoryStore.open({ dir: tmp.path });
    assert.deepEqual(clean.loadWarnings, []);
    assert.equal(clean.list().length, 3);
    clean.dispose();
  });

  it('survives a file of pure garbage or a truncated JSON document', async () => {
    writeFileSync(join(tmp.path, HISTORY_FILE), '{"op":"put","entry":{"id":"a","runId":"a","kind":"job","state":"FULF');
    const h = await HistoryStore.open({ dir: tmp.path });
    assert.equal(h.list().length, 0);
    assert.equal(h.loadWarnings.length, 1);
    await h.upsert(entry('run-5'));
    h.dispose();
    appendFileSync(join(tmp.path, HISTORY_FILE), '\u0000\u0001 binary junk\n');
    const h2 = await HistoryStore.open({ dir: tmp.path });
    assert.deepEqual(h2.list().map((e) => e.runId), ['run-5']);
    h2.dispose();
  });

  it('still opens a torn journal when it cannot be rewritten, and the next append stays readable', async () => {
    const h = await HistoryStore.open({ dir: tmp.path });
    await h.upsert(entry('run-1'));
    await h.upsert(entry('run-2'));
    h.dispose();
    const file = join(tmp.path, HISTORY_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, -20));
    const rename = fsp.rename;
    fsp.rename = () => Promise.reject(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }));
    let opened: HistoryStore;
    try {
      opened = await HistoryStore.open({ dir: tmp.path });
    } finally {
      fsp.rename = rename;
    }
    assert.deepEqual(opened.list().map((e) => e.runId), ['run-1']);
    assert.ok(opened.loadWarnings.some((w) => /could not be rewritten/.test(w)), opened.loadWarnings.join(' | '));
    await opened.upsert(entry('run-3'));
    opened.dispose();
    const again = await HistoryStore.open({ dir: tmp.path });
    assert.deepEqual(again.list().map((e) => e.runId).sort(), ['run-1', 'run-3']);
    again.dispose();
  });

  it('compacts the journal once it grows', async () => {
    const h = await HistoryStore.open({ dir: tmp.path, compactAfterLines: 10 });
    for (let i = 0; i < 30; i++) {
      await h.update('run-1', { rowCount: i }).then((r) => r ?? h.upsert(entry('run-1')));
    }
    await h.flush();
    const lines = readFileSync(join(tmp.path, HISTORY_FILE), 'utf8').trim().split('\n');
    assert.ok(lines.length <= 10, `${lines.length} lines`);
    h.dispose();
  });
});

describe('engine / prune', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.remove());

  async function makeRun(store: ResultsStore, runId: string, rows: number, state: 'FULFILLED' | 'RUNNING', updatedAt: string, kind: 'query' | 'job' = 'query'): Promise<void> {
    const w = await store.create({ runId, kind, connectionId: 'c', body: {} });
    await w.appendPage(Array.from({ length: rows }, (_, i) => ({ conversationId: `${runId}-${i}`, pad: 'x'.repeat(100) })));
    await w.update({ state, ...(kind === 'job' ? { phase: 'paging' as const } : {}) });
    await w.close();
    const file = join(store.runDir(runId), 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...m, updatedAt }));
  }

  it('deletes by age, then oldest first by size, never a running run, and marks history', async () => {
    const store = new ResultsStore({ root: join(tmp.path, 'results') });
    const history = await HistoryStore.open({ dir: tmp.path });
    await makeRun(store, 'old-1', 100, 'FULFILLED', '2025-01-01T00:00:00.000Z');
    await makeRun(store, 'mid-2', 100, 'FULFILLED', '2026-01-02T00:00:00.000Z');
    await makeRun(store, 'new-3', 100, 'FULFILLED', '2026-01-03T00:00:00.000Z');
    await makeRun(store, 'run-4', 100, 'RUNNING', '2024-01-01T00:00:00.000Z');
    for (const id of ['old-1', 'mid-2', 'new-3', 'run-4']) {
      await history.upsert(entry(id, { resultsDir: store.runDir(id) }));
    }
    const size = await store.sizeOf('mid-2');
    const res = await pruneResults({ store, history, maxAgeMs: 30 * 86_400_000, maxTotalBytes: size * 2 + 10, now: Date.parse('2026-01-04T00:00:00.000Z') });
    assert.deepEqual(res.deleted.map((d) => [d.runId, d.reason]), [['old-1', 'age'], ['mid-2', 'size']]);
    assert.deepEqual(res.skippedActive, ['run-4']);
    assert.equal(existsSync(store.runDir('run-4')), true);
    assert.equal(existsSync(store.runDir('new-3')), true);
    assert.equal(history.get('mid-2')?.resultsPruned, true);
    assert.equal(history.get('mid-2')?.resultsDir, undefined);
    history.dispose();
  });

  it('never deletes a job run still being paged (Genesys state FULFILLED, phase paging), by age or size', async () => {
    const store = new ResultsStore({ root: join(tmp.path, 'results') });
    await makeRun(store, 'paging-1', 100, 'FULFILLED', '2024-01-01T00:00:00.000Z', 'job');
    await makeRun(store, 'done-2', 100, 'FULFILLED', '2025-12-01T00:00:00.000Z');
    const res = await pruneResults({ store, maxAgeMs: 30 * 86_400_000, maxTotalBytes: 1, now: Date.parse('2026-01-04T00:00:00.000Z') });
    assert.deepEqual(res.skippedActive, ['paging-1']);
    assert.deepEqual(res.deleted.map((d) => d.runId), ['done-2']);
    assert.equal(existsSync(store.runDir('paging-1')), true);
  });
});
