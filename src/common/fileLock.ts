import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';

export interface FileLockOptions {
  /** Give up (throw) after waiting this long for another holder; default 10 s. */
  timeoutMs?: number;
  /** Wait between attempts; default 5 ms (the locked work is short). */
  retryMs?: number;
}

/**
 * Runs `fn` holding the lock file `path` across processes (and across instances in one process). The
 * lock holds `pid:nonce`, created atomically (hard link, fails if it exists). A lock whose process is
 * gone is taken over by the one holder of `path.takeover` (O_EXCL), which checks again that it is stale.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const token = `${process.pid}:${randomBytes(6).toString('hex')}`;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!(await tryLock(path, token))) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for the lock ${path} (held by process ${(await owner(path)) ?? 'unknown'}).`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 5));
  }
  try {
    return await fn();
  } finally {
    if ((await fsp.readFile(path, 'utf8').catch(() => '')) === token) {
      await fsp.rm(path, { force: true });
    }
  }
}

async function tryLock(path: string, token: string): Promise<boolean> {
  if (await createExclusive(path, token)) {
    return true;
  }
  if (!(await ownerGone(path))) {
    return false;
  }
  const takeover = `${path}.takeover`;
  if (!(await createExclusive(takeover, token))) {
    if (await ownerGone(takeover)) {
      await fsp.rm(takeover, { force: true });
    }
    return false;
  }
  try {
    if (!(await ownerGone(path))) {
      return false;
    }
    await fsp.rm(path, { force: true });
    return await createExclusive(path, token);
  } finally {
    await fsp.rm(takeover, { force: true });
  }
}

/**
 * Creates `path` with `content` unless it exists (false), atomically: the content goes to a private file
 * first and is hard-linked into place (link fails with EEXIST like O_EXCL), so others never see an empty
 * lock, which would read as "no owner", i.e. stale.
 */
export async function createExclusive(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fsp.writeFile(tmp, content, { flag: 'wx' });
  try {
    await fsp.link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw err;
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

async function owner(path: string): Promise<number | undefined> {
  const pid = Number((await fsp.readFile(path, 'utf8').catch(() => '')).split(':')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The lock is gone, or names a process that no longer runs (this process counts as running). */
async function ownerGone(path: string): Promise<boolean> {
  const pid = await owner(path);
  return pid === undefined || (pid !== process.pid && !isAlive(pid));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
