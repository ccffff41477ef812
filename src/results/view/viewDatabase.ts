import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { throwIfAborted } from '../../common/cancellation';
import { SerialQueue } from '../../common/serialQueue';
import { RunReader } from '../runReader';
import { ident, KEY_COLUMNS, sqlType } from './columnSpec';
import type { DuckDBConnection, DuckDBInstance } from './duckdb';
import { loadDuckDB } from './duckdb';
import { GRAIN_NAMES, GRAINS } from './grains';
import type { GrainColumns } from './grainBuffer';
import { LoadTransaction } from './loadTransaction';
import { ReadConnections } from './readConnections';
import type { GrainFrom } from './flattenBatch';
import { flattenBatch } from './flattenBatch';
import { FlattenThread } from './flattenThread';
import type { Grain } from './viewTypes';

/** File of the derived index inside a run folder (delete it and it is rebuilt from the raw cache, rows.ndjson.gz). */
export const VIEW_DB_FILE = 'view.duckdb';

export interface ViewDatabaseOptions {
  /** Conversations read per load step (parsed on the flatten worker for large loads). Default 1,000: peak memory grows with it (2,000 cost ≈ 50–80 MB more RSS at 100k for no speed-up). */
  batchSize?: number;
  /** DuckDB worker threads; default 2 (leave cores to the extension host). */
  threads?: number;
  /** DuckDB buffer limit, e.g. '256MB'; past it, sorts spill to `<runDir>/view.duckdb.tmp`. */
  memoryLimit?: string;
  /** Loads into memory instead of view.duckdb (a read-only run folder, or a second process holding the file). */
  inMemory?: boolean;
  /**
   * Worker threads that parse and flatten a large load (flattenThread.ts), each its own batches, while the
   * calling thread appends them in run order; 0 keeps the load on the calling thread. Default: one more
   * than the cores, at most MAX_FLATTEN_WORKERS (parsing is most of a load's CPU; the extra one works while
   * this thread waits on a commit).
   */
  workers?: number;
  /** How often a load commits, in ms (0: after every batch); default 1,000. The view shows rows as they are committed. */
  commitIntervalMs?: number;
}

export interface LoadProgress {
  grains: readonly Grain[];
  loaded: number;
  total: number;
  /** How many worker threads parsed and flattened this load (large loads); 0: the calling thread did. */
  workers: number;
}

/** Past four, the calling thread's appends (one at a time, in run order) are the limit, and each worker's isolate costs ~60–80 MB. */
export const MAX_FLATTEN_WORKERS = 4;

/** Adds flatten workers to `workers` up to `n`; fewer (or none) where they cannot start (their script missing). */
function startWorkers(workers: FlattenThread[], n: number): void {
  try {
    while (workers.length < n) {
      const w = FlattenThread.start();
      if (!w) {
        return;
      }
      workers.push(w);
    }
  } catch {
    // The load goes on with those that started, or on this thread.
  }
}

/** A batch of rows being parsed and flattened: rows [first, first + count) of the run. */
interface Flattening {
  readonly first: number;
  readonly count: number;
  readonly result: Promise<{ lines: number; batches: GrainColumns[] }>;
}

/** Any change to a grain's columns changes this, and an old view.duckdb is rebuilt. */
const SCHEMA_VERSION = createHash('sha256')
  .update(JSON.stringify(GRAIN_NAMES.map((g) => [g, KEY_COLUMNS[g], GRAINS[g].columns.map((c) => [c.id, c.type, c.get.toString()])])))
  .digest('hex')
  .slice(0, 16);

/** One view.duckdb per run folder per process: two panels on one run share it (DuckDB locks the file). */
const shared = new Map<string, Promise<ViewDatabase>>();
/** Views being closed, by the same key: a new open of the file waits for its close (two instances on one file). */
const closing = new Map<string, Promise<void>>();

/**
 * During a large load DuckDB gives memory back to the system after every task (with no jemalloc in the
 * Node bindings it allocates through glibc, which kept what each append and checkpoint freed). Measured on
 * 1M conversations: RSS growth 479 → 321 MB. Only during the load: trimming after each query made the first
 * windows after it slower (pages faulted in again), so the default (trim above 128 MB) comes back after.
 */
const LOAD_FLUSH_THRESHOLD = '0MB';

