import { WRAP_UP_TIMEOUT, type Org, type Queue } from '../org';
import { Rng, hash2, uuidFrom, uuidFromWords } from './rng';
import type { Conversation, Metric, Participant, Segment, Session } from './model';
import { MAX_CONVERSATION_MS } from './model';
import { isHostileConversation, plantCorpus } from './xssCorpus';
import type { Timeline } from './timeline';

const SEC = 1000;
const MIN = 60 * SEC;

type Kind = 'voiceIn' | 'voiceOut' | 'callback' | 'message' | 'chat' | 'email';

/**
 * Builds conversation i from (seed, i) alone. Durations are bounded so that end - start stays under
 * MAX_CONVERSATION_MS: call setup <= 3 s, ivr <= 10 min, each queue wait <= 20 min (+ <= 1.5 min when a
 * first agent does not answer), alert <= 1 min, talk <= 45 min, hold <= 10 min, wrap-up <= 10 min, at most
 * one transfer.
 */
export class ConversationGenerator {
  private readonly _idMask: number;
  private readonly _byMedia = new Map<string, Queue[]>();

  constructor(
    private readonly _seed: number,
    private readonly _org: Org,
    private readonly _timeline: Timeline,
    /** Plant the hostile-string corpus (xssCorpus.ts) into some conversations. */
    private readonly _xssCorpus = false,
  ) {
    this._idMask = hash2(_seed, 0x7fffffff);
    for (const q of _org.queues) {
      for (const m of q.media) {
        const list = this._byMedia.get(m) ?? [];
        list.push(q);
        this._byMedia.set(m, list);
      }
    }
  }

  get count(): number {
    return this._timeline.count;
  }

  /** Deterministic id whose last 8 hex digits encode the index, so get-by-id needs no table. */
  idOf(i: number): string {
    const a = hash2(this._seed, i * 3 + 1);
    const b = hash2(this._seed, i * 3 + 2);
    const c = hash2(this._seed, i * 3 + 3);
    return uuidFromWords(a, b, c, (i ^ this._idMask) >>> 0);
  }

  indexOfId(id: string): number | undefined {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
      return undefined;
    }
    const i = (parseInt(id.slice(28), 16) ^ this._idMask) >>> 0;
    return i < this.count && this.idOf(i) === id ? i : undefined;
  }

  generate(i: number): Conversation {
    const rng = new Rng(hash2(this._seed ^ 0x3c6ef372, i));
    const start = this._timeline.startOf(i);
    const roll = rng.next();
    const kind: Kind =
      roll < 0.52 ? 'voiceIn' : roll < 0.64 ? 'voiceOut' : roll < 0.69 ? 'callback' : roll < 0.85 ? 'message' : roll < 0.88 ? 'chat' : 'email';
    const b = new Builder(rng, this._org, start);
    const conv: Conversation = {
      index: i,
      conversationId: this.idOf(i),
      start,
      end: start,
      originatingDirection: kind === 'voiceOut' ? 'outbound' : 'inbound',
      conversationInitiator: kind === 'voiceOut' ? 'agent' : 'customer',
      customerParticipation: true,
      divisionIds: [],
      participants: b.participants,
    };
    if (kind === 'voiceOut') {
      b.outbound(conv, this._pickQueue(rng, 'voice'));
    } else {
      b.inbound(kind, this._pickQueue(rng, kind === 'voiceIn' ? 'voice' : kind), (m) => this._pickQueue(rng, m));
    }
    if (rng.chance(0.05)) {
      conv.externalTag = `CRM-${100000 + (hash2(this._seed, i) % 900000)}`;
    }
    if (kind === 'voiceIn' || kind === 'voiceOut' || kind === 'callback') {
      conv.minMos = Math.round((3.6 + rng.next() * 1.3) * 1000) / 1000;
    }
    let end = start;
    const divisions = new Set<string>();
    for (const p of conv.participants) {
      for (const s of p.sessions) {
        for (const seg of s.segments) {
          end = Math.max(end, seg.end);
          if (seg.queueId) {
            divisions.add(this._org.queueById.get(seg.queueId)?.divisionId ?? this._org.divisions[0].id);
          }
        }
      }
    }
    conv.end = Math.min(end, start + MAX_CONVERSATION_MS - 1);
    conv.divisionIds = divisions.size > 0 ? [...divisions] : [this._org.divisions[0].id];
    if (this._xssCorpus && isHostileConversation(this._seed, i)) {
      plantCorpus(conv, this._seed);
    }
    return conv;
  }

  private _pickQueue(rng: Rng, media: string): Queue {
    return rng.pick(this._byMedia.get(media) ?? this._org.queues);
  }
}

