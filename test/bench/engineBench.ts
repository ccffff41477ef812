/**
 * Engine benchmark: one async job over 30 days against the sandbox (latency per response, a per-token
 * rate limit, a data-lake time per results page), fetched by each approach of engineApproaches.ts in its
 * own child process (so peak RSS is its own); the sandbox runs in this process. Printed per approach:
 * wall time, requests and 429s (sandbox counts), peak RSS, cache size on disk, the time from the job
 * becoming FULFILLED to the first results request reaching the server, the median idle gap of the
 * server between answering one results page and receiving the next request, and whether the ids
 * equal the sandbox's ground truth (0 duplicates). Ratios are of figures measured in this same run.
 *
 * Usage: node out/test/bench/engineBench.js [--conversations 100000] [--latency 40] [--rate 300]
 *   [--page-ms 1000] [--approaches floor,ours,split,split8,tutorial] [--log PREFIX] [--warm no] [--json]
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox';
import type { ApproachResult, ChildArgs } from './engineApproaches';
import { runFloor, runOurs, runSplit, runTutorial } from './engineApproaches';

const APPROACHES: Record<string, { label: string; run: (a: ChildArgs) => Promise<ApproachResult> }> = {
  floor: { label: 'wire floor (bare HTTP loop, one job)', run: runFloor },
  ours: { label: 'our single walk (JobRunner)', run: runOurs },
  split: { label: 'our parallel sub-jobs (SplitJobRunner, ≤ 4)', run: (a) => runSplit(a, 4) },
  split8: { label: 'our parallel sub-jobs (SplitJobRunner, ≤ 8: the default)', run: (a) => runSplit(a, 8) },
  tutorial: { label: 'tutorial way (pageSize 100, 2^n polls)', run: runTutorial },
};

interface ChildResult {
  rows: number;
  status: string;
  wallMs: number;
  /** CPU time (user + system) of the client process: on shared cores the client's own cost shows here. */
  cpuMs: number;
  peakRssMb: number;
  peak: PeakMemory;
  idsFile: string;
}

interface Row extends ChildResult {
  approach: string;
  requests: number;
  rate429: number;
  cacheMb: number;
  fulfilledToFirstPageMs: number | undefined;
  medianGapMs: number | undefined;
  unique: number;
  duplicates: number;
  matchesTruth: boolean;
}

const ANCHOR = '2026-01-15T00:00:00.000Z';
const DAYS = 30;
const INTERVAL = `2025-12-16T00:00:00.000Z/${ANCHOR}`;
const QUEUED_MS = 500;
const RUN_MS = 3000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** What process memory held at the peak RSS sample, in MB. */
interface PeakMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the V8 heap that V8 knows of (Buffers among it). */
  external: number;
  arrayBuffers: number;
  /** When the peak was sampled, in seconds from the approach's start. */
  atS: number;
}

/**
 * Samples memory every 25 ms; returns a stop function giving what it held at the peak RSS, in MB.
 * `logFile` (--mem-log FILE): every sample, as "ms rss heapUsed heapTotal external arrayBuffers" in MB.
 */
function sampleRss(logFile?: string): () => PeakMemory {
  const started = Date.now();
  let peak = process.memoryUsage();
  let peakAt = started;
  const log: string[] = [];
  const take = (): void => {
    const m = process.memoryUsage();
    if (logFile) {
      log.push([Date.now() - started, m.rss, m.heapUsed, m.heapTotal, m.external, m.arrayBuffers].map((n, i) => (i === 0 ? n : Math.round(n / 1e6))).join(' '));
    }
    if (m.rss > peak.rss) {
      peak = m;
      peakAt = Date.now();
    }
  };
  take();
  const timer = setInterval(take, 25);
  return () => {
    clearInterval(timer);
    take();
    if (logFile) {
      writeFileSync(logFile, `${log.join('\n')}\n`);
    }
    const mb = (n: number): number => n / 1e6;
    return { rss: mb(peak.rss), heapUsed: mb(peak.heapUsed), heapTotal: mb(peak.heapTotal), external: mb(peak.external), arrayBuffers: mb(peak.arrayBuffers), atS: (peakAt - started) / 1000 };
  };
}

