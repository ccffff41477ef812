import type { Conversation, Participant, Segment, Session } from './model';

/**
 * Compact model -> the wire shape of AnalyticsConversation (job results, with participant attributes)
 * or AnalyticsConversationWithoutAttributes (sync query, get-by-id). Absent fields are omitted, never null.
 */
export type WireObject = Record<string, unknown>;

const iso = (ms: number): string => new Date(ms).toISOString();

export function toWire(c: Conversation, withAttributes: boolean): WireObject {
  const out: WireObject = {
    conversationId: c.conversationId,
    conversationStart: iso(c.start),
    conversationEnd: iso(c.end),
    conversationInitiator: c.conversationInitiator,
    customerParticipation: c.customerParticipation,
    divisionIds: c.divisionIds,
  };
  if (c.externalTag !== undefined) {
    out.externalTag = c.externalTag;
  }
  if (c.minMos !== undefined) {
    out.mediaStatsMinConversationMos = c.minMos;
  }
  out.originatingDirection = c.originatingDirection;
  out.participants = c.participants.map((p) => participantToWire(p, withAttributes));
  return out;
}

function participantToWire(p: Participant, withAttributes: boolean): WireObject {
  const out: WireObject = { participantId: p.participantId };
  if (p.participantName !== undefined) {
    out.participantName = p.participantName;
  }
  out.purpose = p.purpose;
  if (p.userId !== undefined) {
    out.userId = p.userId;
  }
  if (withAttributes) {
    // Jobs return AnalyticsParticipant, which always carries participant data (possibly empty).
    out.attributes = { ...(p.attributes ?? {}) };
  }
  out.sessions = p.sessions.map(sessionToWire);
  return out;
}

function sessionToWire(s: Session): WireObject {
  const out: WireObject = { sessionId: s.sessionId, mediaType: s.mediaType, direction: s.direction };
  for (const key of ['ani', 'dnis', 'addressFrom', 'addressTo', 'messageType', 'provider', 'remote', 'peerId', 'outboundCampaignId', 'usedRouting'] as const) {
    const v = s[key];
    if (v !== undefined) {
      out[key] = v;
    }
  }
  if (s.requestedRoutings) {
    out.requestedRoutings = [...s.requestedRoutings];
  }
  if (s.flow) {
    out.flow = { ...s.flow };
  }
  out.metrics = s.metrics.map((m) => ({ name: m.name, value: m.value, emitDate: iso(m.emit) }));
  out.segments = s.segments.map(segmentToWire);
  return out;
}

function segmentToWire(g: Segment): WireObject {
  const out: WireObject = { segmentStart: iso(g.start), segmentEnd: iso(g.end), segmentType: g.type };
  if (g.queueId !== undefined) {
    out.queueId = g.queueId;
  }
  if (g.wrapUpCode !== undefined) {
    out.wrapUpCode = g.wrapUpCode;
  }
  if (g.wrapUpNote !== undefined) {
    out.wrapUpNote = g.wrapUpNote;
  }
  if (g.disconnectType !== undefined) {
    out.disconnectType = g.disconnectType;
  }
  if (g.subject !== undefined) {
    out.subject = g.subject;
  }
  return out;
}
