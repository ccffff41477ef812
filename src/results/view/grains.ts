import type { ColumnSpec } from './columnSpec';
import { ident, joinDistinct, joined, millisBetween, spec } from './columnSpec';
import { AGENT_METRICS, CONVERSATION_METRICS, DEFAULT_METRICS, SESSION_METRICS } from './metrics';
import type { Grain } from './viewTypes';

/**
 * The four grains: each a table in view.duckdb, filled per batch by `INSERT … SELECT <columns> FROM <from>`
 * over the staging relations of staging.ts. Defaults follow genesys-api.md §6 ("Suggested default table
 * columns"); every other known field is a hidden column the user can add.
 */
export interface GrainDef {
  readonly grain: Grain;
  /** Common table expressions the columns use (`WITH …`), or ''. */
  readonly with: string;
  /** FROM clause over the staging relations (and the CTEs). */
  readonly from: string;
  readonly columns: readonly ColumnSpec[];
}

const AGENT = `purpose IN ('agent', 'user')`;
const CUSTOMER = `purpose IN ('customer', 'external')`;
const isMetricDuration = (m: string): boolean => m.startsWith('t');

function metricColumns(prefix: (m: string) => string, label: (m: string) => string, shown: readonly string[]): ColumnSpec[] {
  return SESSION_METRICS.map((m) => spec(m, label(m), isMetricDuration(m) ? 'duration' : 'number', prefix(m), { show: shown.includes(m) }));
}

// ---------------------------------------------------------------- conversation

const convAggregates = `
WITH conv_p AS (
  SELECT conv_idx,
    ${joinDistinct('p.participantName', `p.purpose = 'acd'`)} AS queues,
    ${joinDistinct('coalesce(p.participantName, p.userId)', `p.purpose IN ('agent', 'user')`)} AS agents,
    ${joinDistinct('p.userId', `p.purpose IN ('agent', 'user')`)} AS agent_ids
  FROM stage_p GROUP BY conv_idx
), conv_s AS (
  SELECT conv_idx,
    first(s.mediaType ORDER BY p_idx, s_idx) FILTER (s.mediaType IS NOT NULL) AS media_type,
    first(s.ani ORDER BY p_idx, s_idx) FILTER (${CUSTOMER} AND s.ani IS NOT NULL) AS cust_ani,
    first(s.dnis ORDER BY p_idx, s_idx) FILTER (${CUSTOMER} AND s.dnis IS NOT NULL) AS cust_dnis,
    first({'ani': s.ani, 'dnis': s.dnis} ORDER BY p_idx, s_idx) FILTER (s.ani IS NOT NULL OR s.dnis IS NOT NULL) AS any_addr,
    count(*) AS session_count, sum(seg_count) AS segment_count, bool_or(abandoned) AS abandoned,
    ${AGENT_METRICS.map((m) => `sum(m.${m}) FILTER (${AGENT}) AS ${ident(`agent_${m}`)}`).join(', ')},
    ${CONVERSATION_METRICS.map((m) => `sum(m.${m}) AS ${ident(`all_${m}`)}`).join(', ')}
  FROM stage_sx GROUP BY conv_idx
), conv_g AS (
  SELECT conv_idx,
    ${joinDistinct('g.queueId')} AS queue_ids,
    last(g.wrapUpCode ORDER BY p_idx, s_idx, g_idx) FILTER (${AGENT} AND g.segmentType = 'wrapup' AND g.wrapUpCode IS NOT NULL) AS wrap_up_code,
    last(g.disconnectType ORDER BY p_idx, s_idx, g_idx) FILTER (${CUSTOMER} AND g.disconnectType IS NOT NULL) AS customer_disconnect
  FROM stage_g GROUP BY conv_idx
)`;

// Customer ANI/DNIS; without a customer session (outbound, internal) those of the first session having either.
const noCustomerAddr = 'cs.cust_ani IS NULL AND cs.cust_dnis IS NULL';

