import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCancelledError } from '../../../src/common/cancellation';
import type { ConversationRecord } from '../../../src/genesys/types';
import { exportRun } from '../../../src/results/export';
import { DEFAULT_COLUMNS, flattenConversation } from '../../../src/results/flatten';
import { ResultsStore } from '../../../src/results/resultsStore';
import { makeTempDir } from '../../fakes/tempDir';

/** A realistic inbound voice record (genesys-api.md §6): customer, ivr, acd, answering agent. */
function voiceCall(id: string, extra: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    conversationId: id,
    conversationStart: '2026-01-10T10:00:00.000Z',
    conversationEnd: '2026-01-10T10:06:20.894Z',
    originatingDirection: 'inbound',
    divisionIds: ['div-1', 'div-2'],
    participants: [
      { purpose: 'customer', sessions: [{ mediaType: 'voice', ani: 'tel:+15551234', dnis: 'tel:+18005550000', segments: [{ segmentType: 'interact', disconnectType: 'endpoint' }], metrics: [{ name: 'nConnected', value: 1 }] }] },
      { purpose: 'acd', participantName: 'Support, "Tier 1"', sessions: [{ mediaType: 'voice', segments: [{ segmentType: 'interact', queueId: 'q-1' }], metrics: [{ name: 'tAcd', value: 12000 }] }] },
      {
        purpose: 'agent',
        userId: 'u-1',
        participantName: 'Ann Agent',
        sessions: [
          {
            mediaType: 'voice',
            segments: [{ segmentType: 'interact', queueId: 'q-1' }, { segmentType: 'wrapup', wrapUpCode: 'wc-sale' }],
            metrics: [
              { name: 'tTalk', value: 374894 },
              { name: 'tAcw', value: 3000 },
              { name: 'tHandle', value: 377894 },
              { name: 'tAnswered', value: 12000 },
            ],
          },
        ],
      },
    ],
    ...extra,
  };
}

describe('engine / flatten + export', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: ResultsStore;
  const rows = [voiceCall('a'), voiceCall('b', { originatingDirection: 'outbound', participants: [] }), voiceCall('c\nwith newline')];

  beforeEach(async () => {
    tmp = makeTempDir();
    store = new ResultsStore({ root: join(tmp.path, 'results') });
    const w = await store.create({ runId: 'run-x', kind: 'job', connectionId: 'x', body: {} });
    await w.appendPage(rows);
    await w.close();
  });
  afterEach(() => tmp.remove());

  it('flattens the default columns from the nested record', () => {
    const f = flattenConversation(rows[0]!);
    assert.equal(f.durationMs, 380894);
    assert.equal(f.mediaType, 'voice');
    assert.equal(f.queues, 'Support, "Tier 1"');
    assert.equal(f.agents, 'Ann Agent');
    assert.equal(f.ani, 'tel:+15551234');
    assert.equal(f.dnis, 'tel:+18005550000');
    assert.equal(f.wrapUpCode, 'wc-sale');
    assert.deepEqual([f.tHandle, f.tTalk, f.tHeld, f.tAcw, f.tAcd], [377894, 374894, undefined, 3000, 12000]);
    assert.equal(f.abandoned, false);
    assert.equal(f.divisionIds, 'div-1;div-2');
    assert.equal(DEFAULT_COLUMNS.length, 18);
  });

  it('exports NDJSON and JSON that round-trip to the cached records', async () => {
    const reader = await store.openReader('run-x');
    await exportRun({ reader, format: 'ndjson', destination: join(tmp.path, 'out.ndjson'), batchSize: 2 });
    await exportRun({ reader, format: 'json', destination: join(tmp.path, 'out.json'), batchSize: 2 });
    await reader.close();
    const nd = readFileSync(join(tmp.path, 'out.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(nd, rows);
    assert.deepEqual(JSON.parse(readFileSync(join(tmp.path, 'out.json'), 'utf8')), rows);
  });

  it('exports CSV with a header and quoted cells, one record per conversation', async () => {
    const reader = await store.openReader('run-x');
    const res = await exportRun({ reader, format: 'csv', destination: join(tmp.path, 'out.csv') });
    await reader.close();
    assert.equal(res.rows, 3);
    const text = readFileSync(join(tmp.path, 'out.csv'), 'utf8');
    const lines = text.split('\n');
    assert.equal(lines[0], DEFAULT_COLUMNS.map((c) => c.title).join(','));
    assert.ok(lines[1]!.startsWith('a,2026-01-10T10:00:00.000Z,2026-01-10T10:06:20.894Z,380894,inbound,voice,"Support, ""Tier 1""",Ann Agent,'));
    assert.ok(text.includes('"c\nwith newline"'));
  });

  it('neutralises formula-looking text cells in CSV (CSV injection), but not numbers, unless turned off', async () => {
    const evil = voiceCall('=HYPERLINK("http://x","y")', {
      originatingDirection: '@SUM(1+1)',
      conversationStart: '2026-01-10T10:06:20.894Z',
      conversationEnd: '2026-01-10T10:00:00.000Z', // negative duration: a number, left alone
      participants: [{ purpose: 'customer', participantName: 'x', sessions: [{ mediaType: '+cmd', ani: '-2+3', dnis: '\tTAB' }] }],
    });
    const w = await store.create({ runId: 'run-evil', kind: 'query', connectionId: 'x', body: {} });
    await w.appendPage([evil]);
    await w.close();
    const reader = await store.openReader('run-evil');
    await exportRun({ reader, format: 'csv', destination: join(tmp.path, 'evil.csv') });
    await exportRun({ reader, format: 'csv', destination: join(tmp.path, 'raw.csv'), escapeFormulas: false });
    await reader.close();
    const cells = readFileSync(join(tmp.path, 'evil.csv'), 'utf8').split('\n')[1]!;
    assert.ok(cells.startsWith(`"'=HYPERLINK(""http://x"",""y"")"`), cells);
    assert.ok(cells.includes(",-380894,'@SUM(1+1),'+cmd,"), cells);
    assert.ok(cells.includes(",'-2+3,'\tTAB,"), cells);
    const raw = readFileSync(join(tmp.path, 'raw.csv'), 'utf8').split('\n')[1]!;
    assert.ok(raw.startsWith('"=HYPERLINK(') && raw.includes(',@SUM(1+1),+cmd,'), raw);
  });

  it('a cancelled export rejects with CancelledError and leaves no half-written file', async () => {
    for (const format of ['csv', 'json', 'ndjson'] as const) {
      const reader = await store.openReader('run-x');
      const controller = new AbortController();
      const dest = join(tmp.path, `cancelled.${format}`);
      const p = exportRun({ reader, format, destination: dest, batchSize: 1, signal: controller.signal, onProgress: () => controller.abort() });
      await assert.rejects(p, (e: unknown) => isCancelledError(e), format);
      await reader.close();
      assert.equal(existsSync(dest), false, `${format} file removed`);
    }
  });

  it('exports an empty run as an empty JSON array and a header-only CSV', async () => {
    const w = await store.create({ runId: 'run-empty', kind: 'query', connectionId: 'x', body: {} });
    await w.close();
    const reader = await store.openReader('run-empty');
    await exportRun({ reader, format: 'json', destination: join(tmp.path, 'e.json') });
    await exportRun({ reader, format: 'csv', destination: join(tmp.path, 'e.csv') });
    await reader.close();
    assert.deepEqual(JSON.parse(readFileSync(join(tmp.path, 'e.json'), 'utf8')), []);
    assert.equal(readFileSync(join(tmp.path, 'e.csv'), 'utf8').trim().split('\n').length, 1);
  });
});
