import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import { ResultsEngineProcess } from '../../src/results/viewProcess/viewProcess';
import type { NameResolver } from '../../src/results/view/viewTypes';
import type { Sandbox } from '../../src/sandbox';
import type { HostMessage, PersistedViewState, RequestMessage, ResponseMessage, RunStatus } from '../../src/shared/protocol';
import { defaultViewState, MAX_WINDOW_ROWS } from '../../src/shared/protocol';
import { ResultsPanels, ResultsSerializer } from '../../src/vscode/results/registerResults';
import type { ResultsPanel, ResultsPanelDeps } from '../../src/vscode/results/resultsPanel';
import { RESULTS_VIEW_TYPE } from '../../src/vscode/results/resultsPanel';
import { makeTempDir } from '../fakes/tempDir';
import type { ResultsStore } from '../../src/results/resultsStore';
import { hostileRun, jobRun, resultsStore, startJobRun, startResultsSandbox } from '../fixtures/resultsRuns';
import { extension, waitFor } from './helpers';

/** Names for every queue the sandbox org has, read from its list endpoint like the real resolver would. */
function sandboxNames(sandbox: Sandbox): NameResolver {
  return {
    async names(kind, ids) {
      if (kind !== 'queue') {
        return new Map();
      }
      const token = await fetch(`${sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}` },
        body: 'grant_type=client_credentials',
      }).then((r) => r.json() as Promise<{ access_token: string }>);
      const page = await fetch(`${sandbox.url}/api/v2/routing/queues?pageSize=500`, { headers: { authorization: `Bearer ${token.access_token}` } }).then(
        (r) => r.json() as Promise<{ entities: { id: string; name: string }[] }>,
      );
      const wanted = new Set(ids);
      return new Map(page.entities.filter((q) => wanted.has(q.id)).map((q) => [q.id, q.name]));
    },
  };
}