/**
 * The DuckDB side of a run's view: opens or creates view.duckdb and keeps it in step with the raw cache.
 * The conversation grain is always loaded; the finer grains only once asked for (they hold ~4–8 rows a
 * conversation). `reads` serves windows, counts and exports (they see committed batches only, so the
 * table keeps answering during a load); one more connection loads, one transaction per second.
 */
export class ViewDatabase {
  private readonly _queue = new SerialQueue();
  private _refs = 1;
  /** Loaded row count per active grain (all equal after a refresh). */
  private readonly _loaded = new Map<Grain, number>();
  private _loadedEnd = 0;
  private _generation = 0;
  /** Aborted when the last user releases the view: a load in progress stops at its next batch. */
  private readonly _closing = new AbortController();

  private constructor(
    readonly runDir: string,
    private readonly _instance: DuckDBInstance,
    readonly reads: ReadConnections,
    private readonly _write: DuckDBConnection,
    private readonly _reader: RunReader,
    private readonly _key: string,
    private readonly _load: Required<Pick<ViewDatabaseOptions, 'batchSize' | 'commitIntervalMs' | 'workers'>>,
  ) {}

  static async acquire(runDir: string, options: ViewDatabaseOptions = {}): Promise<ViewDatabase> {
    const key = `${options.inMemory ? 'mem:' : 'file:'}${runDir}`;
    const existing = shared.get(key);
    if (existing) {
      const db = await existing;
      db._refs++;
      return db;
    }
    const opening = (closing.get(key) ?? Promise.resolve()).then(() => ViewDatabase._open(runDir, key, options));
    shared.set(key, opening);
    opening.catch(() => shared.delete(key));
    return opening;
  }

  private static async _open(runDir: string, key: string, options: ViewDatabaseOptions): Promise<ViewDatabase> {
    const duckdb = await loadDuckDB();
    const reader = await RunReader.open(runDir);
    let instance: DuckDBInstance | undefined;
    try {
      const config: Record<string, string> = {
        threads: String(options.threads ?? 2),
        memory_limit: options.memoryLimit ?? '128MB',
        // Rows are always read with an ORDER BY; keeping insertion order would only cost memory.
        preserve_insertion_order: 'false',
        // See LOAD_FLUSH_THRESHOLD: lets DuckDB give freed memory back off the query threads.
        allocator_background_threads: 'true',
      };
      try {
        instance = await duckdb.DuckDBInstance.create(options.inMemory ? ':memory:' : join(runDir, VIEW_DB_FILE), config);
      } catch (err) {
        // Another VS Code window has this run's view.duckdb open (DuckDB locks the file per process): this
        // one indexes into memory instead, which costs a reload but never blocks the table.
        if (options.inMemory || !/lock/i.test(err instanceof Error ? err.message : String(err))) {
          throw err;
        }
        instance = await duckdb.DuckDBInstance.create(':memory:', config);
      }
      const write = await instance.connect();
      const db = new ViewDatabase(runDir, instance, new ReadConnections(instance), write, reader, key, { batchSize: options.batchSize ?? 1000, commitIntervalMs: options.commitIntervalMs ?? 1000, workers: options.workers ?? Math.min(MAX_FLATTEN_WORKERS, availableParallelism() + 1) });
      await db._readMeta();
      return db;
    } catch (err) {
      instance?.closeSync();
      await reader.close();
      throw err;
    }
  }

  /** Changes whenever a table's content changes (a batch committed, a grain reset): cached counts expire. */
  get generation(): number {
    return this._generation;
  }

  get reader(): RunReader {
    return this._reader;
  }

  /** Rows of the raw cache the conversation grain has not taken in yet. */
  async rowsToLoad(): Promise<number> {
    return Math.max(0, (await this._reader.rowCount()) - (this._loaded.get('conversation') ?? 0));
  }

  isLoaded(grain: Grain): boolean {
    return this._loaded.has(grain);
  }

