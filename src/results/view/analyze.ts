import type { ConversationRecord, ParticipantRecord, SegmentRecord, SessionRecord } from '../../genesys/types';
import { AGENT_METRICS, SESSION_METRICS } from './metrics';

/**
 * One pass over a conversation record that computes what every grain's columns read: per session its
 * metric sums and segment facts, per participant their roll-up, per conversation the §6 default columns
 * (genesys-api.md "Suggested default table columns"; src/results/flatten.ts is a projection of it).
 */

export type Sums = Map<string, number>;

export interface SegmentCtx {
  readonly session: SessionCtx;
  readonly g: SegmentRecord;
  readonly gIdx: number;
  readonly start: number | null;
  readonly end: number | null;
}

export interface SessionCtx {
  readonly participant: ParticipantCtx;
  readonly s: SessionRecord;
  readonly sIdx: number;
  readonly metrics: Sums;
  readonly segments: SegmentCtx[];
  start: number | null;
  end: number | null;
  queueId?: string;
  wrapUpCode?: string;
  wrapUpNote?: string;
  disconnectType?: string;
  abandoned: boolean;
}

export interface ParticipantCtx {
  readonly conv: ConversationCtx;
  readonly p: ParticipantRecord;
  readonly pIdx: number;
  readonly sessions: SessionCtx[];
  readonly metrics: Sums;
  start: number | null;
  end: number | null;
  mediaType?: string;
  direction?: string;
  ani?: string;
  dnis?: string;
  queueId?: string;
  wrapUpCode?: string;
  disconnectType?: string;
  abandoned: boolean;
}

export interface ConversationCtx {
  readonly c: ConversationRecord;
  readonly idx: number;
  readonly participants: ParticipantCtx[];
  readonly start: number | null;
  readonly end: number | null;
  readonly agentMetrics: Sums;
  readonly allMetrics: Sums;
  mediaType?: string;
  queues?: string;
  queueIds?: string;
  agents?: string;
  agentIds?: string;
  ani?: string;
  dnis?: string;
  wrapUpCode?: string;
  customerDisconnect?: string;
  abandoned: boolean;
  sessionCount: number;
  segmentCount: number;
}

/** Distinct non-empty values joined with ';' in first-seen order; undefined when none. */
export function joinUnique(values: Iterable<string | undefined>): string | undefined {
  const set = new Set<string>();
  for (const v of values) {
    if (v) {
      set.add(v);
    }
  }
  return set.size > 0 ? [...set].join(';') : undefined;
}

const KNOWN_METRICS = new Set(SESSION_METRICS);
/** Stand-in for the metric sums a conversation-only pass does not keep (never written to). */
const NO_SUMS: Sums = new Map();
const AGENT_METRIC_SET = new Set(AGENT_METRICS);