const conversation: GrainDef = {
  grain: 'conversation',
  with: convAggregates,
  from: `FROM stage st
LEFT JOIN conv_p cp USING (conv_idx)
LEFT JOIN conv_s cs USING (conv_idx)
LEFT JOIN conv_g cg USING (conv_idx)`,
  columns: [
    spec('conversationId', 'Conversation ID', 'string', 'st.c.conversationId', { show: true }),
    spec('conversationStart', 'Start', 'time', 'st.c.conversationStart', { show: true }),
    spec('conversationEnd', 'End', 'time', 'st.c.conversationEnd', { show: true }),
    spec('duration', 'Duration', 'duration', millisBetween('st.c.conversationStart', 'st.c.conversationEnd'), { show: true }),
    spec('originatingDirection', 'Direction', 'string', 'st.c.originatingDirection', { show: true }),
    spec('mediaType', 'Media', 'string', 'cs.media_type', { show: true }),
    spec('queue', 'Queue', 'string', 'coalesce(cp.queues, cg.queue_ids)', { show: true }),
    spec('agent', 'Agent', 'string', 'cp.agents', { show: true }),
    spec('ani', 'ANI', 'string', `CASE WHEN ${noCustomerAddr} THEN cs.any_addr.ani ELSE cs.cust_ani END`, { show: true }),
    spec('dnis', 'DNIS', 'string', `CASE WHEN ${noCustomerAddr} THEN cs.any_addr.dnis ELSE cs.cust_dnis END`, { show: true }),
    spec('wrapUpCode', 'Wrap-up code', 'string', 'cg.wrap_up_code', { show: true, idKind: 'wrapupcode' }),
    spec('tHandle', 'Handle', 'duration', 'cs.agent_tHandle', { show: true }),
    spec('tTalk', 'Talk', 'duration', 'cs.agent_tTalk', { show: true }),
    spec('tHeld', 'Hold', 'duration', 'cs.agent_tHeld', { show: true }),
    spec('tAcw', 'After-call work', 'duration', 'cs.agent_tAcw', { show: true }),
    spec('abandoned', 'Abandoned', 'boolean', 'coalesce(cs.abandoned, false)', { show: true }),
    spec('tAnswered', 'Answered (agent)', 'duration', 'cs.agent_tAnswered'),
    spec('tAlert', 'Alert (agent)', 'duration', 'cs.agent_tAlert'),
    spec('tAcd', 'In queue (tAcd)', 'duration', 'cs.all_tAcd'),
    spec('queueIds', 'Queue IDs', 'string', 'cg.queue_ids', { idKind: 'queue' }),
    spec('agentIds', 'Agent user IDs', 'string', 'cp.agent_ids', { idKind: 'user' }),
    spec('divisionIds', 'Division IDs', 'string', joined('st.c.divisionIds'), { idKind: 'division' }),
    spec('customerDisconnectType', 'Customer disconnect', 'string', 'cg.customer_disconnect'),
    spec('conversationInitiator', 'Initiator', 'string', 'st.c.conversationInitiator'),
    spec('customerParticipation', 'Customer participated', 'boolean', 'st.c.customerParticipation'),
    spec('externalTag', 'External tag', 'string', 'st.c.externalTag'),
    spec('mediaStatsMinConversationMos', 'Min MOS', 'number', 'st.c.mediaStatsMinConversationMos'),
    spec('mediaStatsMinConversationRFactor', 'Min R-factor', 'number', 'st.c.mediaStatsMinConversationRFactor'),
    spec('selfServed', 'Self-served', 'boolean', 'st.c.selfServed'),
    spec('knowledgeBaseIds', 'Knowledge base IDs', 'string', joined('st.c.knowledgeBaseIds')),
    spec('participantCount', 'Participants', 'number', 'coalesce(len(st.c.participants), 0)'),
    spec('sessionCount', 'Sessions', 'number', 'coalesce(cs.session_count, 0)'),
    spec('segmentCount', 'Segments', 'number', 'coalesce(cs.segment_count, 0)'),
    ...CONVERSATION_METRICS.filter((m) => m !== 'tAcd').map((m) =>
      spec(`all_${m}`, `${m} (all sessions)`, isMetricDuration(m) ? 'duration' : 'number', `cs.${ident(`all_${m}`)}`),
    ),
  ],
};

// ---------------------------------------------------------------- participant

