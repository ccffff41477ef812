/** What the merge needs of a stored row: its id and where its conversation starts. */
export interface RowKeys {
  conversationId: string;
  /** conversationStart in epoch ms; NaN when missing or unreadable. */
  startMs: number;
}

const ID_PREFIX = '{"conversationId":"';
const START_KEY = '","conversationStart":"';
/** Bytes of a stored row decoded to find its keys: an id and an ISO instant with their keys take about 110. */
const HEAD_BYTES = 256;

/**
 * Reads conversationId and conversationStart of one stored row (its JSON text, or that text's UTF-8 bytes). Rows written by our
 * cache are JSON.stringify output of Genesys' answer, whose first two keys are these two: then they are
 * read in place, without parsing the row (a row is ~5 KB; parsing 1,000 of them per merged batch only
 * to read two fields made the merge the largest allocator of a split run). Any other layout (keys in
 * another order, escapes in the id) is parsed in full, so the answer is always JSON.parse's.
 */
export function rowKeys(json: string | Uint8Array): RowKeys {
  // Of stored bytes only the head is decoded (both keys lie in it); a head cut inside a character ends in
  // U+FFFD, past the fields read, or it misses a closing quote and the row is parsed in full.
  const head = typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, Math.min(json.length, HEAD_BYTES)).toString('utf8');
  if (head.startsWith(ID_PREFIX)) {
    const idEnd = head.indexOf('"', ID_PREFIX.length);
    const id = head.slice(ID_PREFIX.length, idEnd);
    if (idEnd > 0 && !id.includes('\\') && head.startsWith(START_KEY, idEnd)) {
      const from = idEnd + START_KEY.length;
      const startEnd = head.indexOf('"', from);
      const start = head.slice(from, startEnd);
      if (startEnd > 0 && !start.includes('\\')) {
        return { conversationId: id, startMs: Date.parse(start) };
      }
    }
  }
  const row = JSON.parse(typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.length).toString('utf8')) as {
    conversationId: string;
    conversationStart?: unknown;
  };
  return { conversationId: row.conversationId, startMs: typeof row.conversationStart === 'string' ? Date.parse(row.conversationStart) : Number.NaN };
}
