import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Replaces `path` with `data` so that readers (and a process restarted after a crash) see either the old
 * or the new content, never half a file: write a sibling temp file, fsync it, rename it over the target.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fsp.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

/** Reads and parses a JSON file; undefined when it does not exist. Parse errors propagate. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
  return JSON.parse(text) as unknown;
}
