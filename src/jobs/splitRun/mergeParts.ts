import type { RawRow, RunWriter } from '../../results/runWriter';
import { RunReader } from '../../results/runReader';
import type { Span } from './splitInterval';
import { ownerOf } from './splitInterval';

/** Rows copied per appended page: the size of a results page, so one merge step is one page's work. */
const BATCH = 1000;

/**
 * Appends the rows of one sub-job's cache (`partDir`, the sub-job over `spans[index]`) to the merged
 * run, in their order, keeping only the conversations this span owns (their conversationStart falls
 * in it; see ownerOf) — or, given a set of indexes, that one of those spans owns (a re-fetch copies
 * the spans it keeps from the old merged run in one pass): a conversation that spans a boundary was also returned by the neighbouring
 * sub-job, and is kept once, where interval order puts it. The writer drops any id it already holds
 * as well. Rows are copied as their stored JSON text (parsed for id and start only, not re-serialised).
 * Returns the rows appended.
 */
export async function mergePart(writer: RunWriter, partDir: string, spans: readonly Span[], index: number | ReadonlySet<number>): Promise<number> {
  const owns = typeof index === 'number' ? (i: number) => i === index : (i: number) => index.has(i);
  const reader = await RunReader.open(partDir);
  let appended = 0;
  try {
    const total = await reader.rowCount();
    for (let start = 0; start < total; start += BATCH) {
      const owned: RawRow[] = [];
      for (const json of await reader.readRawRows(start, BATCH)) {
        const row = JSON.parse(json) as { conversationId: string; conversationStart?: string };
        const startMs = row.conversationStart ? Date.parse(row.conversationStart) : Number.NaN;
        // A row without a readable start stays with the sub-job that returned it.
        if (Number.isNaN(startMs) || owns(ownerOf(spans, startMs))) {
          owned.push({ conversationId: row.conversationId, json });
        }
      }
      appended += (await writer.appendRawRows(owned, { pages: writer.manifest.pages + 1 })).appended;
    }
  } finally {
    await reader.close();
  }
  return appended;
}
