import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../common/atomicFile';
import { classifyError } from '../genesys/errors';
import { isSafeRunId } from '../common/ids';
import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import type { RunKind, RunManifest } from './manifest';
import { isRunManifest, MANIFEST_FILE } from './manifest';
import { RunReader } from './runReader';
import { RunBusyError, RunWriter, withWriterLock } from './runWriter';

export interface ResultsStoreOptions {
  /** Folder holding one sub-folder per run (e.g. the extension's globalStorage/results). */
  root: string;
  logger?: Logger;
}

export interface NewRun {
  runId: string;
  kind: RunKind;
  connectionId: string;
  body: unknown;
  pageSize?: number;
  refetchOf?: string;
  jobId?: string;
  /** The query file the body came from (a URI string). */
  sourceFile?: string;
}

/** One folder per run under `root`: rows.ndjson.gz + rows.idx + rows.ids + manifest.json (see README.md). */
export class ResultsStore {
  readonly root: string;
  private readonly _logger: Logger;

  constructor(options: ResultsStoreOptions) {
    this.root = options.root;
    this._logger = options.logger ?? silentLogger;
  }

  runDir(runId: string): string {
    if (!isSafeRunId(runId)) {
      throw new Error(`Invalid run id '${runId}'`);
    }
    return join(this.root, runId);
  }

  /** Creates the run folder and its first manifest; fails if the run already exists. */
  async create(run: NewRun): Promise<RunWriter> {
    const dir = this.runDir(run.runId);
    await fsp.mkdir(this.root, { recursive: true });
    await fsp.mkdir(dir);
    const now = new Date().toISOString();
    const manifest: RunManifest = {
      version: 1,
      runId: run.runId,
      kind: run.kind,
      connectionId: run.connectionId,
      body: run.body,
      createdAt: now,
      updatedAt: now,
      state: run.kind === 'job' ? 'QUEUED' : 'RUNNING',
      partial: false,
      rowCount: 0,
      bytes: 0,
      pages: 0,
      duplicatesSkipped: 0,
      warnings: [],
      ...(run.pageSize !== undefined ? { pageSize: run.pageSize } : {}),
      ...(run.refetchOf ? { refetchOf: run.refetchOf } : {}),
      ...(run.jobId ? { jobId: run.jobId } : {}),
      ...(run.sourceFile ? { sourceFile: run.sourceFile } : {}),
      ...(run.kind === 'job' ? { phase: 'submitting' as const } : {}),
    };
    return RunWriter.open(dir, manifest);
  }

  /** Reopens a run for appending (resume); rows past the manifest's count are truncated. */
  async openWriter(runId: string): Promise<RunWriter> {
    const manifest = await this.readManifest(runId);
    if (!manifest) {
      throw new Error(`No cached run '${runId}'`);
    }
    return RunWriter.open(this.runDir(runId), manifest);
  }

  async openReader(runId: string): Promise<RunReader> {
    return RunReader.open(this.runDir(runId));
  }

  async readManifest(runId: string): Promise<RunManifest | undefined> {
    const file = join(this.runDir(runId), MANIFEST_FILE);
    let value: unknown;
    try {
      value = await readJsonFile(file);
    } catch (err) {
      // A bare SyntaxError would be taken for a malformed Genesys response ("try again").
      if (err instanceof SyntaxError) {
        throw new Error(`The cached results of run '${runId}' are damaged (${file} is not valid JSON). Delete the run and run the query again.`, { cause: err });
      }
      throw err;
    }
    if (value === undefined) {
      return undefined;
    }
    if (!isRunManifest(value)) {
      throw new Error(`The cached results of run '${runId}' are damaged (${file} is not a run manifest). Delete the run and run the query again.`);
    }
    return value;
  }

  /** Every readable run manifest; unreadable folders are logged and skipped. */
  async list(): Promise<RunManifest[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw err;
    }
    const out: RunManifest[] = [];
    for (const name of names) {
      if (!isSafeRunId(name)) {
        continue;
      }
      try {
        const m = await this.readManifest(name);
        if (m) {
          out.push(m);
        }
      } catch (err) {
        this._logger.warn(`Skipping cached run '${name}': ${String(err)}`);
      }
    }
    return out;
  }

  /**
   * Job runs that did not finish (process exit, reload, network error): candidates for
   * `JobRunner.resume(runId)` at start-up. Oldest first.
   */
  async listResumable(): Promise<RunManifest[]> {
    return (await this.list()).filter((m) => m.kind === 'job' && m.phase !== undefined && m.phase !== 'done').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * Sync runs cannot be resumed: one left RUNNING by a process that died (its writer lock is free or
   * stale) is marked ERROR, its rows kept and flagged partial, so it no longer shows as running forever.
   * Runs still being written (a live writer here or in another window) are left alone. Returns the
   * manifests it changed, for the caller to mirror into history.
   */
  async recoverInterruptedQueries(): Promise<RunManifest[]> {
    const changed: RunManifest[] = [];
    for (const m of await this.list()) {
      if (m.kind !== 'query' || m.state !== 'RUNNING') {
        continue;
      }
      let writer: RunWriter;
      try {
        writer = await this.openWriter(m.runId);
      } catch (err) {
        if (err instanceof RunBusyError) {
          continue; // a live writer holds it
        }
        // Its rows cannot be opened (damaged, unreadable): it will never run again, so say why.
        const failed = await this._markUnopenable(m.runId, err);
        if (failed) {
          changed.push(failed);
        }
        continue;
      }
      try {
        await writer.update({
          state: 'ERROR',
          partial: writer.rowCount > 0,
          error: {
            kind: 'transient',
            message: `The query was interrupted (VS Code closed or its extension host stopped) after ${writer.rowCount} row(s). They are kept and marked partial; run the query again to get all of them.`,
          },
        });
        changed.push({ ...writer.manifest });
      } finally {
        await writer.close();
      }
    }
    return changed;
  }

  /** Marks a RUNNING query whose writer cannot be opened as ERROR with the reason (under its lock). */
  private async _markUnopenable(runId: string, reason: unknown): Promise<RunManifest | undefined> {
    const error = classifyError(reason);
    try {
      return await withWriterLock(this.runDir(runId), runId, async () => {
        const m = await this.readManifest(runId);
        if (!m || m.state !== 'RUNNING') {
          return undefined;
        }
        const next: RunManifest = {
          ...m,
          state: 'ERROR',
          partial: m.rowCount > 0,
          updatedAt: new Date().toISOString(),
          error: { kind: error.kind === 'unknown' ? 'local-io' : error.kind, message: `The query was interrupted and its cached results cannot be opened: ${error.message}`, supportInfo: error.supportInfo() },
        };
        await writeFileAtomic(join(this.runDir(runId), MANIFEST_FILE), JSON.stringify(next, null, 1));
        this._logger.warn(`Run ${runId} marked ERROR: ${next.error!.message}`);
        return next;
      });
    } catch (err) {
      this._logger.warn(`Could not mark run '${runId}' as failed: ${String(err)}`);
      return undefined;
    }
  }

  /** Bytes used by a run folder on disk. */
  async sizeOf(runId: string): Promise<number> {
    const dir = this.runDir(runId);
    let total = 0;
    for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
      const st = await fsp.stat(join(dir, name)).catch(() => undefined);
      total += st?.size ?? 0;
    }
    return total;
  }

  async delete(runId: string): Promise<void> {
    await fsp.rm(this.runDir(runId), { recursive: true, force: true });
  }
}