const participantAggregates = `
WITH pa AS (
  SELECT conv_idx, p_idx,
    first(s.mediaType ORDER BY s_idx) FILTER (s.mediaType IS NOT NULL) AS media_type,
    first(s.direction ORDER BY s_idx) FILTER (s.direction IS NOT NULL) AS direction,
    first(s.ani ORDER BY s_idx) FILTER (s.ani IS NOT NULL) AS ani,
    first(s.dnis ORDER BY s_idx) FILTER (s.dnis IS NOT NULL) AS dnis,
    count(*) AS session_count, min(seg_start) AS seg_start, max(seg_end) AS seg_end,
    first(queue_id ORDER BY s_idx) FILTER (queue_id IS NOT NULL) AS queue_id,
    last(wrap_up_code ORDER BY s_idx) FILTER (wrap_up_code IS NOT NULL) AS wrap_up_code,
    last(disconnect_type ORDER BY s_idx) FILTER (disconnect_type IS NOT NULL) AS disconnect_type,
    bool_or(abandoned) AS abandoned,
    ${SESSION_METRICS.map((m) => `sum(m.${m}) AS ${ident(m)}`).join(', ')}
  FROM stage_sx GROUP BY conv_idx, p_idx
)`;

const participant: GrainDef = {
  grain: 'participant',
  with: participantAggregates,
  from: `FROM stage_p sp
LEFT JOIN pa USING (conv_idx, p_idx)`,
  columns: [
    spec('conversationId', 'Conversation ID', 'string', 'sp.c_id', { show: true }),
    spec('purpose', 'Purpose', 'string', 'sp.p.purpose', { show: true }),
    spec('participantName', 'Participant', 'string', 'sp.p.participantName', { show: true }),
    spec('userId', 'User', 'string', 'sp.p.userId', { show: true, idKind: 'user' }),
    spec('start', 'Start', 'time', 'pa.seg_start', { show: true }),
    spec('end', 'End', 'time', 'pa.seg_end', { show: true }),
    spec('duration', 'Duration', 'duration', millisBetween('pa.seg_start', 'pa.seg_end'), { show: true }),
    spec('direction', 'Direction', 'string', 'pa.direction', { show: true }),
    spec('mediaType', 'Media', 'string', 'pa.media_type', { show: true }),
    spec('queueId', 'Queue', 'string', 'pa.queue_id', { show: true, idKind: 'queue' }),
    spec('ani', 'ANI', 'string', 'pa.ani', { show: true }),
    spec('dnis', 'DNIS', 'string', 'pa.dnis', { show: true }),
    spec('wrapUpCode', 'Wrap-up code', 'string', 'pa.wrap_up_code', { show: true, idKind: 'wrapupcode' }),
    spec('abandoned', 'Abandoned', 'boolean', 'coalesce(pa.abandoned, false)', { show: true }),
    ...metricColumns((m) => `pa.${ident(m)}`, (m) => m, DEFAULT_METRICS),
    spec('disconnectType', 'Disconnect', 'string', 'pa.disconnect_type'),
    spec('participantId', 'Participant ID', 'string', 'sp.p.participantId'),
    spec('conversationStart', 'Conversation start', 'time', 'sp.c_start'),
    spec('originatingDirection', 'Conversation direction', 'string', 'sp.c_dir'),
    spec('externalContactId', 'External contact ID', 'string', 'sp.p.externalContactId'),
    spec('externalOrganizationId', 'External organization ID', 'string', 'sp.p.externalOrganizationId'),
    spec('teamId', 'Team ID', 'string', 'sp.p.teamId'),
    spec('flaggedReason', 'Flagged reason', 'string', 'sp.p.flaggedReason'),
    spec('screenRecording', 'Screen recording', 'boolean', 'sp.p.screenRecording'),
    spec('attributes', 'Attributes (JSON)', 'string', 'CAST(sp.p.attributes AS VARCHAR)'),
    spec('sessionCount', 'Sessions', 'number', 'coalesce(pa.session_count, 0)'),
  ],
};

// ---------------------------------------------------------------- session

