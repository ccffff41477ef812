import * as assert from 'node:assert/strict';
import type * as pc from 'purecloud-platform-client-v2';
import type { Sandbox } from '../../../src/sandbox';
import { ANCHOR_MS, DAY, HOUR, allJobPages, authJson, interval, raw, rawToken, rejection, sdk, start, waitForState } from './helpers';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('sandbox: async detail jobs', () => {
  let sb: Sandbox;
  let api: pc.AnalyticsApi;
  const day = interval(ANCHOR_MS - 2 * DAY, ANCHOR_MS - DAY);
  before(async () => {
    // Long enough for the first status call to see QUEUED and a poll to see PENDING on a loaded machine.
    sb = await start({ jobQueuedMs: 600, jobRunMs: 600 });
    api = (await sdk(sb)).analytics;
  });
  after(() => sb.close());

  it('runs QUEUED -> PENDING -> FULFILLED with submission, completion and expiration dates', async () => {
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    assert.ok(jobId);
    const q = await api.getAnalyticsConversationsDetailsJob(jobId);
    assert.equal(q.state, 'QUEUED');
    assert.match(q.submissionDate ?? '', ISO);
    assert.equal(q.completionDate, undefined);
    await waitForState(api, jobId, ['PENDING']);
    const f = await waitForState(api, jobId, ['FULFILLED']);
    assert.match(f.completionDate ?? '', ISO);
    assert.ok(Date.parse(f.completionDate ?? '') >= Date.parse(f.submissionDate ?? ''));
    assert.equal(Date.parse(f.expirationDate ?? ''), Date.parse(f.completionDate ?? '') + 172800 * 1000);
  });

  it('answers 202 {jobId} on submission', async () => {
    const token = await rawToken(sb);
    const res = await raw(sb, 'POST', '/api/v2/analytics/conversations/details/jobs', { headers: authJson(token), body: JSON.stringify({ interval: day }) });
    assert.equal(res.status, 202);
    assert.deepEqual(Object.keys(res.json() as object), ['jobId']);
  });

  it('refuses results before FULFILLED with 400 naming the state', async () => {
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    const r = await rejection(api.getAnalyticsConversationsDetailsJobResults(jobId ?? ''));
    assert.equal(r.status, 400);
    assert.equal(r.code, 'bad.request');
    assert.match(String(r.message), /QUEUED|PENDING/);
  });

  it('walks the cursor: same rows as groundTruth, no duplicates, attributes, dataAvailabilityDate on every page, no cursor on the last', async () => {
    const body = { interval: day };
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs(body);
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const { conversations, pages } = await allJobPages(api, jobId ?? '', 37);
    const ids = conversations.map((c) => c.conversationId);
    assert.deepEqual(ids, sb.groundTruth(body, 'job'));
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(pages.length > 2);
    for (const p of pages) {
      assert.match(p.dataAvailabilityDate ?? '', ISO);
    }
    assert.equal(pages[pages.length - 1].cursor, undefined);
    assert.ok(pages.slice(0, -1).every((p) => typeof p.cursor === 'string' && p.cursor.length > 0 && (p.conversations ?? []).length === 37));
    for (const c of conversations) {
      for (const p of c.participants ?? []) {
        assert.equal(typeof p.attributes, 'object');
      }
    }
    assert.ok(conversations.some((c) => (c.participants ?? []).some((p) => Object.keys(p.attributes ?? {}).length > 0)));
  });

  it('resumes exactly from a stored cursor', async () => {
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const p1 = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 10 });
    const p2 = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 10, cursor: p1.cursor });
    const again = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 10, cursor: p1.cursor });
    assert.deepEqual(again, p2);
    const bigger = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 20, cursor: p1.cursor });
    assert.deepEqual(bigger.conversations?.slice(0, 10), p2.conversations);
  });

  it('uses jobDefaultPageSize and enforces 1..jobMaxPageSize', async () => {
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: interval(ANCHOR_MS - 7 * DAY, ANCHOR_MS) });
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const def = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '');
    assert.equal(def.conversations?.length, 100);
    const max = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 1000 });
    assert.equal(max.conversations?.length, 1000);
    for (const bad of [0, 1001]) {
      const r = await rejection(api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: bad }));
      assert.equal(r.status, 400, String(bad));
      assert.match(String(r.message), /pageSize/);
    }
    const token = await rawToken(sb);
    const frac = await raw(sb, 'GET', `/api/v2/analytics/conversations/details/jobs/${jobId}/results?pageSize=2.5`, { headers: authJson(token) });
    assert.equal(frac.status, 400);
  });

  it('rejects a bad cursor and a cursor of another job with 400', async () => {
    const a = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    const b = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    await waitForState(api, b.jobId ?? '', ['FULFILLED']);
    await waitForState(api, a.jobId ?? '', ['FULFILLED']);
    const pa = await api.getAnalyticsConversationsDetailsJobResults(a.jobId ?? '', { pageSize: 5 });
    for (const cursor of ['%%%', 'bm9wZQ==', pa.cursor ?? '']) {
      const r = await rejection(api.getAnalyticsConversationsDetailsJobResults(b.jobId ?? '', { cursor }));
      assert.equal(r.status, 400, cursor);
    }
  });

  it('DELETE answers 204 and the job becomes CANCELLED; its results are 404', async () => {
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    const token = await rawToken(sb);
    const del = await raw(sb, 'DELETE', `/api/v2/analytics/conversations/details/jobs/${jobId}`, { headers: authJson(token) });
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assert.equal(await api.deleteAnalyticsConversationsDetailsJob(jobId ?? ''), undefined);
    const s = await api.getAnalyticsConversationsDetailsJob(jobId ?? '');
    assert.equal(s.state, 'CANCELLED');
    const r = await rejection(api.getAnalyticsConversationsDetailsJobResults(jobId ?? ''));
    assert.equal(r.status, 404);
    assert.equal(r.code, 'not.found');
  });

  it('answers 404 not.found for an unknown job', async () => {
    for (const call of [
      api.getAnalyticsConversationsDetailsJob('no-such-job'),
      api.getAnalyticsConversationsDetailsJobResults('no-such-job'),
      api.deleteAnalyticsConversationsDetailsJob('no-such-job'),
    ]) {
      const r = await rejection(call);
      assert.equal(r.status, 404);
      assert.equal(r.code, 'not.found');
    }
  });

  it('ends FAILED with errorMessage when failJobs is set; results are 400 with the message', async () => {
    sb.configure({ faults: { failJobs: true } });
    try {
      const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
      const s = await waitForState(api, jobId ?? '', ['FAILED']);
      assert.ok(s.errorMessage && s.errorMessage.length > 0);
      const r = await rejection(api.getAnalyticsConversationsDetailsJobResults(jobId ?? ''));
      assert.equal(r.status, 400);
      assert.ok(String(r.message).includes(s.errorMessage ?? '???'));
    } finally {
      sb.configure({ faults: { failJobs: false } });
    }
  });

  it('fails a share of jobs when failJobs is a number', async () => {
    sb.configure({ faults: { failJobs: 0.5 } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        ids.push((await api.postAnalyticsConversationsDetailsJobs({ interval: day })).jobId ?? '');
      }
      const states = await Promise.all(ids.map((id) => waitForState(api, id, ['FAILED', 'FULFILLED'])));
      const failed = states.filter((s) => s.state === 'FAILED').length;
      assert.ok(failed > 0 && failed < 20, `failed ${failed}/20`);
    } finally {
      sb.configure({ faults: { failJobs: false } });
    }
  });

  it('expires results after jobTtlSeconds: state EXPIRED, expirationDate = completion + ttl, results 404', async () => {
    sb.configure({ jobTtlSeconds: 0.2 });
    try {
      const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
      const f = await waitForState(api, jobId ?? '', ['FULFILLED']);
      assert.equal(Date.parse(f.expirationDate ?? ''), Date.parse(f.completionDate ?? '') + 200);
      const e = await waitForState(api, jobId ?? '', ['EXPIRED']);
      assert.equal(e.expirationDate, f.expirationDate);
      const r = await rejection(api.getAnalyticsConversationsDetailsJobResults(jobId ?? ''));
      assert.equal(r.status, 404);
      assert.equal(r.code, 'not.found');
    } finally {
      sb.configure({ jobTtlSeconds: 172800 });
    }
  });

  it('frees what finished jobs hold (result set, last page) but keeps answering their status', async () => {
    type JobView = { results?: unknown; lastPage?: unknown; scan?: unknown };
    const jobsOf = () => (sb as unknown as { _jobs: { _jobs: Map<string, JobView> } })._jobs._jobs;
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: day });
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const before = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 1000 });
    const held = jobsOf().get(jobId ?? '');
    assert.ok(held?.results !== undefined);
    // The repeat-page fault needs the last page again; it keeps where it was, not megabytes of JSON.
    assert.notEqual(typeof held?.lastPage, 'string');
    sb.configure({ jobTtlSeconds: 0.01 });
    try {
      await waitForState(api, jobId ?? '', ['EXPIRED']);
      await api.postAnalyticsConversationsDetailsJobs({ interval: day });
      const freed = jobsOf().get(jobId ?? '');
      assert.equal(freed?.results, undefined);
      assert.equal(freed?.lastPage, undefined);
      assert.equal(freed?.scan, undefined);
      assert.equal((await api.getAnalyticsConversationsDetailsJob(jobId ?? '')).state, 'EXPIRED');
    } finally {
      sb.configure({ jobTtlSeconds: 172800 });
    }
    // The TTL is read live: back to FULFILLED, the job rescans and serves the same page.
    const again = await api.getAnalyticsConversationsDetailsJobResults(jobId ?? '', { pageSize: 1000 });
    assert.deepEqual(again, before);
  });

  it('rejects paging in a job body and validates like the query', async () => {
    const r = await rejection(api.postAnalyticsConversationsDetailsJobs({ interval: day, paging: { pageSize: 10, pageNumber: 1 } } as pc.Models.AsyncConversationQuery));
    assert.equal(r.status, 400);
    assert.match(String(r.message), /paging/);
    const d = await rejection(api.postAnalyticsConversationsDetailsJobs({ interval: 'soon' }));
    assert.equal(d.code, 'invalid.date');
    const l = await rejection(api.postAnalyticsConversationsDetailsJobs({ interval: day, limit: 0 }));
    assert.equal(l.status, 400);
  });

  it('has activity-overlap semantics; startOfDayIntervalMatching narrows to the start day; limit caps', async () => {
    const midnight = Math.floor(ANCHOR_MS / DAY) * DAY - DAY;
    const win = interval(midnight, midnight + 12 * HOUR);
    const overlap = sb.groundTruth({ interval: win }, 'job');
    const sod = sb.groundTruth({ interval: win, startOfDayIntervalMatching: true }, 'job');
    const sync = sb.groundTruth({ interval: win }, 'query');
    assert.deepEqual(sod, sync);
    assert.ok(overlap.length > sod.length, 'overlap includes conversations from the previous evening');
    assert.deepEqual(overlap.slice(overlap.length - sod.length), sod);

    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: win });
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const all = await allJobPages(api, jobId ?? '', 1000);
    assert.deepEqual(all.conversations.map((c) => c.conversationId), overlap);
    const first = all.conversations[0];
    assert.ok(Date.parse(first.conversationStart ?? '') < midnight && Date.parse(first.conversationEnd ?? '') > midnight);

    const limited = await api.postAnalyticsConversationsDetailsJobs({ interval: win, limit: 7, order: 'desc' });
    await waitForState(api, limited.jobId ?? '', ['FULFILLED']);
    const lim = await allJobPages(api, limited.jobId ?? '', 5);
    assert.deepEqual(lim.conversations.map((c) => c.conversationId), [...overlap].reverse().slice(0, 7));
  });
});

