import type * as vscode from 'vscode';
import { Settings } from '../../constants';
import { historyEntryFromManifest } from '../../history/historyEntry';
import { pruneResults } from '../../history/prune';
import { isSplitRun } from '../../jobs/splitRun/splitPlan';
import type { RunManifest } from '../../results/manifest';
import type { RunsEngine } from './runsEngine';
import type { RunService } from './runService';
import type { RunTracker } from './runTracker';

/**
 * After a reload or crash: sync runs left RUNNING by a dead process become ERROR + partial (rows kept),
 * mirrored into history. Once per window.
 */
export async function recoverInterruptedQueries(engine: RunsEngine, log: vscode.LogOutputChannel): Promise<void> {
  for (const m of await engine.store.recoverInterruptedQueries()) {
    log.warn(`Query run ${m.runId} was interrupted after ${m.rowCount} row(s); marked partial.`);
    await engine.history.upsert(historyEntryFromManifest(m, engine.store.runDir(m.runId)));
  }
}

/**
 * Resumes, in the background, the job runs of `connectionId` that did not finish (reload, crash,
 * network error) and have a job id. Each continues from its stored cursor, so no row is lost or duplicated; runs this
 * window is already following are skipped, and a run another window holds fails to open its writer.
 */
export async function resumeJobsOf(connectionId: string, engine: RunsEngine, service: RunService, log: vscode.LogOutputChannel): Promise<string[]> {
  // Only runs with a job id: one that never got an answer to its submission would be submitted again,
  // and a job submission is never repeated without the user's say (they can choose Submit Again).
  // A split run has no job id of its own: its sub-jobs' are in their manifests, and resume follows its plan.
  const resumable: RunManifest[] = [];
  for (const m of await engine.store.listResumable()) {
    if (m.connectionId === connectionId && (m.jobId !== undefined || (await isSplitRun(engine.store.runDir(m.runId))))) {
      resumable.push(m);
    }
  }
  for (const m of resumable) {
    log.info(`Resuming job run ${m.runId} (${m.phase}, ${m.rowCount} row(s) so far)`);
    void service.resume(m.runId, { background: true, ask: false });
  }
  return resumable.map((m) => m.runId);
}

/** Prunes the results cache per `genesysCloud.results.cacheMax*`, never touching runs in flight. */
export async function pruneCache(engine: RunsEngine, tracker: RunTracker, config: vscode.WorkspaceConfiguration, log: vscode.LogOutputChannel): Promise<void> {
  const maxMB = config.get<number>(Settings.resultsCacheMaxSizeMB, 2048);
  const maxDays = config.get<number>(Settings.resultsCacheMaxAgeDays, 30);
  try {
    await pruneResults({
      store: engine.store,
      history: engine.history,
      maxTotalBytes: maxMB > 0 ? maxMB * 1024 * 1024 : undefined,
      maxAgeMs: maxDays > 0 ? maxDays * 86_400_000 : undefined,
      activeRunIds: tracker.ids(),
      logger: log,
    });
  } catch (err) {
    log.warn(`Pruning the results cache failed: ${String(err)}`);
  }
}