export function time(value: unknown): number | null {
  if (typeof value !== 'string') {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function add(sums: Sums, name: string, value: number): void {
  sums.set(name, (sums.get(name) ?? 0) + value);
}

function min(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function max(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const isAgent = (p: ParticipantRecord): boolean => p.purpose === 'agent' || p.purpose === 'user';
const isCustomer = (p: ParticipantRecord): boolean => p.purpose === 'customer' || p.purpose === 'external';

/**
 * `detail` false computes the conversation's own columns only (no per-participant, per-session or
 * per-segment rows): what a load needs while only the conversation grain is open, at about half the cost.
 */
export function analyzeConversation(c: ConversationRecord, idx: number, detail = true): ConversationCtx {
  const conv: ConversationCtx = {
    c,
    idx,
    participants: [],
    start: time(c.conversationStart),
    end: time(c.conversationEnd),
    agentMetrics: new Map(),
    allMetrics: new Map(),
    abandoned: false,
    sessionCount: 0,
    segmentCount: 0,
  };
  const queueNames: Array<string | undefined> = [];
  const queueIds: Array<string | undefined> = [];
  const agents: Array<string | undefined> = [];
  const agentIds: Array<string | undefined> = [];
  let custAni: string | undefined;
  let custDnis: string | undefined;
  let firstAddr: SessionRecord | undefined;
  list<ParticipantRecord>(c.participants).forEach((p, pi) => {
    const pc: ParticipantCtx = { conv, p, pIdx: pi + 1, sessions: [], metrics: detail ? new Map() : NO_SUMS, start: null, end: null, abandoned: false };
    conv.participants.push(pc);
    const agent = isAgent(p);
    const customer = isCustomer(p);
    if (p.purpose === 'acd') {
      queueNames.push(str(p.participantName));
    }
    if (agent) {
      agents.push(str(p.participantName) ?? str(p.userId));
      agentIds.push(str(p.userId));
    }
    list<SessionRecord>(p.sessions).forEach((s, si) => {
      const sc: SessionCtx = { participant: pc, s, sIdx: si + 1, metrics: detail ? new Map() : NO_SUMS, segments: [], start: null, end: null, abandoned: false };
      if (detail) {
        pc.sessions.push(sc);
      }
      conv.sessionCount++;
      conv.mediaType ??= str(s.mediaType);
      pc.mediaType ??= str(s.mediaType);
      pc.direction ??= str(s.direction);
      pc.ani ??= str(s.ani);
      pc.dnis ??= str(s.dnis);
      if (customer) {
        custAni ??= str(s.ani);
        custDnis ??= str(s.dnis);
      }
      if (!firstAddr && (s.ani !== undefined || s.dnis !== undefined)) {
        firstAddr = s;
      }
      for (const m of list<{ name?: unknown; value?: unknown }>(s.metrics)) {
        if (typeof m.name !== 'string' || typeof m.value !== 'number' || !KNOWN_METRICS.has(m.name)) {
          continue;
        }
        if (detail) {
          add(sc.metrics, m.name, m.value);
          add(pc.metrics, m.name, m.value);
        }
        add(conv.allMetrics, m.name, m.value);
        if (agent && AGENT_METRIC_SET.has(m.name)) {
          add(conv.agentMetrics, m.name, m.value);
        }
        if (m.name === 'tAbandon') {
          sc.abandoned = pc.abandoned = conv.abandoned = true;
        }
      }
      list<SegmentRecord>(s.segments).forEach((g, gi) => {
        conv.segmentCount++;
        if (detail) {
          const gc: SegmentCtx = { session: sc, g, gIdx: gi + 1, start: time(g.segmentStart), end: time(g.segmentEnd) };
          sc.segments.push(gc);
          sc.start = min(sc.start, gc.start);
          sc.end = max(sc.end, gc.end);
        }
        sc.queueId ??= str(g.queueId);
        queueIds.push(str(g.queueId));
        if (str(g.wrapUpCode)) {
          sc.wrapUpCode = g.wrapUpCode;
          if (agent && g.segmentType === 'wrapup') {
            conv.wrapUpCode = g.wrapUpCode;
          }
        }
        if (str(g.wrapUpNote)) {
          sc.wrapUpNote = g.wrapUpNote as string;
        }
        if (str(g.disconnectType)) {
          sc.disconnectType = g.disconnectType;
          if (customer) {
            conv.customerDisconnect = g.disconnectType;
          }
        }
      });
      pc.start = min(pc.start, sc.start);
      pc.end = max(pc.end, sc.end);
      pc.queueId ??= sc.queueId;
      pc.wrapUpCode = sc.wrapUpCode ?? pc.wrapUpCode;
      pc.disconnectType = sc.disconnectType ?? pc.disconnectType;
    });
  });
  conv.queueIds = joinUnique(queueIds);
  conv.queues = joinUnique(queueNames) ?? conv.queueIds;
  conv.agents = joinUnique(agents);
  conv.agentIds = joinUnique(agentIds);
  // Without a customer session (outbound, internal): the addresses of the first session that has any.
  const noCustomer = custAni === undefined && custDnis === undefined;
  conv.ani = noCustomer ? str(firstAddr?.ani) : custAni;
  conv.dnis = noCustomer ? str(firstAddr?.dnis) : custDnis;
  return conv;
}
