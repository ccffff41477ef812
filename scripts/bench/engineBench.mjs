#!/usr/bin/env node
// `npm run bench`: compiles the project (tsc -p . → out/) and runs the engine benchmark
// (test/bench/engineBench.ts). Extra arguments are passed on, e.g. --conversations 20000 --latency 40 --rate 3000 --json.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('bench: TypeScript compilation failed');
  process.exit(tsc.status ?? 1);
}
const run = spawnSync(process.execPath, [join(root, 'out', 'test', 'bench', 'engineBench.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
