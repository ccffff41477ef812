import type { Clock } from '../common/clock';
import type { Logger } from '../common/logger';
import { classifyError } from '../genesys/errors';
import { raceSignal } from '../genesys/raceSignal';
import type { GenesysError } from '../genesys/errors';
import { historyEntryFromManifest } from '../history/historyEntry';
import type { HistoryStore } from '../history/historyStore';
import type { RunKind, RunManifest } from '../results/manifest';
import type { ResultsStore } from '../results/resultsStore';
import type { RunWriter } from '../results/runWriter';
import type { RunOptions, RunOutcome, RunProgress, RunStatus } from './runTypes';

export interface RunContextOptions {
  runId: string;
  kind: RunKind;
  options: RunOptions;
  clock: Clock;
  logger: Logger;
  store: ResultsStore;
  history?: HistoryStore;
  /** Least time between history updates for page progress (state changes always update). */
  historyThrottleMs?: number;
}

/**
 * What one run carries around, shared by the sync and job runners: its signal, progress reporting,
 * elapsed time, history updates and outcome building. `guard` makes a run promise that never rejects.
 */
export class RunContext {
  readonly runId: string;
  readonly kind: RunKind;
  readonly signal: AbortSignal | undefined;
  /** RunOptions.keepRow: which results rows a job run stores. */
  readonly keepRow: RunOptions['keepRow'];
  private readonly _o: RunContextOptions;
  private readonly _started: number;
  private _writer: RunWriter | undefined;
  private _lastHistorySync = 0;

  constructor(options: RunContextOptions) {
    this._o = options;
    this.runId = options.runId;
    this.kind = options.kind;
    this.signal = options.options.signal;
    this.keepRow = options.options.keepRow;
    this._started = options.clock.now();
  }

  elapsed(): number {
    return this._o.clock.now() - this._started;
  }

  attach(writer: RunWriter): void {
    this._writer = writer;
  }

  progress(event: RunProgress): void {
    try {
      this._o.options.onProgress?.(event);
    } catch (err) {
      this._o.logger.warn(`A progress listener threw: ${String(err)}`);
    }
  }

  async warn(message: string): Promise<void> {
    this._o.logger.warn(`Run ${this.runId}: ${message}`);
    await this._writer?.warn(message);
    this.progress({ type: 'warning', runId: this.runId, message });
  }

  /**
   * Writes the run's current manifest into the history (and fires its change event). A history that
   * cannot be written is logged, not fatal: the rows and manifest are what matter for the run.
   */
  async syncHistory(): Promise<void> {
    if (!this._o.history || !this._writer) {
      return;
    }
    this._lastHistorySync = this._o.clock.now();
    try {
      await this._o.history.upsert(historyEntryFromManifest(this._writer.manifest, this._writer.dir));
    } catch (err) {
      this._o.logger.warn(`Run ${this.runId}: history update failed: ${String(err)}`);
    }
  }

  /**
   * Ends the attached run on an error that is not a cancel: logged with its support info, recorded as
   * ERROR (rows kept, partial when there are any) in the manifest and history, returned as the outcome.
   */
  async fail(writer: RunWriter, error: GenesysError): Promise<RunOutcome> {
    this._o.logger.error(`Run ${this.runId} stopped: ${error.message} [${error.supportInfo()}]`);
    try {
      await writer.update({ state: 'ERROR', partial: writer.rowCount > 0, error: { kind: error.kind, message: error.message, supportInfo: error.supportInfo() } });
    } catch (err) {
      // The disk that failed may refuse the manifest too: the rows it claims stay, and the outcome
      // (and history) still report the first error, not this echo of it.
      this._o.logger.warn(`Run ${this.runId}: could not record the error in the manifest: ${String(err)}`);
      await this.syncHistory();
      return { ...this.outcomeFrom(writer.manifest, writer.dir, error), status: 'error', state: 'ERROR', partial: writer.rowCount > 0 };
    }
    await this.syncHistory();
    return this.outcomeFrom(writer.manifest, writer.dir, error);
  }

  /** Page progress: at most one history write per throttle period, without waiting for it. */
  maybeSyncHistory(): void {
    if (this._o.clock.now() - this._lastHistorySync >= (this._o.historyThrottleMs ?? 1_000)) {
      void this.syncHistory();
    }
  }

  /** Waits for the run's turn to page (RunOptions.beforeWalk), or rejects as cancelled. */
  async turnToWalk(): Promise<void> {
    const wait = this._o.options.beforeWalk;
    if (wait) {
      await this.raceCancel(wait());
    }
  }

  /** Resolves with `promise`, or rejects with a cancelled GenesysError as soon as the signal aborts. */
  raceCancel<T>(promise: Promise<T>): Promise<T> {
    return raceSignal(promise, this.signal);
  }

  outcomeFrom(m: RunManifest, resultsDir: string, error?: GenesysError): RunOutcome {
    return {
      status: statusOf(m),
      runId: m.runId,
      kind: m.kind,
      state: m.state,
      ...(m.jobId ? { jobId: m.jobId } : {}),
      rowCount: m.rowCount,
      pages: m.pages,
      partial: m.partial,
      warnings: [...m.warnings],
      ...(m.errorMessage && m.state === 'FAILED' ? { errorMessage: m.errorMessage } : {}),
      ...(error ? { error } : {}),
      ...(m.expirationDate ? { expirationDate: m.expirationDate } : {}),
      elapsedMs: this.elapsed(),
      resultsDir,
      ...(m.refetchOf ? { refetchOf: m.refetchOf } : {}),
    };
  }

  /** Runs `fn`; whatever happens, resolves with an outcome and reports 'done'. */
  async guard(fn: (ctx: RunContext) => Promise<RunOutcome>): Promise<RunOutcome> {
    this.progress({ type: 'started', runId: this.runId, kind: this.kind, elapsedMs: 0 });
    let outcome: RunOutcome;
    try {
      outcome = await fn(this);
    } catch (err) {
      const error = classifyError(err);
      this._o.logger.error(`Run ${this.runId} failed: ${error.message}`);
      outcome = {
        status: error.kind === 'cancelled' ? 'cancelled' : 'error',
        runId: this.runId,
        kind: this.kind,
        state: error.kind === 'cancelled' ? 'CANCELLED' : 'ERROR',
        rowCount: this._writer?.rowCount ?? 0,
        pages: this._writer?.manifest.pages ?? 0,
        partial: (this._writer?.rowCount ?? 0) > 0,
        warnings: [...(this._writer?.manifest.warnings ?? [])],
        error,
        elapsedMs: this.elapsed(),
        resultsDir: this._o.store.runDir(this.runId),
      };
    }
    this.progress({ type: 'done', runId: this.runId, outcome });
    return outcome;
  }
}

function statusOf(m: RunManifest): RunStatus {
  switch (m.state) {
    case 'FULFILLED':
      return m.partial ? 'partial' : 'completed';
    case 'PARTIAL':
      return 'partial';
    case 'FAILED':
      return 'failed';
    case 'CANCELLED':
      return 'cancelled';
    case 'EXPIRED':
      return 'expired';
    default:
      return 'error';
  }
}