/** Accumulates the participants of one conversation; the cursor `t` walks forward through time. */
class Builder {
  readonly participants: Participant[] = [];
  constructor(
    private readonly _rng: Rng,
    private readonly _org: Org,
    private readonly _start: number,
  ) {}

  private _phone(): string {
    const r = this._rng;
    return `tel:+1${r.int(201, 989)}${r.int(200, 999)}${String(r.int(0, 9999)).padStart(4, '0')}`;
  }

  private _session(mediaType: string, direction: string, extra: Partial<Session> = {}): Session {
    return { sessionId: uuidFrom(this._rng), mediaType, direction, metrics: [], segments: [], ...extra };
  }

  private _participant(purpose: string, name: string | undefined, extra: Partial<Participant> = {}): Participant {
    const p: Participant = { participantId: uuidFrom(this._rng), purpose, sessions: [], ...extra };
    if (name !== undefined) {
      p.participantName = name;
    }
    this.participants.push(p);
    return p;
  }

  private _agentFor(queue: Queue) {
    const r = this._rng;
    // Mostly agents whose home queue this is; sometimes anybody (overflow).
    const members = this._org.members.get(queue.id);
    return members && members.length > 0 && r.chance(0.85) ? r.pick(members) : r.pick(this._org.users);
  }

  private _wrapUp(): string {
    const r = this._rng;
    return r.chance(0.03) ? WRAP_UP_TIMEOUT : r.pick(this._org.wrapUpCodes).id;
  }

  inbound(kind: Exclude<Kind, 'voiceOut'>, queue: Queue, pickQueue: (media: string) => Queue): void {
    const r = this._rng;
    const media = kind === 'voiceIn' ? 'voice' : kind;
    const start = this._start;
    let t = start;
    const ani = media === 'email' ? `${r.pick(['alex', 'sam', 'jo', 'kim', 'pat'])}${r.int(1, 999)}@customer.example` : this._phone();
    const dnis = media === 'email' ? 'support@sandbox.example' : r.pick(this._org.dnis);
    const messageType = media === 'message' ? r.pick(['sms', 'whatsapp', 'web-messaging']) : undefined;
    const customerName = `${r.pick(['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley'])} ${r.pick(['Reed', 'Quinn', 'Blake', 'Hayes', 'Ellis', 'Shaw'])}`;
    const base: Partial<Session> = { ani, dnis };
    if (messageType) {
      base.messageType = messageType;
    }
    if (media === 'voice') {
      base.provider = 'Edge';
    }
    const customer = this._participant('customer', customerName, {
      attributes: {
        accountNumber: String(r.int(10000000, 99999999)),
        language: r.pick(['en-US', 'en-US', 'en-US', 'es-US', 'fr-CA']),
        intent: r.pick(['billing', 'sales', 'support', 'cancel', 'other']),
      },
    });
    const cSession = this._session(media, 'inbound', { ...base, remote: customerName });
    customer.sessions.push(cSession);
    // Voice calls open with a short system segment (call setup) before the customer is connected.
    if (media === 'voice') {
      t += r.duration(600, 150, 3 * SEC);
      cSession.segments.push({ type: 'system', start, end: t });
    }
    const connectedAt = t;
    cSession.metrics.push({ name: 'nConnected', value: 1, emit: connectedAt });
    const finish = (end: number, disconnectType: string): void => {
      cSession.segments.push({ type: 'interact', start: connectedAt, end, disconnectType });
      cSession.metrics.push({ name: 'tConnected', value: end - connectedAt, emit: end });
    };

    // Self-service flow (IVR for voice, an inbound flow for digital media).
    const flow = media === 'voice' ? this._org.flows.voice : media === 'email' ? this._org.flows.email : media === 'chat' ? this._org.flows.chat : this._org.flows.message;
    if (media !== 'callback') {
      const ivrMs = media === 'email' ? r.duration(2 * SEC, 500, 10 * SEC) : r.duration(45 * SEC, 5 * SEC, 10 * MIN);
      const selfServed = media === 'voice' && r.chance(0.08);
      const ivr = this._participant(media === 'voice' ? 'ivr' : 'workflow', flow.name, { attributes: { flowPath: selfServed ? 'self-service' : 'routed' } });
      const s = this._session(media, 'inbound', {
        ...base,
        peerId: cSession.sessionId,
        flow: {
          flowId: flow.id,
          flowName: flow.name,
          flowType: flow.type,
          entryType: 'dnis',
          exitReason: selfServed ? 'DISCONNECT' : 'TRANSFER',
          ...(selfServed ? {} : { transferType: 'ACD', transferTargetName: queue.name }),
        },
      });
      ivr.sessions.push(s);
      if (media === 'voice') {
        // The IVR leg is set up together with the call: system -> ivr.
        s.segments.push({ type: 'system', start, end: t });
      }
      s.segments.push({ type: 'ivr', start: t, end: t + ivrMs, disconnectType: selfServed ? 'peer' : 'transfer' });
      s.metrics.push({ name: 'nFlow', value: 1, emit: t }, { name: 'tFlow', value: ivrMs, emit: t + ivrMs });
      if (media === 'voice') {
        s.metrics.push({ name: 'tIvr', value: ivrMs, emit: t + ivrMs });
      }
      s.metrics.push({ name: selfServed ? 'tFlowDisconnect' : 'tFlowExit', value: ivrMs, emit: t + ivrMs });
      t += ivrMs;
      if (selfServed) {
        finish(t, 'endpoint');
        return;
      }
    }

    const peer = cSession.sessionId;
    let served = this._queueAndAgent(queue, media, base, peer, customerName, t, r.chance(0.1));
    if (served.transferred) {
      const second = pickQueue(media);
      served = this._queueAndAgent(second, media, base, peer, customerName, served.talkEnd, false);
    }
    finish(served.talkEnd, served.abandoned ? 'endpoint' : r.pick(['endpoint', 'peer', 'client']));
    if (media === 'email') {
      // Email segments carry the message subject (a segment dimension clients filter on).
      const subject = r.pick(['Question about my invoice', 'Order status', 'Cannot log in', 'Change of address', 'Refund request', 'Complaint']);
      for (const p of this.participants) {
        for (const s of p.sessions) {
          for (const g of s.segments) {
            g.subject = subject;
          }
        }
      }
    }
  }

