#!/usr/bin/env node
// End-to-end UI tests: packages the .vsix, installs it into code-server like a user would, starts
// code-server normally (no test payload) on a copy of sample-workspace/, and runs the Playwright tests
// in out/test/e2e with mocha. Screenshots land in test-results/screenshots/.
// Exit codes as for runIntegration.mjs: 0 pass, 1 failures, 124 harness timeout (retried once).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTools, freePort, installVsix, log, root, startCodeServer, vscodeVersion, workbenchUrl, writeTimeoutResult, writeUserSettings } from './codeServer.mjs';

const TIMEOUT_EXIT = 124;
const timeoutMs = Number(process.env.HARNESS_TIMEOUT_MS ?? 900_000);
const resultFile = process.env.TEST_RESULT_FILE ?? join(root, 'test-results', 'e2e.json');
const screenshotDir = join(root, 'test-results', 'screenshots');
const logsDir = join(root, 'test-results', 'logs');
const vsixDir = join(root, '.vscode-test', 'vsix');
const vsix = join(vsixDir, 'genesys-cloud-analytics-e2e.vsix');

function packageVsix() {
  mkdirSync(vsixDir, { recursive: true });
  rmSync(vsix, { force: true });
  // vscode:prepublish makes the production build first.
  const r = spawnSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0 || !existsSync(vsix)) {
    throw new Error(`vsce package failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  log(`packaged ${vsix}`);
}

function runMocha(env) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
        '--reporter', join(root, 'scripts', 'countingReporter.cjs'),
        '--timeout', '60000',
        '--slow', '10000',
        '--forbid-only',
        '--exit',
        // E2E_SPEC narrows the run to some files while working on them (default: every e2e suite).
        process.env.E2E_SPEC ?? 'out/test/e2e/**/*.e2e.test.js',
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, detached: true },
    );
    const timer = setTimeout(() => {
      log(`harness timeout: the e2e run did not finish within ${timeoutMs / 1000} s`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      resolve(TIMEOUT_EXIT);
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function attempt(n) {
  rmSync(resultFile, { force: true });
  const tmp = mkdtempSync(join(tmpdir(), 'gc-e2e-'));
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  const workspace = join(tmp, 'sample-workspace');
  cpSync(join(root, 'sample-workspace'), workspace, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = writeUserSettings(userDataDir);
  const installed = installVsix({ vsix, userDataDir, extensionsDir });
  log(installed.split('\n').pop());
  const port = await freePort();
  let server;
  try {
    server = await startCodeServer({ port, userDataDir, extensionsDir, workspace, logFile: join(logsDir, `e2e-code-server-attempt${n}.log`) });
    log(`code-server on ${server.origin} (pid group ${server.pid}), attempt ${n}`);
    return await runMocha({
      TEST_RESULT_FILE: resultFile,
      E2E_URL: workbenchUrl({ port, workspace }),
      E2E_SETTINGS_FILE: settingsFile,
      E2E_SCREENSHOT_DIR: screenshotDir,
    });
  } finally {
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function main() {
  ensureTools();
  mkdirSync(logsDir, { recursive: true });
  mkdirSync(screenshotDir, { recursive: true });
  if (!existsSync(join(root, 'out', 'test', 'e2e'))) {
    console.error('[harness] out/test/e2e is missing: run "npx tsc -p ." first');
    return 1;
  }
  log(vscodeVersion());
  packageVsix();
  let code = await attempt(1);
  if (code === TIMEOUT_EXIT) {
    log('retrying once after the harness timeout');
    code = await attempt(2);
    if (code === TIMEOUT_EXIT) {
      log('harness timeout twice (not a test failure; see test-results/logs/)');
      writeTimeoutResult(resultFile, timeoutMs / 1000);
    }
  }
  log(`screenshots in ${screenshotDir}`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('[harness]', err);
    process.exit(1);
  },
);
