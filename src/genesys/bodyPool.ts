/**
 * Reused buffers for job results pages (about 5 MB each). Allocating a fresh body per page and leaving the
 * old one to the garbage collector let dead bodies pile up until V8's next full GC (it starts one when
 * external memory has grown ~64 MB), and glibc, having freed one such buffer, serves the next ones from
 * its heap, where they fragment: a million-row split run crept up by ~90 MB of native memory. A page's
 * body goes back here once its rows are stored, and the next page of about the same size reuses it.
 */
export class BodyPool {
  private readonly _idle: Buffer[] = [];
  /**
   * The views handed out and not yet returned: only these are taken back. By view, not by backing store:
   * a second release of a view whose buffer already serves the next page must not give that page away.
   */
  private readonly _out = new WeakSet<Buffer>();

  /** `maxIdle` buffers wait for reuse at most; more returned at once are left to the GC. */
  constructor(private readonly _maxIdle = 4) {}

  /** A buffer of exactly `size` bytes (a view of a pooled one), with undefined content. */
  acquire(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this._idle.length; i++) {
      const cap = this._idle[i]!.length;
      if (cap >= size && (best < 0 || cap < this._idle[best]!.length)) {
        best = i;
      }
    }
    const backing = best >= 0 ? this._idle.splice(best, 1)[0]! : Buffer.allocUnsafeSlow(roundUp(size));
    const body = backing.subarray(0, size);
    this._out.add(body);
    return body;
  }

  /** Gives a body from `acquire` back; it must not be read after this. */
  release(body: Buffer): void {
    if (!this._out.has(body)) {
      return;
    }
    this._out.delete(body);
    if (this._idle.length < this._maxIdle) {
      this._idle.push(Buffer.from(body.buffer, 0, body.buffer.byteLength));
    }
  }
}

/** Capacities in whole MiB (at least 64 KiB), so pages of slightly different sizes share buffers. */
function roundUp(size: number): number {
  const mib = 1 << 20;
  return size <= 64 * 1024 ? 64 * 1024 : Math.ceil(size / mib) * mib;
}
