/**
 * Results-view benchmark: a run cache of N conversations (RunWriter, sandbox generator, no HTTP) loaded
 * (1) into DuckDB by openResultsView — the conversation grain, as the table opens — and (2) the plain way:
 * every row parsed and flattened (src/results/flatten.ts) into a JS array. Then the first window after a
 * sort and after a filter, in each. Each side runs in its own child process, so its RSS is its own.
 *
 * Before the view, the raw cache's two formats are compared at each size (cacheFormats.ts: size on disk,
 * write throughput, 200-row window reads); `--cache-only` stops there, `--no-cache-formats` skips it.
 *
 * Usage: node out/test/bench/viewBench.js [--sizes 100000,1000000] [--sides engine,duckdb,duckdb-host,js-array,engine:1] [--unique 20000] [--data DIR] [--keep] [--json] [--cache-only] [--no-cache-formats]
 * `--data DIR` keeps the generated run caches in DIR and reuses them on the next run (writing 1M rows
 * takes minutes); view.duckdb is deleted before each load so every load starts from nothing.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ConversationRecord } from '../../src/genesys/types';
import { flattenConversation } from '../../src/results/flatten';
import type { FlatConversation } from '../../src/results/flatten';
import { MANIFEST_FILE, PLAIN_ROWS_FILE, ROWS_FILE } from '../../src/results/manifest';
import { ResultsStore } from '../../src/results/resultsStore';
import { RunReader } from '../../src/results/runReader';
import { openResultsView, VIEW_DB_FILE } from '../../src/results/view';
import { loadDuckDB } from '../../src/results/view/duckdb';
import type { EngineStats } from '../../src/results/viewProcess/protocol';
import { ResultsEngineProcess } from '../../src/results/viewProcess/viewProcess';
import type { ViewQuery } from '../../src/results/view';
import { compareCacheFormats, fillRun } from './cacheFormats';
import type { FormatResult } from './cacheFormats';

/**
 * `engine`: the product's path, the view in the results engine's own process (src/results/viewProcess),
 * started ahead as after a finished run; RSS +MB is then this process's (the extension host's) growth, and
 * the engine's own is reported apart. `duckdb` / `duckdb-host`: the view in this process, loading on the
 * flatten workers / on this thread. `engine:N` / `duckdb:N`: the same with N flatten workers (default: one
 * more than the cores, at most four).
 */
type Side = 'engine' | 'duckdb' | 'duckdb-host' | 'js-array' | `${'engine' | 'duckdb'}:${number}`;

interface SideResult {
  side: Side;
  /** The view's row k is the run's row k (sampled positions checked against rows.ndjson). */
  orderOk?: boolean;
  /** Open → first window queryable (duckdb sides: the view resolves at the load's first commit). */
  firstRowsMs?: number;
  loadMs: number;
  loadCpuMs: number;
  rssBeforeMb: number;
  /** RSS the DuckDB library itself adds before any load (duckdb side). */
  engineStartMb?: number;
  peakRssGrowthMb: number;
  /** `engine` side: the engine process's RSS growth during the load, and how long it took to start and answer. */
  engineRssGrowthMb?: number;
  engineStartMs?: number;
  sortMs: number;
  filterMs: number;
  deepMs: number;
  rows: number;
  filtered: number;
  firstIds: string[];
}

