/** What the merge needs of a stored row: its id and where its conversation starts. */
export interface RowKeys {
  conversationId: string;
  /** conversationStart in epoch ms; NaN when missing or unreadable. */
  startMs: number;
}

const ID_PREFIX = '{"conversationId":"';
const START_KEY = '","conversationStart":"';

/**
 * Reads conversationId and conversationStart of one stored row (its JSON text). Rows written by our
 * cache are JSON.stringify output of Genesys' answer, whose first two keys are these two: then they are
 * read in place, without parsing the row (a row is ~5 KB; parsing 1,000 of them per merged batch only
 * to read two fields made the merge the largest allocator of a split run). Any other layout (keys in
 * another order, escapes in the id) is parsed in full, so the answer is always JSON.parse's.
 */
export function rowKeys(json: string): RowKeys {
  if (json.startsWith(ID_PREFIX)) {
    const idEnd = json.indexOf('"', ID_PREFIX.length);
    const id = json.slice(ID_PREFIX.length, idEnd);
    if (idEnd > 0 && !id.includes('\\') && json.startsWith(START_KEY, idEnd)) {
      const from = idEnd + START_KEY.length;
      const startEnd = json.indexOf('"', from);
      const start = json.slice(from, startEnd);
      if (startEnd > 0 && !start.includes('\\')) {
        return { conversationId: id, startMs: Date.parse(start) };
      }
    }
  }
  const row = JSON.parse(json) as { conversationId: string; conversationStart?: unknown };
  return { conversationId: row.conversationId, startMs: typeof row.conversationStart === 'string' ? Date.parse(row.conversationStart) : Number.NaN };
}
