import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../../common/atomicFile';
import { SerialQueue } from '../../common/serialQueue';
import type { GenesysErrorKind } from '../../genesys/errors';
import type { AsyncJobBody } from '../../genesys/types';
import type { RunStatus } from '../runTypes';
import type { Span } from './splitInterval';

/** Folder (inside the run's folder) holding the sub-jobs' own caches until they are merged. */
export const PARTS_DIR = 'parts';

/** split.json in the run's folder: what a resume or a re-fetch of a split run needs beyond its manifest. */
export const PLAN_FILE = 'split.json';

/** One sub-job of a split run, as persisted. */
export interface PlanPart {
  /** Its span's position in `spans` (chronological). */
  index: number;
  /**
   * Its run id under `<run>/parts/`, chosen before it is started: a resume finds its cache there (and
   * resumes it, never re-submitting one whose submission may have been sent), or no folder at all
   * (never created, so never submitted: it may be started).
   */
  runId: string;
  /**
   * Its cache keeps only the rows its span owns (see ownerOf; the others are dropped as pages arrive), so
   * it is merged as stored, without reading its rows. Absent in plans from before that.
   */
  ownRowsOnly?: boolean;
  /** Re-fetch: a finished run in the main store whose cached rows of this span are copied instead of fetched. */
  copyFrom?: string;
  /** How it ended; absent while it runs or before it starts. */
  status?: RunStatus;
  errorKind?: GenesysErrorKind;
  errorMessage?: string;
  rows?: number;
  pages?: number;
  /** Its rows are in the merged run (and its own cache may be deleted). */
  merged?: boolean;
}

export interface SplitPlanFile {
  version: 1;
  spans: Span[];
  bodies: AsyncJobBody[];
  parts: PlanPart[];
}

/** True when a part's span has to be fetched again to make its run whole (Re-fetch does that alone). */
export function isMissing(part: PlanPart): boolean {
  return part.status !== 'completed' || part.merged !== true;
}

/**
 * The persisted plan of one split run. Every save writes the whole plan with tmp + rename (as the
 * manifest), one save at a time, so a crash leaves the previous or the next plan, never half of one.
 */
export class SplitPlanStore {
  private readonly _queue = new SerialQueue();

  private constructor(
    readonly runDir: string,
    readonly plan: SplitPlanFile,
  ) {}

  static async create(runDir: string, plan: SplitPlanFile): Promise<SplitPlanStore> {
    const store = new SplitPlanStore(runDir, plan);
    await store.save();
    return store;
  }

  /** The plan of the run in `runDir`, or undefined when it is not a split run. */
  static async open(runDir: string): Promise<SplitPlanStore | undefined> {
    const plan = await readPlan(runDir);
    return plan ? new SplitPlanStore(runDir, plan) : undefined;
  }

  /** Deletes the sub-jobs' caches (once every part is merged and the run is done). */
  async removeParts(): Promise<void> {
    await fsp.rm(join(this.runDir, PARTS_DIR), { recursive: true, force: true });
  }

  /** Writes the plan as it is now (a snapshot taken when the write starts). */
  save(): Promise<void> {
    return this._queue.run(() => writeFileAtomic(join(this.runDir, PLAN_FILE), JSON.stringify(this.plan)));
  }
}

/** True when the run in `runDir` is a split run (has a plan). */
export async function isSplitRun(runDir: string): Promise<boolean> {
  try {
    await fsp.access(join(runDir, PLAN_FILE));
    return true;
  } catch {
    return false;
  }
}

/** Reads split.json of a run folder; undefined when there is none. A damaged one is an error (never guessed at). */
export async function readPlan(runDir: string): Promise<SplitPlanFile | undefined> {
  const file = join(runDir, PLAN_FILE);
  let value: unknown;
  try {
    value = await readJsonFile(file);
  } catch (err) {
    throw new Error(`The split plan of this run is damaged (${file}: ${String(err)}). Delete the run and run the job again.`, { cause: err });
  }
  if (value === undefined) {
    return undefined;
  }
  const v = value as Partial<SplitPlanFile>;
  if (v.version !== 1 || !Array.isArray(v.spans) || !Array.isArray(v.bodies) || !Array.isArray(v.parts) || v.parts.length !== v.spans.length) {
    throw new Error(`The split plan of this run is damaged (${file} is not a split plan). Delete the run and run the job again.`);
  }
  return v as SplitPlanFile;
}
