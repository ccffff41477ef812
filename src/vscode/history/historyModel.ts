/**
 * The Query History tree's view-models, as plain data: grouping by connection, newest-first order,
 * labels, descriptions, tooltips, expiry countdowns and contextValue capability tokens. Pure (no vscode
 * import, `now` passed in) so it is unit-tested; historyTreeProvider.ts maps these to TreeItems.
 */
import type { HistoryEntry } from '../../history/historyEntry';
import { formatInterval } from '../runs/presets';

/** What the tree shows for a run; also the ThemeIcon choice and a state filter value. */
export type DisplayState = 'queued' | 'running' | 'fulfilled' | 'failed' | 'cancelled' | 'expired' | 'partial';
export const DISPLAY_STATES: readonly DisplayState[] = ['queued', 'running', 'fulfilled', 'partial', 'failed', 'cancelled', 'expired'];

/** Codicon and theme colour per state (ThemeIcon ids; the colour is a ThemeColor id or undefined). */
export const STATE_ICONS: Readonly<Record<DisplayState, { icon: string; color?: string }>> = {
  queued: { icon: 'clock' },
  running: { icon: 'sync~spin' },
  fulfilled: { icon: 'pass', color: 'testing.iconPassed' },
  partial: { icon: 'warning', color: 'list.warningForeground' },
  failed: { icon: 'error', color: 'list.errorForeground' },
  cancelled: { icon: 'circle-slash' },
  expired: { icon: 'history', color: 'disabledForeground' },
};

/** Capability tokens in an item's contextValue, matched by `viewItem =~ /token;/` in package.json menus. */
export const Capability = {
  run: 'run',
  job: 'job',
  query: 'query',
  hasResults: 'hasResults',
  exportable: 'exportable',
  cancellable: 'cancellable',
  refetchable: 'refetchable',
  rerunnable: 'rerunnable',
  deletable: 'deletable',
} as const;

export interface HistoryFilter {
  connectionId?: string;
  states?: readonly DisplayState[];
}

export interface RunItemModel {
  readonly runId: string;
  readonly connectionId: string;
  readonly state: DisplayState;
  readonly label: string;
  readonly description: string;
  /** Plain-text lines; the provider joins them into a tooltip. */
  readonly tooltip: readonly string[];
  readonly contextValue: string;
}

export interface ConnectionGroupModel {
  readonly connectionId: string;
  readonly label: string;
  readonly runs: readonly RunItemModel[];
}

/** What the model needs besides the entries. */
export interface ModelContext {
  now: number;
  /** Runs this window is running now (cancellable here, never deletable). */
  inFlight: ReadonlySet<string>;
  /** Friendly names of runs (the query file they came from), by run id. */
  runLabels: ReadonlyMap<string, string>;
  /** Connection labels by id; unknown ids show as themselves. */
  connectionLabels: ReadonlyMap<string, string>;
  /** Job runs split into parallel sub-jobs, and how many (a split run has no job id of its own). */
  subJobs?: ReadonlyMap<string, number>;
}

export function isExpired(entry: Pick<HistoryEntry, 'expirationDate'>, now: number): boolean {
  return entry.expirationDate !== undefined && Date.parse(entry.expirationDate) <= now;
}

export function displayState(entry: HistoryEntry, now: number, inFlight = false): DisplayState {
  switch (entry.state) {
    case 'QUEUED':
      return 'queued';
    case 'PENDING':
    case 'RUNNING':
      return 'running';
    case 'FULFILLED':
      // A job is FULFILLED at Genesys while its pages are still being fetched.
      if (entry.kind === 'job' && !entry.completedAt) {
        return inFlight ? 'running' : 'partial';
      }
      if (entry.kind === 'job' && isExpired(entry, now)) {
        return 'expired';
      }
      return entry.partial ? 'partial' : 'fulfilled';
    case 'PARTIAL':
      return 'partial';
    case 'CANCELLED':
      return 'cancelled';
    case 'EXPIRED':
      return 'expired';
    case 'FAILED':
    case 'ERROR':
      return inFlight ? 'running' : 'failed';
    default:
      return 'failed';
  }
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (Number.isNaN(ms) || ms < 60_000) {
    return 'just now';
  }
  return `${formatDuration(ms)} ago`;
}

/** A coarse duration: "45 s", "5 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) {
    return `${s} s`;
  }
  const min = Math.floor(s / 60);
  if (min < 60) {
    return `${min} min`;
  }
  const h = Math.floor(min / 60);
  if (h < 24) {
    return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  }
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** "expires in 2 d 3 h" / "expired 5 min ago"; undefined without an expiration date. */
export function formatExpiry(expirationDate: string | undefined, now: number): string | undefined {
  if (!expirationDate) {
    return undefined;
  }
  const at = Date.parse(expirationDate);
  if (Number.isNaN(at)) {
    return undefined;
  }
  return at > now ? `expires in ${formatDuration(at - now)}` : `expired ${formatDuration(now - at)} ago`;
}

const rows = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;

function labelOf(entry: HistoryEntry, ctx: ModelContext): string {
  const named = ctx.runLabels.get(entry.runId);
  const interval = formatInterval((entry.body as { interval?: unknown } | undefined)?.interval);
  return named ?? interval;
}

function hasResults(entry: HistoryEntry): boolean {
  return entry.resultsDir !== undefined && entry.resultsPruned !== true;
}

