import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomicFile';
import type { Event } from '../common/emitter';
import { Emitter } from '../common/emitter';
import { withFileLock } from '../common/fileLock';
import type { IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { SerialQueue } from '../common/serialQueue';
import { silentLogger } from '../common/logger';
import type { HistoryEntry } from './historyEntry';
import { isHistoryEntry } from './historyEntry';

export interface HistoryStoreOptions {
  /** Folder for history.jsonl (e.g. the extension's globalStorage). */
  dir: string;
  logger?: Logger;
  /** Rewrite the journal as one line per entry once it has this many lines. */
  compactAfterLines?: number;
}

export type HistoryChange =
  | { type: 'upsert'; entry: HistoryEntry }
  | { type: 'remove'; runId: string };

type JournalLine = { op: 'put'; entry: HistoryEntry } | { op: 'del'; runId: string };

export const HISTORY_FILE = 'history.jsonl';
/** Held while a change is written (across windows: every extension host shares the journal). */
export const HISTORY_LOCK_FILE = 'history.jsonl.lock';

/**
 * Every run, persisted as an append-only journal (one JSON line per change, upserts by runId). A torn
 * last line or garbage lines cost only those lines: they are skipped with a warning, the damaged file
 * is kept aside as `history.jsonl.corrupt-<time>`, and a clean journal is written. Never throws on load.
 *
 * Several windows (extension hosts, i.e. processes) may share one folder: every write holds
 * `history.jsonl.lock` and first reads what the others appended (or reloads after their compaction),
 * so a compaction never drops their entries. To see the others' changes without writing, call
 * `reload()` (e.g. from a FileSystemWatcher on history.jsonl, or when the window gains focus): it fires
 * onDidChange for every entry that changed.
 */
export class HistoryStore implements IDisposable {
  private readonly _entries = new Map<string, HistoryEntry>();
  private readonly _file: string;
  private readonly _logger: Logger;
  private readonly _compactAfter: number;
  private readonly _onDidChange = new Emitter<HistoryChange>();
  private _lines = 0;
  /** Bytes of the journal already applied, and the file's identity (a compaction replaces the file). */
  private _offset = 0;
  private _ino = -1;
  private readonly _lock: string;
  private readonly _writes: SerialQueue;
  private _warnings: string[] = [];

  /** Fires after each change is written. */
  readonly onDidChange: Event<HistoryChange> = this._onDidChange.event;

  private constructor(options: HistoryStoreOptions) {
    this._file = join(options.dir, HISTORY_FILE);
    this._lock = join(options.dir, HISTORY_LOCK_FILE);
    this._logger = options.logger ?? silentLogger;
    this._compactAfter = options.compactAfterLines ?? 1000;
    this._writes = new SerialQueue((err) => this._logger.error(`Query history write failed: ${String(err)}`));
  }

  /** Loads (and if needed repairs) the history under `options.dir`. */
  static async open(options: HistoryStoreOptions): Promise<HistoryStore> {
    const store = new HistoryStore(options);
    await fsp.mkdir(options.dir, { recursive: true });
    await withFileLock(store._lock, () => store._load());
    return store;
  }

  /** Problems found while loading (skipped lines); empty when the file was clean. */
  get loadWarnings(): readonly string[] {
    return this._warnings;
  }

  /** Newest first. */
  list(): HistoryEntry[] {
    return [...this._entries.values()].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || b.runId.localeCompare(a.runId));
  }

  get(runId: string): HistoryEntry | undefined {
    return this._entries.get(runId);
  }

  findByJobId(jobId: string): HistoryEntry | undefined {
    return [...this._entries.values()].find((e) => e.jobId === jobId);
  }

  /** Inserts or replaces the entry with `entry.runId`, keeping lineage fields set by others. */
  upsert(entry: HistoryEntry): Promise<HistoryEntry> {
    return this._locked(async () => {
      const previous = this._entries.get(entry.runId);
      const merged: HistoryEntry = {
        ...entry,
        ...(previous?.refetchedBy && !entry.refetchedBy ? { refetchedBy: previous.refetchedBy } : {}),
        ...(previous?.resultsPruned && !entry.resultsDir ? { resultsPruned: true } : {}),
      };
      return this._put(merged);
    });
  }

  /** Changes some fields of an existing entry; undefined when there is none. */
  update(runId: string, patch: Partial<Omit<HistoryEntry, 'runId'>>): Promise<HistoryEntry | undefined> {
    return this._locked(async () => {
      const previous = this._entries.get(runId);
      if (!previous) {
        return undefined;
      }
      return this._put({ ...previous, ...patch, runId, updatedAt: new Date().toISOString() });
    });
  }

  remove(runId: string): Promise<void> {
    return this._locked(async () => {
      if (!this._entries.has(runId)) {
        return;
      }
      this._entries.delete(runId);
      await this._append({ op: 'del', runId });
      this._onDidChange.fire({ type: 'remove', runId });
    });
  }

  /** Rewrites the journal with one line per entry (tmp + rename). */
  compact(): Promise<void> {
    return this._locked(() => this._compact());
  }

  /**
   * Takes in what other windows wrote to the shared journal since this store last read it, firing
   * onDidChange for each entry added, changed or removed. Cheap when nothing changed (one stat).
   */
  reload(): Promise<void> {
    return this._locked(async () => undefined);
  }

  /** Runs `fn` in order, holding the cross-process lock, after catching up with the journal. */
  private _locked<T>(fn: () => Promise<T>): Promise<T> {
    return this._writes.run(() =>
      withFileLock(this._lock, async () => {
        await this._catchUp();
        return fn();
      }),
    );
  }

  /** Applies lines appended by others; re-reads the whole journal if another store compacted it. */
  private async _catchUp(): Promise<void> {
    const stat = await fsp.stat(this._file).catch(() => undefined);
    if (stat && stat.ino === this._ino && stat.size === this._offset) {
      return;
    }
    if (!stat || stat.ino !== this._ino || stat.size < this._offset) {
      const before = new Map(this._entries);
      this._entries.clear();
      this._lines = 0;
      const text = stat ? await fsp.readFile(this._file, 'utf8').catch(() => '') : '';
      this._apply(text);
      this._offset = Buffer.byteLength(text);
      this._ino = stat?.ino ?? -1;
      this._announceDiff(before);
      return;
    }
    const handle = await fsp.open(this._file, 'r');
    try {
      const buf = Buffer.alloc(stat.size - this._offset);
      const { bytesRead } = await handle.read(buf, 0, buf.length, this._offset);
      const text = buf.subarray(0, bytesRead).toString('utf8');
      // Only whole lines: a writer outside the lock (an older version) may be mid-append.
      const whole = text.slice(0, text.lastIndexOf('\n') + 1);
      const before = new Map(this._entries);
      this._apply(whole);
      this._offset += Buffer.byteLength(whole);
      this._announceDiff(before);
    } finally {
      await handle.close();
    }
  }

  /** Applies journal text to the entries; returns the number of unreadable lines. */
  private _apply(text: string): number {
    let bad = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') {
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        bad++;
        continue;
      }
      const j = parsed as Partial<JournalLine> & { entry?: unknown; runId?: unknown };
      if (j.op === 'put' && isHistoryEntry(j.entry)) {
        this._entries.set(j.entry.runId, j.entry);
      } else if (j.op === 'del' && typeof j.runId === 'string') {
        this._entries.delete(j.runId);
      } else {
        bad++;
      }
      this._lines++;
    }
    return bad;
  }

  private _announceDiff(before: ReadonlyMap<string, HistoryEntry>): void {
    for (const [runId, entry] of this._entries) {
      const old = before.get(runId);
      if (!old || JSON.stringify(old) !== JSON.stringify(entry)) {
        this._onDidChange.fire({ type: 'upsert', entry });
      }
    }
    for (const runId of before.keys()) {
      if (!this._entries.has(runId)) {
        this._onDidChange.fire({ type: 'remove', runId });
      }
    }
  }

  /** Resolves when every change so far is on disk. */
  flush(): Promise<void> {
    return this._writes.run(async () => undefined);
  }

  dispose(): void {
    this._onDidChange.dispose();
  }

  private async _load(): Promise<void> {
    let text: string;
    try {
      text = await fsp.readFile(this._file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this._warnings.push(`Could not read the query history (${String(err)}); starting empty.`);
        this._logger.warn(this._warnings[0]!);
      }
      return;
    }
    this._lines = 0;
    const bad = this._apply(text);
    this._offset = Buffer.byteLength(text);
    this._ino = (await fsp.stat(this._file).catch(() => undefined))?.ino ?? -1;
    const torn = text.length > 0 && !text.endsWith('\n');
    if (bad > 0) {
      const aside = `${this._file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await fsp.copyFile(this._file, aside).catch(() => undefined);
      const message = `The query history file was damaged: ${bad} unreadable line(s) skipped, ${this._entries.size} run(s) recovered. The damaged file was kept as ${aside}.`;
      this._warnings.push(message);
      this._logger.warn(message);
    }
    if (bad > 0 || torn) {
      // A torn last line would swallow the next append; start from a clean journal.
      try {
        await this._compact();
      } catch (err) {
        // Still usable in memory; end the torn line so the next append is not glued onto it.
        const message = `The query history could not be rewritten (${String(err)}); changes are still appended to ${this._file}.`;
        this._warnings.push(message);
        this._logger.warn(message);
        if (torn) {
          await fsp.appendFile(this._file, '\n', 'utf8').catch(() => undefined);
        }
      }
    }
  }

  /** Stores, journals and announces one entry (called inside _locked). */
  private async _put(entry: HistoryEntry): Promise<HistoryEntry> {
    // In memory first: a compaction triggered by this append must write this entry too.
    this._entries.set(entry.runId, entry);
    await this._append({ op: 'put', entry });
    this._onDidChange.fire({ type: 'upsert', entry });
    return entry;
  }

  private async _append(line: JournalLine): Promise<void> {
    const text = `${JSON.stringify(line)}\n`;
    await fsp.appendFile(this._file, text, 'utf8');
    this._lines++;
    const stat = await fsp.stat(this._file);
    // Ours is the only write since the catch-up (we hold the lock), so the file is ours up to its end.
    this._offset = stat.size;
    this._ino = stat.ino;
    if (this._lines > this._compactAfter && this._lines > this._entries.size * 2) {
      await this._compact();
    }
  }

  private async _compact(): Promise<void> {
    const text = [...this._entries.values()].map((entry) => `${JSON.stringify({ op: 'put', entry })}\n`).join('');
    await writeFileAtomic(this._file, text);
    this._lines = this._entries.size;
    this._offset = Buffer.byteLength(text);
    this._ino = (await fsp.stat(this._file)).ino;
  }
}