const S = 'sx.s';
const sessionField = (id: string, label: string, type: 'string' | 'boolean' | 'number' | 'time' = 'string'): ColumnSpec => spec(id, label, type, `${S}.${id}`);

const session: GrainDef = {
  grain: 'session',
  with: '',
  from: 'FROM stage_sx sx',
  columns: [
    spec('conversationId', 'Conversation ID', 'string', 'sx.c_id', { show: true }),
    spec('purpose', 'Purpose', 'string', 'sx.purpose', { show: true }),
    spec('participantName', 'Participant', 'string', 'sx.pname', { show: true }),
    spec('userId', 'User', 'string', 'sx.user_id', { show: true, idKind: 'user' }),
    spec('start', 'Start', 'time', 'sx.seg_start', { show: true }),
    spec('end', 'End', 'time', 'sx.seg_end', { show: true }),
    spec('duration', 'Duration', 'duration', millisBetween('sx.seg_start', 'sx.seg_end'), { show: true }),
    spec('direction', 'Direction', 'string', `${S}.direction`, { show: true }),
    spec('mediaType', 'Media', 'string', `${S}.mediaType`, { show: true }),
    spec('queueId', 'Queue', 'string', 'sx.queue_id', { show: true, idKind: 'queue' }),
    spec('ani', 'ANI', 'string', `${S}.ani`, { show: true }),
    spec('dnis', 'DNIS', 'string', `${S}.dnis`, { show: true }),
    spec('wrapUpCode', 'Wrap-up code', 'string', 'sx.wrap_up_code', { show: true, idKind: 'wrapupcode' }),
    spec('abandoned', 'Abandoned', 'boolean', 'coalesce(sx.abandoned, false)', { show: true }),
    ...metricColumns((m) => `sx.m.${m}`, (m) => m, DEFAULT_METRICS),
    spec('disconnectType', 'Disconnect', 'string', 'sx.disconnect_type'),
    spec('wrapUpNote', 'Wrap-up note', 'string', 'sx.wrap_up_note'),
    spec('sessionId', 'Session ID', 'string', `${S}.sessionId`),
    spec('participantId', 'Participant ID', 'string', 'sx.participant_id'),
    spec('conversationStart', 'Conversation start', 'time', 'sx.c_start'),
    spec('segmentCount', 'Segments', 'number', 'coalesce(sx.seg_count, 0)'),
    ...['sessionDnis', 'addressFrom', 'addressTo', 'addressSelf', 'addressOther', 'remote', 'remoteNameDisplayable', 'edgeId', 'protocolCallId', 'provider', 'peerId']
      .map((f) => sessionField(f, f)),
    sessionField('recording', 'recording', 'boolean'),
    spec('requestedRoutings', 'requestedRoutings', 'string', joined(`${S}.requestedRoutings`)),
    sessionField('usedRouting', 'usedRouting'),
    spec('selectedAgentId', 'selectedAgentId', 'string', `${S}.selectedAgentId`, { idKind: 'user' }),
    sessionField('selectedAgentRank', 'selectedAgentRank', 'number'),
    sessionField('agentAssistantId', 'agentAssistantId'),
    spec('activeSkillIds', 'activeSkillIds', 'string', joined(`${S}.activeSkillIds`)),
    ...['messageType', 'deliveryStatus', 'engagementSource', 'outboundCampaignId', 'outboundContactId', 'outboundContactListId', 'callbackUserName']
      .map((f) => sessionField(f, f)),
    sessionField('callbackScheduledTime', 'callbackScheduledTime', 'time'),
    sessionField('scriptId', 'scriptId'),
    sessionField('skipEnabled', 'skipEnabled', 'boolean'),
    sessionField('timeoutSeconds', 'timeoutSeconds', 'number'),
    ...['flowInType', 'flowOutType'].map((f) => sessionField(f, f)),
    sessionField('routingRing', 'routingRing', 'number'),
    ...['cobrowseRole', 'cobrowseRoomId', 'screenShareRoomId', 'videoRoomId', 'dispositionAnalyzer', 'dispositionName', 'monitoredParticipantId', 'journeyCustomerId', 'journeyCustomerSessionId']
      .map((f) => sessionField(f, f)),
    ...['flowId', 'flowName', 'flowVersion', 'flowType', 'entryType', 'entryReason', 'exitReason', 'transferType', 'transferTargetName', 'transferTargetAddress', 'startingLanguage', 'endingLanguage']
      .map((f) => spec(`flow_${f}`, `flow.${f}`, 'string', `${S}.flow.${f}`)),
    spec('flow_issuedCallback', 'flow.issuedCallback', 'boolean', `${S}.flow.issuedCallback`),
  ],
};

