import type { ConversationRecord, ParticipantRecord, SessionRecord } from '../genesys/types';

/** A flat cell value: what the table shows and CSV writes. Arrays are joined with ';'. */
export type CellValue = string | number | boolean | undefined;

/** One table/CSV column computed from a conversation record. */
export interface ColumnDef {
  id: string;
  title: string;
  /** How the table should align/sort it. */
  type: 'string' | 'number' | 'boolean' | 'date';
  get(row: FlatConversation): CellValue;
}

/**
 * The default flattening (genesys-api.md §6, "Suggested default table columns"): computed in one pass
 * over participants/sessions/segments so a million rows stay cheap.
 */
export interface FlatConversation {
  conversationId: string;
  conversationStart?: string;
  conversationEnd?: string;
  durationMs?: number;
  originatingDirection?: string;
  mediaType?: string;
  queues?: string;
  queueIds?: string;
  agents?: string;
  agentIds?: string;
  ani?: string;
  dnis?: string;
  wrapUpCode?: string;
  tHandle?: number;
  tTalk?: number;
  tHeld?: number;
  tAcw?: number;
  tAcd?: number;
  tAnswered?: number;
  abandoned: boolean;
  customerDisconnectType?: string;
  divisionIds?: string;
}

const AGENT_METRICS = ['tHandle', 'tTalk', 'tHeld', 'tAcw', 'tAnswered'] as const;

/** Distinct non-empty values joined with ';' in first-seen order; undefined when none (the view's grains too). */
export function joinUnique(values: Iterable<string | undefined>): string | undefined {
  const set = new Set<string>();
  for (const v of values) {
    if (v) {
      set.add(v);
    }
  }
  return set.size > 0 ? [...set].join(';') : undefined;
}

function sessionsOf(p: ParticipantRecord): SessionRecord[] {
  return Array.isArray(p.sessions) ? p.sessions : [];
}

function isCustomer(p: ParticipantRecord): boolean {
  return p.purpose === 'customer' || p.purpose === 'external';
}

/** Flattens one conversation into the default columns. */
export function flattenConversation(c: ConversationRecord): FlatConversation {
  const participants = Array.isArray(c.participants) ? c.participants : [];
  const queues: Array<string | undefined> = [];
  const queueIds: Array<string | undefined> = [];
  const agents: Array<string | undefined> = [];
  const agentIds: Array<string | undefined> = [];
  const sums: Record<string, number | undefined> = {};
  let mediaType: string | undefined;
  let ani: string | undefined;
  let dnis: string | undefined;
  let wrapUpCode: string | undefined;
  let abandoned = false;
  let customerDisconnectType: string | undefined;
  const add = (name: string, value: unknown): void => {
    if (typeof value === 'number') {
      sums[name] = (sums[name] ?? 0) + value;
    }
  };
  for (const p of participants) {
    const agent = p.purpose === 'agent' || p.purpose === 'user';
    if (p.purpose === 'acd') {
      queues.push(p.participantName);
    }
    if (agent) {
      agents.push(p.participantName ?? p.userId);
      agentIds.push(p.userId);
    }
    for (const s of sessionsOf(p)) {
      mediaType ??= s.mediaType;
      if (isCustomer(p)) {
        ani ??= s.ani;
        dnis ??= s.dnis;
      }
      for (const m of Array.isArray(s.metrics) ? s.metrics : []) {
        if (m.name === 'tAbandon') {
          abandoned = true;
        }
        if (agent && (AGENT_METRICS as readonly string[]).includes(m.name ?? '')) {
          add(m.name!, m.value);
        }
        if (m.name === 'tAcd') {
          add('tAcd', m.value);
        }
      }
      for (const g of Array.isArray(s.segments) ? s.segments : []) {
        queueIds.push(g.queueId);
        if (agent && g.segmentType === 'wrapup' && g.wrapUpCode) {
          wrapUpCode = g.wrapUpCode;
        }
        if (isCustomer(p) && g.disconnectType) {
          customerDisconnectType = g.disconnectType;
        }
      }
    }
  }
  // Sessions without a customer participant (outbound/internal): fall back to the first ani/dnis seen.
  if (ani === undefined && dnis === undefined) {
    const first = participants.flatMap(sessionsOf).find((s) => s.ani !== undefined || s.dnis !== undefined);
    ani = first?.ani;
    dnis = first?.dnis;
  }
  const start = c.conversationStart ? Date.parse(c.conversationStart) : NaN;
  const end = c.conversationEnd ? Date.parse(c.conversationEnd) : NaN;
  return {
    conversationId: c.conversationId,
    conversationStart: c.conversationStart,
    conversationEnd: c.conversationEnd,
    durationMs: Number.isNaN(start) || Number.isNaN(end) ? undefined : end - start,
    originatingDirection: c.originatingDirection,
    mediaType,
    queues: joinUnique(queues) ?? joinUnique(queueIds),
    queueIds: joinUnique(queueIds),
    agents: joinUnique(agents),
    agentIds: joinUnique(agentIds),
    ani,
    dnis,
    wrapUpCode,
    tHandle: sums.tHandle,
    tTalk: sums.tTalk,
    tHeld: sums.tHeld,
    tAcw: sums.tAcw,
    tAcd: sums.tAcd,
    tAnswered: sums.tAnswered,
    abandoned,
    customerDisconnectType,
    divisionIds: Array.isArray(c.divisionIds) ? c.divisionIds.join(';') : undefined,
  };
}

function col(id: keyof FlatConversation, title: string, type: ColumnDef['type']): ColumnDef {
  return { id, title, type, get: (row) => row[id] };
}

/** Default table and CSV columns, in display order. */
export const DEFAULT_COLUMNS: readonly ColumnDef[] = [
  col('conversationId', 'Conversation ID', 'string'),
  col('conversationStart', 'Start', 'date'),
  col('conversationEnd', 'End', 'date'),
  col('durationMs', 'Duration (ms)', 'number'),
  col('originatingDirection', 'Direction', 'string'),
  col('mediaType', 'Media', 'string'),
  col('queues', 'Queue(s)', 'string'),
  col('agents', 'Agent(s)', 'string'),
  col('ani', 'ANI', 'string'),
  col('dnis', 'DNIS', 'string'),
  col('wrapUpCode', 'Wrap-up code', 'string'),
  col('tHandle', 'tHandle (ms)', 'number'),
  col('tTalk', 'tTalk (ms)', 'number'),
  col('tHeld', 'tHeld (ms)', 'number'),
  col('tAcw', 'tAcw (ms)', 'number'),
  col('tAcd', 'tAcd (ms)', 'number'),
  col('abandoned', 'Abandoned', 'boolean'),
  col('divisionIds', 'Division IDs', 'string'),
];

/** Further columns the table may offer (hidden by default). */
export const EXTRA_COLUMNS: readonly ColumnDef[] = [
  col('queueIds', 'Queue IDs', 'string'),
  col('agentIds', 'Agent user IDs', 'string'),
  col('tAnswered', 'tAnswered (ms)', 'number'),
  col('customerDisconnectType', 'Customer disconnect', 'string'),
];

/** Every known column by id. */
export function findColumn(id: string): ColumnDef | undefined {
  return [...DEFAULT_COLUMNS, ...EXTRA_COLUMNS].find((c) => c.id === id);
}

/** The cells of one record for the given columns, in order. */
export function rowCells(c: ConversationRecord, columns: readonly ColumnDef[] = DEFAULT_COLUMNS): CellValue[] {
  const flat = flattenConversation(c);
  return columns.map((column) => column.get(flat));
}
