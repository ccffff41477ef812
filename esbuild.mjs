// Two bundles: the extension host (node, cjs, `vscode` external) and the results webview (browser).
// The Genesys SDK must be resolved through its `main` field: its `module` entry only has a default
// export, so `ApiClient` would be undefined (see shared/genesys-api.md §5.4). Node's default
// mainFields already prefer `main`; we state it explicitly so nobody "fixes" it.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, rmSync } from 'node:fs';

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
    // flattenWorker: the results view's load worker (src/results/view/flattenThread.ts starts dist/flattenWorker.js).
    entryPoints: { extension: 'src/extension.ts', sandbox: 'src/sandbox/cli.ts', flattenWorker: 'src/results/view/flattenWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['main'],
    // DuckDB's native binding cannot be bundled: it is loaded lazily from node_modules (kept in the .vsix).
    external: ['vscode', '@duckdb/node-api'],
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
