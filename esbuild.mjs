// Two bundles: the extension host (node, cjs, `vscode` external) and the results webview (browser).
// The Genesys SDK must be resolved through its `main` field: its `module` entry only has a default
// export, so `ApiClient` would be undefined (see shared/genesys-api.md §5.4). Node's default
// mainFields already prefer `main`; we state it explicitly so nobody "fixes" it.
import * as esbuild from 'esbuild';

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
    entryPoints: { extension: 'src/extension.ts', sandbox: 'src/sandbox/cli.ts' },
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
}