describe('sandbox: data availability', () => {
  let sb: Sandbox;
  let api: pc.AnalyticsApi;
  before(async () => {
    // Anchor in the future so the lake cutoff (now - lag) falls inside the data.
    const anchor = new Date(Math.floor(Date.now() / HOUR) * HOUR + 2 * HOUR).toISOString();
    sb = await start({ anchor, days: 1, conversations: 3000, availabilityLagSeconds: 3600 });
    api = (await sdk(sb)).analytics;
  });
  after(() => sb.close());

  it('reports dataAvailabilityDate = now - lag and excludes newer conversations from jobs only', async () => {
    const before = Date.now();
    const a = await api.getAnalyticsConversationsDetailsJobsAvailability();
    const cutoff = Date.parse(a.dataAvailabilityDate ?? '');
    assert.ok(Math.abs(cutoff - (before - HOUR)) < 5000);
    const anchorMs = Date.parse(sb.options.anchor ?? '');
    const win = interval(anchorMs - DAY, anchorMs);
    const { jobId } = await api.postAnalyticsConversationsDetailsJobs({ interval: win });
    await waitForState(api, jobId ?? '', ['FULFILLED']);
    const { conversations, pages } = await allJobPages(api, jobId ?? '', 1000);
    assert.ok(conversations.length > 0);
    for (const c of conversations) {
      assert.ok(Date.parse(c.conversationStart ?? '') < cutoff + 5000);
    }
    for (const p of pages) {
      assert.ok(Math.abs(Date.parse(p.dataAvailabilityDate ?? '') - cutoff) < 5000);
    }
    const sync = sb.groundTruth({ interval: win }, 'query');
    assert.ok(sync.length > conversations.length, 'the sync query sees conversations newer than the lake');
  });

  it('routes jobs/availability without colliding with jobs/{jobId}', async () => {
    const token = await rawToken(sb);
    const res = await raw(sb, 'GET', '/api/v2/analytics/conversations/details/jobs/availability', { headers: authJson(token) });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json() as object), ['dataAvailabilityDate']);
  });
});

