import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { createExclusive } from '../common/fileLock';

/** Lock file of a run folder while a writer has it open (holds the owner's pid). */
export const WRITER_LOCK_FILE = 'writer.lock';
/** Held (O_EXCL) by the one process taking over a stale writer lock. */
const TAKEOVER_FILE = 'writer.lock.takeover';

/** Run folders with an open writer in this process. */
const openDirs = new Set<string>();

/** The run's writer lock is held by a live writer (here or in another process). */
export class RunBusyError extends Error {
  override readonly name = 'RunBusyError';
}

/**
 * Runs `fn` holding the run folder's writer lock without opening its files (to record a verdict on a
 * run whose rows cannot be opened). Throws RunBusyError when a live writer has it.
 */
export async function withWriterLock<T>(dir: string, runId: string, fn: () => Promise<T>): Promise<T> {
  await acquireLock(dir, runId);
  try {
    return await fn();
  } finally {
    await releaseLock(dir);
  }
}

/** Takes the run folder's writer lock (one writer per run, across windows); throws RunBusyError. */
export async function acquireLock(dir: string, runId: string): Promise<void> {
  const busy = (): Error => new RunBusyError(`Run ${runId} is already being fetched in another window or task; wait for it to finish or cancel it there.`);
  if (openDirs.has(dir)) {
    throw busy();
  }
  openDirs.add(dir);
  const lock = join(dir, WRITER_LOCK_FILE);
  try {
    if (await createExclusive(lock, String(process.pid))) {
      return;
    }
    if (!(await isStale(lock))) {
      throw busy();
    }
    // Left by a process that died (or by this one before a crash of its task): take it over. Removing
    // it and creating ours must be one step for everyone else: two processes that both saw it stale
    // would otherwise each delete the other's fresh lock and both "own" the run. Only the holder of
    // the takeover file (O_EXCL) may remove a lock, and it checks again that the lock is still stale.
    const takeover = join(dir, TAKEOVER_FILE);
    if (!(await createExclusive(takeover, String(process.pid)))) {
      if (!(await isStale(takeover))) {
        throw busy(); // another process is taking it over right now
      }
      // Its holder died mid-takeover (a few ms window): clear it once and contend again.
      await fsp.rm(takeover, { force: true });
      if (!(await createExclusive(takeover, String(process.pid)))) {
        throw busy();
      }
    }
    try {
      if (!(await isStale(lock))) {
        throw busy(); // taken over meanwhile by a process that has finished its takeover
      }
      await fsp.rm(lock, { force: true });
      if (!(await createExclusive(lock, String(process.pid)))) {
        throw busy(); // a newcomer created it right after the removal: it is the owner now
      }
    } finally {
      await fsp.rm(takeover, { force: true });
    }
  } catch (err) {
    openDirs.delete(dir);
    throw err;
  }
}

/** Whether a lock file is absent or names a process that is gone (or this process: a crashed task of ours). */
async function isStale(path: string): Promise<boolean> {
  const owner = Number((await fsp.readFile(path, 'utf8').catch(() => '')).trim());
  return !(Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner));
}

export async function releaseLock(dir: string): Promise<void> {
  if (openDirs.delete(dir)) {
    await fsp.rm(join(dir, WRITER_LOCK_FILE), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
