#!/usr/bin/env node
// `npm run bench`: compiles the project (tsc -p . → out/) and runs the engine benchmark
// (test/bench/engineBench.ts), then the results-view benchmark (test/bench/viewBench.ts), then the results
// webview benchmark (test/bench/webviewBench.ts: real bundle in headless Chromium). `--only engine`
// or `--only view` runs one. Extra arguments are passed on, e.g. --conversations 20000 --latency 40
// --rate 3000 (engine), --sizes 100000,1000000 (view), --json (both).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('bench: TypeScript compilation failed');
  process.exit(tsc.status ?? 1);
}
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : undefined;
for (const bench of ['engine', 'view', 'webview']) {
  if (only && only !== bench) {
    continue;
  }
  const run = spawnSync(process.execPath, [join(root, 'out', 'test', 'bench', `${bench}Bench.js`), ...args], { stdio: 'inherit' });
  if (run.status !== 0) {
    process.exit(run.status ?? 1);
  }
}
