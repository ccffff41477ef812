import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { writeFileAtomic } from '../common/atomicFile';
import { withPath, writeFully } from '../common/fileIo';
import { SerialQueue } from '../common/serialQueue';
import type { ConversationRecord } from '../genesys/types';
import { IdIndex } from './idIndex';
import type { RunManifest } from './manifest';
import { INDEX_FILE, MANIFEST_FILE, ROWS_FILE } from './manifest';

/** Fields a runner may change through the writer (counts and bytes are the writer's own business). */
export type ManifestUpdate = Partial<Omit<RunManifest, 'version' | 'runId' | 'rowCount' | 'bytes' | 'duplicatesSkipped' | 'createdAt'>>;

/** Lock file of a run folder while a writer has it open (holds the owner's pid). */
export const WRITER_LOCK_FILE = 'writer.lock';
/** Held (O_EXCL) by the one process taking over a stale writer lock. */
const TAKEOVER_FILE = 'writer.lock.takeover';

/** Run folders with an open writer in this process. */
const openDirs = new Set<string>();

export interface AppendResult {
  /** Rows actually written (new conversationIds). */
  appended: number;
  /** Rows skipped as duplicates. */
  duplicates: number;
}

/**
 * Appends pages to one run folder. Order per page, so a crash at any point loses nothing the manifest
 * claims: rows (NDJSON) → offsets index → manifest (tmp + rename). Memory stays flat: only the current
 * page and a compact hash index of the stored conversationIds (IdIndex, ≤16 bytes a row) are held.
 */
export class RunWriter {
  private _manifest: RunManifest;
  private readonly _dir: string;
  private readonly _ids = new IdIndex();
  private _rows: FileHandle | undefined;
  private _index: FileHandle | undefined;
  private _closed = false;
  private readonly _writes = new SerialQueue();

  private constructor(dir: string, manifest: RunManifest) {
    this._dir = dir;
    this._manifest = manifest;
  }

  /** Opens a run folder for appending. Rows beyond the manifest's count (a crash between writes) are cut off. */
  static async open(dir: string, manifest: RunManifest): Promise<RunWriter> {
    // Two writers on one folder (Resume clicked twice, or two windows resuming at start-up) would each
    // truncate and append at their own offsets, overwriting each other's rows and manifests.
    await acquireLock(dir, manifest.runId);
    const writer = new RunWriter(dir, manifest);
    try {
      await writer._openFiles();
    } catch (err) {
      await writer._rows?.close().catch(() => undefined);
      await writer._index?.close().catch(() => undefined);
      await releaseLock(dir);
      throw err;
    }
    return writer;
  }

  get manifest(): Readonly<RunManifest> {
    return this._manifest;
  }

  get rowCount(): number {
    return this._manifest.rowCount;
  }

  get dir(): string {
    return this._dir;
  }

  /** Whether `conversationId` is already stored in this run. */
  has(conversationId: string): Promise<boolean> {
    return this._writes.run(() => this._isStored(conversationId));
  }

  /**
   * Appends one page's rows (skipping conversationIds already stored) and then applies `update` to the
   * manifest, atomically, in that order. Calls are serialised.
   */
  appendPage(rows: readonly ConversationRecord[], update: ManifestUpdate = {}): Promise<AppendResult> {
    return this._writes.run(async () => {
      this._assertOpen();
      const lines: string[] = [];
      const ends: number[] = [];
      const pageIds = new Set<string>();
      let bytes = this._manifest.bytes;
      let duplicates = 0;
      for (const row of rows) {
        if (pageIds.has(row.conversationId) || (await this._isStored(row.conversationId))) {
          duplicates++;
          continue;
        }
        pageIds.add(row.conversationId);
        const line = `${JSON.stringify(row)}\n`;
        bytes += Buffer.byteLength(line);
        lines.push(line);
        ends.push(bytes);
      }
      if (lines.length > 0) {
        const rowsBuf = Buffer.from(lines.join(''));
        const rowsPath = join(this._dir, ROWS_FILE);
        const indexPath = join(this._dir, INDEX_FILE);
        await withPath(rowsPath, () => writeFully(this._rows!, rowsBuf, this._manifest.bytes));
        const idx = Buffer.alloc(ends.length * 8);
        ends.forEach((end, i) => idx.writeBigUInt64LE(BigInt(end), i * 8));
        await withPath(indexPath, () => writeFully(this._index!, idx, this._manifest.rowCount * 8));
        // On disk before the manifest that claims them: after a power loss or OS crash (not just a
        // process crash) the renamed manifest could otherwise point at rows that were never written.
        await withPath(rowsPath, () => this._rows!.datasync());
        await withPath(indexPath, () => this._index!.datasync());
        let rowIndex = this._manifest.rowCount;
        for (const id of pageIds) {
          this._ids.add(id, rowIndex++);
        }
      }
      this._manifest = {
        ...this._manifest,
        ...update,
        rowCount: this._manifest.rowCount + lines.length,
        bytes,
        duplicatesSkipped: this._manifest.duplicatesSkipped + duplicates,
        updatedAt: new Date().toISOString(),
      };
      await this._writeManifest();
      return { appended: lines.length, duplicates };
    });
  }

