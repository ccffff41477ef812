import { hash2 } from './rng';
import type { Conversation } from './model';

/**
 * Hostile strings planted in some conversations (option `xssCorpus`, on by default), so every view,
 * webview, export and log is exercised with data that breaks naive rendering: markup and script
 * injections, a `javascript:` link, RTL override and zero-width characters, and a 10 KB string.
 * Deterministic: the same conversations carry the same strings for the same seed.
 */
export const XSS_CORPUS: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(1)</script>',
  'javascript:alert(1)',
  '"><svg onload=alert(1)>',
  `Eve \u202Egnp.exe\u202C Mallory`,
  `Zero\u200Bwidth\u200C\u200Djoin\uFEFFer`,
  `${'A'.repeat(10_230)}<b>10KB</b>`,
];

/** One in this many conversations is hostile. */
const EVERY = 40;

/** Whether conversation `index` of the data with `seed` carries the corpus. */
export function isHostileConversation(seed: number, index: number): boolean {
  return hash2(seed ^ 0x5a5a17, index) % EVERY === 0;
}

/**
 * Plants the corpus into a generated conversation, keeping its §6 shape: the customer's (or external
 * party's) participantName and the sessions' `remote` that repeat it, a few participant attributes
 * (`note`, `link`, `transcript`), and `wrapUpNote` on agent wrap-up segments. Ids, times, metrics and
 * everything filters look at stay as generated, so query results and ground truth do not change.
 */
export function plantCorpus(conv: Conversation, seed: number): void {
  const pick = (k: number): string => XSS_CORPUS[(hash2(seed ^ 0x77, conv.index * 7 + k) >>> 0) % XSS_CORPUS.length]!;
  const name = pick(0);
  const customer = conv.participants.find((p) => p.purpose === 'customer' || p.purpose === 'external');
  const oldName = customer?.participantName;
  if (customer) {
    customer.participantName = name;
    customer.attributes = { ...(customer.attributes ?? {}), note: pick(1), link: XSS_CORPUS[2]!, transcript: XSS_CORPUS[XSS_CORPUS.length - 1]! };
  }
  for (const p of conv.participants) {
    for (const s of p.sessions) {
      if (oldName !== undefined && s.remote === oldName) {
        s.remote = name;
      }
      if (p.purpose === 'agent') {
        for (const g of s.segments) {
          if (g.type === 'wrapup') {
            g.wrapUpNote = pick(2);
          }
        }
      }
    }
  }
}