describe('sandbox: large jobs', () => {
  it('scans a large filtered job in the background without stalling other requests', async function () {
    this.timeout(30_000);
    const sb = await start({ conversations: 40_000, jobQueuedMs: 10, jobRunMs: 1500 });
    try {
      const api = (await sdk(sb)).analytics;
      const body = { interval: interval(ANCHOR_MS - 7 * DAY, ANCHOR_MS), segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'callback' }] }] };
      const { jobId } = await api.postAnalyticsConversationsDetailsJobs(body);
      let slowest = 0;
      for (let i = 0; i < 10; i++) {
        const t = Date.now();
        await api.getAnalyticsConversationsDetailsJob(jobId ?? '');
        slowest = Math.max(slowest, Date.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
      // A scan that blocked the event loop would hold a poll for the whole scan (about 10 s for 40,000
      // conversations on a busy two-core machine); a chunked one answers within a few chunks. Generation
      // speed itself is measured by the benchmark, not here.
      assert.ok(slowest < 5000, `a status poll took ${slowest} ms during the scan`);
      await waitForState(api, jobId ?? '', ['FULFILLED']);
      const { conversations } = await allJobPages(api, jobId ?? '', 1000);
      assert.deepEqual(conversations.map((c) => c.conversationId), sb.groundTruth(body, 'job'));
    } finally {
      await sb.close();
    }
  });
});

