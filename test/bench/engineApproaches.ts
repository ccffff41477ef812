/**
 * The approaches the engine benchmark compares, each run in its own child process (engineBench.ts):
 * - floor: a bare HTTP loop (node:http, keep-alive): log in, submit, poll every 100 ms, download every
 *   cursor page at pageSize 1000, collect the ids. Nothing stored: the wire floor of one cursor walk.
 * - tutorial: the SDK used as tutorials show (results pageSize 100, polling at 1, 2, 4 … 30 s, a fixed
 *   5 s wait on 429, every conversation kept in an array, saved at the end).
 * - ours: our JobRunner (one job, one cursor walk, rows streamed to the disk cache).
 * - split: our SplitJobRunner (sub-intervals as parallel sub-jobs, adaptive concurrency up to 4,
 *   merged into one run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import * as pc from 'purecloud-platform-client-v2';
import { GenesysClient } from '../../src/genesys/client';
import { HttpEventHub } from '../../src/genesys/httpObserver';
import { JobRunner } from '../../src/jobs/jobRunner';
import { SplitJobRunner } from '../../src/jobs/splitRun/splitJobRunner';
import { RunReader } from '../../src/results/runReader';
import { ResultsStore } from '../../src/results/resultsStore';

export interface ChildArgs {
  approach: string;
  url: string;
  interval: string;
  dir: string;
  /** Where to log memory samples (--mem-log). */
  memLog?: string;
}

/** What an approach reports; `ids` is read after the timed part (and after peak memory is taken). */
export interface ApproachResult {
  rows: number;
  status: string;
  ids: () => Promise<string[]>;
}

const JOBS = '/api/v2/analytics/conversations/details/jobs';

function http(url: string, agent: Agent, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function runFloor(a: ChildArgs): Promise<ApproachResult> {
  const agent = new Agent({ keepAlive: true });
  const basic = Buffer.from('sandbox-client:sandbox-secret').toString('base64');
  const login = await http(a.url, agent, 'POST', '/oauth/token', { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
  const headers = { authorization: `Bearer ${(JSON.parse(login.text) as { access_token: string }).access_token}`, 'content-type': 'application/json' };
  const submitted = await http(a.url, agent, 'POST', JOBS, headers, JSON.stringify({ interval: a.interval }));
  const { jobId } = JSON.parse(submitted.text) as { jobId: string };
  for (;;) {
    const s = JSON.parse((await http(a.url, agent, 'GET', `${JOBS}/${jobId}`, headers)).text) as { state: string };
    if (s.state === 'FULFILLED') {
      break;
    }
    if (s.state !== 'QUEUED' && s.state !== 'PENDING') {
      return { rows: 0, status: s.state, ids: async () => [] };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const q = `pageSize=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await http(a.url, agent, 'GET', `${JOBS}/${jobId}/results?${q}`, headers);
    if (res.status !== 200) {
      throw new Error(`floor: results answered ${res.status}`);
    }
    const page = JSON.parse(res.text) as { conversations?: Array<{ conversationId: string }>; cursor?: string };
    for (const c of page.conversations ?? []) {
      ids.push(c.conversationId);
    }
    cursor = page.cursor;
  } while (cursor);
  agent.destroy();
  return { rows: ids.length, status: 'completed', ids: async () => ids };
}

export async function runOurs(a: ChildArgs): Promise<ApproachResult> {
  const client = new GenesysClient({
    connection: { id: 'bench', name: 'Bench', kind: 'sandbox', sandboxUrl: a.url, clientId: 'sandbox-client' },
    clientSecret: 'sandbox-secret',
  });
  const store = new ResultsStore({ root: a.dir });
  const runner = new JobRunner({ api: client, connectionId: 'bench', store, pageSize: 1000 });
  const outcome = await runner.start({ interval: a.interval }).result;
  client.dispose();
  return { rows: outcome.rowCount, status: outcome.status, ids: () => idsOf(outcome.resultsDir) };
}

export async function runSplit(a: ChildArgs, maxParallel: number): Promise<ApproachResult> {
  const hub = new HttpEventHub();
  const client = new GenesysClient({
    connection: { id: 'bench', name: 'Bench', kind: 'sandbox', sandboxUrl: a.url, clientId: 'sandbox-client' },
    clientSecret: 'sandbox-secret',
    observer: hub,
  });
  const store = new ResultsStore({ root: a.dir });
  const runner = new SplitJobRunner({ api: client, connectionId: 'bench', store, pageSize: 1000, maxParallel, httpEvents: (l) => hub.listen(l) });
  const outcome = await runner.start({ interval: a.interval }).result;
  client.dispose();
  return { rows: outcome.rowCount, status: outcome.status, ids: () => idsOf(outcome.resultsDir) };
}

/** The conversation ids of a cached run, in row order (read after the timed part). */
export async function idsOf(runDir: string): Promise<string[]> {
  const reader = await RunReader.open(runDir);
  try {
    const ids: string[] = [];
    const total = await reader.rowCount();
    for (let start = 0; start < total; start += 5000) {
      for (const row of await reader.readRows(start, 5000)) {
        ids.push(row.conversationId);
      }
    }
    return ids;
  } finally {
    await reader.close();
  }
}

export async function runTutorial(a: ChildArgs): Promise<ApproachResult> {
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
      return { rows: 0, status: status.state ?? 'unknown', ids: async () => [] };
    }
    wait = Math.min(30_000, wait * 2);
  }
  const all: Array<{ conversationId?: string }> = [];
  let cursor: string | undefined;
  do {
    const page = await call(() => api.getAnalyticsConversationsDetailsJobResults(jobId!, { pageSize: 100, ...(cursor ? { cursor } : {}) }));
    all.push(...(page.conversations ?? []));
    cursor = page.cursor;
  } while (cursor);
  // ... and finally the whole array is saved in one go.
  writeFileSync(join(a.dir, 'results.json'), JSON.stringify(all));
  return { rows: all.length, status: 'completed', ids: async () => all.map((c) => c.conversationId ?? '') };
}