  /**
   * One acd participant (queue wait) and, unless abandoned, the agent who answered. Answered: the acd
   * session is delay -> interact (the interact spans the answering agent's alert, disconnect transfer).
   * Voice calls sometimes go first to an agent who does not answer (alert -> short wrapup, tNotResponding),
   * after which the call waits again and the next agent answers. Abandoned: a single delay.
   */
  private _queueAndAgent(queue: Queue, media: string, base: Partial<Session>, peer: string, remote: string, t0: number, transfer: boolean) {
    const r = this._rng;
    const abandoned = r.chance(media === 'voice' ? 0.08 : 0.04);
    const waitMs = abandoned ? r.duration(40 * SEC, 2 * SEC, 20 * MIN) : r.duration(media === 'email' ? 8 * MIN : 35 * SEC, 1 * SEC, 20 * MIN);
    const acd = this._participant('acd', queue.name);
    const as = this._session(media, 'inbound', { ...base, peerId: peer, requestedRoutings: ['Standard'] });
    acd.sessions.push(as);
    as.metrics.push({ name: 'nOffered', value: 1, emit: t0 });
    if (abandoned) {
      const end = t0 + waitMs;
      as.segments.push({ type: 'delay', start: t0, end, queueId: queue.id, disconnectType: r.chance(0.85) ? 'peer' : 'client' });
      as.metrics.push({ name: 'tAcd', value: waitMs, emit: end }, { name: 'tAbandon', value: waitMs, emit: end });
      if (waitMs < 10 * SEC) {
        as.metrics.push({ name: 'tShortAbandon', value: waitMs, emit: end });
      }
      return { talkEnd: end, transferred: false, abandoned: true };
    }
    as.usedRouting = 'Standard';
    const alertMs = r.duration(6 * SEC, 1 * SEC, 60 * SEC);
    const user = this._agentFor(queue);
    let alertStart: number;
    let answerAt: number;
    if (media === 'voice' && r.chance(0.065)) {
      // Offered first to an agent who does not answer (alert timeout), then back in queue.
      let missed = this._agentFor(queue);
      if (missed.id === user.id) {
        missed = this._org.users[(this._org.users.indexOf(user) + 1) % this._org.users.length];
      }
      const firstAlert = t0 + Math.floor(waitMs / 2);
      const ringMs = r.duration(15 * SEC, 8 * SEC, 30 * SEC);
      const ringEnd = firstAlert + ringMs;
      const acwMs = r.duration(1500, 200, 10 * SEC);
      const p = this._participant('agent', missed.name, { userId: missed.id });
      const ms = this._session(media, 'inbound', { ...base, remote, usedRouting: 'Standard', peerId: as.sessionId });
      p.sessions.push(ms);
      ms.segments.push(
        { type: 'alert', start: firstAlert, end: ringEnd, queueId: queue.id, disconnectType: r.chance(0.7) ? 'noAnswerTransfer' : 'client' },
        { type: 'wrapup', start: ringEnd, end: ringEnd + acwMs, queueId: queue.id },
      );
      ms.metrics.push(
        { name: 'tAlert', value: ringMs, emit: ringEnd },
        { name: 'tNotResponding', value: ringMs, emit: ringEnd },
        { name: 'tAcw', value: acwMs, emit: ringEnd + acwMs },
        { name: 'tHandle', value: acwMs, emit: ringEnd + acwMs },
      );
      alertStart = ringEnd + r.duration(4 * SEC, 500, 60 * SEC);
      answerAt = alertStart + alertMs;
    } else {
      answerAt = t0 + waitMs;
      alertStart = answerAt - Math.min(alertMs, Math.floor(waitMs * 0.75));
    }
    const waited = answerAt - t0;
    as.segments.push(
      { type: 'delay', start: t0, end: alertStart, queueId: queue.id },
      { type: 'interact', start: alertStart, end: answerAt, queueId: queue.id, disconnectType: 'transfer' },
    );
    as.metrics.push({ name: 'tAcd', value: waited, emit: answerAt });
    if (waited > 20 * SEC) {
      as.metrics.push({ name: 'nOverSla', value: 1, emit: answerAt });
    }
    const agent = this._participant('agent', user.name, { userId: user.id });
    const s = this._session(media, 'inbound', { ...base, remote, usedRouting: 'Standard', peerId: as.sessionId });
    agent.sessions.push(s);
    const metrics: Metric[] = [];
    s.segments.push({ type: 'alert', start: alertStart, end: answerAt, queueId: queue.id });
    metrics.push({ name: 'tAlert', value: answerAt - alertStart, emit: answerAt }, { name: 'tAnswered', value: waited, emit: answerAt });
    const { end: talkEnd, talk, held } = this._talk(s.segments, answerAt, media, queue.id, transfer ? 'transfer' : r.pick(['client', 'peer']));
    const acw = this._wrapUpSegment(s.segments, talkEnd, queue.id);
    metrics.push({ name: 'tTalk', value: talk, emit: talkEnd }, { name: 'tTalkComplete', value: talk, emit: talkEnd });
    if (held > 0) {
      metrics.push({ name: 'tHeld', value: held, emit: talkEnd }, { name: 'tHeldComplete', value: held, emit: talkEnd });
    }
    if (transfer) {
      metrics.push({ name: 'nTransferred', value: 1, emit: talkEnd }, { name: 'nBlindTransferred', value: 1, emit: talkEnd });
    }
    metrics.push({ name: 'tAcw', value: acw, emit: talkEnd + acw }, { name: 'tHandle', value: talk + held + acw, emit: talkEnd + acw });
    s.metrics.push(...metrics);
    return { talkEnd, transferred: transfer, abandoned: false };
  }

