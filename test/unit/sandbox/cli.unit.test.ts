import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { parseSandboxArgs } from '../../../src/sandbox';

const root = join(__dirname, '..', '..', '..', '..');

/** Runs the bundled CLI and resolves with the first stdout line matching `re` (bounded by a deadline). */
function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; got: ${buf}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => re.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${re}: ${buf}`));
    });
  });
}

function exitCode(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => reject(new Error('process did not exit')), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('sandbox: CLI', function () {
  this.timeout(30_000);
  let dir: string;
  let bundle: string;

  before(async () => {
    // Same settings as esbuild.mjs's node bundle, built alone so this suite does not depend on the
    // state of the other bundles in a tree many people edit at once.
    dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    bundle = join(dir, 'sandbox.js');
    await esbuild.build({ entryPoints: [join(root, 'src/sandbox/cli.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['main'], external: ['vscode'], logLevel: 'silent' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints "listening on http://127.0.0.1:PORT", serves requests, logs them, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bundle, '--port', '0', '--conversations', '100', '--seed', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await waitForLine(child, /^listening on /, 10_000);
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line.trim());
      assert.ok(m, line);
      const logged = waitForLine(child, /GET \/__sandbox\/config -> 200/, 5000);
      const res = await fetch(`${m[1]}/__sandbox/config`);
      const cfg = (await res.json()) as { seed: number; conversations: number };
      assert.equal(cfg.seed, 3);
      assert.equal(cfg.conversations, 100);
      await logged;
      const exited = exitCode(child, 5000);
      child.kill('SIGTERM');
      assert.equal((await exited).code, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('exits 2 with a clear message on a bad flag', async () => {
    for (const args of [['--nope'], ['--port', 'abc'], ['--fault-429', '3'], ['--seed']]) {
      const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      const { code, stderr } = await exitCode(child, 10_000);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, /sandbox: /);
    }
  });

  it('prints usage on --help', async () => {
    const child = spawn(process.execPath, [bundle, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const { code } = await exitCode(child, 10_000);
    assert.equal(code, 0);
    assert.match(out, /--fault-429/);
  });

  it('maps every flag to its option', () => {
    const o = parseSandboxArgs([
      '--port', '8787', '--host', '0.0.0.0', '--seed', '9', '--conversations', '1000', '--days', '3', '--anchor', '2026-01-01T00:00:00Z',
      '--latency', '5', '--rate-limit', '0', '--job-queued-ms', '1', '--job-run-ms', '2', '--job-ttl', '60', '--token-ttl', '30',
      '--sync-max-page-size', '50', '--job-max-page-size', '500', '--job-default-page-size', '10', '--deep-paging-cap', '0',
      '--max-interval-days', '0', '--availability-lag', '0', '--client-id', 'id', '--client-secret=s', '--fault-429', '0.1',
      '--retry-after', '2', '--fault-5xx', '0.2', '--fault-reset', '0.3', '--fault-slow', '0.4', '--slow-ms', '100',
      '--fault-malformed', '0.5', '--fail-jobs', '1', '--expire-after-pages', '2', '--fault-repeat-page', '0.1', '--fault-empty-page', '0.2',
      '--fault-drop-job-response', '0.6',
      '--permissions', 'analytics:agentConversationDetail:view, x:y:z',
    ]);
    assert.deepEqual(o, {
      port: 8787, host: '0.0.0.0', seed: 9, conversations: 1000, days: 3, anchor: '2026-01-01T00:00:00.000Z', latencyMs: 5, rateLimitPerMinute: 0,
      jobQueuedMs: 1, jobRunMs: 2, jobTtlSeconds: 60, tokenTtlSeconds: 30, syncMaxPageSize: 50, jobMaxPageSize: 500, jobDefaultPageSize: 10,
      deepPagingCap: 0, maxSyncIntervalDays: 0, availabilityLagSeconds: 0, clientId: 'id', clientSecret: 's',
      permissions: ['analytics:agentConversationDetail:view', 'x:y:z'],
      faults: { rate429Share: 0.1, retryAfterSeconds: 2, error5xxShare: 0.2, resetShare: 0.3, slowShare: 0.4, slowMs: 100, malformedJsonShare: 0.5, failJobs: 1, expireJobsAfterPages: 2, repeatPageShare: 0.1, emptyPageShare: 0.2, dropJobResponseShare: 0.6 },
    });
  });
});
