import type * as vscode from 'vscode';
import { Settings } from '../../constants';
import type { HttpEvent } from '../../genesys/httpObserver';
import type { RunnerDeps } from '../../jobs/runTypes';
import { DEFAULT_CONCURRENCY } from '../../jobs/splitRun/concurrencyPolicy';
import { SplitJobRunner } from '../../jobs/splitRun/splitJobRunner';
import type { SubJobEvent } from '../../jobs/splitRun/subJobPool';

/** Subscribes to the HTTP events of every connection's client (registerConnections' hub). */
export type HttpEventSource = (listener: (event: HttpEvent) => void) => () => void;

/** Default of `genesysCloud.jobs.maxParallelSubJobs` (package.json says the same). */
export const DEFAULT_MAX_PARALLEL_SUB_JOBS = DEFAULT_CONCURRENCY.max;

/**
 * The runner for job runs: start, resume and re-fetch. A SplitJobRunner capped by
 * `genesysCloud.jobs.maxParallelSubJobs`: with 1, or a body that cannot be split, it runs one ordinary
 * job (JobRunner); resume and re-fetch of a run without a split plan are JobRunner's too. Sub-jobs and
 * changes of the concurrency are logged, and `onSplit` learns how many sub-jobs a run has (the history
 * tooltip says so).
 */
export function createJobRunner(
  deps: RunnerDeps,
  opts: { config: vscode.WorkspaceConfiguration; pageSize?: number; httpEvents?: HttpEventSource; log: vscode.LogOutputChannel; onSplit?: (runId: string, parts: number) => void },
): SplitJobRunner {
  const maxParallel = Math.max(1, Math.min(16, Math.floor(opts.config.get<number>(Settings.jobsMaxParallelSubJobs, DEFAULT_MAX_PARALLEL_SUB_JOBS))));
  const told = new Set<string>();
  return new SplitJobRunner({
    ...deps,
    pageSize: opts.pageSize ?? opts.config.get<number>(Settings.jobsResultsPageSize, 1000),
    maxParallel,
    ...(opts.httpEvents ? { httpEvents: opts.httpEvents } : {}),
    onConcurrency: (s) => opts.log.info(`Split run: ${s.limit} sub-job(s) at once${s.jobsCap !== undefined ? ` (Genesys caps running jobs at ${s.jobsCap})` : ''}`),
    onSubJob: (e: SubJobEvent) => {
      if (!told.has(e.runId)) {
        told.add(e.runId);
        opts.onSplit?.(e.runId, e.parts);
      }
      opts.log.info(
        e.type === 'submitted'
          ? `Sub-job ${e.index + 1}/${e.parts} (${e.span}) submitted as job ${e.jobId}`
          : `Sub-job ${e.index + 1}/${e.parts} (${e.span}) ended ${e.status} with ${e.rows} row(s)`,
      );
    },
  });
}
