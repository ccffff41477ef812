/**
 * Query presets offered when the active editor holds no query body. Pure (no vscode import) so the
 * bodies they produce are unit-tested; the QuickPick steps that choose them are in runPickers.ts.
 */
import type { AsyncJobBody, ConversationQueryBody, QueryFilter } from '../../genesys/types';
import type { RunKind } from '../../results/manifest';

/** Media types offered by the preset picker (a subset of genesys-enums.md `mediaType`). */
export const PRESET_MEDIA_TYPES = ['voice', 'chat', 'message', 'email', 'callback'] as const;
export type PresetMediaType = (typeof PRESET_MEDIA_TYPES)[number];

export type PresetRange =
  | { kind: 'yesterday' }
  | { kind: 'last7Days' }
  /** An ISO-8601 `start/end` interval the user typed. */
  | { kind: 'interval'; interval: string };

export interface PresetChoice {
  range: PresetRange;
  /** Undefined: every media type. */
  mediaType?: PresetMediaType;
  /** Undefined: every queue. Picked by name, sent as the ID. */
  queueId?: string;
}

const DAY_MS = 86_400_000;

/** The tutorial's classic query: yesterday's voice conversations (UTC day), oldest first. */
export const CLASSIC_PRESET: PresetChoice = { range: { kind: 'yesterday' }, mediaType: 'voice' };

/** `start/end` for a range, in whole UTC days ending at the start of today for the relative ones. */
export function presetInterval(range: PresetRange, now: Date): string {
  if (range.kind === 'interval') {
    return range.interval.trim();
  }
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const days = range.kind === 'yesterday' ? 1 : 7;
  return `${new Date(today - days * DAY_MS).toISOString()}/${new Date(today).toISOString()}`;
}

function segmentFilters(choice: PresetChoice): QueryFilter[] {
  const predicates: QueryFilter['predicates'] = [];
  if (choice.mediaType) {
    predicates.push({ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: choice.mediaType });
  }
  if (choice.queueId) {
    predicates.push({ type: 'dimension', dimension: 'queueId', operator: 'matches', value: choice.queueId });
  }
  return predicates.length > 0 ? [{ type: 'and', predicates }] : [];
}

/**
 * The body for a preset. A sync query carries no `paging` here (the page/all step adds it); a job body
 * never may (validateJobBody rejects it).
 */
export function presetBody(choice: PresetChoice, kind: RunKind, now: Date): ConversationQueryBody | AsyncJobBody {
  const body: ConversationQueryBody & AsyncJobBody = {
    interval: presetInterval(choice.range, now),
    order: 'asc',
    orderBy: 'conversationStart',
    ...(choice.mediaType || choice.queueId ? { segmentFilters: segmentFilters(choice) } : {}),
  };
  if (kind === 'job') {
    // Job semantics differ from the query's by default (every conversation overlapping the interval);
    // match the query so the same preset gives the same conversations either way.
    body.startOfDayIntervalMatching = true;
  }
  return body;
}

/** Checks a typed `start/end` interval; returns a message while it is not acceptable. */
export function checkIntervalInput(value: string): string | undefined {
  const parts = value.trim().split('/');
  if (parts.length !== 2) {
    return 'Enter two ISO-8601 instants separated by "/", for example 2026-01-01T00:00:00Z/2026-01-02T00:00:00Z.';
  }
  const [start, end] = parts.map((p) => Date.parse(p));
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return 'Both ends must be ISO-8601 instants, for example 2026-01-01T00:00:00Z.';
  }
  if (end! <= start!) {
    return 'The end must be after the start.';
  }
  return undefined;
}

/** A short human label for an interval: whole UTC days as dates, other instants to the minute. */
export function formatInterval(interval: unknown): string {
  if (typeof interval !== 'string' || !interval.includes('/')) {
    return 'query';
  }
  const [a, b] = interval.split('/').map((p) => p.trim());
  const fmt = (iso: string): string => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) {
      return iso;
    }
    const text = new Date(ms).toISOString();
    return ms % DAY_MS === 0 ? text.slice(0, 10) : `${text.slice(0, 10)} ${text.slice(11, 16)}`;
  };
  return `${fmt(a!)} → ${fmt(b!)}`;
}

/**
 * Whether `text` (an editor's content) is a conversation-detail query body: a JSON object with an
 * `interval` string. Comments and trailing commas (JSONC) are not supported; such a file falls back
 * to the presets with a note in the log.
 */
export function parseQueryBody(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const body = value as Record<string, unknown>;
  return typeof body.interval === 'string' ? body : undefined;
}

/** A sync body as a job body: paging and aggregations removed (jobs reject both), same filters. */
export function toJobBody(body: Record<string, unknown>): Record<string, unknown> {
  const { paging: _paging, aggregations: _aggregations, ...rest } = body;
  return rest;
}

/** A body as a sync query for one page or from `pageNumber` on, with the given page size. */
export function withPaging(body: Record<string, unknown>, pageSize: number, pageNumber: number): Record<string, unknown> {
  const { limit: _limit, startOfDayIntervalMatching: _sod, ...rest } = body;
  return { ...rest, paging: { pageSize, pageNumber } };
}
