import { parentPort } from 'node:worker_threads';
import { RunReader } from '../runReader';
import { flattenBatch } from './flattenBatch';
import type { FlattenReply, FlattenRequest } from './flattenThread';

/**
 * Worker thread of flattenThread.ts: reads a batch of rows from the run's cache itself (the raw text never
 * crosses threads), parses and flattens it, and posts back the column batches. One request at a time.
 */

let open: { runDir: string; reader: Promise<RunReader> } | undefined;

async function handle(request: FlattenRequest): Promise<FlattenReply> {
  if (open?.runDir !== request.runDir) {
    void open?.reader.then((r) => r.close());
    open = { runDir: request.runDir, reader: RunReader.open(request.runDir) };
  }
  const reader = await open.reader;
  const lines = await reader.readRawRows(request.first, request.count);
  return { id: request.id, lines: lines.length, batches: flattenBatch(request.runDir, request.first, lines, request.grains) };
}

parentPort?.on('message', (request: FlattenRequest) => {
  handle(request).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) => parentPort?.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies FlattenReply),
  );
});
