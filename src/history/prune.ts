import type { Logger } from '../common/logger';
import { silentLogger } from '../common/logger';
import { isRunInProgress } from '../results/manifest';
import type { ResultsStore } from '../results/resultsStore';
import type { HistoryStore } from './historyStore';

export interface PruneOptions {
  store: ResultsStore;
  /** When given, pruned runs are marked `resultsPruned` (the entries themselves stay). */
  history?: HistoryStore;
  /** Largest total size of cached results in bytes; 0 or undefined: no limit. */
  maxTotalBytes?: number;
  /** Results older than this (by last update) are deleted; 0 or undefined: keep forever. */
  maxAgeMs?: number;
  /** Runs in progress in this process (never pruned, whatever their manifest says). */
  activeRunIds?: ReadonlySet<string>;
  now?: number;
  logger?: Logger;
}

export interface PruneResult {
  deleted: Array<{ runId: string; bytes: number; reason: 'age' | 'size' }>;
  keptBytes: number;
  skippedActive: string[];
}

/**
 * Deletes cached results past the age limit, then the oldest runs until the total fits the size limit.
 * Running or resumable runs (active state, job not done, or listed in `activeRunIds`) are never touched.
 */
export async function pruneResults(options: PruneOptions): Promise<PruneResult> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now();
  const runs = await options.store.list();
  const sized = await Promise.all(runs.map(async (m) => ({ m, bytes: await options.store.sizeOf(m.runId) })));
  sized.sort((a, b) => a.m.updatedAt.localeCompare(b.m.updatedAt));
  const result: PruneResult = { deleted: [], keptBytes: 0, skippedActive: [] };
  const keep: typeof sized = [];
  for (const item of sized) {
    const active = isRunInProgress(item.m) || options.activeRunIds?.has(item.m.runId) === true;
    if (active) {
      result.skippedActive.push(item.m.runId);
      result.keptBytes += item.bytes;
      continue;
    }
    if (options.maxAgeMs && now - Date.parse(item.m.updatedAt) > options.maxAgeMs) {
      await deleteRun(options, item.m.runId);
      result.deleted.push({ runId: item.m.runId, bytes: item.bytes, reason: 'age' });
      continue;
    }
    keep.push(item);
  }
  let total = result.keptBytes + keep.reduce((n, i) => n + i.bytes, 0);
  for (const item of keep) {
    if (options.maxTotalBytes && total > options.maxTotalBytes) {
      await deleteRun(options, item.m.runId);
      result.deleted.push({ runId: item.m.runId, bytes: item.bytes, reason: 'size' });
      total -= item.bytes;
    }
  }
  result.keptBytes = total;
  if (result.deleted.length > 0) {
    logger.info(`Pruned ${result.deleted.length} cached result set(s); ${Math.round(total / 1e6)} MB kept.`);
  }
  return result;
}

async function deleteRun(options: PruneOptions, runId: string): Promise<void> {
  await options.store.delete(runId);
  await options.history?.update(runId, { resultsDir: undefined, resultsPruned: true });
}
