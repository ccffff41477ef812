#!/usr/bin/env node
// `npm start`: build, start the sandbox org, and open a real VS Code with the extension loaded from
// this folder (development mode) on sample-workspace/, pointed at that sandbox through the real
// settings genesysCloud.sandbox.url + genesysCloud.sandbox.connectOnStart.
//   - desktop VS Code when `code` is on PATH (own profile in .vscode-test/desktop-user-data);
//   - otherwise code-server (VS Code's server build) on http://127.0.0.1:8080 (or --port N, or the
//     first free port), opened in any browser.
// Ctrl-C (SIGINT/SIGTERM) stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureTools,
  freePort,
  isPortFree,
  root,
  startCodeServer,
  stopProcessGroup,
  toolsDir,
  vscodeVersion,
  workbenchUrl,
  writeUserSettings,
} from './harness/codeServer.mjs';

const say = (...args) => console.log('[start]', ...args);
const argPort = (() => {
  const i = process.argv.indexOf('--port');
  return i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8080);
})();
const workspace = join(root, 'sample-workspace');
const stoppers = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) {
    return;
  }
  stopping = true;
  say('stopping…');
  for (const stop of stoppers.reverse()) {
    await stop().catch(() => undefined);
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/** Stops a detached child's process group (see stopProcessGroup). */
function groupStopper(child) {
  const exited = new Promise((res) => child.once('exit', res));
  return () => stopProcessGroup(child, exited);
}

function build() {
  say('building (node esbuild.mjs)');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error('build failed');
  }
}

/** `node dist/sandbox.js --port 0` in its own process group; resolves with the URL it prints. */
function startSandbox() {
  const child = spawn(process.execPath, [join(root, 'dist', 'sandbox.js'), '--port', '0'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stoppers.push(groupStopper(child));
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the sandbox printed no URL within 30 s:\n${seen}`)), 30_000);
    const onData = (chunk) => {
      seen += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/+$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => (seen += c.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!stopping) {
        reject(new Error(`the sandbox exited (code ${code}):\n${seen}`));
        void stopAll(1);
      }
    });
  });
}

function hasDesktopCode() {
  return process.env.GC_START_BROWSER !== '1' && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main() {
  const desktop = hasDesktopCode();
  if (!desktop) {
    ensureTools();
  }
  build();
  const sandboxUrl = await startSandbox();
  say(`sandbox listening on ${sandboxUrl} (client id sandbox-client, secret sandbox-secret)`);
  const extensionSettings = { 'genesysCloud.sandbox.url': sandboxUrl, 'genesysCloud.sandbox.connectOnStart': true };

  if (desktop) {
    const userDataDir = join(toolsDir, 'desktop-user-data');
    writeUserSettings(userDataDir, extensionSettings);
    say('opening desktop VS Code (its own profile in .vscode-test/desktop-user-data); close the window or press Ctrl-C to stop');
    const child = spawn('code', ['--wait', '--new-window', '--user-data-dir', userDataDir, `--extensionDevelopmentPath=${root}`, workspace], {
      stdio: 'inherit',
      detached: true,
    });
    stoppers.push(groupStopper(child));
    child.on('exit', () => void stopAll(0));
    return;
  }

  const base = join(toolsDir, 'start');
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, extensionSettings);
  const port = (await isPortFree(argPort)) ? argPort : await freePort();
  const server = await startCodeServer({
    port,
    userDataDir,
    extensionsDir,
    workspace,
    // Without the smoke-test driver a built workbench ignores extensionDevelopmentPath in the payload.
    smokeTestDriver: true,
    logFile: join(base, 'code-server.log'),
  });
  stoppers.push(server.stop);
  server.exited.then(() => {
    if (!stopping) {
      say('code-server exited; see .vscode-test/start/code-server.log');
      void stopAll(1);
    }
  });
  const url = workbenchUrl({ port, workspace, extensionDevelopmentPath: root });
  const line = '─'.repeat(72);
  console.log(`\n${line}\n  Genesys Cloud Analytics is running in ${vscodeVersion()}.\n  Open this URL in any browser on this machine:\n\n    ${url}\n`);
  console.log(`  (remote machine: ssh -L ${port}:127.0.0.1:${port} <host>, then open the same URL locally)`);
  console.log(`  Sandbox org: ${sandboxUrl}   Log: .vscode-test/start/code-server.log\n  Ctrl-C stops code-server and the sandbox.\n${line}\n`);
  if (!existsSync(join(root, 'dist', 'extension.js'))) {
    say('warning: dist/extension.js is missing');
  }
}

main().catch(async (err) => {
  console.error('[start]', err instanceof Error ? err.message : err);
  await stopAll(1);
});