export function contextValueOf(entry: HistoryEntry, state: DisplayState, inFlight: boolean): string {
  const tokens: string[] = [Capability.run, entry.kind === 'job' ? Capability.job : Capability.query];
  if (hasResults(entry)) {
    tokens.push(Capability.hasResults);
    if (entry.rowCount > 0) {
      tokens.push(Capability.exportable);
    }
  }
  if (inFlight) {
    tokens.push(Capability.cancellable);
  } else {
    tokens.push(Capability.deletable);
  }
  if (entry.body !== undefined) {
    tokens.push(Capability.rerunnable);
    if (entry.kind === 'job' && state === 'expired' && !inFlight) {
      tokens.push(Capability.refetchable);
    }
  }
  return tokens.map((t) => `${t};`).join('');
}

function descriptionOf(entry: HistoryEntry, state: DisplayState, now: number): string {
  const parts: string[] = [entry.kind];
  if (state === 'queued' || state === 'running') {
    parts.push(entry.kind === 'job' && entry.state !== 'FULFILLED' ? entry.state : rows(entry.rowCount));
  } else if (state === 'expired' && hasResults(entry)) {
    parts.push(`${rows(entry.rowCount)} cached`);
  } else if (state !== 'failed' || entry.rowCount > 0) {
    parts.push(rows(entry.rowCount));
  } else {
    parts.push('failed');
  }
  if (entry.refetchOf) {
    parts.push('re-fetch');
  }
  parts.push(formatAge(entry.submittedAt, now));
  return parts.join(' · ');
}

function tooltipOf(entry: HistoryEntry, state: DisplayState, ctx: ModelContext): string[] {
  const lines = [`${labelOf(entry, ctx)} — ${state}`];
  const subJobs = ctx.subJobs?.get(entry.runId);
  lines.push(entry.kind === 'job' ? (subJobs ? `Jobs: ${subJobs} sub-jobs over sub-intervals, merged into this run` : `Job ID: ${entry.jobId ?? '(not submitted yet)'}`) : `Query ID: ${entry.id}`);
  lines.push(`Run ID: ${entry.runId}`);
  lines.push(`Connection: ${ctx.connectionLabels.get(entry.connectionId) ?? entry.connectionId}`);
  const interval = (entry.body as { interval?: unknown } | undefined)?.interval;
  if (typeof interval === 'string') {
    lines.push(`Interval: ${interval}`);
  }
  lines.push(`Submitted: ${entry.submittedAt}`);
  if (entry.completedAt) {
    lines.push(`Completed: ${entry.completedAt}`);
  }
  const expiry = formatExpiry(entry.expirationDate, ctx.now);
  if (expiry) {
    // "expires in 2 d" → "Results expire in 2 d (…)"; "expired 5 min ago" stays as it is.
    lines.push(`Results ${expiry.replace(/^expires/, 'expire')} (${entry.expirationDate})`);
  }
  lines.push(`Rows: ${entry.rowCount.toLocaleString('en-US')}${entry.partial ? ' (partial)' : ''}${entry.resultsPruned ? ' — cache pruned' : ''}`);
  if (entry.errorMessage) {
    lines.push(`Error: ${entry.errorMessage}`);
  }
  for (const w of entry.warnings ?? []) {
    lines.push(`Warning: ${w}`);
  }
  if (entry.sourceFile) {
    lines.push(`Query file: ${sourcePath(entry.sourceFile)}`);
  }
  if (entry.refetchOf) {
    lines.push(`Re-fetch of run ${entry.refetchOf}`);
  }
  if (entry.refetchedBy) {
    lines.push(`Re-fetched as run ${entry.refetchedBy}`);
  }
  return lines;
}

/** A file URI as a path (`file:///w/a%20b.gcquery.json` → `/w/a b.gcquery.json`); other URIs as they are. */
function sourcePath(uri: string): string {
  try {
    const url = new URL(uri);
    return url.protocol === 'file:' ? decodeURIComponent(url.pathname) : uri;
  } catch {
    return uri;
  }
}

export function runItemModel(entry: HistoryEntry, ctx: ModelContext): RunItemModel {
  const inFlight = ctx.inFlight.has(entry.runId);
  const state = displayState(entry, ctx.now, inFlight);
  return {
    runId: entry.runId,
    connectionId: entry.connectionId,
    state,
    label: labelOf(entry, ctx),
    description: descriptionOf(entry, state, ctx.now),
    tooltip: tooltipOf(entry, state, ctx),
    contextValue: contextValueOf(entry, state, inFlight),
  };
}

/** Groups by connection (the group with the newest run first), runs newest first, after the filter. */
export function buildHistoryModel(entries: readonly HistoryEntry[], ctx: ModelContext, filter: HistoryFilter = {}): ConnectionGroupModel[] {
  const sorted = [...entries].sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || b.runId.localeCompare(a.runId));
  const groups = new Map<string, RunItemModel[]>();
  for (const entry of sorted) {
    if (filter.connectionId !== undefined && entry.connectionId !== filter.connectionId) {
      continue;
    }
    const item = runItemModel(entry, ctx);
    if (filter.states && filter.states.length > 0 && !filter.states.includes(item.state)) {
      continue;
    }
    const list = groups.get(entry.connectionId) ?? [];
    list.push(item);
    groups.set(entry.connectionId, list);
  }
  return [...groups].map(([connectionId, runs]) => ({ connectionId, label: ctx.connectionLabels.get(connectionId) ?? connectionId, runs }));
}

/**
 * When the tree must redraw on its own: the next expiry among live entries, or in a minute while any
 * countdown or age is shown (their text changes). Undefined when nothing changes with time.
 */
export function nextRefreshDelay(entries: readonly HistoryEntry[], now: number): number | undefined {
  let next: number | undefined;
  for (const e of entries) {
    if (e.expirationDate && e.state !== 'EXPIRED') {
      const at = Date.parse(e.expirationDate);
      if (at > now) {
        next = Math.min(next ?? Infinity, at - now);
      }
    }
  }
  if (entries.length === 0) {
    return next;
  }
  return Math.max(250, Math.min(next ?? 60_000, 60_000));
}
