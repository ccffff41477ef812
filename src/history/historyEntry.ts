import type { RunKind, RunManifest, RunState } from '../results/manifest';

/** One run in the Query History tree. */
export interface HistoryEntry {
  /** Genesys' id: the jobId for jobs (once known); for sync queries our generated run id. */
  id: string;
  /** Our run id: also the results folder name. */
  runId: string;
  kind: RunKind;
  connectionId: string;
  body: unknown;
  state: RunState;
  submittedAt: string;
  completedAt?: string;
  expirationDate?: string;
  rowCount: number;
  partial: boolean;
  /** Folder holding the cached rows; absent once pruned or deleted. */
  resultsDir?: string;
  resultsPruned?: boolean;
  jobId?: string;
  errorMessage?: string;
  warnings?: string[];
  /** This run re-submitted the body of that (expired) run. */
  refetchOf?: string;
  /** That run re-submitted this one's body. */
  refetchedBy?: string;
  /** The query file the run's body came from (a URI string); absent for presets and older runs. */
  sourceFile?: string;
  updatedAt: string;
}

const TERMINAL: readonly RunState[] = ['FULFILLED', 'FAILED', 'CANCELLED', 'EXPIRED', 'PARTIAL', 'ERROR'];

/** The history view of a run, from its results manifest. */
export function historyEntryFromManifest(m: RunManifest, resultsDir: string | undefined): HistoryEntry {
  const done = TERMINAL.includes(m.state) && (m.kind === 'query' || m.phase === 'done' || m.state !== 'FULFILLED');
  return {
    id: m.kind === 'job' && m.jobId ? m.jobId : m.runId,
    runId: m.runId,
    kind: m.kind,
    connectionId: m.connectionId,
    body: m.body,
    state: m.state,
    submittedAt: m.submissionDate ?? m.createdAt,
    ...(done ? { completedAt: m.completionDate ?? m.updatedAt } : {}),
    ...(m.expirationDate ? { expirationDate: m.expirationDate } : {}),
    rowCount: m.rowCount,
    partial: m.partial,
    ...(resultsDir ? { resultsDir } : {}),
    ...(m.jobId ? { jobId: m.jobId } : {}),
    ...(m.errorMessage ?? m.error?.message ? { errorMessage: m.errorMessage ?? m.error?.message } : {}),
    ...(m.warnings.length > 0 ? { warnings: [...m.warnings] } : {}),
    ...(m.refetchOf ? { refetchOf: m.refetchOf } : {}),
    ...(m.sourceFile ? { sourceFile: m.sourceFile } : {}),
    updatedAt: m.updatedAt,
  };
}

export function isHistoryEntry(value: unknown): value is HistoryEntry {
  const v = value as Partial<HistoryEntry> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    typeof v.id === 'string' &&
    typeof v.runId === 'string' &&
    (v.kind === 'query' || v.kind === 'job') &&
    typeof v.state === 'string' &&
    typeof v.rowCount === 'number'
  );
}
