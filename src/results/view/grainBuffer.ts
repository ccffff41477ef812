import type { ConversationCtx } from './analyze';
import { KEY_COLUMNS } from './columnSpec';
import type { DuckDBAppender, DuckDBModule } from './duckdb';
import { cellOf, GRAINS } from './grains';
import type { Cell, Grain } from './viewTypes';

/** DuckDB's vector size: an appended data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

/**
 * One batch of a grain's rows, column by column: plain arrays, so a worker thread can build them and
 * post them to the thread that appends (structured clone), see flattenBatch.ts.
 */
export interface GrainColumns {
  readonly grain: Grain;
  /** Rows of the run this batch starts from for this grain (its loaded count when it was asked for). */
  readonly from: number;
  rows: number;
  readonly keys: number[][];
  readonly cols: Cell[][];
}

export function emptyGrainColumns(grain: Grain, from: number): GrainColumns {
  return { grain, from, rows: 0, keys: KEY_COLUMNS[grain].map(() => []), cols: GRAINS[grain].columns.map(() => []) };
}

/** Adds a conversation's rows of the grain (none, one or many) to the batch. */
export function addConversation(batch: GrainColumns, conv: ConversationCtx): void {
  const def = GRAINS[batch.grain];
  const columns = def.columns;
  def.rows(conv, (keys, ctx) => {
    for (let k = 0; k < keys.length; k++) {
      batch.keys[k]!.push(keys[k]!);
    }
    for (let c = 0; c < columns.length; c++) {
      batch.cols[c]!.push(cellOf(columns[c]!.get(ctx)));
    }
    batch.rows++;
  });
}

/**
 * Appends a batch to its grain's table through an open DuckDB appender, a data chunk at a time (far
 * cheaper than INSERT statements, and no SQL text is built from values). Synchronous: the rows reach
 * the table when the appender is flushed (LoadTransaction.commit).
 */
export function appendGrainColumns(duckdb: DuckDBModule, appender: DuckDBAppender, batch: GrainColumns): void {
  if (batch.rows === 0) {
    return;
  }
  const d = duckdb;
  const types = [
    ...KEY_COLUMNS[batch.grain].map(() => d.INTEGER),
    ...GRAINS[batch.grain].columns.map((c) => (c.type === 'string' ? d.VARCHAR : c.type === 'boolean' ? d.BOOLEAN : d.DOUBLE)),
  ];
  const all = [...batch.keys, ...batch.cols];
  for (let offset = 0; offset < batch.rows; offset += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, batch.rows - offset);
    const chunk = d.DuckDBDataChunk.create(types, n);
    chunk.setColumns(all.map((col) => (offset === 0 && n === col.length ? col : col.slice(offset, offset + n))));
    appender.appendDataChunk(chunk);
  }
}
