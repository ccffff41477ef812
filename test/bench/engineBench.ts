/**
 * Engine benchmark: a 100,000-conversation async job against the sandbox with 40 ms latency per
 * response, fetched (1) by our JobRunner (results pageSize 1000, adaptive polling, rows streamed to the
 * disk cache) and (2) "the usual tutorial way" (SDK directly, results pageSize 100, polling at 1, 2, 4 …
 * 30 s, a fixed 5 s wait on 429, every conversation kept in an array). Each approach runs in its own
 * child process so peak memory is its own; the sandbox runs in the parent.
 *
 * Usage: node out/test/bench/engineBench.js [--conversations 100000] [--latency 40] [--rate 3000] [--json]
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pc from 'purecloud-platform-client-v2';
import { GenesysClient } from '../../src/genesys/client';
import { HttpMetrics } from '../../src/genesys/httpObserver';
import { JobRunner } from '../../src/jobs/jobRunner';
import { ResultsStore } from '../../src/results/resultsStore';
import { startSandbox } from '../../src/sandbox';

interface ChildArgs {
  approach: 'ours' | 'tutorial';
  url: string;
  interval: string;
  dir: string;
}

interface ChildResult {
  approach: string;
  rows: number;
  uniqueRows: number;
  wallMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  status: string;
}

const ANCHOR = '2026-01-15T00:00:00.000Z';
const DAYS = 28;
const INTERVAL = `2025-12-18T00:00:00.000Z/${ANCHOR}`;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Samples RSS and heap every 25 ms; returns a stop function giving the peaks in MB. */
function sampleMemory(): () => { peakRssMb: number; peakHeapMb: number } {
  let rss = 0;
  let heap = 0;
  const take = (): void => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  take();
  const timer = setInterval(take, 25);
  return () => {
    clearInterval(timer);
    take();
    return { peakRssMb: rss / 1e6, peakHeapMb: heap / 1e6 };
  };
}

async function runOurs(a: ChildArgs): Promise<Omit<ChildResult, 'wallMs' | 'peakRssMb' | 'peakHeapMb'>> {
  const metrics = new HttpMetrics();
  const client = new GenesysClient({
    connection: { id: 'bench', name: 'Bench', kind: 'sandbox', sandboxUrl: a.url, clientId: 'sandbox-client' },
    clientSecret: 'sandbox-secret',
    observer: metrics,
  });
  const store = new ResultsStore({ root: a.dir });
  const runner = new JobRunner({ api: client, connectionId: 'bench', store, pageSize: 1000 });
  const outcome = await runner.start({ interval: a.interval }).result;
  client.dispose();
  return { approach: 'ours', rows: outcome.rowCount, uniqueRows: outcome.rowCount, status: outcome.status };
}

async function runTutorial(a: ChildArgs): Promise<Omit<ChildResult, 'wallMs' | 'peakRssMb' | 'peakHeapMb'>> {
  mkdirSync(a.dir, { recursive: true });
  const url = new URL(a.url);
  const client = new pc.ApiClientClass();
  client.config.live_reload_config = false;
  client.setGateway({ host: url.hostname, port: Number(url.port), protocol: 'http' });
  await client.loginClientCredentialsGrant('sandbox-client', 'sandbox-secret');
  const api = new pc.AnalyticsApi(client);
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  // The tutorial's "retry": any 429 waits a fixed 5 s and tries again.
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await fn();
      } catch (err) {
        if ((err as { status?: number }).status === 429) {
          await sleep(5000);
          continue;
        }
        throw err;
      }
    }
  };
  const { jobId } = await call(() => api.postAnalyticsConversationsDetailsJobs({ interval: a.interval }));
  let wait = 1000;
  for (;;) {
    await sleep(wait);
    const status = await call(() => api.getAnalyticsConversationsDetailsJob(jobId!));
    if (status.state === 'FULFILLED') {
      break;
    }
    if (status.state !== 'QUEUED' && status.state !== 'PENDING') {
      return { approach: 'tutorial', rows: 0, uniqueRows: 0, status: status.state ?? 'unknown' };
    }
    wait = Math.min(30_000, wait * 2);
  }
  const all: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(() => api.getAnalyticsConversationsDetailsJobResults(jobId!, { pageSize: 100, ...(cursor ? { cursor } : {}) }));
    all.push(...(page.conversations ?? []));
    cursor = page.cursor;
  } while (cursor);
  // ... and finally the whole array is saved in one go.
  writeFileSync(join(a.dir, 'results.json'), JSON.stringify(all));
  const unique = new Set(all.map((c) => (c as { conversationId: string }).conversationId)).size;
  return { approach: 'tutorial', rows: all.length, uniqueRows: unique, status: 'completed' };
}

async function child(a: ChildArgs): Promise<void> {
  const stop = sampleMemory();
  const started = Date.now();
  const r = a.approach === 'ours' ? await runOurs(a) : await runTutorial(a);
  const wallMs = Date.now() - started;
  const mem = stop();
  process.send?.({ ...r, wallMs, ...mem } satisfies ChildResult);
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

async function main(): Promise<void> {
  const conversations = arg('conversations', 100_000);
  const latencyMs = arg('latency', 40);
  const rate = arg('rate', 3000);
  const sandbox = await startSandbox({ conversations, days: DAYS, anchor: ANCHOR, latencyMs, rateLimitPerMinute: rate, jobQueuedMs: 500, jobRunMs: 3000, seed: 11 });
  const dir = mkdtempSync(join(tmpdir(), 'gca-bench-'));
  try {
    const truth = sandbox.groundTruth({ interval: INTERVAL }, 'job').length;
    process.stdout.write(`sandbox: ${truth} conversations in the job, ${latencyMs} ms latency, ${rate} requests/min/token, job queued 500 ms + running 3000 ms\n`);
    const results: Array<ChildResult & { requests: number; byStatus: Record<string, number> }> = [];
    for (const approach of ['ours', 'tutorial'] as const) {
      sandbox.resetStats();
      const r = await runChild({ approach, url: sandbox.url, interval: INTERVAL, dir: join(dir, approach) });
      const s = sandbox.stats();
      results.push({ ...r, requests: s.requests, byStatus: s.byStatus });
      if (r.uniqueRows !== truth) {
        process.stdout.write(`WARNING: ${approach} fetched ${r.uniqueRows} unique rows, expected ${truth}\n`);
      }
    }
    const [ours, tut] = results as [typeof results[0], typeof results[0]];
    const fmt = (n: number, d = 0): string => n.toFixed(d).padStart(10);
    process.stdout.write(`\n${'approach'.padEnd(10)}${'rows'.padStart(10)}${'wall s'.padStart(10)}${'requests'.padStart(10)}${'peak RSS'.padStart(10)}${'peak heap'.padStart(10)}\n`);
    for (const r of results) {
      process.stdout.write(`${r.approach.padEnd(10)}${fmt(r.rows)}${fmt(r.wallMs / 1000, 1)}${fmt(r.requests)}${fmt(r.peakRssMb)}${fmt(r.peakHeapMb)}\n`);
    }
    process.stdout.write(`${'ratio'.padEnd(10)}${''.padStart(10)}${fmt(tut.wallMs / ours.wallMs, 2)}${fmt(tut.requests / ours.requests, 2)}${fmt(tut.peakRssMb / ours.peakRssMb, 2)}${fmt(tut.peakHeapMb / ours.peakHeapMb, 2)}   (tutorial / ours; MB for memory)\n`);
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ truth, latencyMs, rate, results })}\n`);
    }
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
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
