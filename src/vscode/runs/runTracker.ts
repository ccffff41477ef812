/**
 * The runs this window has in flight: their progress for the notification and the status bar, and the
 * AbortController that cancels each. Plain data and a change event (no vscode import).
 */
import { Emitter } from '../../common/emitter';
import type { Event } from '../../common/emitter';
import type { JobState } from '../../genesys/types';
import type { RunProgress } from '../../jobs/runTypes';
import type { RunKind } from '../../results/manifest';
import { formatDuration } from '../history/historyModel';

export interface TrackedRun {
  readonly runId: string;
  readonly kind: RunKind;
  readonly label: string;
  readonly connectionId: string;
  readonly startedAt: number;
  readonly controller: AbortController;
  /** The body sent (labels the run in the tree until its history entry exists). */
  readonly body?: unknown;
  jobState?: JobState;
  pages: number;
  rowCount: number;
  totalHits?: number;
  /** True once the run shows only in the status bar (started there, resumed, or sent there). */
  background: boolean;
  /** Ends the run's progress notification; the run goes on in the status bar. */
  sendToBackground?: () => void;
}

export class RunTracker {
  private readonly _runs = new Map<string, TrackedRun>();
  private readonly _onDidChange = new Emitter<TrackedRun | undefined>();
  /** Fires with the changed run, or undefined when one was added or removed. */
  readonly onDidChange: Event<TrackedRun | undefined> = this._onDidChange.event;

  add(run: TrackedRun): void {
    this._runs.set(run.runId, run);
    this._onDidChange.fire(undefined);
  }

  remove(runId: string): void {
    if (this._runs.delete(runId)) {
      this._onDidChange.fire(undefined);
    }
  }

  get(runId: string): TrackedRun | undefined {
    return this._runs.get(runId);
  }

  has(runId: string): boolean {
    return this._runs.has(runId);
  }

  /** Oldest first. */
  list(): TrackedRun[] {
    return [...this._runs.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  ids(): ReadonlySet<string> {
    return new Set(this._runs.keys());
  }

  get size(): number {
    return this._runs.size;
  }

  /** Applies a runner progress event to the run it names. */
  report(event: RunProgress): void {
    const run = this._runs.get(event.runId);
    if (!run) {
      return;
    }
    if (event.type === 'state') {
      run.jobState = event.state;
    } else if (event.type === 'submitted') {
      run.jobState = 'QUEUED';
    } else if (event.type === 'page') {
      run.pages = event.pages;
      run.rowCount = event.rowCount;
      if (event.totalHits !== undefined) {
        run.totalHits = event.totalHits;
      }
    } else {
      return;
    }
    this._onDidChange.fire(run);
  }

  cancel(runId: string): boolean {
    const run = this._runs.get(runId);
    if (!run) {
      return false;
    }
    run.controller.abort();
    return true;
  }

  dispose(): void {
    // Deliberately not aborting: an abort cancels (DELETEs) the job, while a run cut off by a window
    // reload or shutdown must stay resumable from its manifest at the next start-up.
    this._runs.clear();
    this._onDidChange.dispose();
  }
}

/** "PENDING · 12 s · 3 pages · 2,400 rows" (a job before paging shows its state only). */
export function progressText(run: Pick<TrackedRun, 'kind' | 'jobState' | 'pages' | 'rowCount' | 'totalHits' | 'startedAt'>, now: number): string {
  const parts: string[] = [];
  if (run.kind === 'job') {
    parts.push(run.jobState ?? 'SUBMITTING');
  }
  parts.push(formatDuration(now - run.startedAt));
  if (run.pages > 0 || run.kind === 'query') {
    parts.push(`${run.pages} ${run.pages === 1 ? 'page' : 'pages'}`);
    const of = run.totalHits !== undefined ? ` of ${run.totalHits.toLocaleString('en-US')}` : '';
    parts.push(`${run.rowCount.toLocaleString('en-US')}${of} rows`);
  }
  return parts.join(' · ');
}