  /** Changes manifest fields without adding rows (state changes, cursor, warnings). */
  update(update: ManifestUpdate): Promise<void> {
    return this._writes.run(async () => {
      this._assertOpen();
      this._manifest = { ...this._manifest, ...update, updatedAt: new Date().toISOString() };
      await this._writeManifest();
    });
  }

  /** Adds a warning once (the same text is not repeated). */
  async warn(message: string): Promise<void> {
    if (!this._manifest.warnings.includes(message)) {
      await this.update({ warnings: [...this._manifest.warnings, message] });
    }
  }

  async close(): Promise<void> {
    await this._writes.run(async () => {
      if (this._closed) {
        return;
      }
      this._closed = true;
      await this._rows?.close();
      await this._index?.close();
      this._rows = undefined;
      this._index = undefined;
      await releaseLock(this._dir);
    });
  }

  private async _openFiles(): Promise<void> {
    const rowsPath = join(this._dir, ROWS_FILE);
    const indexPath = join(this._dir, INDEX_FILE);
    // 'a+' would force appends at the end; 'r+' after ensuring the files exist lets us write at offsets.
    await (await fsp.open(rowsPath, 'a')).close();
    await (await fsp.open(indexPath, 'a')).close();
    this._rows = await fsp.open(rowsPath, 'r+');
    this._index = await fsp.open(indexPath, 'r+');
    // Anything past what the manifest claims was written by a process that died before its manifest update.
    await this._rows.truncate(this._manifest.bytes);
    await this._index.truncate(this._manifest.rowCount * 8);
    if (this._manifest.rowCount > 0) {
      await this._loadSeenIds(rowsPath);
    }
    await this._writeManifest();
  }

  private async _loadSeenIds(rowsPath: string): Promise<void> {
    const stream = createReadStream(rowsPath, { encoding: 'utf8', end: Math.max(0, this._manifest.bytes - 1) });
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    let row = 0;
    for await (const line of lines) {
      if (line) {
        let id: unknown;
        try {
          id = (JSON.parse(line) as Partial<ConversationRecord>).conversationId;
        } catch {
          // Not a SyntaxError: that would be taken for a malformed Genesys response ("try again").
        }
        if (typeof id !== 'string') {
          throw new Error(`The cached rows of run ${this._manifest.runId} are damaged (line ${row + 1} of ${rowsPath}). Delete the run and run the query again.`);
        }
        this._ids.add(id, row++);
      }
    }
  }

  /** Exact membership: the hash index narrows to candidate rows, whose stored ids are read to confirm. */
  private async _isStored(id: string): Promise<boolean> {
    for (const row of this._ids.candidates(id)) {
      if ((await this._storedId(row)) === id) {
        return true;
      }
    }
    return false;
  }

  private async _storedId(row: number): Promise<string> {
    const offsets = Buffer.alloc(16);
    const first = row === 0 ? 0 : row - 1;
    await this._index!.read(offsets, 0, row === 0 ? 8 : 16, first * 8);
    const start = row === 0 ? 0 : Number(offsets.readBigUInt64LE(0));
    const end = Number(offsets.readBigUInt64LE(row === 0 ? 0 : 8));
    const line = Buffer.alloc(end - start);
    await this._rows!.read(line, 0, line.length, start);
    return (JSON.parse(line.toString('utf8')) as ConversationRecord).conversationId;
  }

  private _writeManifest(): Promise<void> {
    const path = join(this._dir, MANIFEST_FILE);
    return withPath(path, () => writeFileAtomic(path, JSON.stringify(this._manifest, null, 1)));
  }

  private _assertOpen(): void {
    if (this._closed || !this._rows || !this._index) {
      throw new Error(`Results writer for run ${this._manifest.runId} is closed`);
    }
  }
}

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

async function acquireLock(dir: string, runId: string): Promise<void> {
  const busy = (): Error => new RunBusyError(`Run ${runId} is already being fetched in another window or task; wait for it to finish or cancel it there.`);
  if (openDirs.has(dir)) {
    throw busy();
  }
  openDirs.add(dir);
  const lock = join(dir, WRITER_LOCK_FILE);
  try {
    if (await createExclusive(lock)) {
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
    if (!(await createExclusive(takeover))) {
      if (!(await isStale(takeover))) {
        throw busy(); // another process is taking it over right now
      }
      // Its holder died mid-takeover (a few ms window): clear it once and contend again.
      await fsp.rm(takeover, { force: true });
      if (!(await createExclusive(takeover))) {
        throw busy();
      }
    }
    try {
      if (!(await isStale(lock))) {
        throw busy(); // taken over meanwhile by a process that has finished its takeover
      }
      await fsp.rm(lock, { force: true });
      if (!(await createExclusive(lock))) {
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

/**
 * Creates `path` holding our pid, failing (false) if it exists. The pid is written to a private file
 * first and hard-linked into place (link fails with EEXIST atomically, like O_EXCL): a plain 'wx' write
 * would show others an empty file for a moment, which reads as "no owner", i.e. stale.
 */
async function createExclusive(path: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fsp.writeFile(tmp, String(process.pid), { flag: 'wx' });
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

/** Whether a lock file is absent or names a process that is gone (or this process: a crashed task of ours). */
async function isStale(path: string): Promise<boolean> {
  const owner = Number((await fsp.readFile(path, 'utf8').catch(() => '')).trim());
  return !(Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner));
}

async function releaseLock(dir: string): Promise<void> {
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