  /** interact [-> hold -> interact]; returns the end and the talk/held totals. */
  private _talk(segs: Segment[], t: number, media: string, queueId: string | undefined, lastDisconnect: string) {
    const r = this._rng;
    const median = media === 'email' ? 6 * MIN : media === 'message' || media === 'chat' ? 9 * MIN : 4 * MIN;
    const total = r.duration(median, 10 * SEC, 45 * MIN);
    if (media === 'voice' && r.chance(0.2)) {
      const first = Math.floor(total * (0.2 + r.next() * 0.5));
      const hold = r.duration(70 * SEC, 5 * SEC, 10 * MIN);
      segs.push(withQueue({ type: 'interact', start: t, end: t + first }, queueId));
      segs.push(withQueue({ type: 'hold', start: t + first, end: t + first + hold }, queueId));
      segs.push(withQueue({ type: 'interact', start: t + first + hold, end: t + total + hold, disconnectType: lastDisconnect }, queueId));
      return { end: t + total + hold, talk: total, held: hold };
    }
    segs.push(withQueue({ type: 'interact', start: t, end: t + total, disconnectType: lastDisconnect }, queueId));
    return { end: t + total, talk: total, held: 0 };
  }

  private _wrapUpSegment(segs: Segment[], t: number, queueId: string): number {
    const code = this._wrapUp();
    const acw = code === WRAP_UP_TIMEOUT ? 10 * MIN : this._rng.duration(25 * SEC, 2 * SEC, 10 * MIN);
    segs.push({ type: 'wrapup', start: t, end: t + acw, queueId, wrapUpCode: code });
    return acw;
  }

