import type { ConversationCtx, ParticipantCtx, SegmentCtx, SessionCtx, Sums } from './analyze';
import type { ColumnSpec } from './columnSpec';
import { joined, millisBetween, spec } from './columnSpec';
import { AGENT_METRICS, CONVERSATION_METRICS, DEFAULT_METRICS, SESSION_METRICS } from './metrics';
import type { Cell, ColumnType, Grain } from './viewTypes';

/**
 * The four grains, each a table in view.duckdb. Defaults follow genesys-api.md §6 ("Suggested default
 * table columns"); every other known field is a hidden column the user can add. `rows` lists a
 * conversation's rows of the grain with their keys (1-based positions of participant, session, segment).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a grain's context type is its own business
export interface GrainDef<Ctx = any> {
  readonly grain: Grain;
  readonly columns: readonly ColumnSpec<Ctx>[];
  readonly rows: (conv: ConversationCtx, emit: (keys: readonly number[], ctx: Ctx) => void) => void;
}

const isDuration = (m: string): boolean => m.startsWith('t');
const metricType = (m: string): ColumnType => (isDuration(m) ? 'duration' : 'number');
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const field = (obj: unknown, key: string): unknown => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined);

function metricColumns<Ctx>(sums: (ctx: Ctx) => Sums, shown: readonly string[]): ColumnSpec<Ctx>[] {
  return SESSION_METRICS.map((m) => spec<Ctx>(m, m, metricType(m), (x) => sums(x).get(m), { show: shown.includes(m) }));
}

// ---------------------------------------------------------------- conversation

type C = ConversationCtx;
const conversation: GrainDef<C> = {
  grain: 'conversation',
  rows: (conv, emit) => emit([conv.idx], conv),
  columns: [
    spec<C>('conversationId', 'Conversation ID', 'string', (x) => text(x.c.conversationId), { show: true }),
    spec<C>('conversationStart', 'Start', 'time', (x) => x.start, { show: true }),
    spec<C>('conversationEnd', 'End', 'time', (x) => x.end, { show: true }),
    spec<C>('duration', 'Duration', 'duration', (x) => millisBetween(x.start, x.end), { show: true }),
    spec<C>('originatingDirection', 'Direction', 'string', (x) => text(x.c.originatingDirection), { show: true }),
    spec<C>('mediaType', 'Media', 'string', (x) => x.mediaType, { show: true }),
    spec<C>('queue', 'Queue', 'string', (x) => x.queues, { show: true }),
    spec<C>('agent', 'Agent', 'string', (x) => x.agents, { show: true }),
    spec<C>('ani', 'ANI', 'string', (x) => x.ani, { show: true }),
    spec<C>('dnis', 'DNIS', 'string', (x) => x.dnis, { show: true }),
    spec<C>('wrapUpCode', 'Wrap-up code', 'string', (x) => x.wrapUpCode, { show: true, idKind: 'wrapupcode' }),
    ...['tHandle', 'tTalk', 'tHeld', 'tAcw'].map((m) => spec<C>(m, m, 'duration', (x) => x.agentMetrics.get(m), { show: true })),
    spec<C>('abandoned', 'Abandoned', 'boolean', (x) => x.abandoned, { show: true }),
    ...AGENT_METRICS.filter((m) => !DEFAULT_METRICS.includes(m)).map((m) => spec<C>(m, `${m} (agents)`, 'duration', (x) => x.agentMetrics.get(m))),
    spec<C>('queueIds', 'Queue IDs', 'string', (x) => x.queueIds, { idKind: 'queue' }),
    spec<C>('agentIds', 'Agent user IDs', 'string', (x) => x.agentIds, { idKind: 'user' }),
    spec<C>('divisionIds', 'Division IDs', 'string', (x) => joined(x.c.divisionIds), { idKind: 'division' }),
    spec<C>('customerDisconnectType', 'Customer disconnect', 'string', (x) => x.customerDisconnect),
    spec<C>('conversationInitiator', 'Initiator', 'string', (x) => text(x.c.conversationInitiator)),
    spec<C>('customerParticipation', 'Customer participated', 'boolean', (x) => bool(x.c.customerParticipation)),
    spec<C>('externalTag', 'External tag', 'string', (x) => text(x.c.externalTag)),
    spec<C>('mediaStatsMinConversationMos', 'Min MOS', 'number', (x) => num(x.c.mediaStatsMinConversationMos)),
    spec<C>('mediaStatsMinConversationRFactor', 'Min R-factor', 'number', (x) => num(x.c.mediaStatsMinConversationRFactor)),
    spec<C>('selfServed', 'Self-served', 'boolean', (x) => bool(x.c.selfServed)),
    spec<C>('knowledgeBaseIds', 'Knowledge base IDs', 'string', (x) => joined(x.c.knowledgeBaseIds)),
    spec<C>('participantCount', 'Participants', 'number', (x) => x.participants.length),
    spec<C>('sessionCount', 'Sessions', 'number', (x) => x.sessionCount),
    spec<C>('segmentCount', 'Segments', 'number', (x) => x.segmentCount),
    ...CONVERSATION_METRICS.map((m) => spec<C>(`all_${m}`, `${m} (all sessions)`, metricType(m), (x) => x.allMetrics.get(m))),
  ],
};

// ---------------------------------------------------------------- participant

type P = ParticipantCtx;
const pField = (key: string, label = key, type: 'string' | 'boolean' = 'string'): ColumnSpec<P> =>
  spec<P>(key, label, type, (x) => (type === 'string' ? text(x.p[key]) : bool(x.p[key])));

const participant: GrainDef<P> = {
  grain: 'participant',
  rows: (conv, emit) => conv.participants.forEach((p) => emit([conv.idx, p.pIdx], p)),
  columns: [
    spec<P>('conversationId', 'Conversation ID', 'string', (x) => text(x.conv.c.conversationId), { show: true }),
    spec<P>('purpose', 'Purpose', 'string', (x) => text(x.p.purpose), { show: true }),
    spec<P>('participantName', 'Participant', 'string', (x) => text(x.p.participantName), { show: true }),
    spec<P>('userId', 'User', 'string', (x) => text(x.p.userId), { show: true, idKind: 'user' }),
    spec<P>('start', 'Start', 'time', (x) => x.start, { show: true }),
    spec<P>('end', 'End', 'time', (x) => x.end, { show: true }),
    spec<P>('duration', 'Duration', 'duration', (x) => millisBetween(x.start, x.end), { show: true }),
    spec<P>('direction', 'Direction', 'string', (x) => x.direction, { show: true }),
    spec<P>('mediaType', 'Media', 'string', (x) => x.mediaType, { show: true }),
    spec<P>('queueId', 'Queue', 'string', (x) => x.queueId, { show: true, idKind: 'queue' }),
    spec<P>('ani', 'ANI', 'string', (x) => x.ani, { show: true }),
    spec<P>('dnis', 'DNIS', 'string', (x) => x.dnis, { show: true }),
    spec<P>('wrapUpCode', 'Wrap-up code', 'string', (x) => x.wrapUpCode, { show: true, idKind: 'wrapupcode' }),
    spec<P>('abandoned', 'Abandoned', 'boolean', (x) => x.abandoned, { show: true }),
    ...metricColumns<P>((x) => x.metrics, DEFAULT_METRICS),
    spec<P>('disconnectType', 'Disconnect', 'string', (x) => x.disconnectType),
    spec<P>('participantId', 'Participant ID', 'string', (x) => text(x.p.participantId)),
    spec<P>('conversationStart', 'Conversation start', 'time', (x) => x.conv.start),
    spec<P>('originatingDirection', 'Conversation direction', 'string', (x) => text(x.conv.c.originatingDirection)),
    pField('externalContactId'),
    pField('externalOrganizationId'),
    pField('teamId'),
    pField('flaggedReason'),
    pField('screenRecording', 'screenRecording', 'boolean'),
    spec<P>('attributes', 'Attributes (JSON)', 'string', (x) => (x.p.attributes && typeof x.p.attributes === 'object' ? JSON.stringify(x.p.attributes) : undefined)),
    spec<P>('sessionCount', 'Sessions', 'number', (x) => x.sessions.length),
  ],
};

// ---------------------------------------------------------------- session

type S = SessionCtx;
const SESSION_TEXT = [
  'sessionDnis', 'addressFrom', 'addressTo', 'addressSelf', 'addressOther', 'remote', 'remoteNameDisplayable', 'edgeId', 'protocolCallId',
  'provider', 'peerId', 'usedRouting', 'agentAssistantId', 'messageType', 'deliveryStatus', 'engagementSource', 'outboundCampaignId',
  'outboundContactId', 'outboundContactListId', 'callbackUserName', 'scriptId', 'flowInType', 'flowOutType', 'cobrowseRole', 'cobrowseRoomId',
  'screenShareRoomId', 'videoRoomId', 'dispositionAnalyzer', 'dispositionName', 'monitoredParticipantId', 'journeyCustomerId',
  'journeyCustomerSessionId',
];
const FLOW_TEXT = [
  'flowId', 'flowName', 'flowVersion', 'flowType', 'entryType', 'entryReason', 'exitReason', 'transferType', 'transferTargetName',
  'transferTargetAddress', 'startingLanguage', 'endingLanguage',
];

const session: GrainDef<S> = {
  grain: 'session',
  rows: (conv, emit) => conv.participants.forEach((p) => p.sessions.forEach((s) => emit([conv.idx, p.pIdx, s.sIdx], s))),
  columns: [
    spec<S>('conversationId', 'Conversation ID', 'string', (x) => text(x.participant.conv.c.conversationId), { show: true }),
    spec<S>('purpose', 'Purpose', 'string', (x) => text(x.participant.p.purpose), { show: true }),
    spec<S>('participantName', 'Participant', 'string', (x) => text(x.participant.p.participantName), { show: true }),
    spec<S>('userId', 'User', 'string', (x) => text(x.participant.p.userId), { show: true, idKind: 'user' }),
    spec<S>('start', 'Start', 'time', (x) => x.start, { show: true }),
    spec<S>('end', 'End', 'time', (x) => x.end, { show: true }),
    spec<S>('duration', 'Duration', 'duration', (x) => millisBetween(x.start, x.end), { show: true }),
    spec<S>('direction', 'Direction', 'string', (x) => text(x.s.direction), { show: true }),
    spec<S>('mediaType', 'Media', 'string', (x) => text(x.s.mediaType), { show: true }),
    spec<S>('queueId', 'Queue', 'string', (x) => x.queueId, { show: true, idKind: 'queue' }),
    spec<S>('ani', 'ANI', 'string', (x) => text(x.s.ani), { show: true }),
    spec<S>('dnis', 'DNIS', 'string', (x) => text(x.s.dnis), { show: true }),
    spec<S>('wrapUpCode', 'Wrap-up code', 'string', (x) => x.wrapUpCode, { show: true, idKind: 'wrapupcode' }),
    spec<S>('abandoned', 'Abandoned', 'boolean', (x) => x.abandoned, { show: true }),
    ...metricColumns<S>((x) => x.metrics, DEFAULT_METRICS),
    spec<S>('disconnectType', 'Disconnect', 'string', (x) => x.disconnectType),
    spec<S>('wrapUpNote', 'Wrap-up note', 'string', (x) => x.wrapUpNote),
    spec<S>('sessionId', 'Session ID', 'string', (x) => text(x.s.sessionId)),
    spec<S>('participantId', 'Participant ID', 'string', (x) => text(x.participant.p.participantId)),
    spec<S>('conversationStart', 'Conversation start', 'time', (x) => x.participant.conv.start),
    spec<S>('segmentCount', 'Segments', 'number', (x) => x.segments.length),
    ...SESSION_TEXT.map((f) => spec<S>(f, f, 'string', (x) => text(x.s[f]))),
    spec<S>('recording', 'recording', 'boolean', (x) => bool(x.s.recording)),
    spec<S>('skipEnabled', 'skipEnabled', 'boolean', (x) => bool(x.s.skipEnabled)),
    spec<S>('requestedRoutings', 'requestedRoutings', 'string', (x) => joined(x.s.requestedRoutings)),
    spec<S>('activeSkillIds', 'activeSkillIds', 'string', (x) => joined(x.s.activeSkillIds)),
    spec<S>('selectedAgentId', 'selectedAgentId', 'string', (x) => text(x.s.selectedAgentId), { idKind: 'user' }),
    spec<S>('selectedAgentRank', 'selectedAgentRank', 'number', (x) => num(x.s.selectedAgentRank)),
    spec<S>('timeoutSeconds', 'timeoutSeconds', 'number', (x) => num(x.s.timeoutSeconds)),
    spec<S>('routingRing', 'routingRing', 'number', (x) => num(x.s.routingRing)),
    spec<S>('callbackScheduledTime', 'callbackScheduledTime', 'time', (x) => timeOf(x.s.callbackScheduledTime)),
    ...FLOW_TEXT.map((f) => spec<S>(`flow_${f}`, `flow.${f}`, 'string', (x) => text(field(x.s.flow, f)))),
    spec<S>('flow_issuedCallback', 'flow.issuedCallback', 'boolean', (x) => bool(field(x.s.flow, 'issuedCallback'))),
  ],
};

function timeOf(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

// ---------------------------------------------------------------- segment

type G = SegmentCtx;
const gText = (key: string, label = key, show = false): ColumnSpec<G> => spec<G>(key, label, 'string', (x) => text(x.g[key]), { show });

const segment: GrainDef<G> = {
  grain: 'segment',
  rows: (conv, emit) =>
    conv.participants.forEach((p) => p.sessions.forEach((s) => s.segments.forEach((g) => emit([conv.idx, p.pIdx, s.sIdx, g.gIdx], g)))),
  columns: [
    spec<G>('conversationId', 'Conversation ID', 'string', (x) => text(x.session.participant.conv.c.conversationId), { show: true }),
    spec<G>('purpose', 'Purpose', 'string', (x) => text(x.session.participant.p.purpose), { show: true }),
    spec<G>('participantName', 'Participant', 'string', (x) => text(x.session.participant.p.participantName), { show: true }),
    spec<G>('userId', 'User', 'string', (x) => text(x.session.participant.p.userId), { show: true, idKind: 'user' }),
    spec<G>('mediaType', 'Media', 'string', (x) => text(x.session.s.mediaType), { show: true }),
    gText('segmentType', 'Segment type', true),
    spec<G>('segmentStart', 'Start', 'time', (x) => x.start, { show: true }),
    spec<G>('segmentEnd', 'End', 'time', (x) => x.end, { show: true }),
    spec<G>('duration', 'Duration', 'duration', (x) => millisBetween(x.start, x.end), { show: true }),
    spec<G>('queueId', 'Queue', 'string', (x) => text(x.g.queueId), { show: true, idKind: 'queue' }),
    spec<G>('wrapUpCode', 'Wrap-up code', 'string', (x) => text(x.g.wrapUpCode), { show: true, idKind: 'wrapupcode' }),
    gText('disconnectType', 'Disconnect', true),
    spec<G>('direction', 'Direction', 'string', (x) => text(x.session.s.direction)),
    spec<G>('ani', 'ANI', 'string', (x) => text(x.session.s.ani)),
    spec<G>('dnis', 'DNIS', 'string', (x) => text(x.session.s.dnis)),
    spec<G>('sessionId', 'Session ID', 'string', (x) => text(x.session.s.sessionId)),
    spec<G>('participantId', 'Participant ID', 'string', (x) => text(x.session.participant.p.participantId)),
    spec<G>('conversationStart', 'Conversation start', 'time', (x) => x.session.participant.conv.start),
    gText('wrapUpNote', 'Wrap-up note'),
    spec<G>('wrapUpTags', 'Wrap-up tags', 'string', (x) => joined(x.g.wrapUpTags)),
    spec<G>('requestedRoutingSkillIds', 'Requested skill IDs', 'string', (x) => joined(x.g.requestedRoutingSkillIds)),
    gText('requestedLanguageId', 'Requested language ID'),
    spec<G>('conference', 'Conference', 'boolean', (x) => bool(x.g.conference)),
    gText('errorCode', 'Error code'),
    spec<G>('sipResponseCodes', 'SIP response codes', 'string', (x) => joined(x.g.sipResponseCodes)),
    spec<G>('q850ResponseCodes', 'Q.850 response codes', 'string', (x) => joined(x.g.q850ResponseCodes)),
    gText('subject', 'Subject'),
    gText('groupId', 'Group ID'),
    ...['sourceConversationId', 'destinationConversationId', 'sourceSessionId', 'destinationSessionId'].map((f) => gText(f)),
    spec<G>('audioMuted', 'Audio muted', 'boolean', (x) => bool(x.g.audioMuted)),
    spec<G>('videoMuted', 'Video muted', 'boolean', (x) => bool(x.g.videoMuted)),
  ],
};

export const GRAINS: Readonly<Record<Grain, GrainDef>> = { conversation, participant, session, segment };

export const GRAIN_NAMES: readonly Grain[] = ['conversation', 'participant', 'session', 'segment'];

export function isGrain(value: unknown): value is Grain {
  return typeof value === 'string' && (GRAIN_NAMES as readonly string[]).includes(value);
}

/** The cell a column gets: undefined and non-finite numbers become NULL. */
export function cellOf(value: Cell | undefined): Cell {
  return value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? null : value;
}
