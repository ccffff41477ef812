// Two bundles: the extension host (node, cjs, `vscode` external) and the results webview (browser).
// The Genesys SDK must be resolved through its `main` field: its `module` entry only has a default
// export, so `ApiClient` would be undefined (see shared/genesys-api.md §5.4). Node's default
// mainFields already prefer `main`; we state it explicitly so nobody "fixes" it.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

const builds = [
  {
    ...common,
    // flattenWorker: the results view's load worker (src/results/view/flattenThread.ts starts dist/flattenWorker.js);
    // viewProcessMain: the results engine process (src/results/viewProcess/viewProcess.ts forks dist/viewProcessMain.js).
    entryPoints: {
      extension: 'src/extension.ts',
      sandbox: 'src/sandbox/cli.ts',
      flattenWorker: 'src/results/view/flattenWorker.ts',
      viewProcessMain: 'src/results/viewProcess/viewProcessMain.ts',
    },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['main'],
    // jsonc-parser's `main` is a UMD build whose require('./impl/format') esbuild cannot follow: use its ES build.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
    // DuckDB's native binding cannot be bundled: it is loaded lazily from node_modules (kept in the .vsix).
    external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings'],
    plugins: [{ name: 'query-schema', setup: (b) => b.onEnd((r) => (r.errors.length === 0 ? writeQuerySchema() : undefined)) }],
  },
  {
    ...common,
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'media/dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // main.ts imports the codicon css; its font lands next to webview.css under a stable name.
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching for changes');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (production) {
    shipDuckDB();
  }
}

/**
 * The query-file JSON Schema (contributed by `jsonValidation`) is generated from the API vocabulary, never
 * hand-copied: bundle src/api/querySchema.ts in memory, evaluate it, write what it exports.
 */
async function writeQuerySchema() {
  const out = await esbuild.build({ entryPoints: ['src/api/querySchema.ts'], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'warning' });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
  mkdirSync('dist/schema', { recursive: true });
  writeFileSync('dist/schema/gcquery.schema.json', `${JSON.stringify(mod.exports.querySchema, null, 2)}\n`);
}

/**
 * The packaged extension is built with `vsce package --no-dependencies`, which leaves node_modules out:
 * the production build copies DuckDB (JS API, loader, this platform's native binding) to dist/node_modules,
 * where `import('@duckdb/node-api')` from dist/extension.js finds it (.vscodeignore lets it in).
 */
function shipDuckDB() {
  const target = 'dist/node_modules/@duckdb';
  rmSync(target, { recursive: true, force: true });
  for (const name of ['node-api', 'node-bindings', `node-bindings-${process.platform}-${process.arch}`]) {
    const from = `node_modules/@duckdb/${name}`;
    if (existsSync(from)) {
      cpSync(from, `${target}/${name}`, { recursive: true, dereference: true });
    }
  }
}
