import * as assert from 'node:assert/strict';
import type { Sandbox } from '../../../src/sandbox';
import { parseSandboxArgs } from '../../../src/sandbox';
import { UsageError } from '../../../src/sandbox/args';
import { ANCHOR_MS, DAY, authJson, interval, raw, rawToken, start, waitFor } from './helpers';

const JOBS = '/api/v2/analytics/conversations/details/jobs';
const day = interval(ANCHOR_MS - 2 * DAY, ANCHOR_MS - DAY);

/** Submits a job over raw HTTP (headers and error bodies visible). */
async function submit(sb: Sandbox, token: string): Promise<Awaited<ReturnType<typeof raw>>> {
  return raw(sb, 'POST', JOBS, { headers: authJson(token), body: JSON.stringify({ interval: day }) });
}

async function fulfilled(sb: Sandbox, token: string, jobId: string): Promise<void> {
  await waitFor(`job ${jobId} FULFILLED`, async () => {
    const s = await raw(sb, 'GET', `${JOBS}/${jobId}`, { headers: authJson(token) });
    return (s.json() as { state: string }).state === 'FULFILLED' ? true : undefined;
  });
}

function assertRateHeaders(res: Awaited<ReturnType<typeof raw>>, what: string): void {
  for (const h of ['inin-ratelimit-allowed', 'inin-ratelimit-count', 'inin-ratelimit-reset']) {
    assert.match(String(res.headers[h]), /^\d+$/, `${what}: ${h}`);
  }
}

describe('sandbox: realistic server (page time, running-jobs cap, rate-limit headers)', function () {
  this.timeout(30_000);
  let sb: Sandbox;
  let token: string;
  before(async () => {
    sb = await start({ jobQueuedMs: 20, jobRunMs: 50 });
    token = await rawToken(sb);
  });
  after(() => sb.close());
  afterEach(() => sb.configure({ resultsPageMsPer1000: 0, maxRunningJobs: 0, jobQueuedMs: 20, jobRunMs: 50 }));

  it('takes resultsPageMsPer1000 per 1000 rows of a results page, in proportion to its size', async () => {
    const jobId = (await submit(sb, token)).json() as { jobId: string };
    await fulfilled(sb, token, jobId.jobId);
    sb.configure({ resultsPageMsPer1000: 2000 });
    const timed = async (pageSize: number): Promise<{ ms: number; rows: number }> => {
      const t0 = Date.now();
      const res = await raw(sb, 'GET', `${JOBS}/${jobId.jobId}/results?pageSize=${pageSize}`, { headers: authJson(token) });
      assert.equal(res.status, 200);
      return { ms: Date.now() - t0, rows: ((res.json() as { conversations: unknown[] }).conversations ?? []).length };
    };
    const big = await timed(200);
    const small = await timed(20);
    assert.equal(big.rows, 200);
    assert.equal(small.rows, 20);
    assert.ok(big.ms >= 400, `a 200-row page took ${big.ms} ms, expected at least 400`);
    assert.ok(small.ms >= 40, `a 20-row page took ${small.ms} ms, expected at least 40`);
    assert.ok(small.ms < big.ms, `the 20-row page (${small.ms} ms) should be quicker than the 200-row one (${big.ms} ms)`);
  });

  it('counts a request being served as in flight (a prefetch is visible to tests)', async () => {
    const jobId = ((await submit(sb, token)).json() as { jobId: string }).jobId;
    await fulfilled(sb, token, jobId);
    sb.configure({ resultsPageMsPer1000: 3000 });
    const page = raw(sb, 'GET', `${JOBS}/${jobId}/results?pageSize=200`, { headers: authJson(token) });
    await waitFor('the page request to arrive', async () => (sb.stats().inFlight === 1 ? true : undefined));
    await page;
    assert.equal(sb.stats().inFlight, 0);
    assert.ok(sb.stats().handlerMs >= 0);
  });

  it('refuses a submission past maxRunningJobs with 429, limit and Retry-After, and accepts again once one completes', async () => {
    sb.configure({ maxRunningJobs: 2, jobQueuedMs: 300, jobRunMs: 900 });
    const a = await submit(sb, token);
    const b = await submit(sb, token);
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    const refused = await submit(sb, token);
    assert.equal(refused.status, 429);
    const body = refused.json() as { code: string; message: string; limit?: { namespace: string; key: string; value: number } };
    assert.equal(body.code, 'too.many.requests');
    assert.deepEqual(body.limit, { namespace: 'analytics', key: 'conversation.details.jobs.running.max', value: 2 });
    assert.match(body.message, /maximum of 2 concurrently running analytics jobs/);
    assert.equal(refused.headers['retry-after'], '2');
    assertRateHeaders(refused, 'the refused submission');
    await fulfilled(sb, token, (a.json() as { jobId: string }).jobId);
    await fulfilled(sb, token, (b.json() as { jobId: string }).jobId);
    const c = await submit(sb, token);
    assert.equal(c.status, 202);
    await fulfilled(sb, token, (c.json() as { jobId: string }).jobId);
  });

  it('does not count cancelled or finished jobs against the cap', async () => {
    sb.configure({ maxRunningJobs: 1, jobQueuedMs: 5000, jobRunMs: 5000 });
    const a = await submit(sb, token);
    assert.equal(a.status, 202);
    assert.equal((await submit(sb, token)).status, 429);
    const del = await raw(sb, 'DELETE', `${JOBS}/${(a.json() as { jobId: string }).jobId}`, { headers: authJson(token) });
    assert.equal(del.status, 204);
    assertRateHeaders(del, 'the DELETE');
    const again = await submit(sb, token);
    assert.equal(again.status, 202);
    assertRateHeaders(again, 'the accepted submission');
    await raw(sb, 'DELETE', `${JOBS}/${(again.json() as { jobId: string }).jobId}`, { headers: authJson(token) });
  });

  it('puts inin-ratelimit-* on token, status and results responses too', async () => {
    const jobId = ((await submit(sb, token)).json() as { jobId: string }).jobId;
    await fulfilled(sb, token, jobId);
    const status = await raw(sb, 'GET', `${JOBS}/${jobId}`, { headers: authJson(token) });
    const results = await raw(sb, 'GET', `${JOBS}/${jobId}/results?pageSize=5`, { headers: authJson(token) });
    const login = await raw(sb, 'POST', '/oauth/token', {
      headers: { authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    for (const [what, res] of [['status', status], ['results', results], ['token', login]] as const) {
      assert.equal(res.status, 200, what);
      assertRateHeaders(res, what);
    }
    assert.ok(Number(results.headers['inin-ratelimit-count']) > Number(status.headers['inin-ratelimit-count']), 'the count grows per request');
  });

  it('takes --page-ms-per-1000 and --max-running-jobs on the command line and refuses bad values', () => {
    assert.deepEqual(parseSandboxArgs(['--page-ms-per-1000', '1000', '--max-running-jobs=4']), { resultsPageMsPer1000: 1000, maxRunningJobs: 4 });
    assert.deepEqual(parseSandboxArgs(['--page-ms-per-1000', '12.5']), { resultsPageMsPer1000: 12.5 });
    assert.throws(() => parseSandboxArgs(['--max-running-jobs', '1.5']), (e: unknown) => e instanceof UsageError && /--maxRunningJobs expects a non-negative integer/.test(e.message));
    assert.throws(() => parseSandboxArgs(['--page-ms-per-1000', '-1']), UsageError);
    assert.throws(() => sb.configure({ maxRunningJobs: 1.5 }), /option "maxRunningJobs" must be an integer/);
  });
});
