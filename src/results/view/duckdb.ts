import type * as DuckDB from '@duckdb/node-api';
import type * as Bindings from '@duckdb/node-bindings';

export type DuckDBModule = typeof DuckDB;
/** DuckDB's C API as node-api itself calls it (the same native library): loads fill vectors through it. */
export type DuckDBBindings = typeof Bindings;
export type { DuckDBAppender, DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

let loaded: Promise<DuckDBModule> | undefined;

/**
 * Loads DuckDB's native binding on first use only: ~70 MB of shared library that extension activation,
 * the history tree and plain exports must never pay for. esbuild keeps the package external (it cannot
 * bundle a .node file); the .vsix ships it in node_modules.
 */
export function loadDuckDB(): Promise<DuckDBModule> {
  loaded ??= import('@duckdb/node-api').catch((err: unknown) => {
    loaded = undefined;
    throw new Error(`The results engine (DuckDB) could not be loaded on ${process.platform}-${process.arch}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  return loaded;
}

let bindings: Promise<DuckDBBindings> | undefined;

/** The C API bindings under node-api (loaded with it, so never a second native library). */
export function loadDuckDBBindings(): Promise<DuckDBBindings> {
  bindings ??= loadDuckDB().then(async () => {
    const m = await import('@duckdb/node-bindings');
    // Its functions are the native addon's own, non-enumerable properties: an ES namespace built by copying
    // properties (esbuild's bundle) has none of them, so take module.exports itself, the default export.
    const b = ((m as { default?: DuckDBBindings }).default ?? m) as DuckDBBindings;
    if (typeof b.data_chunk_get_vector !== 'function') {
      throw new Error(`DuckDB's C API bindings could not be loaded on ${process.platform}-${process.arch}: they have no data_chunk_get_vector`);
    }
    return b;
  });
  bindings.catch(() => (bindings = undefined));
  return bindings;
}
