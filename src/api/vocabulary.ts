/**
 * The vocabulary of the Genesys Cloud conversation-detail API: every enum value of the request models,
 * from shared/genesys-enums.md (the published SDK models). The one source the engine, the sandbox and the
 * generated query-file JSON Schema (querySchema.ts) import — never copied elsewhere.
 */

// ── Request body (conversation_query / async_conversation_query) ──────────────────────────────────────
export const ORDER = ['asc', 'desc', 'unordered'] as const;
export const ORDER_BY = ['conversationStart', 'conversationEnd', 'segmentStart', 'segmentEnd'] as const;
export const FILTER_TYPE = ['and', 'or'] as const;
export const PREDICATE_TYPE = ['dimension', 'property', 'metric'] as const;
export const OPERATOR = ['matches', 'exists', 'notExists'] as const;
export const PROPERTY_TYPE = ['bool', 'integer', 'real', 'date', 'string', 'uuid'] as const;
export const AGGREGATION_TYPE = ['termFrequency', 'numericRange'] as const;

// ── Predicate dimensions and metrics, per filter kind ─────────────────────────────────────────────────
export const CONVERSATION_DIMENSION = ['accessAttribute', 'conversationEnd', 'conversationId', 'conversationInitiator', 'conversationStart', 'customerParticipation', 'divisionId', 'externalTag', 'mediaStatsMinConversationMos', 'originatingDirection', 'originatingSocialMediaPublic'] as const;
export const CONVERSATION_METRIC = ['nBlindTransferred', 'nBotInteractions', 'nCallbackAttempts', 'nCallbackOverSla', 'nCallbackScheduled', 'nCobrowseSessions', 'nConnected', 'nConsult', 'nConsultTransferred', 'nConversations', 'nError', 'nFlow', 'nFlowMilestone', 'nFlowOutcome', 'nFlowOutcomeFailed', 'nOffered', 'nOutbound', 'nOutboundAbandoned', 'nOutboundAttempted', 'nOutboundConnected', 'nOverSla', 'nStateTransitionError', 'nTakeover', 'nTransferred', 'oAudioMessageCount', 'oExternalAudioMessageCount', 'oExternalMediaCount', 'oFlowMilestone', 'oMediaCount', 'oMessageCount', 'oMessageSegmentCount', 'oMessageTurn', 'oSkillExpressionApplications', 'tAbandon', 'tAcd', 'tActiveCallback', 'tActiveCallbackComplete', 'tAcw', 'tAgentResponseTime', 'tAgentVideoConnected', 'tAlert', 'tAnswered', 'tAverageAgentResponseTime', 'tAverageCustomerResponseTime', 'tBarging', 'tCoaching', 'tCoachingComplete', 'tConnected', 'tContacting', 'tConversationDuration', 'tDialing', 'tFirstConnect', 'tFirstDial', 'tFirstEngagement', 'tFirstResponse', 'tFlow', 'tFlowDisconnect', 'tFlowExit', 'tFlowOut', 'tFlowOutcome', 'tHandle', 'tHeld', 'tHeldComplete', 'tIvr', 'tMonitoring', 'tMonitoringComplete', 'tNotResponding', 'tPark', 'tParkComplete', 'tScreenMonitoring', 'tShortAbandon', 'tSnippetRecord', 'tTalk', 'tTalkComplete', 'tTransmitting', 'tUserResponseTime', 'tVoicemail'] as const;
export const SEGMENT_DIMENSION = ['addressFrom', 'addressTo', 'agentAssistantId', 'agentOwned', 'ani', 'authenticated', 'bargedParticipantId', 'callbackNumber', 'callbackScheduledTime', 'canonicalExternalContactId', 'cleared', 'coachedParticipantId', 'conference', 'deliveryPushed', 'deliveryStatus', 'destinationAddress', 'destinationConversationId', 'detectedSpeechEnd', 'detectedSpeechStart', 'direction', 'disconnectType', 'dnis', 'edgeId', 'engagementSource', 'errorCode', 'exitReason', 'extendedDeliveryStatus', 'externalContactId', 'externalOrganizationId', 'flaggedReason', 'flowId', 'flowName', 'flowOutType', 'flowOutcome', 'flowOutcomeId', 'flowOutcomeValue', 'flowVersion', 'groupId', 'journeyActionId', 'journeyActionMapId', 'journeyCustomerId', 'journeyCustomerIdType', 'journeyCustomerSessionId', 'mediaCount', 'mediaType', 'messageType', 'monitoredParticipantId', 'outboundCampaignId', 'outboundContactId', 'outboundContactListId', 'participantName', 'protocolCallId', 'provider', 'purpose', 'queueId', 'recording', 'remote', 'remoteNameDisplayable', 'requestedLanguageId', 'requestedRouting', 'requestedRoutingSkillId', 'scoredAgentId', 'screenMonitoredUserId', 'screenRecording', 'scriptId', 'segmentEnd', 'segmentType', 'sessionDnis', 'sipResponseCode', 'skillExpressionId', 'snippetRecording', 'subject', 'teamId', 'transferTargetAddress', 'transferTargetName', 'transferType', 'usedRouting', 'userId', 'wrapUpCode', 'wrapUpNote'] as const;
export const SEGMENT_METRIC = ['tSegmentDuration'] as const;
export const EVALUATION_DIMENSION = ['assigneeApplicable', 'assigneeId', 'calibrationId', 'contextId', 'deleted', 'evaluationId', 'evaluationStatus', 'evaluatorId', 'eventTime', 'formId', 'formName', 'queueId', 'released', 'rescored', 'systemSubmitted', 'userId'] as const;
export const EVALUATION_METRIC = ['oTotalCriticalScore', 'oTotalScore'] as const;
export const SURVEY_DIMENSION = ['eventTime', 'queueId', 'surveyCompletedDate', 'surveyFormContextId', 'surveyFormId', 'surveyId', 'surveyPartialResponse', 'surveyPromoterScore', 'surveyStatus', 'surveyType', 'userId'] as const;
export const SURVEY_METRIC = ['oSurveyTotalScore'] as const;
export const RESOLUTION_DIMENSION = [] as const;
export const RESOLUTION_METRIC = ['nNextContactAvoided'] as const;

