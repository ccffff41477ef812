import * as assert from 'node:assert/strict';
import { GenesysError } from '../../../src/genesys/errors';
import { nextRetryDelay, resolveRetryPolicy } from '../../../src/genesys/retryPolicy';

const transient = new GenesysError({ kind: 'transient', status: 503, message: 'x' });
const limited = (ms?: number): GenesysError => new GenesysError({ kind: 'rateLimited', status: 429, retryAfterMs: ms, message: 'x' });

describe('engine / retryPolicy', () => {
  const policy = resolveRetryPolicy({ random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5, totalBudgetMs: 10_000 });

  it('backs off exponentially with equal jitter, up to the cap', () => {
    const delays = [1, 2, 3, 4].map((attempts) => nextRetryDelay(policy, transient, { attempts, rateLimited: 0, elapsedMs: 0 }));
    assert.deepEqual(delays, [75, 150, 300, 600]);
    const capped = nextRetryDelay({ ...policy, maxAttempts: 20 }, transient, { attempts: 10, rateLimited: 0, elapsedMs: 0 });
    assert.equal(capped, 750);
  });

  it('gives up after maxAttempts and when the time budget would be exceeded', () => {
    assert.equal(nextRetryDelay(policy, transient, { attempts: 5, rateLimited: 0, elapsedMs: 0 }), undefined);
    assert.equal(nextRetryDelay(policy, transient, { attempts: 1, rateLimited: 0, elapsedMs: 9_990 }), undefined);
  });

  it('waits at least Retry-After on 429, plus bounded jitter', () => {
    const d = nextRetryDelay(policy, limited(2000), { attempts: 1, rateLimited: 1, elapsedMs: 0 })!;
    assert.ok(d >= 2000 && d <= 3000, String(d));
    assert.equal(nextRetryDelay({ ...policy, random: () => 0 }, limited(2000), { attempts: 1, rateLimited: 1, elapsedMs: 0 }), 2000);
  });

  it('uses the default wait when a 429 says nothing, and refuses waits over maxRetryAfterMs', () => {
    assert.equal(nextRetryDelay({ ...policy, random: () => 0 }, limited(undefined), { attempts: 1, rateLimited: 1, elapsedMs: 0 }), policy.defaultRetryAfterMs);
    assert.equal(nextRetryDelay(policy, limited(200_000), { attempts: 1, rateLimited: 1, elapsedMs: 0 }), undefined);
  });

  it('clamps 429 waits to rateLimitWaitCapMs when configured', () => {
    assert.equal(nextRetryDelay({ ...policy, rateLimitWaitCapMs: 50, random: () => 0 }, limited(5000), { attempts: 1, rateLimited: 1, elapsedMs: 0 }), 50);
  });

  it('does not count 429s against maxAttempts, but bounds them separately', () => {
    assert.notEqual(nextRetryDelay(policy, limited(10), { attempts: 9, rateLimited: 9, elapsedMs: 0 }), undefined);
    assert.equal(nextRetryDelay({ ...policy, maxRateLimitRetries: 3 }, limited(10), { attempts: 4, rateLimited: 4, elapsedMs: 0 }), undefined);
  });

  it('never retries non-retryable kinds', () => {
    for (const kind of ['auth', 'permission', 'invalidQuery', 'notFound', 'cancelled', 'config'] as const) {
      assert.equal(nextRetryDelay(policy, new GenesysError({ kind, message: 'x' }), { attempts: 1, rateLimited: 0, elapsedMs: 0 }), undefined, kind);
    }
  });
});
