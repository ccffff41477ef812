import type { GenesysErrorKind } from '../genesys/errors';
import type { JobState } from '../genesys/types';

export type RunKind = 'query' | 'job';

/**
 * State of a run: Genesys' job states, plus ours — RUNNING (a sync query being fetched), PARTIAL
 * (stopped early with rows kept: deep-paging cap, page guard), ERROR (failed on our side or the network).
 */
export type RunState = JobState | 'RUNNING' | 'PARTIAL' | 'ERROR';

/** Where a job run is, so `resume` knows what to do next. */
export type JobPhase = 'submitting' | 'polling' | 'paging' | 'done';

export interface RunErrorInfo {
  kind: GenesysErrorKind;
  message: string;
  supportInfo?: string;
}

/**
 * manifest.json of a run folder: everything needed to show, resume or re-fetch the run. Written
 * atomically after the rows of each page, so it never claims rows that are not on disk.
 */
export interface RunManifest {
  version: 1;
  runId: string;
  kind: RunKind;
  connectionId: string;
  /** The query or job body exactly as submitted (a sync body with its starting paging). */
  body: unknown;
  createdAt: string;
  updatedAt: string;
  state: RunState;
  /** Fetching ended before the last page (expired, cancelled, capped, error): rows are a prefix. */
  partial: boolean;
  /** Rows on disk (after de-duplication). */
  rowCount: number;
  /** Bytes of the rows file (rows.ndjson.gz, or rows.ndjson in a run folder from before it) covered by rowCount. */
  bytes: number;
  /** Pages fetched (including empty and skipped ones). */
  pages: number;
  /** Conversations dropped because their conversationId was already stored. */
  duplicatesSkipped: number;
  pageSize?: number;
  /** Sync runs: the next pageNumber to fetch. */
  nextPageNumber?: number;
  totalHits?: number;
  jobId?: string;
  phase?: JobPhase;
  /**
   * Job runs: when the submission was sent and its answer is not known yet. Left set by a crash or an
   * ambiguous failure, it stops a resume from submitting again (a second job) without the user's say.
   */
  submitSentAt?: string;
  /** Job runs: the cursor of the next page to fetch (absent before the first page). */
  cursor?: string;
  submissionDate?: string;
  completionDate?: string;
  expirationDate?: string;
  dataAvailabilityDate?: string;
  /** Set by Genesys when a job FAILED. */
  errorMessage?: string;
  error?: RunErrorInfo;
  warnings: string[];
  refetchOf?: string;
  /** The query file the body came from (a URI string), so the history can open it again. */
  sourceFile?: string;
  /** Page-guard state, persisted so a resumed walk keeps guarding. */
  lastPageHash?: string;
  emptyPageRun?: number;
  repeatRun?: number;
}

export const MANIFEST_FILE = 'manifest.json';
/** The rows: one gzip member per appended page of NDJSON lines (`zcat` gives the NDJSON; see rowBlocks.ts). */
export const ROWS_FILE = 'rows.ndjson.gz';
/** The rows of a run folder written before the compressed cache: plain NDJSON, read and appended in place. */
export const PLAIN_ROWS_FILE = 'rows.ndjson';
/** 8 bytes a row: the end of the row (plain) or of its block plus its line in the block (rowBlocks.ts). */
export const INDEX_FILE = 'rows.idx';
/** The id-index sidecar: one uint32 LE `hashId(conversationId)` per row, so reopening a run reads 4 bytes a row, not every row. */
export const IDS_FILE = 'rows.ids';

/** True when the run can still change (the cache pruner must leave it alone). */
export function isActiveState(state: RunState): boolean {
  return state === 'RUNNING' || state === 'QUEUED' || state === 'PENDING';
}

/**
 * True while a run may still write to its folder: an active state, or a job run that has not reached
 * phase 'done' (a job being paged has Genesys' state FULFILLED; an interrupted one is resumed from here).
 */
export function isRunInProgress(m: Pick<RunManifest, 'kind' | 'state' | 'phase'>): boolean {
  return isActiveState(m.state) || (m.kind === 'job' && m.phase !== undefined && m.phase !== 'done');
}

export function isRunManifest(value: unknown): value is RunManifest {
  const v = value as Partial<RunManifest> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    v.version === 1 &&
    typeof v.runId === 'string' &&
    (v.kind === 'query' || v.kind === 'job') &&
    typeof v.rowCount === 'number' &&
    typeof v.bytes === 'number' &&
    typeof v.state === 'string'
  );
}