// ---------------------------------------------------------------- segment

const G = 'sg.g';
const segment: GrainDef = {
  grain: 'segment',
  with: '',
  from: 'FROM stage_g sg',
  columns: [
    spec('conversationId', 'Conversation ID', 'string', 'sg.c_id', { show: true }),
    spec('purpose', 'Purpose', 'string', 'sg.purpose', { show: true }),
    spec('participantName', 'Participant', 'string', 'sg.pname', { show: true }),
    spec('userId', 'User', 'string', 'sg.user_id', { show: true, idKind: 'user' }),
    spec('mediaType', 'Media', 'string', 'sg.media', { show: true }),
    spec('segmentType', 'Segment type', 'string', `${G}.segmentType`, { show: true }),
    spec('segmentStart', 'Start', 'time', `${G}.segmentStart`, { show: true }),
    spec('segmentEnd', 'End', 'time', `${G}.segmentEnd`, { show: true }),
    spec('duration', 'Duration', 'duration', millisBetween(`${G}.segmentStart`, `${G}.segmentEnd`), { show: true }),
    spec('queueId', 'Queue', 'string', `${G}.queueId`, { show: true, idKind: 'queue' }),
    spec('wrapUpCode', 'Wrap-up code', 'string', `${G}.wrapUpCode`, { show: true, idKind: 'wrapupcode' }),
    spec('disconnectType', 'Disconnect', 'string', `${G}.disconnectType`, { show: true }),
    spec('direction', 'Direction', 'string', 'sg.s_dir'),
    spec('ani', 'ANI', 'string', 'sg.ani'),
    spec('dnis', 'DNIS', 'string', 'sg.dnis'),
    spec('sessionId', 'Session ID', 'string', 'sg.session_id'),
    spec('participantId', 'Participant ID', 'string', 'sg.participant_id'),
    spec('conversationStart', 'Conversation start', 'time', 'sg.c_start'),
    spec('wrapUpNote', 'Wrap-up note', 'string', `${G}.wrapUpNote`),
    spec('wrapUpTags', 'Wrap-up tags', 'string', joined(`${G}.wrapUpTags`)),
    spec('requestedRoutingSkillIds', 'Requested skill IDs', 'string', joined(`${G}.requestedRoutingSkillIds`)),
    spec('requestedLanguageId', 'Requested language ID', 'string', `${G}.requestedLanguageId`),
    spec('conference', 'Conference', 'boolean', `${G}.conference`),
    spec('errorCode', 'Error code', 'string', `${G}.errorCode`),
    spec('sipResponseCodes', 'SIP response codes', 'string', joined(`${G}.sipResponseCodes`)),
    spec('q850ResponseCodes', 'Q.850 response codes', 'string', joined(`${G}.q850ResponseCodes`)),
    spec('subject', 'Subject', 'string', `${G}.subject`),
    spec('groupId', 'Group ID', 'string', `${G}.groupId`),
    ...['sourceConversationId', 'destinationConversationId', 'sourceSessionId', 'destinationSessionId'].map((f) => spec(f, f, 'string', `${G}.${f}`)),
    spec('audioMuted', 'Audio muted', 'boolean', `${G}.audioMuted`),
    spec('videoMuted', 'Video muted', 'boolean', `${G}.videoMuted`),
  ],
};

export const GRAINS: Readonly<Record<Grain, GrainDef>> = { conversation, participant, session, segment };

export const GRAIN_NAMES: readonly Grain[] = ['conversation', 'participant', 'session', 'segment'];

export function isGrain(value: unknown): value is Grain {
  return typeof value === 'string' && (GRAIN_NAMES as readonly string[]).includes(value);
}