const SORT: ViewQuery = { grain: 'conversation', sort: [{ column: 'tTalk', direction: 'desc' }], filters: [] };
const FILTER: ViewQuery = {
  grain: 'conversation',
  sort: [{ column: 'conversationStart', direction: 'asc' }],
  filters: [{ column: 'queue', op: 'contains', value: 'support' }, { column: 'abandoned', op: 'equals', value: false }],
};
const COLUMNS = ['conversationId', 'conversationStart', 'duration', 'mediaType', 'queue', 'agent', 'ani', 'tTalk', 'abandoned'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** Samples RSS every 20 ms; `atPeak` says what this thread's heap and external memory held then (the rest is native: DuckDB, the worker's heap, malloc). */
function sampleRss(): { peak: () => number; atPeak: () => string; stop: () => void } {
  let at = process.memoryUsage();
  const take = (): void => {
    const m = process.memoryUsage();
    if (m.rss > at.rss) {
      at = m;
    }
  };
  const timer = setInterval(take, 20);
  const mb = (n: number): string => `${Math.round(n / 1e6)} MB`;
  return {
    peak: () => (take(), at.rss),
    atPeak: () => `RSS ${mb(at.rss)}: V8 heap ${mb(at.heapUsed)} used of ${mb(at.heapTotal)}, external ${mb(at.external)} (array buffers ${mb(at.arrayBuffers)})`,
    stop: () => clearInterval(timer),
  };
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

/** Writes N conversations: `unique` generated ones, repeated under fresh conversationIds. */
async function makeRun(root: string, n: number, unique: number): Promise<string> {
  const store = new ResultsStore({ root });
  const existing = store.runDir(`bench-${n}`);
  if (existsSync(join(existing, MANIFEST_FILE)) && (await RunReader.open(existing).then(async (r) => [await r.rowCount(), await r.close()][0])) === n) {
    rmSync(join(existing, VIEW_DB_FILE), { force: true });
    rmSync(join(existing, `${VIEW_DB_FILE}.wal`), { force: true });
    return existing;
  }
  const writer = await store.create({ runId: `bench-${n}`, kind: 'job', connectionId: 'bench', body: {} });
  await fillRun(writer, n, unique);
  await writer.close();
  return store.runDir(`bench-${n}`);
}

/** Samples the engine process's RSS (through its stats request) every 100 ms. */
function sampleEngine(engine: ResultsEngineProcess): { peak: () => number; stop: () => void } {
  let peak = 0;
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      peak = Math.max(peak, (await engine.stats())?.rssBytes ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const done = loop();
  return { peak: () => peak, stop: () => void ((running = false), done) };
}

/** The views's sides (see Side). */
async function duckdbSide(dir: string, label: Side): Promise<SideResult> {
  const [side, workerCount] = label.split(':') as ['engine' | 'duckdb' | 'duckdb-host', string | undefined];
  const rssStart = process.memoryUsage().rss;
  let engine: ResultsEngineProcess | undefined;
  let engineStartMs: number | undefined;
  let engineBefore: EngineStats | undefined;
  if (side === 'engine') {
    engine = new ResultsEngineProcess();
    const t = Date.now();
    engine.warm();
    engineBefore = await engine.stats();
    engineStartMs = Date.now() - t;
  } else {
    // The engine's own start (the native library mapped and initialised) is reported apart from the load.
    const duckdb = await loadDuckDB();
    (await duckdb.DuckDBInstance.create(':memory:')).closeSync();
  }
  const rssBefore = process.memoryUsage().rss;
  const mem = sampleRss();
  const engineMem = engine ? sampleEngine(engine) : undefined;
  const cpu0 = cpuMs();
  // Opened the way the panel opens a large result: resolved at the load's first commit (time to first
  // rows), the rest loaded in the background (load s: until every row is queryable).
  const started = Date.now();
  const options = { openEarlyAbove: 0, ...(side === 'duckdb-host' ? { workers: 0 } : workerCount ? { workers: Number(workerCount) } : {}) };
  const view = engine ? await engine.openView(dir, options) : await openResultsView(dir, options);
  await view.window({ view: { grain: 'conversation', sort: [], filters: [] }, offset: 0, limit: 200, columns: COLUMNS });
  const firstRowsMs = Date.now() - started;
  while (view.loading() && !view.loading()?.error) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const loadMs = Date.now() - started;
  const engineAfter = await engine?.stats();
  const loadCpuMs = cpuMs() - cpu0 + ((engineAfter?.cpuMicros ?? 0) - (engineBefore?.cpuMicros ?? 0)) / 1000;
  const growth = mem.peak() - rssBefore;
  mem.stop();
  engineMem?.stop();
  const engineRssGrowthMb = engineMem && engineBefore ? (engineMem.peak() - engineBefore.rssBytes) / 1e6 : undefined;
  process.stderr.write(`${side} at its peak ${mem.atPeak()}${engineRssGrowthMb === undefined ? '' : `; the engine process +${engineRssGrowthMb.toFixed(0)} MB (from ${((engineBefore?.rssBytes ?? 0) / 1e6).toFixed(0)} MB), started in ${engineStartMs} ms`}\n`);
  const [sorted, sortMs] = await timed(() => view.window({ view: SORT, offset: 0, limit: 200, columns: COLUMNS }));
  const rows = sorted.totalRows;
  const [filtered, filterMs] = await timed(() => view.window({ view: FILTER, offset: 0, limit: 200, columns: COLUMNS }));
  const [, deepMs] = await timed(() => view.window({ view: SORT, offset: Math.floor(rows / 2), limit: 200, columns: COLUMNS }));
  let orderOk = true;
  const reader = await RunReader.open(dir);
  for (const at of [0, 1, Math.floor(rows / 3), Math.floor(rows / 2) + 7, rows - 1]) {
    const w = await view.window({ view: { grain: 'conversation', sort: [], filters: [] }, offset: at, limit: 1, columns: ['conversationId'] });
    const [raw] = await reader.readRows(at, 1);
    orderOk &&= w.rows[0]?.[0] === raw?.conversationId;
  }
  await reader.close();
  await view.close();
  engine?.dispose();
  return {
    orderOk,
    side: label, firstRowsMs, loadMs, loadCpuMs, rssBeforeMb: rssBefore / 1e6, engineStartMb: (rssBefore - rssStart) / 1e6, peakRssGrowthMb: growth / 1e6,
    ...(engineRssGrowthMb === undefined ? {} : { engineRssGrowthMb, engineStartMs }),
    sortMs, filterMs, deepMs, rows,
    filtered: filtered.totalRows, firstIds: sorted.rows.slice(0, 5).map((r) => r[0] as string),
  };
}

/** The same questions over a JS array of flattened rows (what a table without an engine would hold). */
async function jsSide(dir: string): Promise<SideResult> {
  const rssBefore = process.memoryUsage().rss;
  const mem = sampleRss();
  const cpu0 = cpuMs();
  const [all, loadMs] = await timed(async () => {
    const reader = await RunReader.open(dir);
    const out: FlatConversation[] = [];
    for await (const batch of reader.iterateRaw(2000)) {
      for (const line of batch) {
        out.push(flattenConversation(JSON.parse(line) as ConversationRecord));
      }
    }
    await reader.close();
    return out;
  });
  const loadCpuMs = cpuMs() - cpu0;
  const growth = mem.peak() - rssBefore;
  mem.stop();
  const byTalk = (a: FlatConversation, b: FlatConversation): number => (a.tTalk === undefined ? (b.tTalk === undefined ? 0 : 1) : b.tTalk === undefined ? -1 : b.tTalk - a.tTalk);
  const [sorted, sortMs] = await timed(() => all.map((r, i) => [r, i] as const).sort((a, b) => byTalk(a[0], b[0]) || a[1] - b[1]).slice(0, 200));
  const [filtered, filterMs] = await timed(() => {
    const f = all.filter((r) => (r.queues ?? '').toLowerCase().includes('support') && !r.abandoned);
    return [f.sort((a, b) => (a.conversationStart ?? '').localeCompare(b.conversationStart ?? '')).slice(0, 200), f.length] as const;
  });
  const [, deepMs] = await timed(() => all.map((r, i) => [r, i] as const).sort((a, b) => byTalk(a[0], b[0]) || a[1] - b[1]).slice(all.length / 2, all.length / 2 + 200));
  return {
    side: 'js-array', loadMs, loadCpuMs, rssBeforeMb: rssBefore / 1e6, peakRssGrowthMb: growth / 1e6, sortMs, filterMs, deepMs, rows: all.length,
    filtered: filtered[1], firstIds: sorted.slice(0, 5).map((r) => r[0].conversationId),
  };
}

function runChild(side: Side, dir: string): Promise<SideResult> {
  return new Promise((resolve, reject) => {
    // The JS array of a million flattened rows needs a big heap; the DuckDB side runs with Node's defaults, as the extension host does.
    const p = fork(__filename, ['--child', side, dir], { stdio: 'inherit', execArgv: side === 'js-array' ? ['--max-old-space-size=8192'] : [...process.execArgv] });
    let result: SideResult | undefined;
    p.on('message', (m) => (result = m as SideResult));
    p.on('error', reject);
    p.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${side} child exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
  const unique = Number(arg('unique', '20000'));
  const dataDir = process.argv.includes('--data') ? arg('data', '') : undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
  }
  const keep = dataDir !== undefined || process.argv.includes('--keep');
  const root = dataDir ?? mkdtempSync(join(tmpdir(), 'gca-view-bench-'));
  const out: string[] = [];
  const say = (line: string): void => {
    out.push(line);
    process.stdout.write(`${line}\n`);
  };
  say(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 1e9).toFixed(0)} GB RAM, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const sides = arg('sides', 'engine,duckdb,js-array').split(',') as Side[];
  const results: Array<{ n: number; rawMb: number; dbMb: number; sides: SideResult[]; writeMs: number }> = [];
  const formats: FormatResult[] = [];
  const cacheOnly = process.argv.includes('--cache-only');
  try {
    for (const n of sizes) {
      if (!process.argv.includes('--no-cache-formats')) {
        formats.push(...(await compareCacheFormats(root, n, unique, say)));
      }
      if (cacheOnly) {
        continue;
      }
      const [dir, writeMs] = await timed(() => makeRun(root, n, unique));
      const done: SideResult[] = [];
      let dbMb = 0;
      for (const side of sides) {
        say(`${n} ${side}: load average before ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
        const r = await runChild(side, dir);
        done.push(r);
        const engineMb = r.engineRssGrowthMb === undefined ? '' : ` (the engine process +${r.engineRssGrowthMb.toFixed(0)} MB, started in ${r.engineStartMs} ms)`;
        say(`${n} ${side}: load ${(r.loadMs / 1000).toFixed(1)} s, ${(r.loadCpuMs / 1000).toFixed(1)} CPU-s, RSS +${r.peakRssGrowthMb.toFixed(0)} MB${engineMb}; sort ${r.sortMs.toFixed(0)} ms, filter ${r.filterMs.toFixed(0)} ms, deep ${r.deepMs.toFixed(0)} ms; load average after ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
        if (side !== 'js-array') {
          dbMb = statSync(join(dir, VIEW_DB_FILE)).size / 1e6;
          rmSync(join(dir, VIEW_DB_FILE), { force: true });
        }
      }
      const first = done[0]!;
      if (done.some((s) => s.rows !== n || s.filtered !== first.filtered || s.firstIds.join() !== first.firstIds.join() || s.orderOk === false)) {
        say(`WARNING: the sides disagree at ${n}: ${JSON.stringify(done)}`);
      }
      const rawMb = statSync(join(dir, existsSync(join(dir, ROWS_FILE)) ? ROWS_FILE : PLAIN_ROWS_FILE)).size / 1e6;
      results.push({ n, rawMb, dbMb, sides: done, writeMs });
      say(`${n} conversations: cache written in ${(writeMs / 1000).toFixed(1)} s; rows file ${rawMb.toFixed(0)} MB, view.duckdb ${dbMb.toFixed(0)} MB; ${first.filtered} rows pass the filter; DuckDB's own start adds ${first.engineStartMb?.toFixed(0) ?? '-'} MB RSS (not counted in RSS +MB)`);
      if (!keep) {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const f = (v: number, d = 0): string => v.toFixed(d).padStart(12);
    say('');
    say(`${'rows'.padEnd(9)}${'side'.padEnd(10)}${'1st rows ms'.padStart(12)}${'load s'.padStart(12)}${'load CPU s'.padStart(12)}${'RSS +MB'.padStart(12)}${'engine +MB'.padStart(12)}${'sort ms'.padStart(12)}${'filter ms'.padStart(12)}${'deep ms'.padStart(12)}`);
    for (const r of results) {
      for (const s of r.sides) {
        say(`${String(r.n).padEnd(9)}${s.side.padEnd(10)}${s.firstRowsMs === undefined ? '–'.padStart(12) : f(s.firstRowsMs)}${f(s.loadMs / 1000, 1)}${f(s.loadCpuMs / 1000, 1)}${f(s.peakRssGrowthMb)}${s.engineRssGrowthMb === undefined ? '–'.padStart(12) : f(s.engineRssGrowthMb)}${f(s.sortMs)}${f(s.filterMs)}${f(s.deepMs)}`);
      }
      const base = r.sides[0]!;
      for (const s of r.sides.slice(1)) {
        say(`${String(r.n).padEnd(9)}${`${s.side}/${base.side}`.padEnd(10)}${''.padStart(12)}${f(s.loadMs / base.loadMs, 2)}${f(s.loadCpuMs / base.loadCpuMs, 2)}${f(s.peakRssGrowthMb / base.peakRssGrowthMb, 2)}${''.padStart(12)}${f(s.sortMs / base.sortMs, 2)}${f(s.filterMs / base.filterMs, 2)}${f(s.deepMs / base.deepMs, 2)}`);
      }
    }
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ results, formats })}\n`);
    }
  } finally {
    if (!keep) {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  const side = process.argv[childIndex + 1];
  const dir = process.argv[childIndex + 2]!;
  (side === 'js-array' ? jsSide(dir) : duckdbSide(dir, side as Side))
    .then((r) => process.send?.(r))
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
