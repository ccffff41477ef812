import type { Clock } from '../common/clock';
import type { Logger } from '../common/logger';
import type { GenesysError } from '../genesys/errors';
import type { GenesysApi } from '../genesys/genesysApi';
import type { HistoryStore } from '../history/historyStore';
import type { ResultsStore } from '../results/resultsStore';
import type { JobState, WireRow } from '../genesys/types';
import type { RunKind, RunState } from '../results/manifest';

/**
 * How a run ended:
 * - completed: every page fetched;
 * - partial: stopped early on purpose with rows kept (deep-paging cap, page guard) — see warnings;
 * - failed: the job FAILED at Genesys (errorMessage);
 * - cancelled: by the user (the job was DELETEd);
 * - expired: the job's results expired (rows fetched before are kept, `partial` says if any are missing);
 * - error: a GenesysError stopped it (permission, auth, network after retries…); resumable.
 */
export type RunStatus = 'completed' | 'partial' | 'failed' | 'cancelled' | 'expired' | 'error';

export interface RunOutcome {
  status: RunStatus;
  runId: string;
  kind: RunKind;
  state: RunState;
  jobId?: string;
  rowCount: number;
  pages: number;
  partial: boolean;
  warnings: string[];
  /** Genesys' errorMessage for a FAILED job. */
  errorMessage?: string;
  /** For status 'error'; for 'expired' always a GenesysError of kind 'expired' (when, rows kept, Re-fetch). */
  error?: GenesysError;
  expirationDate?: string;
  /** Time spent in this call (a resumed run counts from the resume). */
  elapsedMs: number;
  /** Folder with rows.ndjson.gz / rows.idx / manifest.json (src/results/README.md). */
  resultsDir: string;
  refetchOf?: string;
  /** A split run: how many sub-jobs (it has no job id of its own; Resume and Re-fetch follow its plan). */
  subJobs?: number;
}

export type RunProgress =
  | { type: 'started'; runId: string; kind: RunKind; elapsedMs: number }
  | { type: 'submitted'; runId: string; jobId: string; elapsedMs: number }
  | { type: 'state'; runId: string; jobId: string; state: JobState; elapsedMs: number; expirationDate?: string }
  | { type: 'page'; runId: string; pages: number; rowCount: number; elapsedMs: number; totalHits?: number }
  | { type: 'warning'; runId: string; message: string }
  | { type: 'done'; runId: string; outcome: RunOutcome };

export interface RunOptions {
  /** Aborting stops the run promptly; a job is DELETEd at Genesys. */
  signal?: AbortSignal;
  onProgress?: (event: RunProgress) => void;
  /** Where the body came from (a query file's URI): recorded in the run's manifest and history entry. */
  sourceFile?: string;
  /**
   * A job run awaits this once its job is FULFILLED (or a resumed walk goes on), before its first results
   * request: a split run's pool hands out paging turns with it, so a sub-job submitted ahead of its turn
   * waits, FULFILLED, until a walker is free.
   */
  beforeWalk?: () => Promise<void>;
  /** A job run stores only the results rows this keeps (a split run's sub-job: the rows its span owns). */
  keepRow?: (row: WireRow) => boolean;
}

/** A run started in the background: its id is known at once, its outcome later. Never rejects. */
export interface RunHandle {
  runId: string;
  result: Promise<RunOutcome>;
}

/** What both runners need: the API of one connection, where rows go, and where runs are recorded. */
export interface RunnerDeps {
  api: GenesysApi;
  /** Recorded in manifests and history (the connection the api talks to). */
  connectionId: string;
  store: ResultsStore;
  history?: HistoryStore;
  logger?: Logger;
  clock?: Clock;
}
