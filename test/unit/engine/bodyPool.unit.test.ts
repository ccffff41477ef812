import * as assert from 'node:assert/strict';
import { BodyPool } from '../../../src/genesys/bodyPool';

describe('engine / BodyPool (reused results page bodies)', () => {
  it('hands a returned buffer out again for a body of about the same size', () => {
    const pool = new BodyPool();
    const a = pool.acquire(4_400_000);
    assert.equal(a.length, 4_400_000);
    pool.release(a);
    const b = pool.acquire(4_700_000);
    assert.equal(b.length, 4_700_000);
    assert.ok(b.buffer === a.buffer, 'the same backing store (capacities are whole MiB)');
    const c = pool.acquire(4_400_000);
    assert.ok(c.buffer !== b.buffer, 'a buffer in use is never handed out twice');
  });

  it('takes the smallest idle buffer that fits, and allocates when none does', () => {
    const pool = new BodyPool();
    const big = pool.acquire(8_000_000);
    const small = pool.acquire(2_000_000);
    pool.release(big);
    pool.release(small);
    assert.ok(pool.acquire(1_500_000).buffer === small.buffer);
    assert.ok(pool.acquire(1_500_000).buffer === big.buffer);
    const fresh = pool.acquire(9_000_000);
    assert.ok(fresh.buffer !== big.buffer);
    assert.ok(fresh.buffer !== small.buffer);
  });

  it('ignores a second release and buffers it never handed out', () => {
    const pool = new BodyPool();
    const a = pool.acquire(1_000_000);
    pool.release(a);
    const b = pool.acquire(1_000_000);
    assert.ok(b.buffer === a.buffer);
    // A stale release by the first owner must not give away the second owner's buffer.
    pool.release(a);
    assert.ok(pool.acquire(1_000_000).buffer !== b.buffer);
    pool.release(Buffer.alloc(1_000_000));
    assert.ok(pool.acquire(1_000_000).buffer !== b.buffer);
  });

  it('keeps at most maxIdle buffers waiting', () => {
    const pool = new BodyPool(2);
    const held = [1, 2, 3].map(() => pool.acquire(100_000));
    held.forEach((b) => pool.release(b));
    const again = [1, 2, 3].map(() => pool.acquire(100_000).buffer);
    assert.equal(again.filter((x) => held.some((h) => h.buffer === x)).length, 2);
  });
});