  outbound(conv: Conversation, queue: Queue): void {
    const r = this._rng;
    const t0 = this._start;
    const user = r.pick(this._org.users);
    const customerNumber = this._phone();
    const onBehalfOfQueue = r.chance(0.5);
    const connected = r.chance(0.8);
    const base: Partial<Session> = { ani: this._org.outboundAni, dnis: customerNumber, provider: 'Edge' };
    if (r.chance(0.25)) {
      base.outboundCampaignId = this._org.campaignId;
    }
    const agent = this._participant('agent', user.name, { userId: user.id });
    const s = this._session('voice', 'outbound', base);
    agent.sessions.push(s);
    const dialMs = r.duration(3 * SEC, 1 * SEC, 20 * SEC);
    const ringMs = r.duration(15 * SEC, 2 * SEC, 60 * SEC);
    const qid = onBehalfOfQueue ? queue.id : undefined;
    const seg = (type: string, start: number, end: number, disconnectType?: string): Segment =>
      withQueue(disconnectType ? { type, start, end, disconnectType } : { type, start, end }, qid);
    s.segments.push(seg('dialing', t0, t0 + dialMs), seg('contacting', t0 + dialMs, t0 + dialMs + ringMs, connected ? undefined : r.pick(['endpoint', 'uncallable', 'client'])));
    let t = t0 + dialMs + ringMs;
    let talk = 0;
    let held = 0;
    const customer = this._participant('external', customerNumber.slice(4), { attributes: { dialedNumber: customerNumber } });
    const cs = this._session('voice', 'outbound', { ...base, peerId: s.sessionId });
    customer.sessions.push(cs);
    s.metrics.push({ name: 'nOutbound', value: 1, emit: t0 }, { name: 'nOutboundAttempted', value: 1, emit: t0 }, { name: 'tDialing', value: dialMs, emit: t0 + dialMs }, { name: 'tContacting', value: ringMs, emit: t });
    if (connected) {
      const talked = this._talk(s.segments, t, 'voice', qid, r.pick(['client', 'peer']));
      cs.segments.push({ type: 'interact', start: t, end: talked.end, disconnectType: 'peer' });
      s.metrics.push({ name: 'nOutboundConnected', value: 1, emit: t }, { name: 'nConnected', value: 1, emit: t });
      talk = talked.talk;
      held = talked.held;
      t = talked.end;
    } else {
      conv.customerParticipation = false;
      cs.segments.push({ type: 'contacting', start: t0 + dialMs, end: t, disconnectType: 'endpoint' });
    }
    const code = connected ? this._wrapUp() : (this._org.wrapUpCodes.find((w) => w.name === 'No Answer')?.id ?? this._wrapUp());
    const acw = code === WRAP_UP_TIMEOUT ? 10 * MIN : r.duration(20 * SEC, 2 * SEC, 10 * MIN);
    s.segments.push({ ...seg('wrapup', t, t + acw), wrapUpCode: code });
    if (talk > 0) {
      s.metrics.push({ name: 'tTalk', value: talk, emit: t }, { name: 'tTalkComplete', value: talk, emit: t });
    }
    if (held > 0) {
      s.metrics.push({ name: 'tHeld', value: held, emit: t }, { name: 'tHeldComplete', value: held, emit: t });
    }
    s.metrics.push({ name: 'tAcw', value: acw, emit: t + acw }, { name: 'tHandle', value: talk + held + acw, emit: t + acw });
  }
}

function withQueue(seg: Segment, queueId: string | undefined): Segment {
  if (queueId !== undefined) {
    seg.queueId = queueId;
  }
  return seg;
}
