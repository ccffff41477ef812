import type { ConversationRecord } from '../genesys/types';
import { analyzeConversation } from './view/analyze';

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

/**
 * Flattens one conversation into the default columns: a projection of the one analysis the results
 * view uses too (view/analyze.ts), so the table, CSV and history exports never disagree.
 */
export function flattenConversation(c: ConversationRecord): FlatConversation {
  const x = analyzeConversation(c, 0, false);
  return {
    conversationId: c.conversationId,
    conversationStart: c.conversationStart,
    conversationEnd: c.conversationEnd,
    durationMs: x.start === null || x.end === null ? undefined : x.end - x.start,
    originatingDirection: c.originatingDirection,
    mediaType: x.mediaType,
    queues: x.queues,
    queueIds: x.queueIds,
    agents: x.agents,
    agentIds: x.agentIds,
    ani: x.ani,
    dnis: x.dnis,
    wrapUpCode: x.wrapUpCode,
    tHandle: x.agentMetrics.get('tHandle'),
    tTalk: x.agentMetrics.get('tTalk'),
    tHeld: x.agentMetrics.get('tHeld'),
    tAcw: x.agentMetrics.get('tAcw'),
    tAcd: x.allMetrics.get('tAcd'),
    tAnswered: x.agentMetrics.get('tAnswered'),
    abandoned: x.abandoned,
    customerDisconnectType: x.customerDisconnect,
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
