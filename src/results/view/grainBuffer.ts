import type { ConversationCtx } from './analyze';
import { KEY_COLUMNS } from './columnSpec';
import type { DuckDBConnection, DuckDBModule } from './duckdb';
import type { GrainDef } from './grains';
import { cellOf, GRAINS } from './grains';
import type { Cell, Grain } from './viewTypes';

/** DuckDB's vector size: an appended data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

/**
 * One batch of a grain's rows, column by column, then appended to its table through DuckDB's appender
 * a data chunk at a time (far cheaper than INSERT statements, and no SQL text is built from values).
 */
export class GrainBuffer {
  private readonly _def: GrainDef;
  private readonly _keys: number[][];
  private readonly _cols: Cell[][];
  private _rows = 0;

  constructor(
    private readonly _duckdb: DuckDBModule,
    readonly grain: Grain,
  ) {
    this._def = GRAINS[grain];
    this._keys = KEY_COLUMNS[grain].map(() => []);
    this._cols = this._def.columns.map(() => []);
  }

  get rows(): number {
    return this._rows;
  }

  add(conv: ConversationCtx): void {
    const columns = this._def.columns;
    this._def.rows(conv, (keys, ctx) => {
      for (let k = 0; k < keys.length; k++) {
        this._keys[k]!.push(keys[k]!);
      }
      for (let c = 0; c < columns.length; c++) {
        this._cols[c]!.push(cellOf(columns[c]!.get(ctx)));
      }
      this._rows++;
    });
  }

  async appendTo(connection: DuckDBConnection): Promise<void> {
    if (this._rows === 0) {
      return;
    }
    const d = this._duckdb;
    const types = [
      ...KEY_COLUMNS[this.grain].map(() => d.INTEGER),
      ...this._def.columns.map((c) => (c.type === 'string' ? d.VARCHAR : c.type === 'boolean' ? d.BOOLEAN : d.DOUBLE)),
    ];
    const all = [...this._keys, ...this._cols];
    const appender = await connection.createAppender(this.grain);
    try {
      for (let offset = 0; offset < this._rows; offset += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, this._rows - offset);
        const chunk = d.DuckDBDataChunk.create(types, n);
        chunk.setColumns(all.map((col) => col.slice(offset, offset + n)));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
}

