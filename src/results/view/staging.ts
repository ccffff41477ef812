import { ident } from './columnSpec';
import { SESSION_METRICS } from './metrics';

/**
 * How one batch of raw NDJSON lines becomes staging relations, all inside DuckDB (its JSON reader is
 * native and multi-threaded: a million 4 KB conversations parse several times faster than JSON.parse in
 * the extension host, and no parsed object ever reaches the JS heap).
 *
 *   stage     (conv_idx, c)                          one row per conversation, c = the typed record
 *   stage_p   (+ p_idx, p)                           one row per participant
 *   stage_s   (+ s_idx, purpose, pname, user_id, s)  one row per session
 *   stage_g   (+ g_idx, g, session context)          one row per segment
 *   stage_sx  session rows joined with their metric sums (m.<metric>) and segment aggregates
 *
 * Fields not named here are not columns; they stay in the raw record (row details, Open as JSON).
 */

const V = 'VARCHAR';
const T = 'TIMESTAMP';
const B = 'BOOLEAN';
const D = 'DOUBLE';

const SEGMENT = {
  segmentStart: T, segmentEnd: T, segmentType: V, disconnectType: V, queueId: V, wrapUpCode: V, wrapUpNote: V,
  wrapUpTags: [V], requestedRoutingSkillIds: [V], requestedLanguageId: V, conference: B, errorCode: V,
  sipResponseCodes: ['BIGINT'], q850ResponseCodes: ['BIGINT'], subject: V, groupId: V, sourceConversationId: V,
  destinationConversationId: V, sourceSessionId: V, destinationSessionId: V, audioMuted: B, videoMuted: B,
};

const FLOW = {
  flowId: V, flowName: V, flowVersion: V, flowType: V, entryType: V, entryReason: V, exitReason: V, transferType: V,
  transferTargetName: V, transferTargetAddress: V, issuedCallback: B, startingLanguage: V, endingLanguage: V,
};

const SESSION = {
  sessionId: V, mediaType: V, direction: V, ani: V, dnis: V, sessionDnis: V, addressFrom: V, addressTo: V, addressSelf: V,
  addressOther: V, remote: V, remoteNameDisplayable: V, edgeId: V, protocolCallId: V, provider: V, peerId: V, recording: B,
  requestedRoutings: [V], usedRouting: V, selectedAgentId: V, selectedAgentRank: D, agentAssistantId: V, activeSkillIds: [V],
  messageType: V, deliveryStatus: V, engagementSource: V, outboundCampaignId: V, outboundContactId: V,
  outboundContactListId: V, callbackUserName: V, callbackScheduledTime: T, scriptId: V, skipEnabled: B, timeoutSeconds: D,
  flowInType: V, flowOutType: V, routingRing: D, cobrowseRole: V, cobrowseRoomId: V, screenShareRoomId: V, videoRoomId: V,
  dispositionAnalyzer: V, dispositionName: V, monitoredParticipantId: V, journeyCustomerId: V, journeyCustomerSessionId: V,
  flow: FLOW,
  metrics: [{ name: V, value: D }],
  segments: [SEGMENT],
};

const PARTICIPANT = {
  participantId: V, participantName: V, purpose: V, userId: V, externalContactId: V, externalOrganizationId: V, teamId: V,
  flaggedReason: V, screenRecording: B, attributes: 'JSON',
  sessions: [SESSION],
};

const CONVERSATION = {
  conversationId: V, conversationStart: T, conversationEnd: T, originatingDirection: V, conversationInitiator: V,
  customerParticipation: B, externalTag: V, mediaStatsMinConversationMos: D, mediaStatsMinConversationRFactor: D,
  selfServed: B, divisionIds: [V], knowledgeBaseIds: [V],
  participants: [PARTICIPANT],
};

/** json_transform structure of a conversation record. A SQL string literal (no quotes inside). */
export const RECORD_STRUCTURE = `'${JSON.stringify(CONVERSATION)}'`;

const metricSums = SESSION_METRICS.map((m) => `sum(m.value) FILTER (m.name = '${m}') AS ${ident(m)}`).join(',\n  ');

/**
 * Statements that (re)build the staging relations from the bound parameters $1 (BIGINT[] conversation
 * indexes) and $2 (VARCHAR[] raw lines, same length). Temp tables: they live in memory, per connection.
 */
export const STAGING_STATEMENTS: readonly string[] = [
  `CREATE OR REPLACE TEMP TABLE stage AS
   SELECT unnest($1::BIGINT[]) AS conv_idx, json_transform(unnest($2::VARCHAR[]), ${RECORD_STRUCTURE}) AS c`,
  `CREATE OR REPLACE TEMP TABLE stage_p AS
   SELECT conv_idx, generate_subscripts(c.participants, 1) AS p_idx, unnest(c.participants) AS p,
     c.conversationId AS c_id, c.conversationStart AS c_start, c.originatingDirection AS c_dir
   FROM stage`,
  `CREATE OR REPLACE TEMP TABLE stage_s AS
   SELECT conv_idx, p_idx, generate_subscripts(p.sessions, 1) AS s_idx, unnest(p.sessions) AS s,
     p.purpose AS purpose, p.participantName AS pname, p.userId AS user_id, p.participantId AS participant_id,
     c_id, c_start, c_dir
   FROM stage_p`,
  `CREATE OR REPLACE TEMP TABLE stage_g AS
   SELECT conv_idx, p_idx, s_idx, generate_subscripts(s.segments, 1) AS g_idx, unnest(s.segments) AS g,
     purpose, pname, user_id, participant_id, c_id, c_start, s.sessionId AS session_id, s.mediaType AS media,
     s.direction AS s_dir, s.ani AS ani, s.dnis AS dnis
   FROM stage_s`,
  `CREATE OR REPLACE TEMP TABLE stage_m AS
   SELECT conv_idx, p_idx, s_idx,
  ${metricSums}
   FROM (SELECT conv_idx, p_idx, s_idx, unnest(s.metrics) AS m FROM stage_s)
   GROUP BY conv_idx, p_idx, s_idx`,
  `CREATE OR REPLACE TEMP TABLE stage_sg AS
   SELECT conv_idx, p_idx, s_idx, count(*) AS seg_count,
     min(g.segmentStart) AS seg_start, max(g.segmentEnd) AS seg_end,
     first(g.queueId ORDER BY g_idx) FILTER (g.queueId IS NOT NULL) AS queue_id,
     last(g.wrapUpCode ORDER BY g_idx) FILTER (g.wrapUpCode IS NOT NULL) AS wrap_up_code,
     last(g.wrapUpNote ORDER BY g_idx) FILTER (g.wrapUpNote IS NOT NULL) AS wrap_up_note,
     last(g.disconnectType ORDER BY g_idx) FILTER (g.disconnectType IS NOT NULL) AS disconnect_type
   FROM stage_g GROUP BY conv_idx, p_idx, s_idx`,
  `CREATE OR REPLACE TEMP TABLE stage_sx AS
   SELECT s.*, sg.seg_count, sg.seg_start, sg.seg_end, sg.queue_id, sg.wrap_up_code, sg.wrap_up_note, sg.disconnect_type,
     m.tAbandon IS NOT NULL AS abandoned,
     m AS m
   FROM stage_s s
   LEFT JOIN stage_sg sg USING (conv_idx, p_idx, s_idx)
   LEFT JOIN stage_m m USING (conv_idx, p_idx, s_idx)`,
];

export const STAGING_TABLES = ['stage', 'stage_p', 'stage_s', 'stage_g', 'stage_m', 'stage_sg', 'stage_sx'];