// ── Values of enumerated dimensions (the response models' enums) ──────────────────────────────────────
export const MEDIA_TYPE = ['callback', 'chat', 'cobrowse', 'email', 'internalmessage', 'message', 'screenmonitoring', 'screenshare', 'unknown', 'video', 'voice'] as const;
export const PURPOSE = ['acd', 'agent', 'api', 'botflow', 'campaign', 'customer', 'dialer', 'external', 'fax', 'group', 'inbound', 'ivr', 'manual', 'outbound', 'station', 'user', 'voicemail', 'voicesurveyflow', 'workflow'] as const;
/** conversationInitiator takes the participant purposes. */
export const CONVERSATION_INITIATOR = PURPOSE;
export const DIRECTION = ['inbound', 'outbound'] as const;
export const SEGMENT_TYPE = ['alert', 'barging', 'callback', 'coaching', 'contacting', 'converting', 'delay', 'dialing', 'hold', 'interact', 'ivr', 'monitoring', 'parked', 'scheduled', 'screenmonitoring', 'sharing', 'system', 'transmitting', 'unknown', 'uploading', 'voicemail', 'wrapup'] as const;
export const DISCONNECT_TYPE = ['client', 'conferenceTransfer', 'consultTransfer', 'dndEndpoint', 'dndTransfer', 'endpoint', 'error', 'forwardTransfer', 'inactivity', 'noAnswerTransfer', 'notAvailableTransfer', 'other', 'peer', 'sessionExpired', 'spam', 'system', 'takeover', 'timeout', 'transfer', 'transportFailure', 'uncallable'] as const;
export const DELIVERY_STATUS = ['DeliveryFailed', 'DeliveryPushed', 'DeliverySuccess', 'Failed', 'Published', 'Queued', 'Read', 'Received', 'Sent'] as const;
export const ENGAGEMENT_SOURCE = ['AppleMessagesForBusiness', 'Discord', 'Email', 'Facebook', 'FacebookMessenger', 'Glassdoor', 'GoogleBusinessProfile', 'Instagram', 'KakaoTalk', 'Line', 'LinkedIn', 'MicrosoftTeams', 'MobileChat', 'Other', 'QQ', 'Reddit', 'ServiceNow', 'SFDC', 'SMS', 'Snapchat', 'Telegram', 'Threads', 'Trustpilot', 'Unspecified', 'Viber', 'WebChat', 'WeChat', 'Weibo', 'WhatsApp', 'X', 'Yelp', 'YouTube', 'Zendesk', 'OpenMessaging'] as const;
export const USED_ROUTING = ['Bullseye', 'Conditional', 'Direct', 'Last', 'Manual', 'Predictive', 'Preferred', 'Standard', 'Vip'] as const;
export const ROUTING_RULE_TYPE = ['Bullseye', 'Conditional', 'Predictive', 'Preferred'] as const;
export const FLAGGED_REASON = ['general'] as const;
export const EVALUATION_STATUS = ['Finished', 'InProgress', 'InReview', 'Pending', 'Retracted'] as const;
export const SURVEY_TYPE = ['Web', 'Voice'] as const;
export const FLOW_TYPE = ['BOT', 'COMMONMODULE', 'DIGITALBOT', 'EMAILSEND', 'INBOUNDCALL', 'INBOUNDCHAT', 'INBOUNDEMAIL', 'INBOUNDSHORTMESSAGE', 'INQUEUECALL', 'INQUEUEEMAIL', 'INQUEUESHORTMESSAGE', 'OUTBOUNDCALL', 'SECURECALL', 'SPEECH', 'SURVEYINVITE', 'VOICE', 'VOICEMAIL', 'VOICESURVEY', 'WORKFLOW', 'WORKITEM'] as const;
export const FLOW_ENTRY_TYPE = ['agent', 'direct', 'dnis', 'flow', 'outbound'] as const;

