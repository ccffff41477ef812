import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { BodyPool } from '../../../src/genesys/bodyPool';
import { isGenesysError } from '../../../src/genesys/errors';
import { readPooled } from '../../../src/genesys/readPooled';

/** A body arriving as a socket delivers it: 64 KB chunks, each on its own turn. */
function arriving(bytes: Buffer, opts: { breakAt?: number } = {}): PassThrough {
  const stream = new PassThrough();
  void (async () => {
    for (let at = 0; at < bytes.length; at += 65_536) {
      if (opts.breakAt !== undefined && at >= opts.breakAt) {
        stream.destroy(new Error('socket hang up'));
        return;
      }
      stream.write(bytes.subarray(at, at + 65_536));
      await new Promise((r) => setImmediate(r));
    }
    stream.end();
  })();
  return stream;
}

describe('engine / readPooled (a results page body into a pooled buffer)', () => {
  const body = randomBytes(1_300_000);

  it('fills a pooled buffer of the Content-Length as chunks arrive', async () => {
    const pool = new BodyPool();
    const got = await readPooled(arriving(body), pool, new AbortController().signal, body.length);
    assert.ok(got.equals(body));
    pool.release(got);
    assert.ok(pool.acquire(body.length).buffer === got.buffer, 'the body was the pooled buffer itself');
  });

  it('takes the length only as a hint: shorter, longer (a decompressed body) or missing', async () => {
    for (const hint of [0, Number.NaN, 200_000, body.length + 5_000, 200 * 1024 * 1024]) {
      const pool = new BodyPool();
      const got = await readPooled(arriving(body), pool, new AbortController().signal, hint);
      assert.ok(got.equals(body), `hint ${hint}`);
    }
  });

  it('gives the buffer back and says the connection failed when the body breaks off', async () => {
    const pool = new BodyPool();
    const pooled = pool.acquire(body.length);
    pool.release(pooled);
    await assert.rejects(readPooled(arriving(body, { breakAt: 400_000 }), pool, new AbortController().signal, body.length), (err: unknown) => isGenesysError(err) && err.errno === 'ECONNRESET');
    assert.ok(pool.acquire(body.length).buffer === pooled.buffer, 'the half-filled buffer went back to the pool');
  });

  it('stops at once when aborted', async () => {
    const pool = new BodyPool();
    const controller = new AbortController();
    const stream = new PassThrough();
    stream.write(body.subarray(0, 65_536));
    const read = readPooled(stream, pool, controller.signal, body.length);
    controller.abort();
    await assert.rejects(read);
    assert.ok(stream.destroyed);
  });
});
