import type { FileHandle } from 'node:fs/promises';

/**
 * Runs one file operation and, when it fails with a Node error that does not say which file (writes
 * and syncs on an open FileHandle report only `ENOSPC … write`), records `path` on it, so the error the
 * user sees (a 'local-io' GenesysError) names the file.
 */
export async function withPath<T>(path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).path === undefined) {
      (err as NodeJS.ErrnoException).path = path;
    }
    throw err;
  }
}

/**
 * Writes all of `buffer` at `position`. A positional write may write fewer bytes than asked (a file-size
 * limit, a full disk on some file systems, signals) without failing; the rest is written by further calls,
 * one of which then fails with the real cause (EFBIG, ENOSPC) if there is one.
 */
export async function writeFully(handle: FileHandle, buffer: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset, position + offset);
    if (bytesWritten <= 0) {
      throw Object.assign(new Error(`No bytes could be written (${offset} of ${buffer.length} at ${position})`), { code: 'EIO' });
    }
    offset += bytesWritten;
  }
}

/** Reads exactly `buffer.length` bytes at `position`, looping on short reads; fails if the file is shorter. */
export async function readFully(handle: FileHandle, buffer: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, position + offset);
    if (bytesRead === 0) {
      throw new Error(`File is shorter than expected (read ${offset} of ${buffer.length} bytes at ${position})`);
    }
    offset += bytesRead;
  }
}
