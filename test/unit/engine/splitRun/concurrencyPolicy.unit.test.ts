import * as assert from 'node:assert/strict';
import type { ConcurrencySignal, ConcurrencyState } from '../../../../src/jobs/splitRun/concurrencyPolicy';
import { DEFAULT_CONCURRENCY, initialConcurrency, nextConcurrency } from '../../../../src/jobs/splitRun/concurrencyPolicy';

const options = { ...DEFAULT_CONCURRENCY, max: 8, initial: 2 };
const calm: ConcurrencySignal = { type: 'answer', rateLimit: { allowed: 300, count: 10, resetSeconds: 50 } };

function feed(state: ConcurrencyState, signals: ConcurrencySignal[]): ConcurrencyState {
  return signals.reduce((s, sig) => nextConcurrency(options, s, sig), state);
}

describe('engine / split run: adaptive concurrency', () => {
  it('starts at initial (never above max) and grows one step per calm round up to max', () => {
    assert.equal(initialConcurrency({ ...options, max: 1 }).limit, 1);
    let s = initialConcurrency(options);
    assert.equal(s.limit, 2);
    s = feed(s, [calm, calm]);
    assert.equal(s.limit, 3);
    s = feed(s, Array<ConcurrencySignal>(100).fill(calm));
    assert.equal(s.limit, 8);
  });

  it('halves on a 429 storm down to 1, then grows again once answers are calm', () => {
    let s = feed(initialConcurrency(options), Array<ConcurrencySignal>(100).fill(calm));
    assert.equal(s.limit, 8);
    s = feed(s, [{ type: 'rateLimited' }]);
    assert.equal(s.limit, 4);
    s = feed(s, Array<ConcurrencySignal>(5).fill({ type: 'rateLimited' }));
    assert.equal(s.limit, 1);
    s = feed(s, [calm]);
    assert.equal(s.limit, 2, 'one calm answer is a whole round at 1');
  });

  it('does not grow while the rate-limit window is nearly used, and steps down when it is used up', () => {
    let s: ConcurrencyState = { limit: 4, calm: 0 };
    s = feed(s, Array<ConcurrencySignal>(20).fill({ type: 'answer', rateLimit: { allowed: 300, count: 270, resetSeconds: 20 } }));
    assert.equal(s.limit, 4);
    s = feed(s, [{ type: 'answer', rateLimit: { allowed: 300, count: 300, resetSeconds: 5 } }]);
    assert.equal(s.limit, 3);
    // Answers without headers (some proxies strip them) still let it grow.
    s = feed(s, Array<ConcurrencySignal>(3).fill({ type: 'answer' }));
    assert.equal(s.limit, 4);
  });

  it('learns a running-jobs cap from a refused submission, apart from the walkers, and keeps the latest', () => {
    let s = feed(initialConcurrency(options), Array<ConcurrencySignal>(100).fill(calm));
    s = feed(s, [{ type: 'jobsCap', running: 3 }]);
    assert.equal(s.jobsCap, 3);
    assert.equal(s.limit, 8, 'walking sub-jobs are no running jobs: the request budget alone sets how many walk');
    s = feed(s, [...Array<ConcurrencySignal>(100).fill(calm), { type: 'rateLimited' }]);
    assert.deepEqual([s.limit, s.jobsCap], [4, 3]);
    s = feed(s, [{ type: 'jobsCap', running: 2 }]);
    assert.equal(s.jobsCap, 2);
  });
});