describe('sandbox: kept results text (keepWireText, as benchmarks run it)', () => {
  it('serves the same results pages, as JSON.stringify would write them, warmed or not', async () => {
    const body = { interval: interval(ANCHOR_MS - 2 * DAY, ANCHOR_MS) };
    const pagesOf = async (sb: Sandbox): Promise<string[]> => {
      const token = await rawToken(sb);
      const res = await raw(sb, 'POST', '/api/v2/analytics/conversations/details/jobs', { headers: authJson(token), body: JSON.stringify(body) });
      const { jobId } = res.json() as { jobId: string };
      await waitForState((await sdk(sb)).analytics, jobId, ['FULFILLED']);
      const texts: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await raw(sb, 'GET', `/api/v2/analytics/conversations/details/jobs/${jobId}/results?pageSize=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: authJson(token) });
        assert.equal(page.status, 200);
        const parsed = page.json() as { cursor?: string; conversations?: unknown[] };
        assert.ok(page.text === JSON.stringify(parsed), 'the joined text is what JSON.stringify writes');
        cursor = parsed.cursor;
        // Cursors name their job and dataAvailabilityDate is the submission's: the rows are what must match.
        texts.push(JSON.stringify(parsed.conversations));
      } while (cursor);
      return texts;
    };
    const plain = await start();
    const kept = await start({ keepWireText: true });
    try {
      assert.equal(kept.warmJobResults(body), kept.groundTruth(body, 'job').length);
      const [a, b] = [await pagesOf(plain), await pagesOf(kept)];
      assert.ok(a.length > 2);
      assert.equal(b.length, a.length);
      assert.ok(b.every((text, i) => text === a[i]), 'the same rows on every page');
    } finally {
      await Promise.all([plain.close(), kept.close()]);
    }
  });
});
