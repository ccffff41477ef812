import type { ConversationRecord } from '../../../src/genesys/types';
import type { ResultsStore } from '../../../src/results/resultsStore';
import type { RunWriter } from '../../../src/results/runWriter';
import { ConversationGenerator } from '../../../src/sandbox/generator/conversation';
import { toWire } from '../../../src/sandbox/generator/serialize';
import { Timeline } from '../../../src/sandbox/generator/timeline';
import { buildOrg } from '../../../src/sandbox/org';

/** Conversations from the sandbox's generator (the same records a job against the sandbox returns). */
export function generatedConversations(count: number, seed = 11, first = 0): ConversationRecord[] {
  const org = buildOrg(seed, 'View Test Org');
  const timeline = new Timeline(first + count, Date.parse('2026-01-15T00:00:00.000Z'), 7, seed);
  const generator = new ConversationGenerator(seed, org, timeline);
  const out: ConversationRecord[] = [];
  for (let i = first; i < first + count; i++) {
    out.push(toWire(generator.generate(i), true) as unknown as ConversationRecord);
  }
  return out;
}

/** Text that has broken CSV writers and SQL builders before. */
export const HOSTILE = ["'; DROP TABLE conversation; --", 'say "hi", then\nleave\r\nnow', '=HYPERLINK("http://x")', 'Zoë – 東京 – 😀', '+1 (555) 010', '-5', '@sum', ''];

/** A generated conversation whose names and addresses carry HOSTILE[i]. */
export function hostileConversation(base: ConversationRecord, i: number): ConversationRecord {
  const text = HOSTILE[i % HOSTILE.length]!;
  const copy = JSON.parse(JSON.stringify(base)) as ConversationRecord;
  copy.conversationId = `hostile-${i}-${base.conversationId}`;
  copy.externalTag = text;
  for (const p of copy.participants ?? []) {
    if (p.purpose === 'customer' || p.purpose === 'external') {
      p.participantName = text;
      for (const s of p.sessions ?? []) {
        s.ani = text;
      }
    }
  }
  return copy;
}

export async function writeRun(store: ResultsStore, runId: string, records: readonly ConversationRecord[], pageSize = 500): Promise<RunWriter> {
  const writer = await store.create({ runId, kind: 'job', connectionId: 'sandbox', body: { interval: 'x' } });
  for (let i = 0; i < records.length; i += pageSize) {
    await writer.appendPage(records.slice(i, i + pageSize));
  }
  return writer;
}
