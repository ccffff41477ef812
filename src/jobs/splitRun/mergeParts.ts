import type { RawRow, RowBlock, RunWriter } from '../../results/runWriter';
import { RunReader } from '../../results/runReader';
import type { Span } from './splitInterval';
import { ownerOf } from './splitInterval';
import { rowKeys } from './rowKeys';

/** Rows copied per appended page: the size of a results page, so one merge step is one page's work. */
const BATCH = 1000;

/**
 * Whether the span `index` owns the stored row `json`: its conversationStart falls in it (see ownerOf). A
 * row without a readable start (NaN) stays with the sub-job that returned it.
 */
export function ownsRow(spans: readonly Span[], index: number, json: string | Uint8Array): boolean {
  return ownsStart(spans, rowKeys(json).startMs, (i) => i === index);
}

/** Whether a conversation starting at `startMs` belongs to a span `owns` accepts (NaN: to whichever returned it). */
function ownsStart(spans: readonly Span[], startMs: number, owns: (index: number) => boolean): boolean {
  return Number.isNaN(startMs) || owns(ownerOf(spans, startMs));
}

/**
 * Appends the rows of one sub-job's cache (`partDir`, the sub-job over `spans[index]`) to the merged
 * run, in their order, keeping only the conversations this span owns (their conversationStart falls
 * in it; see ownerOf) — or, given a set of indexes, that one of those spans owns (a re-fetch copies
 * the spans it keeps from the old merged run in one pass): a conversation that spans a boundary was
 * also returned by the neighbouring sub-job, and is kept once, where interval order puts it. The writer
 * drops any id it already holds as well. Rows are copied as their stored JSON text (id and start read in
 * place, see rowKeys; never re-serialised). `ownRowsOnly`: the cache holds only rows its span owns (the
 * sub-job dropped the others as pages came), so its gzip members are copied as stored, without being
 * read, whenever the duplicate filter knows none of their ids. Returns the rows appended.
 */
export async function mergePart(writer: RunWriter, partDir: string, spans: readonly Span[], index: number | ReadonlySet<number>, ownRowsOnly = false): Promise<number> {
  const owns = typeof index === 'number' ? (i: number) => i === index : (i: number) => index.has(i);
  const keeps = (startMs: number): boolean => ownsStart(spans, startMs, owns);
  const reader = await RunReader.open(partDir);
  let appended = 0;
  try {
    const total = await reader.rowCount();
    for (let start = 0; start < total; ) {
      const batch = (ownRowsOnly ? await copyStored(writer, reader, start) : undefined) ?? (await copyBatch(writer, reader, start, keeps));
      if (batch.read === 0) {
        break;
      }
      appended += batch.appended;
      start += batch.read;
    }
  } finally {
    await reader.close();
  }
  return appended;
}

/** Copies whole members from row `start` as stored; undefined when they must be read (see appendStoredMembers). */
async function copyStored(writer: RunWriter, reader: RunReader, start: number): Promise<{ read: number; appended: number } | undefined> {
  const stored = await reader.readStoredMembers(start, BATCH);
  const result = stored && (await writer.appendStoredMembers(stored.members, stored.hashes, { pages: writer.manifest.pages + 1 }));
  return result && { read: stored.hashes.length, appended: result.appended };
}

/**
 * Appends the kept rows of one batch (whole stored blocks from row `start`). A block whose rows are all
 * kept is written as the gzip member it is stored in (not inflated and deflated again: that was most of a
 * merge's CPU). Its own call, so the batch (5 MB of row text) is unreferenced once appended rather than
 * held by the loop's locals while the next batch is read.
 */
async function copyBatch(writer: RunWriter, reader: RunReader, start: number, keeps: (startMs: number) => boolean): Promise<{ read: number; appended: number }> {
  const blocks: RowBlock[] = [];
  let read = 0;
  for (const member of await reader.readMembers(start, BATCH)) {
    const rows: RawRow[] = [];
    for (const json of member.lines) {
      const { conversationId, startMs } = rowKeys(json);
      if (keeps(startMs)) {
        rows.push({ conversationId, json });
      }
    }
    read += member.lines.length;
    blocks.push({ rows, ...(member.gzip && rows.length === member.lines.length ? { gzip: member.gzip } : {}) });
  }
  const { appended } = read > 0 ? await writer.appendStoredBlocks(blocks, { pages: writer.manifest.pages + 1 }) : { appended: 0 };
  return { read, appended };
}