// ── Responses ─────────────────────────────────────────────────────────────────────────────────────────
export const JOB_STATE = ['QUEUED', 'PENDING', 'FAILED', 'CANCELLED', 'FULFILLED', 'EXPIRED'] as const;

export type FilterKind = 'conversation' | 'segment' | 'evaluation' | 'survey' | 'resolution';

/** The dimensions and metrics a predicate of each filter kind may name. */
export const FILTER_VOCABULARY: Record<FilterKind, { dimensions: readonly string[]; metrics: readonly string[] }> = {
  conversation: { dimensions: CONVERSATION_DIMENSION, metrics: CONVERSATION_METRIC },
  segment: { dimensions: SEGMENT_DIMENSION, metrics: SEGMENT_METRIC },
  evaluation: { dimensions: EVALUATION_DIMENSION, metrics: EVALUATION_METRIC },
  survey: { dimensions: SURVEY_DIMENSION, metrics: SURVEY_METRIC },
  resolution: { dimensions: RESOLUTION_DIMENSION, metrics: RESOLUTION_METRIC },
};

/** The body field that holds each kind's filters. */
export const FILTER_FIELD: Record<FilterKind, string> = {
  conversation: 'conversationFilters',
  segment: 'segmentFilters',
  evaluation: 'evaluationFilters',
  survey: 'surveyFilters',
  resolution: 'resolutionFilters',
};

/**
 * Dimensions whose values come from a known enum: offered as completions and checked (as a warning: the
 * API matches strings exactly, so "Voice" silently matches nothing) in predicates' `value`.
 */
export const DIMENSION_VALUES: Readonly<Record<string, readonly string[]>> = {
  mediaType: MEDIA_TYPE,
  purpose: PURPOSE,
  conversationInitiator: CONVERSATION_INITIATOR,
  direction: DIRECTION,
  originatingDirection: DIRECTION,
  segmentType: SEGMENT_TYPE,
  disconnectType: DISCONNECT_TYPE,
  deliveryStatus: DELIVERY_STATUS,
  engagementSource: ENGAGEMENT_SOURCE,
  usedRouting: USED_ROUTING,
  flaggedReason: FLAGGED_REASON,
  evaluationStatus: EVALUATION_STATUS,
  surveyType: SURVEY_TYPE,
};
