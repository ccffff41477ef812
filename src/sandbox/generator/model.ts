/**
 * The compact in-memory form of one conversation: times are epoch ms, nothing is formatted yet.
 * Filters run on this form; only rows that are actually returned are serialised to the wire shape.
 */

export interface Segment {
  type: string;
  start: number;
  end: number;
  queueId?: string;
  wrapUpCode?: string;
  /** The agent's free-text wrap-up note (only set by the XSS corpus, see xssCorpus.ts). */
  wrapUpNote?: string;
  disconnectType?: string;
  subject?: string;
}

export interface Metric {
  name: string;
  value: number;
  emit: number;
}

export interface SessionFlow {
  flowId: string;
  flowName: string;
  flowType: string;
  entryType: string;
  exitReason?: string;
  transferType?: string;
  transferTargetName?: string;
}

export interface Session {
  sessionId: string;
  mediaType: string;
  direction: string;
  ani?: string;
  dnis?: string;
  addressFrom?: string;
  addressTo?: string;
  messageType?: string;
  provider?: string;
  remote?: string;
  peerId?: string;
  outboundCampaignId?: string;
  usedRouting?: string;
  requestedRoutings?: string[];
  flow?: SessionFlow;
  metrics: Metric[];
  segments: Segment[];
}

export interface Participant {
  participantId: string;
  participantName?: string;
  purpose: string;
  userId?: string;
  attributes?: Record<string, string>;
  sessions: Session[];
}

export interface Conversation {
  index: number;
  conversationId: string;
  start: number;
  end: number;
  originatingDirection: string;
  conversationInitiator: string;
  customerParticipation: boolean;
  divisionIds: string[];
  externalTag?: string;
  minMos?: number;
  participants: Participant[];
}

/** Upper bound of end - start for every generated conversation; overlap searches start this far back. */
export const MAX_CONVERSATION_MS = 3 * 3_600_000;
