import { createWriteStream, promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { CancelledError } from '../common/cancellation';
import type { ConversationRecord } from '../genesys/types';
import type { ColumnDef } from './flatten';
import { DEFAULT_COLUMNS, rowCells } from './flatten';
import type { RunReader } from './runReader';

export type ExportFormat = 'csv' | 'json' | 'ndjson';

export interface ExportOptions {
  reader: RunReader;
  format: ExportFormat;
  /** A file path (created or overwritten) or a writable stream (ended when the export finishes). */
  destination: string | Writable;
  /** CSV only: which flattened columns, in order; default DEFAULT_COLUMNS. */
  columns?: readonly ColumnDef[];
  /** CSV only; default ','. */
  delimiter?: string;
  /** CSV only: write a UTF-8 BOM so Excel detects the encoding. */
  bom?: boolean;
  /**
   * CSV only; default true. Text cells starting with = + - @ (or tab / CR) get a leading `'`, so a
   * spreadsheet shows them as text instead of running them as formulas (CSV injection): names such as
   * participantName or a chat customer's ANI come from outside the org. Numbers are never changed. Turn
   * off for a CSV read by programs rather than spreadsheets.
   */
  escapeFormulas?: boolean;
  /** Rows read from the cache per step (memory is about one batch). */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (rowsWritten: number) => void;
}

export interface ExportResult {
  rows: number;
}

/**
 * Streams a cached run to CSV (flattened columns, via csv-stringify), JSON (one array) or NDJSON
 * (the cached lines as they are), without re-running the query and with memory bounded by one batch.
 */
export async function exportRun(options: ExportOptions): Promise<ExportResult> {
  try {
    return await exportTo(options);
  } catch (err) {
    if (typeof options.destination === 'string') {
      // A half-written export looks like a complete one; do not leave it behind.
      await fsp.rm(options.destination, { force: true }).catch(() => undefined);
    }
    // pipeline rejects with a DOM AbortError; callers expect our CancelledError (no error toast).
    throw options.signal?.aborted ? new CancelledError('The export was cancelled.') : err;
  }
}

async function exportTo(options: ExportOptions): Promise<ExportResult> {
  const batchSize = options.batchSize ?? 2000;
  const counter = { rows: 0 };
  const out = typeof options.destination === 'string' ? createWriteStream(options.destination) : options.destination;
  const signalOpt = options.signal ? { signal: options.signal } : {};
  const batches = options.reader.iterateRaw(batchSize);
  const report = (n: number): void => {
    counter.rows += n;
    options.onProgress?.(counter.rows);
  };

  if (options.format === 'csv') {
    const columns = options.columns ?? DEFAULT_COLUMNS;
    const escape = options.escapeFormulas ?? true;
    const records = async function* (): AsyncGenerator<string[]> {
      for await (const batch of batches) {
        for (const line of batch) {
          yield rowCells(JSON.parse(line) as ConversationRecord, columns).map((v) => csvCell(v, escape));
        }
        report(batch.length);
      }
    };
    const csv = stringify({ header: true, columns: columns.map((c) => c.title), delimiter: options.delimiter ?? ',', bom: options.bom ?? false });
    await pipeline(Readable.from(records()), csv, out, signalOpt);
    return counter;
  }

  const json = options.format === 'json';
  const chunks = async function* (): AsyncGenerator<string> {
    let first = true;
    if (json) {
      yield '[';
    }
    for await (const batch of batches) {
      if (json) {
        yield `${first ? '\n' : ',\n'}${batch.join(',\n')}`;
      } else {
        yield `${batch.join('\n')}\n`;
      }
      first = false;
      report(batch.length);
    }
    if (json) {
      yield first ? ']\n' : '\n]\n';
    }
  };
  await pipeline(Readable.from(chunks()), out, signalOpt);
  return counter;
}

function csvCell(value: string | number | boolean | undefined, escapeFormulas: boolean): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value !== 'string') {
    return String(value);
  }
  return escapeFormulas && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
