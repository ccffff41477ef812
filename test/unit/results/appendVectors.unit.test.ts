import * as assert from 'node:assert/strict';
import { ident, KEY_COLUMNS, sqlType } from '../../../src/results/view/columnSpec';
import type { DuckDBConnection } from '../../../src/results/view/duckdb';
import { loadDuckDB, loadDuckDBBindings } from '../../../src/results/view/duckdb';
import { flattenBatch } from '../../../src/results/view/flattenBatch';
import type { GrainColumns } from '../../../src/results/view/grainBuffer';
import { appendGrainColumns } from '../../../src/results/view/grainBuffer';
import { GRAIN_NAMES, GRAINS } from '../../../src/results/view/grains';
import type { Grain } from '../../../src/results/view/viewTypes';
import { generatedConversations, HOSTILE, hostileConversation } from './viewRuns';

/**
 * appendGrainColumns fills DuckDB's vectors through the C API (typed arrays, a validity mask in 32-bit
 * words). The reference is node-api's own `setColumns`, value by value: every grain's table must hold the
 * same rows either way, NULLs included, over several chunks and a last chunk that ends mid-word.
 */
describe('results view / appending column batches to DuckDB', function () {
  this.timeout(60_000);

  async function table(c: DuckDBConnection, name: string, grain: Grain): Promise<void> {
    const keys = KEY_COLUMNS[grain].map((k) => `${k} INTEGER`);
    const cols = GRAINS[grain].columns.map((col) => `${ident(col.id)} ${sqlType(col.type)}`);
    await c.run(`CREATE OR REPLACE TABLE ${name} (${[...keys, ...cols].join(', ')})`);
  }

  /** The library's way: one DuckDBDataChunk per 2,048 rows filled with setColumns. */
  async function referenceAppend(c: DuckDBConnection, name: string, batch: GrainColumns): Promise<void> {
    const d = await loadDuckDB();
    const types = [
      ...KEY_COLUMNS[batch.grain].map(() => d.INTEGER),
      ...GRAINS[batch.grain].columns.map((col) => (col.type === 'string' ? d.VARCHAR : col.type === 'boolean' ? d.BOOLEAN : d.DOUBLE)),
    ];
    const appender = await c.createAppender(name);
    const all = [...batch.keys, ...batch.cols];
    for (let offset = 0; offset < batch.rows; offset += 2048) {
      const n = Math.min(2048, batch.rows - offset);
      const chunk = d.DuckDBDataChunk.create(types, n);
      chunk.setColumns(all.map((col) => col.slice(offset, offset + n)));
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
  }

  it('writes every grain exactly as node-api setColumns does, NULLs and hostile text included', async () => {
    const base = generatedConversations(700, 31);
    const records = base.map((c, i) => (i % 9 === 4 ? hostileConversation(c, i) : c));
    records.push({ conversationId: 'bare' } as never, { conversationId: 'odd', participants: 'x', conversationStart: 'never' } as never);
    const lines = records.map((r) => JSON.stringify(r));
    const batches = flattenBatch('test', 0, lines, GRAIN_NAMES.map((grain) => ({ grain, from: 0 })));
    const d = await loadDuckDB();
    const bindings = await loadDuckDBBindings();
    const instance = await d.DuckDBInstance.create(':memory:');
    try {
      const c = await instance.connect();
      for (const batch of batches) {
        assert.ok(batch.rows > 2048 || batch.grain === 'conversation', `${batch.grain}: more than one chunk (${batch.rows} rows)`);
        assert.notEqual(batch.rows % 64, 0, `${batch.grain}: the last chunk ends inside a validity word`);
        await table(c, 'fast', batch.grain);
        await table(c, 'ref', batch.grain);
        const appender = await c.createAppender('fast');
        appendGrainColumns(d, bindings, appender, batch);
        appender.flushSync();
        appender.closeSync();
        await referenceAppend(c, 'ref', batch);
        const count = async (sql: string): Promise<number> => Number((await c.runAndReadAll(sql)).getRowsJS()[0]![0]);
        assert.equal(await count('SELECT count(*) FROM fast'), batch.rows, batch.grain);
        assert.equal(await count('SELECT count(*) FROM (SELECT * FROM fast EXCEPT ALL SELECT * FROM ref)'), 0, `${batch.grain}: rows only in the fast table`);
        assert.equal(await count('SELECT count(*) FROM (SELECT * FROM ref EXCEPT ALL SELECT * FROM fast)'), 0, `${batch.grain}: rows only in the reference table`);
        // Both kinds of cell occur in every column type, so the comparison covers NULL handling of each.
        const nulls = GRAINS[batch.grain].columns.map((col) => `count(*) FILTER (WHERE ${ident(col.id)} IS NULL)`).join(', ');
        const perColumn = (await c.runAndReadAll(`SELECT ${nulls} FROM fast`)).getRowsJS()[0]!.map(Number);
        assert.ok(perColumn.some((n) => n > 0) && perColumn.some((n) => n < batch.rows), `${batch.grain}: NULL and non-NULL cells`);
        if (batch.grain === 'conversation') {
          const tags = (await c.runAndReadAll(`SELECT DISTINCT externalTag FROM fast WHERE externalTag IS NOT NULL`)).getRowsJS().flat();
          for (const text of HOSTILE) {
            assert.ok(tags.includes(text), `hostile text comes through unchanged: ${JSON.stringify(text)}`);
          }
        }
      }
    } finally {
      instance.closeSync();
    }
  });
});
