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
  out += `,"conversationInitiator":${str(c.conversationInitiator)},"customerParticipation":${c.customerParticipation},"divisionIds":[${joinJson(c.divisionIds, str)}]`;
  if (c.externalTag !== undefined) {
    out += `,"externalTag":${str(c.externalTag)}`;
  }
  if (c.minMos !== undefined) {
    out += `,"mediaStatsMinConversationMos":${num(c.minMos)}`;
  }
  out += `,"originatingDirection":${str(c.originatingDirection)}`;
  return `${out},"participants":[${joinJson(c.participants, (p) => participantJson(p, withAttributes))}]}`;
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
  return `${out},"sessions":[${joinJson(p.sessions, sessionJson)}]}`;
}

const SESSION_OPTIONAL = ['ani', 'dnis', 'addressFrom', 'addressTo', 'messageType', 'provider', 'remote', 'peerId', 'outboundCampaignId', 'usedRouting'] as const;

function sessionJson(s: Session): string {
  let out = `{"sessionId":${str(s.sessionId)},"mediaType":${str(s.mediaType)},"direction":${str(s.direction)}`;
  out += optionalJson(s, SESSION_OPTIONAL);
  if (s.requestedRoutings) {
    out += `,"requestedRoutings":[${joinJson(s.requestedRoutings, str)}]`;
  }
  if (s.flow) {
    out += `,"flow":${objectJson(s.flow as unknown as Record<string, string | undefined>)}`;
  }
  const metrics = joinJson(s.metrics, (m) => `{"name":${str(m.name)},"value":${num(m.value)},"emitDate":"${isoUtc(m.emit)}"}`);
  return `${out},"metrics":[${metrics}],"segments":[${joinJson(s.segments, segmentJson)}]}`;
}

const SEGMENT_OPTIONAL = ['queueId', 'wrapUpCode', 'wrapUpNote', 'disconnectType', 'subject'] as const;

function segmentJson(g: Segment): string {
  return `{"segmentStart":"${isoUtc(g.start)}","segmentEnd":"${isoUtc(g.end)}","segmentType":${str(g.type)}${optionalJson(g, SEGMENT_OPTIONAL)}}`;
}

/** The items' JSON joined with commas (a string built in place: cheaper here than map and join). */
function joinJson<T>(items: readonly T[], json: (item: T) => string): string {
  let out = '';
  for (let k = 0; k < items.length; k++) {
    out += (k > 0 ? ',' : '') + json(items[k]!);
  }
  return out;
}

/** `,"key":"value"` for each of `keys` that `o` has, in the order given (the wire's). */
function optionalJson<T extends object>(o: T, keys: readonly (keyof T & string)[]): string {
  let out = '';
  for (const key of keys) {
    const v = o[key];
    if (v !== undefined) {
      out += `,"${key}":${str(v as string)}`;
    }
  }
  return out;
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
