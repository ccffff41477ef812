import { isoUtc } from './isoTime';
import type { Conversation, Participant, Segment, Session } from './model';

/**
 * Compact model -> the wire shape of AnalyticsConversation (job results, with participant attributes)
 * or AnalyticsConversationWithoutAttributes (sync query, get-by-id). Absent fields are omitted, never null.
 *
 * Written as JSON text directly, byte for byte what `JSON.stringify` gives of the wire object: a job page
 * is 1,000 of these, and building objects to stringify cost the sandbox ~170 µs of CPU a conversation,
 * which on shared cores it took from the client a benchmark times.
 */
export type WireObject = Record<string, unknown>;

/** The conversation as a wire object (sync queries and get-by-id, whose bodies are small). */
export function toWire(c: Conversation, withAttributes: boolean): WireObject {
  return JSON.parse(wireJson(c, withAttributes)) as WireObject;
}

export function wireJson(c: Conversation, withAttributes: boolean): string {
  let out = `{"conversationId":${str(c.conversationId)},"conversationStart":"${isoUtc(c.start)}","conversationEnd":"${isoUtc(c.end)}"`;
  out += `,"conversationInitiator":${str(c.conversationInitiator)},"customerParticipation":${c.customerParticipation},"divisionIds":[`;
  out += c.divisionIds.map(str).join(',');
  out += ']';
  if (c.externalTag !== undefined) {
    out += `,"externalTag":${str(c.externalTag)}`;
  }
  if (c.minMos !== undefined) {
    out += `,"mediaStatsMinConversationMos":${num(c.minMos)}`;
  }
  out += `,"originatingDirection":${str(c.originatingDirection)},"participants":[`;
  c.participants.forEach((p, k) => {
    out += (k > 0 ? ',' : '') + participantJson(p, withAttributes);
  });
  return `${out}]}`;
}

function participantJson(p: Participant, withAttributes: boolean): string {
  let out = `{"participantId":${str(p.participantId)}`;
  if (p.participantName !== undefined) {
    out += `,"participantName":${str(p.participantName)}`;
  }
  out += `,"purpose":${str(p.purpose)}`;
  if (p.userId !== undefined) {
    out += `,"userId":${str(p.userId)}`;
  }
  if (withAttributes) {
    // Jobs return AnalyticsParticipant, which always carries participant data (possibly empty).
    out += `,"attributes":${objectJson(p.attributes ?? {})}`;
  }
  out += ',"sessions":[';
  p.sessions.forEach((s, k) => {
    out += (k > 0 ? ',' : '') + sessionJson(s);
  });
  return `${out}]}`;
}

const SESSION_OPTIONAL = ['ani', 'dnis', 'addressFrom', 'addressTo', 'messageType', 'provider', 'remote', 'peerId', 'outboundCampaignId', 'usedRouting'] as const;

function sessionJson(s: Session): string {
  let out = `{"sessionId":${str(s.sessionId)},"mediaType":${str(s.mediaType)},"direction":${str(s.direction)}`;
  for (const key of SESSION_OPTIONAL) {
    const v = s[key];
    if (v !== undefined) {
      out += `,"${key}":${str(v)}`;
    }
  }
  if (s.requestedRoutings) {
    out += `,"requestedRoutings":[${s.requestedRoutings.map(str).join(',')}]`;
  }
  if (s.flow) {
    out += `,"flow":${objectJson(s.flow as unknown as Record<string, string | undefined>)}`;
  }
  out += ',"metrics":[';
  s.metrics.forEach((m, k) => {
    out += `${k > 0 ? ',' : ''}{"name":${str(m.name)},"value":${num(m.value)},"emitDate":"${isoUtc(m.emit)}"}`;
  });
  out += '],"segments":[';
  s.segments.forEach((g, k) => {
    out += (k > 0 ? ',' : '') + segmentJson(g);
  });
  return `${out}]}`;
}

function segmentJson(g: Segment): string {
  let out = `{"segmentStart":"${isoUtc(g.start)}","segmentEnd":"${isoUtc(g.end)}","segmentType":${str(g.type)}`;
  if (g.queueId !== undefined) {
    out += `,"queueId":${str(g.queueId)}`;
  }
  if (g.wrapUpCode !== undefined) {
    out += `,"wrapUpCode":${str(g.wrapUpCode)}`;
  }
  if (g.wrapUpNote !== undefined) {
    out += `,"wrapUpNote":${str(g.wrapUpNote)}`;
  }
  if (g.disconnectType !== undefined) {
    out += `,"disconnectType":${str(g.disconnectType)}`;
  }
  if (g.subject !== undefined) {
    out += `,"subject":${str(g.subject)}`;
  }
  return `${out}}`;
}

/** String-valued objects (attributes, flow): their own keys in JSON.stringify's order, undefined values left out. */
function objectJson(o: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (v !== undefined) {
      parts.push(`${str(key)}:${str(v)}`);
    }
  }
  return `{${parts.join(',')}}`;
}

/** What JSON.stringify escapes: quotes, backslashes, control characters and (unpaired) surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON.stringify escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}
