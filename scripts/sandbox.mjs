#!/usr/bin/env node
// `npm run sandbox -- [flags]`: bundle the sandbox CLI to dist/sandbox.js (same settings as the node
// bundle in esbuild.mjs, but only this entry, so a broken extension or webview build cannot stop the
// emulator) and run it with the given flags. Ctrl-C / SIGTERM are forwarded; the exit code is kept.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outfile = join(root, 'dist', 'sandbox.js');

await esbuild.build({
  entryPoints: [join(root, 'src', 'sandbox', 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  mainFields: ['main'],
  external: ['vscode'],
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
});

const child = spawn(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
