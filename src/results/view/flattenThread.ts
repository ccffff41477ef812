import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GrainFrom } from './flattenBatch';
import type { GrainColumns } from './grainBuffer';

export interface FlattenRequest {
  readonly id: number;
  readonly runDir: string;
  readonly first: number;
  readonly count: number;
  readonly grains: readonly GrainFrom[];
}

export type FlattenReply = { readonly id: number; readonly lines: number; readonly batches: GrainColumns[] } | { readonly id: number; readonly error: string };

/** The worker's script: next to this module (out/ under tsc, dist/ in the bundle, built as its own entry). */
const WORKER_FILE = join(__dirname, 'flattenWorker.js');

/**
 * The workers' young generation. A worker parses ~20 KB of short-lived objects per row; with Node's default
 * young generation it scavenged so often that objects still in use were promoted and V8 kept giving its
 * pages back and faulting them in again. 64 MB, measured on this project's 2-core VM, same data, alternated:
 * 300k conversations 13.2–14.2 s and 22.7–24.2 CPU-s against 14.5–17.7 s and 25.6–30.9 CPU-s; 1M 45.6–47.8 s
 * and 77–79 CPU-s against 59.1 s and 103 CPU-s, for ~100 MB more peak RSS in the process that runs the load
 * (32 MB was no better than the default, 128 MB no better than 64).
 */
const YOUNG_GENERATION_MB = 64;

/**
 * Parsing and flattening a load's rows on a worker thread: the extension host's thread only appends the
 * finished column batches to DuckDB, and the two overlap (the next batch is flattened while the last one
 * is appended), so a large load uses both cores and never blocks the host for the length of a batch.
 */
export class FlattenThread {
  private _next = 1;
  private readonly _waiting = new Map<number, { resolve: (r: { lines: number; batches: GrainColumns[] }) => void; reject: (e: Error) => void }>();
  private _failed: Error | undefined;

  private constructor(private readonly _worker: Worker) {
    _worker.on('message', (reply: FlattenReply) => {
      const w = this._waiting.get(reply.id);
      this._waiting.delete(reply.id);
      if ('error' in reply) {
        w?.reject(new Error(reply.error));
      } else {
        w?.resolve(reply);
      }
    });
    const fail = (err: Error): void => {
      this._failed = err;
      for (const w of this._waiting.values()) {
        w.reject(err);
      }
      this._waiting.clear();
    };
    _worker.on('error', fail);
    _worker.on('exit', (code) => fail(new Error(`The flatten worker stopped (exit code ${code}).`)));
  }

  /** A started worker, or undefined where its script is missing (the caller flattens on its own thread). */
  static start(): FlattenThread | undefined {
    if (!existsSync(WORKER_FILE)) {
      return undefined;
    }
    const worker = new Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    // Never keeps the extension host (or a test) alive on its own.
    worker.unref();
    return new FlattenThread(worker);
  }

  /** Batches asked for and not answered yet. */
  get inFlight(): number {
    return this._waiting.size;
  }

  flatten(runDir: string, first: number, count: number, grains: readonly GrainFrom[]): Promise<{ lines: number; batches: GrainColumns[] }> {
    if (this._failed) {
      return Promise.reject(this._failed);
    }
    const id = this._next++;
    return new Promise((resolve, reject) => {
      this._waiting.set(id, { resolve, reject });
      this._worker.postMessage({ id, runDir, first, count, grains } satisfies FlattenRequest);
    });
  }

  async stop(): Promise<void> {
    await this._worker.terminate();
  }
}