describe('results panel (host side, real engine over a sandbox run)', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let store: ResultsStore;
  let tmp: { path: string; remove: () => void };
  let runId: string;
  let rowCount: number;
  let panels: ResultsPanels;
  let log: vscode.LogOutputChannel;
  // The production path: the views live in the results engine's own process.
  let engine: ResultsEngineProcess;
  const opened: ResultsPanel[] = [];

  before(async () => {
    tmp = makeTempDir('gca-results-');
    sandbox = await startResultsSandbox();
    store = resultsStore(tmp.path);
    const outcome = await jobRun(sandbox, store);
    runId = outcome.runId;
    rowCount = outcome.rowCount;
    log = vscode.window.createOutputChannel('Results integration test', { log: true });
    engine = new ResultsEngineProcess({ log: (line) => log.info(line) });
    const deps: ResultsPanelDeps = { extensionUri: extension().extensionUri, store, openView: (dir) => engine.openView(dir), names: sandboxNames(sandbox), log, pollIntervalMs: 100 };
    panels = new ResultsPanels(deps);
  });

  after(async () => {
    panels?.dispose();
    engine?.dispose();
    log?.dispose();
    await sandbox?.close();
    tmp?.remove();
  });

  function open(id: string): ResultsPanel {
    const p = panels.open(id);
    opened.push(p);
    return p;
  }

  /** Sends a message through the host's handler seam and collects what the host posts until `until` matches. */
  async function exchange(panel: ResultsPanel, message: unknown, until: (m: HostMessage) => boolean, timeoutMs = 30_000): Promise<HostMessage[]> {
    const seen: HostMessage[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const sub = panel.onDidPost((m) => {
      seen.push(m);
      if (until(m)) {
        done();
      }
    });
    try {
      await panel.handleMessage(message);
      await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`no matching answer to ${JSON.stringify(message).slice(0, 200)}`)), timeoutMs))]);
      return seen;
    } finally {
      sub.dispose();
    }
  }

  // The panel's real webview asks too (ids from 1, and a newer request of a kind supersedes an older one):
  // the test's ids never meet the webview's, and a request the webview's own superseded is asked again.
  let nextId = 1_000_000;
  async function request(panel: ResultsPanel, kind: RequestMessage['kind'], params: unknown): Promise<ResponseMessage> {
    for (let attempt = 1; ; attempt++) {
      const id = nextId++;
      const seen = await exchange(panel, { type: 'request', id, kind, params }, (m) => m.type === 'response' && m.id === id);
      const response = seen.find((m): m is ResponseMessage => m.type === 'response' && m.id === id) as ResponseMessage;
      if (response.ok || !response.superseded || attempt === 5) {
        return response;
      }
    }
  }

  const view = { grain: 'conversation' as const, sort: [], filters: [] };

  it('renders a page with a strict nonce CSP, no inline or eval script, no network, resources only from media/dist', () => {
    const panel = open(runId);
    const html = panel.panel.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    assert.ok(csp, 'the page has a CSP meta tag');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, 'scripts need a nonce');
    assert.doesNotMatch(csp, /unsafe-|data:|blob:/);
    // Scripts by nonce only; styles, fonts and images only from the webview's own resource origin.
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    const own = panel.panel.webview.cspSource.split(/\s+/);
    for (const name of ['style-src', 'font-src', 'img-src']) {
      assert.deepEqual(directives.get(name), own, name);
    }
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0]?.includes(`nonce="${nonce}"`));
    assert.ok(!/<script[^>]*>[^<]+<\/script>/.test(html), 'no inline script body');
    const roots = panel.panel.webview.options.localResourceRoots?.map((u) => u.path) ?? [];
    assert.deepEqual(roots, [vscode.Uri.joinPath(extension().extensionUri, 'media', 'dist').path]);
    assert.equal(panel.panel.webview.options.enableScripts, true);
    assert.equal((panel.panel.options as vscode.WebviewPanelOptions).retainContextWhenHidden, undefined);
  });

  it('answers ready with init: the run status (finished, not partial) and a default view state', async () => {
    const panel = open(runId);
    const seen = await exchange(panel, { type: 'ready' }, (m) => m.type === 'init');
    const init = seen.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    assert.deepEqual(init.state, defaultViewState(runId));
    assert.equal(init.status.runId, runId);
    assert.equal(init.status.fetching, false);
    assert.equal(init.status.partial, false);
    assert.equal(init.status.conversations, rowCount);
    assert.match(init.status.title, /^Job · /);
  });

  it('once the view is open, init carries the columns of the page\'s grain (its first window goes out at once)', async () => {
    const panel = open(runId);
    const grain = defaultViewState(runId).grain;
    const cols = await request(panel, 'columns', { grain });
    assert.ok(cols.ok && cols.kind === 'columns');
    const seen = await exchange(panel, { type: 'ready' }, (m) => m.type === 'init');
    const init = seen.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    assert.deepEqual(init.columns, cols.result);
  });

  it('serves columns and windows of at most 2,000 rows, with queue names for queue-ID columns', async () => {
    const panel = open(runId);
    const cols = await request(panel, 'columns', { grain: 'participant' });
    assert.ok(cols.ok && cols.kind === 'columns');
    const queue = cols.result.find((c) => c.idKind === 'queue');
    assert.ok(queue, 'the participant grain has a queue column');
    const win = await request(panel, 'window', { view: { ...view, grain: 'participant' }, offset: 0, limit: MAX_WINDOW_ROWS, columns: [cols.result[0]?.id, queue.id] });
    assert.ok(win.ok && win.kind === 'window', JSON.stringify(win).slice(0, 300));
    assert.ok(win.result.totalRows > rowCount, 'more participants than conversations');
    assert.equal(win.result.rows.length, MAX_WINDOW_ROWS);
    const ids = new Set(win.result.rows.map((r) => r[1]).filter((v): v is string => typeof v === 'string'));
    assert.ok(ids.size > 0);
    for (const id of ids) {
      assert.ok(win.result.names[id], `queue ${id} has a name`);
    }
    // More than a window never crosses: the guard drops the message, so nothing answers it.
    const posted: HostMessage[] = [];
    const sub = panel.onDidPost((m) => posted.push(m));
    await panel.handleMessage({ type: 'request', id: 999, kind: 'window', params: { view, offset: 0, limit: MAX_WINDOW_ROWS + 1, columns: [] } });
    sub.dispose();
    assert.deepEqual(posted, []);
  });

  it('sorts and filters in the engine and says which column is unknown', async () => {
    const panel = open(runId);
    const cols = await request(panel, 'columns', { grain: 'conversation' });
    assert.ok(cols.ok && cols.kind === 'columns');
    const duration = cols.result.find((c) => c.type === 'duration');
    assert.ok(duration);
    const sorted = await request(panel, 'window', { view: { ...view, sort: [{ column: duration.id, direction: 'desc' }] }, offset: 0, limit: 50, columns: [duration.id] });
    assert.ok(sorted.ok && sorted.kind === 'window');
    const values = sorted.result.rows.map((r) => r[0]).filter((v): v is number => typeof v === 'number');
    assert.deepEqual(values, [...values].sort((a, b) => b - a));
    const filtered = await request(panel, 'window', { view: { ...view, filters: [{ column: duration.id, op: 'gte', value: values[10] ?? 0 }] }, offset: 0, limit: 5, columns: [duration.id] });
    assert.ok(filtered.ok && filtered.kind === 'window');
    assert.ok(filtered.result.totalRows < rowCount && filtered.result.totalRows >= 11);
    const bad = await request(panel, 'window', { view, offset: 0, limit: 5, columns: ['nope'] });
    assert.ok(!bad.ok);
    assert.match(bad.error, /no column 'nope'/);
  });

  it('lets the newest window request win: the older one is answered as superseded', async () => {
    const panel = open(runId);
    await request(panel, 'columns', { grain: 'conversation' });
    const answers: ResponseMessage[] = [];
    const sub = panel.onDidPost((m) => m.type === 'response' && answers.push(m));
    const cols = ['conversationId'];
    await Promise.all([
      panel.handleMessage({ type: 'request', id: 5001, kind: 'window', params: { view, offset: 0, limit: 2000, columns: cols } }),
      panel.handleMessage({ type: 'request', id: 5002, kind: 'window', params: { view, offset: 100, limit: 10, columns: cols } }),
    ]);
    sub.dispose();
    const first = answers.find((a) => a.id === 5001);
    const second = answers.find((a) => a.id === 5002);
    assert.ok(first && !first.ok && first.superseded, JSON.stringify(first).slice(0, 200));
    assert.ok(second && second.ok && second.kind === 'window' && second.result.offset === 100);
  });

  it('gives distinct values with counts and a row\'s full conversation JSON', async () => {
    const panel = open(runId);
    const distinct = await request(panel, 'distinct', { view, column: 'originatingDirection', limit: 50 });
    assert.ok(distinct.ok && distinct.kind === 'distinct', JSON.stringify(distinct).slice(0, 300));
    assert.equal(distinct.result.values.reduce((n, v) => n + v.count, 0), rowCount);
    const record = await request(panel, 'rowRecord', { view, offset: 0 });
    assert.ok(record.ok && record.kind === 'rowRecord');
    assert.equal(typeof (record.result as { conversationId?: unknown }).conversationId, 'string');
    assert.ok(Array.isArray((record.result as { participants?: unknown }).participants));
  });

  it('restores a panel from the saved state through the serializer, and drops a panel that saved none', async () => {
    const serializer = new ResultsSerializer(panels);
    const saved: PersistedViewState = { ...defaultViewState(runId), page: 3, pageSize: 25, timeZone: 'local', grain: 'segment', mode: 'scroll', scrollRow: 40 };
    const webviewPanel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, 'restored', vscode.ViewColumn.Active, {});
    await serializer.deserializeWebviewPanel(webviewPanel, saved);
    const restored = panels.panels.find((p) => p.panel === webviewPanel);
    assert.ok(restored, 'the serializer tracks the restored panel');
    opened.push(restored);
    assert.match(webviewPanel.webview.html, /Content-Security-Policy/);
    // The page was rebuilt, so it asks with its saved state; the host answers with that state.
    const seen = await exchange(restored, { type: 'ready', state: saved }, (m) => m.type === 'init');
    const init = seen.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    assert.deepEqual(init.state, saved);
    // A page that reloads with no state gets the state the panel was restored with.
    const again = await exchange(restored, { type: 'ready' }, (m) => m.type === 'init');
    assert.deepEqual((again.find((m) => m.type === 'init') as { state: unknown }).state, saved);

    const empty = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, 'nothing saved', vscode.ViewColumn.Active, {});
    let disposed = false;
    empty.onDidDispose(() => (disposed = true));
    await serializer.deserializeWebviewPanel(empty, undefined);
    assert.equal(disposed, true);
  });

  it('polls a run that is still fetching: the conversation count grows live, then fetching ends', async () => {
    sandbox.configure({ latencyMs: 60 });
    const started = startJobRun(sandbox, store, 100);
    try {
      const panel = await waitFor('the new run folder', async () => ((await store.readManifest(started.runId).catch(() => undefined)) ? open(started.runId) : undefined));
      const counts: number[] = [];
      let sawFetching = false;
      const statuses = panel.onDidPost((m) => {
        if (m.type === 'init' || m.type === 'status') {
          counts.push(m.status.conversations);
          sawFetching ||= m.status.fetching;
        }
      });
      try {
        await exchange(panel, { type: 'ready' }, (m) => m.type === 'init');
        const outcome = await started.result;
        await waitFor('the final status', () => counts.at(-1) === outcome.rowCount);
        assert.ok(sawFetching, 'the page was told the run is fetching');
        assert.ok(new Set(counts).size >= 3, `the count grew in steps: ${counts.join(', ')}`);
        assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
        const win = await request(panel, 'window', { view, offset: 0, limit: 10, columns: ['conversationId'] });
        assert.ok(win.ok && win.kind === 'window' && win.result.totalRows === outcome.rowCount);
      } finally {
        statuses.dispose();
      }
    } finally {
      sandbox.configure({ latencyMs: 0 });
      await started.result;
    }
  });

  it('reuses one panel for every run when genesysCloud.results.reusePanel is set', async () => {
    const config = vscode.workspace.getConfiguration('genesysCloud');
    const other = await hostileRun(store);
    const a = open(runId);
    await config.update('results.reusePanel', true, vscode.ConfigurationTarget.Global);
    try {
      const b = open(other);
      assert.equal(b, panels.panels.at(-1));
      assert.equal(b.runId, other);
      const seen = await exchange(b, { type: 'ready' }, (m) => m.type === 'init');
      assert.equal((seen.find((m) => m.type === 'init') as { state: PersistedViewState }).state.runId, other);
      assert.ok(a === b || a.runId === runId, 'runs already open keep their own panel');
    } finally {
      await config.update('results.reusePanel', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows a run whose folder is gone as an explicit error, not an empty table', async () => {
    const panel = open('20260101-000000000-deadbeef');
    const seen = await exchange(panel, { type: 'ready' }, (m) => m.type === 'init');
    const init = seen.find((m) => m.type === 'init');
    assert.ok(init && init.type === 'init');
    assert.match(init.status.error ?? '', /gone|Run the query again/);
  });

  it('opens a large result at its first batch, then shows the rest as it loads (status with loading, counts grow)', async () => {
    // A result of its own (the shared one's view.duckdb is loaded already) and a threshold this run is above.
    const big = await jobRun(sandbox, store);
    const early = new ResultsPanels({
      extensionUri: extension().extensionUri,
      store,
      openView: (dir) => engine.openView(dir, { openEarlyAbove: 100, batchSize: 100, commitIntervalMs: 60_000, workers: 0 }),
      log,
      pollIntervalMs: 100,
    });
    const statuses: RunStatus[] = [];
    try {
      const panel = early.open(big.runId);
      const sub = panel.onDidPost((m) => (m.type === 'status' ? statuses.push(m.status) : undefined));
      try {
        await exchange(panel, { type: 'ready' }, (m) => m.type === 'init');
        const first = await request(panel, 'window', { view, offset: 0, limit: 50, columns: ['conversationId'] });
        assert.ok(first.ok && first.kind === 'window', JSON.stringify(first).slice(0, 300));
        assert.ok(first.result.totalRows < big.rowCount, `answered before every row was loaded (${first.result.totalRows} of ${big.rowCount})`);
        await waitFor('the load ends and the status says so', () => statuses.some((s) => s.loading?.total === big.rowCount) && statuses.at(-1)?.loading === undefined && statuses.at(-1)?.conversations === big.rowCount, 60_000);
        const last = await request(panel, 'window', { view, offset: 0, limit: 50, columns: ['conversationId'] });
        assert.ok(last.ok && last.kind === 'window');
        assert.equal(last.result.totalRows, big.rowCount);
      } finally {
        sub.dispose();
      }
    } finally {
      early.dispose();
    }
  });

  it('survives the results engine process dying under an open table: that request fails plainly, the next opens a new engine', async () => {
    const panel = open(runId);
    const ask = { view, offset: 0, limit: 20, columns: ['conversationId'] };
    const first = await request(panel, 'window', ask);
    assert.ok(first.ok && first.kind === 'window');
    const stats = await engine.stats();
    assert.ok(stats, 'the engine runs');
    const versions: number[] = [];
    const sub = panel.onDidPost((m) => (m.type === 'status' ? versions.push(m.status.dataVersion) : undefined));
    try {
      process.kill(stats.pid, 'SIGKILL');
      const failed = await request(panel, 'window', ask);
      assert.ok(!failed.ok && /results engine stopped \(signal SIGKILL\)/.test(failed.error), JSON.stringify(failed).slice(0, 300));
      await waitFor('a status with a new data version (the page asks again)', () => versions.length > 0, 30_000);
      const again = await request(panel, 'window', ask);
      assert.ok(again.ok && again.kind === 'window', JSON.stringify(again).slice(0, 300));
      assert.deepEqual(again.result.rows, first.result.rows);
      assert.notEqual((await engine.stats())?.pid, stats.pid, 'a new engine process');
    } finally {
      sub.dispose();
    }
  });

  it('registers genesysCloud.openResults with the extension', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes(Commands.openResults));
  });

  afterEach(() => {
    for (const p of opened.splice(0)) {
      p.dispose();
    }
  });
});
