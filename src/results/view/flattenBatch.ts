import type { ConversationRecord } from '../../genesys/types';
import { analyzeConversation } from './analyze';
import type { GrainColumns } from './grainBuffer';
import { addConversation, emptyGrainColumns } from './grainBuffer';
import type { Grain } from './viewTypes';

/** A grain that takes rows of this batch, and the first run row it does not have yet. */
export interface GrainFrom {
  readonly grain: Grain;
  readonly from: number;
}

/**
 * Parses and flattens rows [first, first + lines.length) of a run into column batches, one per grain
 * (a grain only takes the rows from its own `from` on). The same code runs in the flatten worker
 * (flattenWorker.ts) and, for small refreshes or without a worker, on the calling thread.
 */
export function flattenBatch(runDir: string, first: number, lines: readonly string[], grains: readonly GrainFrom[]): GrainColumns[] {
  const batches = grains.map((g) => emptyGrainColumns(g.grain, g.from));
  const detail = grains.some((g) => g.grain !== 'conversation');
  for (let i = 0; i < lines.length; i++) {
    const idx = first + i;
    let record: ConversationRecord;
    try {
      record = JSON.parse(lines[i]!) as ConversationRecord;
    } catch (err) {
      throw new Error(`The cached row ${idx + 1} of ${runDir} is not valid JSON. Delete the run and run the query again.`, { cause: err });
    }
    const conv = analyzeConversation(record, idx, detail);
    for (const b of batches) {
      if (idx >= b.from) {
        addConversation(b, conv);
      }
    }
  }
  return batches;
}
