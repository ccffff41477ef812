import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as ts from 'typescript';
import { apiBaseUrl, copyAs, gcEnvironment, shellQuote, toCurl, toGcCommand, toSdkSnippet, TOKEN_VARIABLE, type CopyRequest } from '../../../src/queryFiles/copyAs';
import type { Sandbox } from '../../../src/sandbox';
import { makeTempDir } from '../../fakes/tempDir';
import { ANCHOR_MS, DAY, interval, rawToken, start } from '../sandbox/helpers';

const root = join(__dirname, '..', '..', '..', '..');

/** Strings a body may carry that a careless quoting would run or break. */
const HOSTILE = ["it's", 'two\nlines', '$(touch CANARY)', '`touch CANARY`', '\\"; rm -rf / #', "'; echo pwned; '", '${HOME}', '!!', 'tab\there', 'ünï ☃'];

function run(script: string, env: Record<string, string>, cwd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', script], { env: { ...process.env, ...env }, cwd, timeout: 20_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${err.message}\n${stderr}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback server that records the one request it gets and answers `{}`. */
async function captureServer(): Promise<{ server: Server; url: string; requests: Captured[] }> {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function hostileBody(): Record<string, unknown> {
  return {
    interval: '2026-03-03T00:00:00.000Z/2026-03-04T00:00:00.000Z',
    segmentFilters: [{ type: 'or', predicates: HOSTILE.map((value) => ({ type: 'dimension', dimension: 'participantName', value })) }],
  };
}

describe('query files: Copy as cURL / gc / SDK', function () {
  this.timeout(60_000);
  const tmp = makeTempDir('gca-copyas-');
  after(() => tmp.remove());

  it('single-quotes hostile strings so the shell passes them through byte for byte', () => {
    for (const s of HOSTILE) {
      assert.equal(execFileSync('sh', ['-c', `printf '%s' ${shellQuote(s)}`], { cwd: tmp.path, encoding: 'utf8' }), s);
    }
    assert.ok(!existsSync(join(tmp.path, 'CANARY')), 'nothing in a quoted string was executed');
  });

  it('never contains a token: the Authorization header and the SDK read $GENESYS_TOKEN', () => {
    for (const route of ['query', 'job'] as const) {
      for (const target of [{ kind: 'region', host: 'mypurecloud.ie' } as const, { kind: 'sandbox', url: 'http://127.0.0.1:8787' } as const]) {
        const req: CopyRequest = { route, body: hostileBody(), target };
        const curl = toCurl(req);
        for (const m of curl.matchAll(/Bearer (\S+)/g)) {
          assert.equal(m[1], `$${TOKEN_VARIABLE}"`);
        }
        assert.match(toGcCommand(req), new RegExp(`GENESYSCLOUD_ACCESS_TOKEN="\\$${TOKEN_VARIABLE}"`));
        assert.doesNotMatch(toGcCommand(req), /--accesstoken/, 'no token on the command line where ps shows it');
        assert.match(toSdkSnippet(req), new RegExp(`setAccessToken\\(process\\.env\\.${TOKEN_VARIABLE} \\?\\? ''\\)`));
      }
    }
  });

  it('points at the region host or the sandbox', () => {
    assert.equal(apiBaseUrl({ kind: 'region', host: 'mypurecloud.ie' }), 'https://api.mypurecloud.ie');
    assert.equal(apiBaseUrl({ kind: 'region', host: 'api.usw2.pure.cloud' }), 'https://api.usw2.pure.cloud');
    assert.equal(apiBaseUrl({ kind: 'sandbox', url: 'http://127.0.0.1:8787/' }), 'http://127.0.0.1:8787');
    assert.equal(gcEnvironment({ kind: 'sandbox', url: 'http://127.0.0.1:8787' }), 'localhost:8787');
    assert.equal(gcEnvironment({ kind: 'region', host: 'mypurecloud.de' }), 'mypurecloud.de');
    assert.match(toCurl({ route: 'query', body: {}, target: { kind: 'region', host: 'mypurecloud.ie' } }), /'https:\/\/api\.mypurecloud\.ie\/api\/v2\/analytics\/conversations\/details\/query'/);
    assert.match(toCurl({ route: 'job', body: {}, target: { kind: 'region', host: 'mypurecloud.ie' } }), /details\/jobs' \\/);
  });

  it('cURL run by sh sends the hostile body unchanged, with the token from the environment', async () => {
    const cap = await captureServer();
    try {
      const body = hostileBody();
      await run(toCurl({ route: 'query', body, target: { kind: 'sandbox', url: cap.url }, title: "it's $(a) `b`\nname" }), { [TOKEN_VARIABLE]: 'tok-123' }, tmp.path);
      assert.equal(cap.requests.length, 1);
      const got = cap.requests[0]!;
      assert.equal(got.method, 'POST');
      assert.equal(got.url, '/api/v2/analytics/conversations/details/query');
      assert.equal(got.headers.authorization, 'Bearer tok-123');
      assert.equal(got.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(got.body), body);
      assert.ok(!existsSync(join(tmp.path, 'CANARY')));
    } finally {
      cap.server.close();
    }
  });

  it('gc command run by sh gives the CLI the body on stdin, the environment and the token variable', async () => {
    const bin = join(tmp.path, 'bin');
    mkdirSync(bin, { recursive: true });
    // Stands in for the gc binary (not installed here): records what the shell hands it.
    writeFileSync(join(bin, 'gc'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$OUT.args"\ncat > "$OUT.stdin"\nprintf "%s" "$GENESYSCLOUD_ACCESS_TOKEN" > "$OUT.token"\n', { mode: 0o755 });
    const out = join(tmp.path, 'gc');
    const body = hostileBody();
    for (const route of ['query', 'job'] as const) {
      const text = toGcCommand({ route, body, target: { kind: 'sandbox', url: 'http://127.0.0.1:8787' } });
      execFileSync('sh', ['-n', '-c', text]);
      await run(text, { [TOKEN_VARIABLE]: 'tok-456', PATH: `${bin}:${process.env.PATH ?? ''}`, OUT: out }, tmp.path);
      assert.deepEqual(JSON.parse(readFileSync(`${out}.stdin`, 'utf8')), body);
      const verb = route === 'job' ? 'jobs' : 'query';
      assert.deepEqual(readFileSync(`${out}.args`, 'utf8').trim().split('\n'), ['analytics', 'conversations', 'details', verb, 'create', '--environment', 'localhost:8787']);
      assert.equal(readFileSync(`${out}.token`, 'utf8'), 'tok-456');
    }
    assert.ok(!existsSync(join(tmp.path, 'CANARY')));
  });

  describe('against the sandbox', () => {
    let sb: Sandbox;
    let token: string;
    const body = { interval: interval(ANCHOR_MS - 2 * DAY, ANCHOR_MS - DAY), order: 'asc', orderBy: 'conversationStart', paging: { pageSize: 100, pageNumber: 1 } };
    before(async () => {
      sb = await start();
      token = await rawToken(sb);
    });
    after(() => sb.close());

    it('the cURL query returns the conversations the sandbox says the query matches', async () => {
      const { stdout } = await run(toCurl({ route: 'query', body, target: { kind: 'sandbox', url: sb.url } }), { [TOKEN_VARIABLE]: token }, tmp.path);
      const page = JSON.parse(stdout) as { conversations: { conversationId: string }[]; totalHits: number };
      const truth = sb.groundTruth({ ...body }, 'query');
      assert.ok(truth.length > 100, `enough data (${truth.length})`);
      assert.equal(page.totalHits, truth.length);
      assert.deepEqual(page.conversations.map((c) => c.conversationId), truth.slice(0, 100));
    });

    it('the cURL job submits a job (202 with a jobId)', async () => {
      const { paging: _paging, ...jobBody } = body;
      const { stdout } = await run(toCurl({ route: 'job', body: jobBody, target: { kind: 'sandbox', url: sb.url } }), { [TOKEN_VARIABLE]: token }, tmp.path);
      assert.match((JSON.parse(stdout) as { jobId: string }).jobId, /^[0-9a-f-]{36}$/);
    });

    it('the SDK snippets type-check against the SDK typings and, run, return the same conversations', async () => {
      const dir = mkdtempSync(join(root, 'out', 'snippet-'));
      try {
        const { paging: _paging, ...jobBody } = body;
        const files = {
          query: toSdkSnippet({ route: 'query', body: { ...body, paging: { pageSize: 50, pageNumber: 1 } }, target: { kind: 'sandbox', url: sb.url } }),
          job: toSdkSnippet({ route: 'job', body: jobBody, target: { kind: 'sandbox', url: sb.url }, jobPageSize: 100 }),
          region: copyAs('sdk', { route: 'query', body: hostileBody(), target: { kind: 'region', host: 'mypurecloud.ie' } }),
        };
        const paths = Object.entries(files).map(([name, text]) => {
          const p = join(dir, `${name}.ts`);
          writeFileSync(p, text);
          return p;
        });
        const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, skipLibCheck: true, types: ['node'] };
        const program = ts.createProgram(paths, options);
        const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        assert.deepEqual(diagnostics, []);
        for (const [name, text] of Object.entries(files).slice(0, 2)) {
          const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
          writeFileSync(join(dir, `${name}.js`), `${js}\nrun().then((c) => process.stdout.write(JSON.stringify(c.map((x) => x.conversationId))), (e) => { console.error(e); process.exit(1); });\n`);
          const { stdout } = await run(`"${process.execPath}" ${shellQuote(join(dir, `${name}.js`))}`, { [TOKEN_VARIABLE]: token, HOME: tmp.path }, tmp.path);
          const route = name === 'job' ? 'job' : 'query';
          const { paging: _p, ...selection } = body;
          assert.deepEqual(JSON.parse(stdout), sb.groundTruth({ ...selection }, route), name);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
