import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { CancelledError, throwIfAborted } from '../../common/cancellation';
import type { ColumnSpec } from './columnSpec';
import { ident } from './columnSpec';
import type { DuckDBConnection } from './duckdb';
import type { Params } from './sqlBuilder';
import { checkGrain, columnOf, orderByClause, Params as ParamList, selectSql, tableOf, ViewRequestError, whereClause, ref } from './sqlBuilder';
import type { ViewDatabase } from './viewDatabase';
import type { ExportViewOptions } from './viewTypes';

const FORMATS = ['csv', 'json', 'ndjson', 'parquet'];

/**
 * Writes the view (grain, filters, sort, chosen columns) to a file, streaming: rows go from DuckDB to
 * the file one vector (≈2,048 rows) at a time, Parquet entirely inside DuckDB. The file is written under
 * a temporary name next to the destination and renamed at the end, so a cancelled or failed export
 * leaves nothing that looks complete.
 */
export async function exportView(db: ViewDatabase, options: ExportViewOptions): Promise<{ rows: number; bytes: number }> {
  if (!FORMATS.includes(options.format)) {
    throw new ViewRequestError(`Unknown export format ${JSON.stringify(options.format)}: expected csv, json, ndjson or parquet.`);
  }
  if (typeof options.destination !== 'string' || options.destination === '') {
    throw new ViewRequestError('Choose a file to export to.');
  }
  throwIfAborted(options.signal);
  const tmp = join(dirname(options.destination), `.${basename(options.destination)}.${randomBytes(4).toString('hex')}.tmp`);
  // The export's stream holds its connection to the end; windows go on meanwhile on the view's others.
  return db.reads.use(async (connection) => {
    const onAbort = (): void => connection.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const rows = options.format === 'parquet' ? await writeParquet(connection, options, tmp) : await writeText(connection, options, tmp);
      throwIfAborted(options.signal);
      await fsp.rename(tmp, options.destination);
      const { size } = await fsp.stat(options.destination);
      return { rows, bytes: size };
    } catch (err) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw options.signal?.aborted ? new CancelledError('The export was cancelled.') : err;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  });
}

async function writeText(connection: DuckDBConnection, options: ExportViewOptions, tmp: string): Promise<number> {
  const grain = checkGrain(options.view.grain);
  const specs = options.columns.map((id) => columnOf(grain, id));
  const statement = selectSql(options.view, options.columns);
  const result = await connection.stream(statement.sql, [...statement.params]);
  let written = 0;
  const chunks = async function* (): AsyncGenerator<unknown[][]> {
    for (;;) {
      throwIfAborted(options.signal);
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) {
        return;
      }
      const rows = chunk.getRows() as unknown[][];
      yield rows;
      written += rows.length;
      options.onProgress?.(written);
    }
  };
  const out = createWriteStream(tmp, { flags: 'wx' });
  const signal = options.signal ? { signal: options.signal } : {};
  if (options.format === 'csv') {
    const records = async function* (): AsyncGenerator<string[]> {
      for await (const rows of chunks()) {
        for (const row of rows) {
          yield row.map(csvCell);
        }
      }
    };
    // RFC 4180: CRLF between records; fields with a delimiter, quote or line break are quoted.
    const csv = stringify({ header: true, columns: specs.map((s) => s.label), record_delimiter: 'windows' });
    await pipeline(Readable.from(records()), csv, out, signal);
    return written;
  }
  const ids = specs.map((s) => s.id);
  const json = options.format === 'json';
  const text = async function* (): AsyncGenerator<string> {
    let first = true;
    if (json) {
      yield '[';
    }
    for await (const rows of chunks()) {
      const lines = rows.map((row) => JSON.stringify(Object.fromEntries(ids.map((id, i) => [id, row[i] ?? null]))));
      yield json ? `${first ? '\n' : ',\n'}${lines.join(',\n')}` : `${lines.join('\n')}\n`;
      first = false;
    }
    if (json) {
      yield first ? ']\n' : '\n]\n';
    }
  };
  await pipeline(Readable.from(text()), out, signal);
  return written;
}

/** Parquet keeps real types: times as TIMESTAMP (UTC, ms), durations as BIGINT milliseconds. */
async function writeParquet(connection: DuckDBConnection, options: ExportViewOptions, tmp: string): Promise<number> {
  const grain = checkGrain(options.view.grain);
  const params: Params = new ParamList();
  const cols = options.columns.map((id) => `${parquetExpr(columnOf(grain, id))} AS ${ident(columnOf(grain, id).id)}`);
  if (cols.length === 0) {
    throw new ViewRequestError('Choose at least one column.');
  }
  const where = whereClause(options.view, params);
  const order = orderByClause(options.view);
  // The path cannot be a parameter in COPY; it is ours (a temp name next to the destination), quoted as a literal.
  const target = `'${tmp.replace(/'/g, "''")}'`;
  const reader = await connection.runAndReadAll(
    `COPY (SELECT ${cols.join(', ')} FROM ${tableOf(grain)} ${where} ${order}) TO ${target} (FORMAT parquet, COMPRESSION zstd)`,
    [...params.values],
  );
  const rows = Number((reader.getRowsJS()[0] as unknown[] | undefined)?.[0] ?? 0);
  options.onProgress?.(rows);
  return rows;
}

function parquetExpr(s: ColumnSpec): string {
  switch (s.type) {
    case 'time':
      return `epoch_ms(CAST(${ref(s)} AS BIGINT))`;
    case 'duration':
      return `CAST(${ref(s)} AS BIGINT)`;
    default:
      return ref(s);
  }
}

/**
 * Text cells starting with = + - @ (or tab / CR) get a leading `'` so spreadsheets show them as text
 * instead of running them (CSV injection), as src/results/export.ts does; numbers are never changed.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value !== 'string') {
    return String(value);
  }
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
