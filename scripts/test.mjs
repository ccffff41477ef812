#!/usr/bin/env node
// `npm test`: every check this project has, in order, closing with one "N passed, N failed" line.
// Static checks (lint, type check, build) count as one test each so a broken build can never report green.
// Usage: node scripts/test.mjs [--only unit|integration|e2e|static] (repeatable)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });

const only = process.argv.flatMap((a, i, all) => (a === '--only' ? [all[i + 1]] : []));
const wants = (group) => only.length === 0 || only.includes(group);

function run(cmd, args, env = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => res(code ?? (signal ? 128 : 1)));
    child.on('error', (err) => {
      console.error(err);
      res(1);
    });
  });
}

/** A check that either passes or fails as a whole. */
async function check(name, cmd, args) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const code = await run(cmd, args);
  console.log(`=== ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`}`);
  return { name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1 };
}

/** A suite that writes a counting-reporter result file. */
async function suite(name, cmd, args, env = {}) {
  const file = join(resultsDir, `${name}.json`);
  rmSync(file, { force: true });
  console.log(`\n=== ${name}`);
  const code = await run(cmd, args, { TEST_RESULT_FILE: file, ...env });
  if (!existsSync(file)) {
    console.log(`=== ${name}: no result file (exit ${code}); counted as one failure`);
    return { name, passed: 0, failed: 1 };
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // A suite that exits non-zero with no failing test (a crash after the run, a harness timeout) still fails.
  const failed = r.failed + (code !== 0 && r.failed === 0 ? 1 : 0);
  console.log(`=== ${name}: ${r.passed} passed, ${failed} failed`);
  return { name, passed: r.passed, failed };
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = [];

if (wants('static')) {
  results.push(await check('lint', bin('eslint'), ['.']));
}
// Compiling the tests to out/ is also the host-side type check; the webview has its own DOM tsconfig.
results.push(await check('typecheck', bin('tsc'), ['-p', '.']));
if (wants('static')) {
  results.push(await check('typecheck-webview', bin('tsc'), ['-p', 'src/webview']));
}
results.push(await check('build', process.execPath, ['esbuild.mjs']));

if (wants('unit')) {
  results.push(await suite('unit', bin('mocha'), ['--config', '.mocharc.unit.json']));
}

const extraStages = join(root, 'scripts', 'harness', 'stages.mjs');
if (existsSync(extraStages)) {
  const { stages } = await import(extraStages);
  for (const stage of stages) {
    if (wants(stage.group)) {
      results.push(await stage.run({ root, resultsDir, suite, check }));
    }
  }
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\nSummary:');
for (const r of results) {
  console.log(`  ${r.failed ? 'FAIL' : 'ok  '} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
