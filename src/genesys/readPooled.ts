import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { BodyPool } from './bodyPool';
import { classifyNetworkCode } from './errors';

/** Largest Content-Length taken as the size of a pooled body up front; a results page is ~5 MB. */
const MAX_SIZE_HINT = 64 * 1024 * 1024;

/**
 * Reads a response body into a buffer from `pool`. With a Content-Length, each chunk is copied into a
 * pooled buffer of that size as it arrives, so socket chunks die young instead of a whole page of them
 * (~80 × 64 KB) living until its last one came: eight walkers held up to 40 MB of them. The length is
 * only a hint: a body axios decompressed (Content-Length is then the compressed size) or a missing one
 * ends in a pooled buffer of the size that came. Flowing mode, as axios reads a body itself: the socket
 * is never paused while the event loop is busy with other pages (an async iterator pauses it at the
 * stream's high-water mark: the 8-way split at 100k went from 20 to 30 s).
 */
export async function readPooled(stream: Readable, pool: BodyPool, signal: AbortSignal, sizeHint: number): Promise<Buffer> {
  const onAbort = (): void => {
    stream.destroy(new Error('aborted'));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const first = sizeHint > 0 && sizeHint <= MAX_SIZE_HINT ? pool.acquire(sizeHint) : undefined;
  let filled = 0;
  // What did not fit in `first`, in order.
  const rest: Buffer[] = [];
  let restSize = 0;
  stream.on('data', (chunk: Buffer) => {
    if (first && restSize === 0 && filled + chunk.length <= first.length) {
      filled += chunk.copy(first, filled);
    } else {
      rest.push(chunk);
      restSize += chunk.length;
    }
  });
  try {
    await finished(stream);
  } catch (err) {
    if (first) {
      pool.release(first);
    }
    if (signal.aborted) {
      throw err;
    }
    // The body broke off (a reset, a premature close): the connection failed, as classifyError says of
    // axios's own "stream has been aborted".
    throw classifyNetworkCode('ECONNRESET', err instanceof Error ? err.message : String(err), err);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (first && restSize === 0 && filled === first.length) {
    return first;
  }
  const body = pool.acquire(filled + restSize);
  let at = first ? first.copy(body, 0, 0, filled) : 0;
  for (const c of rest) {
    at += c.copy(body, at);
  }
  if (first) {
    pool.release(first);
  }
  return body;
}
