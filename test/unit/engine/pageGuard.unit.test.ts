import * as assert from 'node:assert/strict';
import type { JobResultsPage } from '../../../src/genesys/types';
import { PageGuard } from '../../../src/jobs/pageGuard';
import { PollSchedule } from '../../../src/jobs/pollSchedule';

const page = (ids: string[], cursor?: string): JobResultsPage => ({ rows: ids.map((conversationId) => ({ conversationId, json: Buffer.from(JSON.stringify({ conversationId })) })), ...(cursor ? { cursor } : {}) });

describe('engine / pageGuard', () => {
  it('continues on new pages and ends on a page without cursor', () => {
    const g = new PageGuard();
    assert.deepEqual(g.inspect(undefined, page(['a'], 'c1')), { action: 'continue', nextCursor: 'c1', repeated: false, empty: false });
    assert.deepEqual(g.inspect('c1', page(['b'])), { action: 'last' });
  });

  it('tolerates a repeated page (same cursor back) but stops after a run of them', () => {
    const g = new PageGuard({ maxRepeatRun: 3 });
    g.inspect(undefined, page(['a'], 'c1'));
    const v1 = g.inspect('c1', page(['a'], 'c1'));
    assert.equal(v1.action, 'continue');
    assert.equal(v1.action === 'continue' && v1.repeated, true);
    g.inspect('c1', page(['a'], 'c1'));
    const v3 = g.inspect('c1', page(['a'], 'c1'));
    assert.equal(v3.action, 'stop');
  });

  it('stops after 3 consecutive empty pages that still carry a cursor; a real page resets the run', () => {
    const g = new PageGuard();
    assert.equal(g.inspect(undefined, page([], 'c0')).action, 'continue');
    assert.equal(g.inspect('c0', page([], 'c0')).action, 'continue');
    assert.equal(g.inspect('c0', page(['a'], 'c1')).action, 'continue');
    assert.equal(g.inspect('c1', page([], 'c1')).action, 'continue');
    assert.equal(g.inspect('c1', page([], 'c1')).action, 'continue');
    assert.equal(g.inspect('c1', page([], 'c1')).action, 'stop');
  });

  it('restores its counters from persisted state', () => {
    const g = new PageGuard({ maxEmptyRun: 3 }, { emptyPageRun: 2 });
    assert.equal(g.inspect('c1', page([], 'c1')).action, 'stop');
  });
});

describe('engine / pollSchedule', () => {
  it('starts quick and grows geometrically to the cap', () => {
    const s = new PollSchedule({ initialMs: 250, factor: 2, maxMs: 2000 });
    assert.deepEqual([s.next(), s.next(), s.next(), s.next(), s.next()], [250, 500, 1000, 2000, 2000]);
    s.reset();
    assert.equal(s.next(), 250);
  });
});