async function child(a: ChildArgs): Promise<void> {
  const stop = sampleRss(a.memLog ? `${a.memLog}.${a.approach}.txt` : undefined);
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const r = await APPROACHES[a.approach]!.run(a);
  const wallMs = Date.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peak = stop();
  const idsFile = join(a.dir, '..', `${a.approach}.ids.json`);
  writeFileSync(idsFile, JSON.stringify(await r.ids()));
  process.send?.({ rows: r.rows, status: r.status, wallMs, cpuMs, peakRssMb: peak.rss, peak, idsFile } satisfies ChildResult);
}

function runChild(a: ChildArgs): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = fork(__filename, ['--child', JSON.stringify(a)], { stdio: 'inherit' });
    let result: ChildResult | undefined;
    p.on('message', (m) => {
      result = m as ChildResult;
    });
    p.on('error', reject);
    p.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${a.approach} child exited with ${code}`))));
  });
}

/** One sandbox log line, timed: when the request arrived and when its answer was written. */
interface Served {
  arrived: number;
  answered: number;
  line: string;
}

/** FULFILLED (submission + queued + running time) to the first results request, and the median idle gap between pages. */
function timings(log: Served[]): { fulfilledToFirstPageMs?: number; medianGapMs?: number } {
  const submit = log.find((s) => /^POST \/api\/v2\/analytics\/conversations\/details\/jobs -> 202/.test(s.line));
  const pages = log.filter((s) => /\/results\?.* -> 200 /.test(s.line)).sort((a, b) => a.arrived - b.arrived);
  if (!submit || pages.length === 0) {
    return {};
  }
  const gaps: number[] = [];
  for (let i = 1; i < pages.length; i++) {
    gaps.push(Math.max(0, pages[i]!.arrived - pages[i - 1]!.answered));
  }
  gaps.sort((a, b) => a - b);
  return {
    fulfilledToFirstPageMs: pages[0]!.arrived - (submit.arrived + QUEUED_MS + RUN_MS),
    ...(gaps.length > 0 ? { medianGapMs: gaps[Math.floor(gaps.length / 2)]! } : {}),
  };
}

function duMb(dir: string): number {
  try {
    return Number(execFileSync('du', ['-sb', dir]).toString().split('\t')[0]) / 1e6;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const conversations = Number(arg('conversations', '100000'));
  const latencyMs = Number(arg('latency', '40'));
  const rate = Number(arg('rate', '300'));
  RATE_PER_MINUTE = rate;
  const pageMs = Number(arg('page-ms', '1000'));
  const approaches = arg('approaches', 'floor,ours,split,split8,tutorial').split(',');
  // `--warm no` (for a million: the kept text would take 5 GB): pages are built as they are asked for.
  const warm = arg('warm', 'yes') !== 'no';
  let log: Served[] = [];
  const sandbox = await startSandbox({
    conversations, days: DAYS, anchor: ANCHOR, latencyMs, rateLimitPerMinute: rate, resultsPageMsPer1000: pageMs,
    jobQueuedMs: QUEUED_MS, jobRunMs: RUN_MS, seed: 11, keepWireText: warm,
    log: (line) => {
      const m = / (\d+)ms$/.exec(line);
      const now = Date.now();
      log.push({ arrived: now - Number(m?.[1] ?? 0), answered: now, line });
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'gca-bench-'));
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
  try {
    const truth = sandbox.groundTruth({ interval: INTERVAL }, 'job');
    const header = `sandbox: ${truth.length} conversations in the job (${DAYS} days), ${latencyMs} ms latency, ${rate} requests/min/token, ${pageMs} ms per 1000-row page, job queued ${QUEUED_MS} ms + running ${RUN_MS} ms`;
    // A data lake serves stored rows: the results text is built once, before any approach is timed, so
    // the sandbox's CPU does not compete with the client under test on shared cores.
    const warmStarted = Date.now();
    if (warm) {
      sandbox.warmJobResults({ interval: INTERVAL });
    }
    const built = warm ? `results text built in ${((Date.now() - warmStarted) / 1000).toFixed(1)} s before timing` : 'results text built as pages are asked for (--warm no)';
    process.stdout.write(`${header}\n${built}\nload average before: ${load()}\n`);
    const rows: Row[] = [];
    for (const approach of approaches) {
      if (!APPROACHES[approach]) {
        throw new Error(`unknown approach ${approach}; known: ${Object.keys(APPROACHES).join(', ')}`);
      }
      sandbox.resetStats();
      log = [];
      const adir = join(dir, approach);
      mkdirSync(adir, { recursive: true });
      const r = await runChild({ approach, url: sandbox.url, interval: INTERVAL, dir: adir, ...(arg('mem-log', '') ? { memLog: arg('mem-log', '') } : {}) });
      const s = sandbox.stats();
      const ids = JSON.parse(readFileSync(r.idsFile, 'utf8')) as string[];
      const unique = new Set(ids).size;
      const sorted = [...new Set(ids)].sort();
      const truthSorted = [...truth].sort();
      const t = timings(log);
      rows.push({
        ...r, approach, requests: s.requests, rate429: s.byStatus['429'] ?? 0, cacheMb: duMb(adir),
        fulfilledToFirstPageMs: t.fulfilledToFirstPageMs, medianGapMs: t.medianGapMs,
        unique, duplicates: ids.length - unique, matchesTruth: unique === truth.length && sorted.every((id, i) => id === truthSorted[i]),
      });
      // --log PREFIX: the sandbox's request log of each approach (arrival, answer, line), for a timeline.
      const logPrefix = arg('log', '');
      if (logPrefix) {
        writeFileSync(`${logPrefix}.${approach}.log`, log.map((l) => `${l.arrived} ${l.answered} ${l.line}`).join('\n'));
      }
      process.stdout.write(`  ${approach}: ${(r.wallMs / 1000).toFixed(1)} s, sandbox handlers ${(s.handlerMs / 1000).toFixed(1)} s, load ${load()}\n`);
      rmSync(adir, { recursive: true, force: true });
    }
    printTable(rows);
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ truth: truth.length, latencyMs, rate, pageMs, rows: rows.map(({ idsFile: _f, ...r }) => r) })}\n`);
    }
    process.stdout.write(`load average after: ${load()}\n`);
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let RATE_PER_MINUTE = 300;

