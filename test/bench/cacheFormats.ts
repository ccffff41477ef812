/**
 * Raw cache formats side by side (part of `npm run bench -- --only view`): the same N conversations written
 * by RunWriter as the plain rows.ndjson of older versions and as the compressed rows.ndjson.gz, then the
 * size on disk per 1,000 conversations, the write throughput, and the time to read 200-row windows at
 * random places (RunReader.readRawRows and readRows, p50/p95), one reader per format as the table holds it.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversationRecord } from '../../src/genesys/types';
import { IDS_FILE, INDEX_FILE } from '../../src/results/manifest';
import { ResultsStore } from '../../src/results/resultsStore';
import { RunReader } from '../../src/results/runReader';
import type { RunWriter } from '../../src/results/runWriter';
import { rowsFileOf } from '../../src/results/rowSource';
import type { RowFormat } from '../../src/results/rowSource';
import { writePlainRunFolder } from '../unit/engine/cacheFiles';
import { generatedConversations } from '../unit/results/viewRuns';

export interface FormatResult {
  format: RowFormat;
  n: number;
  /** Rows file bytes per 1,000 conversations, and with rows.idx and rows.ids. */
  rowsKbPer1000: number;
  totalKbPer1000: number;
  writeS: number;
  writeCpuS: number;
  rowsPerS: number;
  rawP50: number;
  rawP95: number;
  parsedP50: number;
  parsedP95: number;
  maxMs: number;
}

const WINDOWS = 200;

/** Appends N conversations in pages of 1,000: `unique` generated ones, repeated under fresh conversationIds. */
export async function fillRun(writer: RunWriter, n: number, unique: number): Promise<void> {
  const templates = generatedConversations(Math.min(n, unique), 101);
  for (let i = 0; i < n; i += 1000) {
    const page: ConversationRecord[] = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const t = templates[j % templates.length]!;
      page.push(j < templates.length ? t : { ...t, conversationId: `${t.conversationId.slice(0, 24)}${j.toString(16).padStart(12, '0')}` });
    }
    await writer.appendPage(page);
  }
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** A small seeded generator: the same windows for both formats. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

async function oneFormat(root: string, format: RowFormat, n: number, unique: number): Promise<FormatResult> {
  const store = new ResultsStore({ root });
  const runId = `fmt-${format}-${n}`;
  const dir = store.runDir(runId);
  rmSync(dir, { recursive: true, force: true });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let writer: RunWriter;
  if (format === 'plain') {
    // An empty folder as older versions left it: the writer keeps appending in that format.
    await writePlainRunFolder(dir, runId, [], { phase: 'paging' });
    writer = await store.openWriter(runId);
  } else {
    writer = await store.create({ runId, kind: 'job', connectionId: 'bench', body: {} });
  }
  await fillRun(writer, n, unique);
  await writer.close();
  const writeS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rows = statSync(join(dir, rowsFileOf(format))).size;
  const total = rows + statSync(join(dir, INDEX_FILE)).size + statSync(join(dir, IDS_FILE)).size;
  const reader = await RunReader.open(dir);
  if (reader.format !== format) {
    throw new Error(`expected a ${format} cache, found ${reader.format}`);
  }
  const next = lcg(7);
  const raw: number[] = [];
  const parsed: number[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const start = Math.floor(next() * (n - 200));
    let t = performance.now();
    const lines = await reader.readRawRows(start, 200);
    raw.push(performance.now() - t);
    const other = Math.floor(next() * (n - 200));
    t = performance.now();
    const records = await reader.readRows(other, 200);
    parsed.push(performance.now() - t);
    if (lines.length !== 200 || records.length !== 200) {
      throw new Error(`short window at ${start}/${other}`);
    }
  }
  await reader.close();
  raw.sort((a, b) => a - b);
  parsed.sort((a, b) => a - b);
  rmSync(dir, { recursive: true, force: true });
  return {
    format, n, rowsKbPer1000: rows / (n / 1000) / 1000, totalKbPer1000: total / (n / 1000) / 1000, writeS, writeCpuS: (cpu.user + cpu.system) / 1e6, rowsPerS: n / writeS,
    rawP50: percentile(raw, 50), rawP95: percentile(raw, 95), parsedP50: percentile(parsed, 50), parsedP95: percentile(parsed, 95), maxMs: Math.max(raw.at(-1)!, parsed.at(-1)!),
  };
}

/** Both formats at N conversations, in this process, plain first; prints a table through `say`. */
export async function compareCacheFormats(root: string, n: number, unique: number, say: (line: string) => void): Promise<FormatResult[]> {
  const out: FormatResult[] = [];
  for (const format of ['plain', 'blocks'] as const) {
    const r = await oneFormat(root, format, n, unique);
    out.push(r);
    say(`${n} ${format}: rows file ${r.rowsKbPer1000.toFixed(0)} KB per 1,000 conversations (${r.totalKbPer1000.toFixed(0)} KB with rows.idx and rows.ids); written in ${r.writeS.toFixed(1)} s (${r.writeCpuS.toFixed(1)} CPU-s, ${r.rowsPerS.toFixed(0)} rows/s); 200-row window raw p50 ${r.rawP50.toFixed(1)} ms p95 ${r.rawP95.toFixed(1)} ms, parsed p50 ${r.parsedP50.toFixed(1)} ms p95 ${r.parsedP95.toFixed(1)} ms, max ${r.maxMs.toFixed(1)} ms`);
  }
  const f = (v: number, d = 1): string => v.toFixed(d).padStart(11);
  say('');
  say(`${'rows'.padEnd(9)}${'format'.padEnd(8)}${'KB/1000'.padStart(11)}${'+idx,ids'.padStart(11)}${'write s'.padStart(11)}${'CPU s'.padStart(11)}${'rows/s'.padStart(11)}${'raw p50'.padStart(11)}${'raw p95'.padStart(11)}${'parse p50'.padStart(11)}${'parse p95'.padStart(11)}`);
  for (const r of out) {
    say(`${String(r.n).padEnd(9)}${r.format.padEnd(8)}${f(r.rowsKbPer1000, 0)}${f(r.totalKbPer1000, 0)}${f(r.writeS)}${f(r.writeCpuS)}${f(r.rowsPerS, 0)}${f(r.rawP50)}${f(r.rawP95)}${f(r.parsedP50)}${f(r.parsedP95)}`);
  }
  say('');
  return out;
}