  /** Loads rows the run wrote since the last call into every active grain; returns the conversation count. */
  refresh(onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<number> {
    return this._queue.run(() => this._refresh(onProgress, signal));
  }

  /** Makes `grain` queryable (creates and fills its table on first use), then refreshes. */
  ensureGrain(grain: Grain, onProgress?: (p: LoadProgress) => void): Promise<number> {
    return this._queue.run(async () => {
      if (!this._loaded.has(grain)) {
        await this._createGrain(grain);
      }
      return this._refresh(onProgress);
    });
  }

  async release(): Promise<void> {
    if (--this._refs > 0) {
      return;
    }
    shared.delete(this._key);
    // Nobody looks at this view any more: a load in progress stops at its next batch (what it committed
    // stays in view.duckdb, and the next open goes on from there) instead of running on for a minute.
    this._closing.abort();
    const closed = this._queue.run(async () => {
      await this.reads.close();
      this._write.closeSync();
      this._instance.closeSync();
      await this._reader.close();
    });
    const done = closed.catch(() => undefined);
    closing.set(this._key, done);
    void done.then(() => closing.get(this._key) === done && closing.delete(this._key));
    await closed;
  }

  /** Stops at the next batch when `caller` aborts or the view is closed (release). */
  private async _refresh(onProgress?: (p: LoadProgress) => void, caller?: AbortSignal): Promise<number> {
    const signal = caller ? AbortSignal.any([caller, this._closing.signal]) : this._closing.signal;
    throwIfAborted(signal);
    if (!this._loaded.has('conversation')) {
      await this._createGrain('conversation');
    }
    let total = await this._reader.rowCount();
    const loaded = this._loaded.get('conversation') ?? 0;
    if (total < loaded || (loaded > 0 && (await this._endOffset(loaded)) !== this._loadedEnd)) {
      // The raw cache was cut back (a writer reopened after a crash) or replaced: start over.
      for (const grain of [...this._loaded.keys()]) {
        await this._createGrain(grain);
      }
      total = await this._reader.rowCount();
    }
    const start = Math.min(...this._loaded.values());
    if (start >= total) {
      return this._loaded.get('conversation') ?? 0;
    }
    // Worker threads for loads of more than two batches; small refreshes (pages arriving while a run
    // fetches) stay on this thread, where starting a worker would cost more than it saves.
    const size = this._load.batchSize;
    const large = this._load.workers > 0 && total - start > 2 * size;
    // One worker until the first batch is committed: the others' start would compete with it, and a view
    // opened early waits for it.
    const workers: FlattenThread[] = [];
    if (large) {
      startWorkers(workers, 1);
    }
    // Tried once, after the first commit (a worker that cannot start is not asked for again at every batch).
    let wanted = Math.min(this._load.workers, Math.ceil((total - start) / size));
    const flatten = (first: number): Flattening => {
      const last = Math.min(total, first + size);
      const grains = [...this._loaded.entries()].map(([grain, n]) => ({ grain, from: Math.max(n, first) })).filter((g) => g.from < last);
      // Whichever worker has the least to do; the batches are appended in the order they were asked for.
      const worker = workers.reduce<FlattenThread | undefined>((best, w) => (!best || w.inFlight < best.inFlight ? w : best), undefined);
      const result = worker ? worker.flatten(this.runDir, first, last - first, grains) : this._flattenHere(first, last - first, grains);
      // Awaited later (after the batches before it are appended): a failure must not count as unhandled meanwhile.
      result.catch(() => undefined);
      return { first, count: last - first, result };
    };
    // In flight, in run order: one batch per worker, or the next one on this thread.
    const ahead: Flattening[] = [];
    let next = start;
    const askAhead = (): void => {
      while (next < total && ahead.length < Math.max(1, workers.length)) {
        const f = flatten(next);
        ahead.push(f);
        next += f.count;
      }
    };
    askAhead();
    let first = start;
    const tx = new LoadTransaction(this._write);
    // The first batch is committed at once: a view opened while a large load runs shows rows within a batch.
    let committedOnce = false;
    try {
      if (workers.length > 0) {
        await this._write.run(`SET allocator_flush_threshold = '${LOAD_FLUSH_THRESHOLD}'`);
      }
      for (let batch = ahead.shift(); batch; batch = ahead.shift()) {
        const { lines, batches } = await batch.result;
        if (lines === 0) {
          break;
        }
        throwIfAborted(signal);
        const last = batch.first + lines;
        if (lines < batch.count) {
          // The cache ended before its row count said: nothing past this batch is loaded.
          ahead.length = 0;
          next = total;
        }
        // The next batches are flattened (on the workers) while this one is appended.
        askAhead();
        await tx.append(batches);
        first = last;
        // Then about once a second (and at the end): often enough for a view that grows while it
        // loads, rarely enough that commits cost little; a crash loses at most that second's rows.
        if (ahead.length === 0 || !committedOnce || tx.age() >= this._load.commitIntervalMs) {
          committedOnce = true;
          await this._commit(tx, last);
          onProgress?.({ grains: [...this._loaded.keys()], loaded: last, total, workers: workers.length });
        }
        if (workers.length > 0 && workers.length < wanted) {
          // The first rows are in: the other workers now.
          startWorkers(workers, wanted);
          wanted = workers.length;
          askAhead();
        }
      }
      await this._commit(tx, first);
    } catch (err) {
      await tx.rollback();
      throw err;
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      if (workers.length > 0) {
        // Only memory trimming depends on it: never let it hide the load's own outcome.
        await this._write.run('RESET allocator_flush_threshold').catch(() => undefined);
      }
    }
    return this._loaded.get('conversation') ?? 0;
  }

  private async _flattenHere(first: number, count: number, grains: readonly GrainFrom[]): Promise<{ lines: number; batches: GrainColumns[] }> {
    const lines = await this._reader.readRawRows(first, count);
    return { lines: lines.length, batches: flattenBatch(this.runDir, first, lines, grains) };
  }

  private async _readMeta(): Promise<void> {
    const w = this._write;
    await w.run(`CREATE TABLE IF NOT EXISTS view_meta (grain VARCHAR, schema_version VARCHAR, loaded_rows BIGINT, loaded_end BIGINT)`);
    const rows = (await w.runAndReadAll(`SELECT grain, schema_version, loaded_rows::DOUBLE, loaded_end::DOUBLE FROM view_meta`)).getRowsJS() as [string, string, number, number][];
    for (const [grain, version, loadedRows, loadedEnd] of rows) {
      if (version === SCHEMA_VERSION && (GRAIN_NAMES as readonly string[]).includes(grain)) {
        this._loaded.set(grain as Grain, loadedRows);
        if (grain === 'conversation') {
          this._loadedEnd = loadedEnd;
        }
      }
    }
    // Grains from another schema version start over (the next refresh refills them).
    const stale = rows.filter(([grain]) => !this._loaded.has(grain as Grain)).map(([grain]) => grain);
    for (const grain of stale) {
      if ((GRAIN_NAMES as readonly string[]).includes(grain)) {
        await this._createGrain(grain as Grain);
      } else {
        await w.run(`DELETE FROM view_meta WHERE grain = $1`, [grain]);
      }
    }
  }

  /** (Re)creates an empty table for `grain` and marks it active with nothing loaded. */
  private async _createGrain(grain: Grain): Promise<void> {
    const w = this._write;
    const keys = KEY_COLUMNS[grain].map((k) => `${k} INTEGER`);
    const cols = GRAINS[grain].columns.map((c) => `${ident(c.id)} ${sqlType(c.type)}`);
    await w.run('BEGIN TRANSACTION');
    try {
      await w.run(`CREATE OR REPLACE TABLE ${ident(grain)} (${[...keys, ...cols].join(', ')})`);
      await w.run(`DELETE FROM view_meta WHERE grain = $1`, [grain]);
      await w.run(`INSERT INTO view_meta VALUES ($1, $2, 0, 0)`, [grain, SCHEMA_VERSION]);
      await w.run('COMMIT');
    } catch (err) {
      await w.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    this._loaded.set(grain, 0);
    this._generation++;
  }

  /** Commits the load's rows up to `last` (of each grain it appended to). */
  private async _commit(tx: LoadTransaction, last: number): Promise<void> {
    if (!tx.open) {
      return;
    }
    const end = await this._endOffset(last);
    const grains = await tx.commit(last, end);
    for (const grain of grains) {
      this._loaded.set(grain, last);
    }
    this._generation++;
    this._loadedEnd = end;
  }

  /** Where the first `rows` rows end in the raw cache (RunReader.endOffset): a cut-back cache changes it. */
  private _endOffset(rows: number): Promise<number> {
    return this._reader.endOffset(rows);
  }
}