function printTable(rows: Row[]): void {
  const ms = (n: number | undefined): string => (n === undefined ? '–' : `${Math.round(n)} ms`);
  const out = ['| Approach | Wall | Client CPU | Requests | 429s | Peak RSS | Cache on disk | FULFILLED → 1st results request | Median server idle gap | IDs = ground truth, duplicates |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    out.push(`| ${APPROACHES[r.approach]!.label} | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.cpuMs / 1000).toFixed(1)} s | ${r.requests} | ${r.rate429} | ${Math.round(r.peakRssMb)} MB | ${r.cacheMb.toFixed(0)} MB | ${ms(r.fulfilledToFirstPageMs)} | ${ms(r.medianGapMs)} | ${r.matchesTruth ? 'yes' : 'NO'}, ${r.duplicates} |`);
  }
  process.stdout.write(`\n${out.join('\n')}\n\n`);
  for (const r of rows) {
    const p = r.peak;
    process.stdout.write(`${r.approach} at its peak RSS (${Math.round(p.rss)} MB, ${p.atS.toFixed(1)} s in): V8 heap ${Math.round(p.heapUsed)} MB used of ${Math.round(p.heapTotal)}, external ${Math.round(p.external)} MB (array buffers ${Math.round(p.arrayBuffers)})\n`);
  }
  const by = new Map(rows.map((r) => [r.approach, r]));
  const ratio = (a: string, b: string): void => {
    const x = by.get(a);
    const y = by.get(b);
    if (x && y) {
      process.stdout.write(`${a} / ${b} wall: ${(x.wallMs / y.wallMs).toFixed(2)}×\n`);
    }
  };
  ratio('ours', 'floor');
  ratio('tutorial', 'ours');
  for (const name of ['split', 'split8']) {
    ratio('floor', name);
    ratio('tutorial', name);
    const split = by.get(name);
    if (split) {
      // The rate-limit floor: the requests the split run needed at the allowed rate.
      const floorMs = (split.requests / RATE_PER_MINUTE) * 60_000;
      process.stdout.write(`${name} / rate-limit floor (${split.requests} requests at ${RATE_PER_MINUTE}/min = ${(floorMs / 1000).toFixed(1)} s): ${(split.wallMs / floorMs).toFixed(2)}×\n`);
    }
  }
}

const childIndex = process.argv.indexOf('--child');
if (childIndex >= 0) {
  child(JSON.parse(process.argv[childIndex + 1] ?? '{}') as ChildArgs).catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
