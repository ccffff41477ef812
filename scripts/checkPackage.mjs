#!/usr/bin/env node
// `npm run package:check [file.vsix]`: unpacks the .vsix `npm run package` built into a temp folder and
// loads DuckDB from there the way dist/extension.js does (a dynamic import from dist/), runs one query,
// starts the packaged results engine process (dist/viewProcessMain.js) and asks it whether it loaded DuckDB and
// the C API bindings its loads call, and
// prints the package size. Fails when the packaged extension could not load its results engine.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const vsix = process.argv[2] ?? readdirSync(root).filter((f) => f.endsWith('.vsix')).map((f) => join(root, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (!vsix) {
  console.error('package:check: no .vsix found; run `npm run package` first');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'gca-vsix-'));
try {
  execFileSync('unzip', ['-q', vsix, '-d', dir]);
  const probe = join(dir, 'extension', 'dist', 'probe-duckdb.js');
  writeFileSync(
    probe,
    `import('@duckdb/node-api').then(async (m) => {
      const instance = await m.DuckDBInstance.create(':memory:');
      const c = await instance.connect();
      const rows = (await c.runAndReadAll('SELECT version(), 6 * 7')).getRowsJS();
      console.log(JSON.stringify({ resolved: require.resolve('@duckdb/node-api'), rows }));
    }).catch((e) => { console.error(e); process.exit(1); });`,
  );
  const out = JSON.parse(execFileSync(process.execPath, [probe], { encoding: 'utf8' }));
  if (!out.resolved.startsWith(dir) || out.rows[0][1] !== 42) {
    throw new Error(`DuckDB did not load from the package: ${JSON.stringify(out)}`);
  }
  const engine = await engineStats(join(dir, 'extension', 'dist', 'viewProcessMain.js'));
  if (engine.notReady) {
    throw new Error(`The packaged engine process could not load DuckDB: ${engine.notReady}`);
  }
  console.log(`${vsix}: ${(statSync(vsix).size / 1e6).toFixed(1)} MB; DuckDB ${out.rows[0][0]} loads from ${out.resolved.slice(dir.length)}; the engine process answers (${engine.rssBytes >> 20} MB RSS)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Forks the packaged engine process the way the extension does and asks it for its stats. */
function engineStats(script) {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const timer = setTimeout(() => (child.kill(), reject(new Error('the engine process did not answer within 30 s'))), 30_000);
    child.on('message', (reply) => {
      clearTimeout(timer);
      child.disconnect();
      if (reply.ok) {
        resolve(reply.value);
      } else {
        reject(new Error(reply.error.message));
      }
    });
    child.on('error', reject);
    child.send({ id: 1, op: 'stats' });
  });
}
