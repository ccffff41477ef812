import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomicFile';
import type { Event } from '../common/emitter';
import { Emitter } from '../common/emitter';
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

/**
 * Every run, persisted as an append-only journal (one JSON line per change, upserts by runId). A torn
 * last line or garbage lines cost only those lines: they are skipped with a warning, the damaged file
 * is kept aside as `history.jsonl.corrupt-<time>`, and a clean journal is written. Never throws on load.
 */
export class HistoryStore implements IDisposable {
  private readonly _entries = new Map<string, HistoryEntry>();
  private readonly _file: string;
  private readonly _logger: Logger;
  private readonly _compactAfter: number;
  private readonly _onDidChange = new Emitter<HistoryChange>();
  private _lines = 0;
  private readonly _writes: SerialQueue;
  private _warnings: string[] = [];

  /** Fires after each change is written. */
  readonly onDidChange: Event<HistoryChange> = this._onDidChange.event;

  private constructor(options: HistoryStoreOptions) {
    this._file = join(options.dir, HISTORY_FILE);
    this._logger = options.logger ?? silentLogger;
    this._compactAfter = options.compactAfterLines ?? 1000;
    this._writes = new SerialQueue((err) => this._logger.error(`Query history write failed: ${String(err)}`));
  }

  /** Loads (and if needed repairs) the history under `options.dir`. */
  static async open(options: HistoryStoreOptions): Promise<HistoryStore> {
    const store = new HistoryStore(options);
    await fsp.mkdir(options.dir, { recursive: true });
    await store._load();
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
    return this._writes.run(async () => {
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
    return this._writes.run(async () => {
      const previous = this._entries.get(runId);
      if (!previous) {
        return undefined;
      }
      return this._put({ ...previous, ...patch, runId, updatedAt: new Date().toISOString() });
    });
  }

  remove(runId: string): Promise<void> {
    return this._writes.run(async () => {
      if (!this._entries.has(runId)) {
        return;
      }
      await this._append({ op: 'del', runId });
      this._entries.delete(runId);
      this._onDidChange.fire({ type: 'remove', runId });
    });
  }

  /** Rewrites the journal with one line per entry (tmp + rename). */
  compact(): Promise<void> {
    return this._writes.run(() => this._compact());
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
    let bad = 0;
    const lines = text.split('\n');
    for (const line of lines) {
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
    }
    this._lines = lines.filter((l) => l.trim() !== '').length;
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

  /** Journals, stores and announces one entry (called inside _serial). */
  private async _put(entry: HistoryEntry): Promise<HistoryEntry> {
    await this._append({ op: 'put', entry });
    this._entries.set(entry.runId, entry);
    this._onDidChange.fire({ type: 'upsert', entry });
    return entry;
  }

  private async _append(line: JournalLine): Promise<void> {
    await fsp.appendFile(this._file, `${JSON.stringify(line)}\n`, 'utf8');
    this._lines++;
    if (this._lines > this._compactAfter && this._lines > this._entries.size * 2) {
      await this._compact();
    }
  }

  private async _compact(): Promise<void> {
    const text = [...this._entries.values()].map((entry) => `${JSON.stringify({ op: 'put', entry })}\n`).join('');
    await writeFileAtomic(this._file, text);
    this._lines = this._entries.size;
  }
}
