/**
 * Session metric names of the conversation-detail API (genesys-enums.md, analytics_session_metric). Each
 * becomes a column of the session grain (summed per participant and per conversation in the coarser
 * grains); metrics outside this list stay in the raw record (row details, Open as JSON).
 * t* are milliseconds, n* counts, o* observed values.
 */
export const SESSION_METRICS: readonly string[] = [
  'nBlindTransferred', 'nBotInteractions', 'nCallbackAttempts', 'nCallbackOverSla', 'nCallbackScheduled', 'nCobrowseSessions',
  'nConnected', 'nConsult', 'nConsultTransferred', 'nConversations', 'nError', 'nFlow', 'nFlowMilestone', 'nFlowOutcome',
  'nFlowOutcomeFailed', 'nOffered', 'nOutbound', 'nOutboundAbandoned', 'nOutboundAttempted', 'nOutboundConnected', 'nOverSla',
  'nStateTransitionError', 'nTakeover', 'nTransferred', 'oAudioMessageCount', 'oExternalAudioMessageCount', 'oExternalMediaCount',
  'oFlowMilestone', 'oMediaCount', 'oMessageCount', 'oMessageSegmentCount', 'oMessageTurn', 'oSkillExpressionApplications',
  'tAbandon', 'tAcd', 'tActiveCallback', 'tActiveCallbackComplete', 'tAcw', 'tAgentResponseTime', 'tAgentVideoConnected', 'tAlert',
  'tAnswered', 'tAverageAgentResponseTime', 'tAverageCustomerResponseTime', 'tBarging', 'tCoaching', 'tCoachingComplete',
  'tConnected', 'tContacting', 'tConversationDuration', 'tDialing', 'tFirstConnect', 'tFirstDial', 'tFirstEngagement',
  'tFirstResponse', 'tFlow', 'tFlowDisconnect', 'tFlowExit', 'tFlowOut', 'tFlowOutcome', 'tHandle', 'tHeld', 'tHeldComplete',
  'tIvr', 'tMonitoring', 'tMonitoringComplete', 'tNotResponding', 'tPark', 'tParkComplete', 'tScreenMonitoring', 'tShortAbandon',
  'tSnippetRecord', 'tTalk', 'tTalkComplete', 'tTransmitting', 'tUserResponseTime', 'tVoicemail',
];

/** Summed over the agent sessions in the conversation grain (genesys-api.md §6 suggested columns). */
export const AGENT_METRICS: readonly string[] = ['tHandle', 'tTalk', 'tHeld', 'tAcw', 'tAnswered', 'tAlert'];

/** Metrics shown by default in the grains where they make sense. */
export const DEFAULT_METRICS: readonly string[] = ['tHandle', 'tTalk', 'tHeld', 'tAcw'];

/**
 * Summed over every session in the conversation grain. A short list on purpose: each is an aggregate
 * per loaded batch, and the session and participant grains carry every metric already.
 */
export const CONVERSATION_METRICS: readonly string[] = [
  'tAcd', 'tAbandon', 'tShortAbandon', 'tIvr', 'tFlow', 'tVoicemail', 'tDialing', 'tContacting', 'tNotResponding',
  'nOffered', 'nTransferred', 'nBlindTransferred', 'nConsultTransferred', 'nOverSla', 'nError', 'nOutboundAttempted', 'nOutboundConnected',
];
