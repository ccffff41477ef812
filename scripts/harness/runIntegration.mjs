#!/usr/bin/env node
// Runs the mocha integration suites (out/test/integration) inside a real VS Code extension host:
// code-server (VS Code's server build) opened by headless Debian Chromium through playwright-core.
// Exit codes: 0 all passed, 1 a test failed (or VS Code reported a failure), 124 harness timeout
// (the run never finished; retried once, and only then).
// Env: TEST_RESULT_FILE (where index.ts writes {passed, failed, failures}), HARNESS_TIMEOUT_MS (default 420000),
// INTEGRATION_GREP (mocha grep), HARNESS_VERBOSE=1 (forward every browser console line).
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cleanConsoleText,
  ensureTools,
  freePort,
  launchChromium,
  log,
  root,
  startCodeServer,
  vscodeVersion,
  workbenchUrl,
  writeUserSettings,
  writeTimeoutResult,
} from './codeServer.mjs';

const TIMEOUT_EXIT = 124;
// The suite takes 2–3 minutes on a quiet 2-core VM; a busy or slow one has passed 180 s.
const timeoutMs = Number(process.env.HARNESS_TIMEOUT_MS ?? 420_000);
const verbose = process.env.HARNESS_VERBOSE === '1';
const resultFile = process.env.TEST_RESULT_FILE ?? join(root, 'test-results', 'integration.json');
const testsEntry = join(root, 'out', 'test', 'integration', 'index');
const workspace = join(root, 'test', 'integration', 'fixtures', 'workspace');
const logsDir = join(root, 'test-results', 'logs');

function readResult() {
  try {
    return JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    return undefined;
  }
}

async function attempt(n) {
  rmSync(resultFile, { force: true });
  const tmp = mkdtempSync(join(tmpdir(), 'gc-integration-'));
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir);
  const port = await freePort();
  const env = { TEST_RESULT_FILE: resultFile, INTEGRATION_GREP: process.env.INTEGRATION_GREP ?? '' };
  const started = Date.now();
  let server;
  let browser;
  try {
    server = await startCodeServer({ port, userDataDir, extensionsDir, workspace, smokeTestDriver: true, env, logFile: join(tmp, 'code-server.log') });
    log(`code-server on ${server.origin} (pid group ${server.pid}), attempt ${n}`);
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (msg) => {
      const text = cleanConsoleText(msg.text());
      const at = text.indexOf('[integration]');
      if (at >= 0) {
        console.log(`  ${text.slice(at)}`);
      } else if (verbose) {
        console.log(`  | ${text}`);
      }
    });
    page.on('pageerror', (err) => verbose && console.log(`  | page error: ${err.message}`));

    let exitCode;
    const exited = new Promise((res) => {
      exitCode = res;
    });
    await page.exposeFunction('codeAutomationExit', (code) => exitCode(Number(code)));

    let timer;
    let poller;
    const timedOut = new Promise((res) => {
      timer = setTimeout(() => res('timeout'), timeoutMs);
    });
    // Second completion signal: the result file (if the page never calls codeAutomationExit).
    const resultAppeared = new Promise((res) => {
      poller = setInterval(() => {
        if (existsSync(resultFile)) {
          res('result');
        }
      }, 250);
    });

    const url = workbenchUrl({ port, workspace, extensionDevelopmentPath: root, extensionTestsPath: testsEntry, extensionEnvironment: env });
    await page.goto(url, { timeout: 60_000 });
    let outcome = await Promise.race([exited.then((code) => ({ code })), resultAppeared, timedOut]);
    if (outcome === 'result') {
      // The exit signal normally follows the result file within a moment.
      outcome = await Promise.race([exited.then((code) => ({ code })), new Promise((res) => setTimeout(() => res('result'), 5_000))]);
    }
    clearTimeout(timer);
    clearInterval(poller);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (outcome === 'timeout') {
      log(`harness timeout: no result after ${timeoutMs / 1000} s (attempt ${n})`);
      if (server) {
        copyFileSync(join(tmp, 'code-server.log'), join(logsDir, `integration-code-server-attempt${n}.log`));
        console.log(server.tail());
      }
      return { code: TIMEOUT_EXIT, seconds };
    }
    const result = readResult();
    const code = outcome === 'result' ? (result && result.failed === 0 ? 0 : 1) : outcome.code;
    log(`VS Code reported exit ${code} after ${seconds} s`);
    if (!result && server) {
      // The extension host ended before the suite did (a crash reports exit 0 here): keep the server's log,
      // which records how the extension host process exited.
      copyFileSync(join(tmp, 'code-server.log'), join(logsDir, `integration-code-server-attempt${n}.log`));
      console.log(server.tail());
    }
    return { code, seconds, result };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function main() {
  ensureTools();
  mkdirSync(logsDir, { recursive: true });
  if (!existsSync(`${testsEntry}.js`)) {
    console.error(`[harness] ${testsEntry}.js is missing: run "npx tsc -p ." first`);
    return 1;
  }
  if (!existsSync(join(root, 'dist', 'extension.js'))) {
    console.error('[harness] dist/extension.js is missing: run "node esbuild.mjs" first');
    return 1;
  }
  log(vscodeVersion());
  let r = await attempt(1);
  if (r.code === TIMEOUT_EXIT) {
    log('retrying once after the harness timeout');
    r = await attempt(2);
  }
  if (r.code === TIMEOUT_EXIT) {
    log('harness timeout twice: the extension host never reported (not a test failure; see test-results/logs/)');
    writeTimeoutResult(resultFile, timeoutMs / 1000);
    return TIMEOUT_EXIT;
  }
  const res = r.result;
  if (res) {
    for (const f of res.failures ?? []) {
      console.log(`[harness] FAILED: ${f.title}\n${f.error.split('\n').map((l) => `    ${l}`).join('\n')}`);
    }
    log(`integration: ${res.passed} passed, ${res.failed} failed${res.pending ? `, ${res.pending} pending` : ''}`);
  } else {
    log(`no result file at ${resultFile} (VS Code exit ${r.code}): the test entry probably failed to load`);
  }
  return r.code === 0 && res && res.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('[harness]', err);
    process.exit(1);
  },
);
