import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { silentLogger } from '../../src/common/logger';
import { SyncPager } from '../../src/jobs/syncPager';
import { SyncQueryRunner } from '../../src/jobs/syncQueryRunner';
import type { ResultsStore } from '../../src/results/resultsStore';
import { openResultsView } from '../../src/results/view';
import type { Sandbox } from '../../src/sandbox';
import type { HostMessage, RequestMessage, ResponseMessage, RunStatus } from '../../src/shared/protocol';
import { ResultsPanels } from '../../src/vscode/results/registerResults';
import type { ResultsPanel } from '../../src/vscode/results/resultsPanel';
import { runOnePage } from '../../src/vscode/runs/onePageRun';
import { makeTempDir } from '../fakes/tempDir';
import { FULL_INTERVAL, resultsStore, sandboxClient, startResultsSandbox } from '../fixtures/resultsRuns';
import { extension, waitFor } from './helpers';

const QUERY_ROUTE = 'POST /api/v2/analytics/conversations/details/query';
const PAGE = 50;

describe('results panel pages a one-page sync run through Genesys (real SyncPager, sandbox, DuckDB)', function () {
  this.timeout(120_000);
  let sandbox: Sandbox;
  let store: ResultsStore;
  let tmp: { path: string; remove: () => void };
  let panels: ResultsPanels;
  let log: vscode.LogOutputChannel;
  let client: ReturnType<typeof sandboxClient>;
  let truth: string[];
  const body = { interval: FULL_INTERVAL };

  before(async () => {
    tmp = makeTempDir('gca-pager-');
    sandbox = await startResultsSandbox();
    store = resultsStore(tmp.path);
    client = sandboxClient(sandbox);
    truth = sandbox.groundTruth(body, 'query');
    log = vscode.window.createOutputChannel('Genesys pager integration test', { log: true });
    const pagerFor = (runId: string): SyncPager => new SyncPager(runId, { store, logger: log, source: (connectionId) => new SyncQueryRunner({ api: client, connectionId, store, logger: log }) });
    panels = new ResultsPanels({ extensionUri: extension().extensionUri, store, openView: (dir) => openResultsView(dir), log, pollIntervalMs: 100, pagerFor });
  });

  after(async () => {
    panels?.dispose();
    log?.dispose();
    client?.dispose();
    await sandbox?.close();
    tmp?.remove();
  });

  async function onePageRun(): Promise<string> {
    const runner = new SyncQueryRunner({ api: client, connectionId: 'sandbox', store });
    const handle = runOnePage(runner, { api: client, connectionId: 'sandbox', store, logger: silentLogger }, body, { pageSize: PAGE, pageNumber: 1 });
    const outcome = await handle.result;
    assert.equal(outcome.status, 'completed', outcome.error?.message);
    return handle.runId;
  }

  /** Sends through the host's handler seam; collects what the host posts until `until` matches. */
  async function exchange(panel: ResultsPanel, message: unknown, until: (m: HostMessage) => boolean): Promise<HostMessage[]> {
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
      await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(message).slice(0, 200)}`)), 60_000))]);
      return seen;
    } finally {
      sub.dispose();
    }
  }

  // The panel's real webview asks for its own (cached) page 1 meanwhile: a request of ours it supersedes is asked again.
  let nextId = 2_000_000;
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
  const pageParams = (page: number) => ({ view, offset: (page - 1) * PAGE, limit: PAGE, columns: ['conversationId'], genesysPage: true });
  const queries = (): number => sandbox.stats().byRoute[QUERY_ROUTE] ?? 0;

  it('asks page 3: one querySync request, the rows Genesys has for page 3; asking again sends nothing', async () => {
    const runId = await onePageRun();
    sandbox.resetStats();
    const panel = panels.open(runId);
    let status: RunStatus | undefined;
    const sub = panel.onDidPost((m) => {
      if (m.type === 'init' || m.type === 'status') {
        status = m.status;
      }
    });
    try {
      await exchange(panel, { type: 'ready' }, (m) => m.type === 'init');
      assert.deepEqual(status?.genesysPaging, { pageSize: PAGE, totalHits: truth.length, reachableRows: truth.length, cachedPages: [1], cachedRows: PAGE });

      const third = await request(panel, 'window', pageParams(3));
      assert.ok(third.ok && third.kind === 'window', JSON.stringify(third).slice(0, 300));
      assert.equal(queries(), 1, 'exactly one querySync request');
      assert.deepEqual(
        third.result.rows.map((r) => r[0]),
        truth.slice(2 * PAGE, 3 * PAGE),
        "the sandbox's ground truth for pageNumber 3 at pageSize 50",
      );
      assert.equal(third.result.offset, 2 * PAGE, 'numbered as Genesys numbers it');
      assert.equal(third.result.totalRows, truth.length, 'the pager counts totalHits');
      assert.equal(third.result.sourceOffset, PAGE, 'stored after page 1 in the cache');
      await waitFor('the status listing page 3 as cached', () => status?.genesysPaging?.cachedPages.join() === '1,3' && status.conversations === 2 * PAGE);

      const again = await request(panel, 'window', pageParams(3));
      assert.ok(again.ok && again.kind === 'window');
      assert.deepEqual(again.result.rows, third.result.rows);
      const first = await request(panel, 'window', pageParams(1));
      assert.ok(first.ok && first.kind === 'window');
      assert.deepEqual(
        first.result.rows.map((r) => r[0]),
        truth.slice(0, PAGE),
      );
      assert.equal(queries(), 1, 'cached pages are never fetched again');
      // Row details of page 3's first row: the conversation at cache row 50.
      const record = await request(panel, 'rowRecord', { view, offset: third.result.sourceOffset });
      assert.ok(record.ok && record.kind === 'rowRecord');
      assert.equal((record.result as { conversationId: string }).conversationId, truth[2 * PAGE]);
    } finally {
      sub.dispose();
      panel.dispose();
    }
  });

  it('a page that fails (403 from the sandbox) answers the error, and every cached page stays', async () => {
    const runId = await onePageRun();
    const panel = panels.open(runId);
    try {
      await exchange(panel, { type: 'ready' }, (m) => m.type === 'init');
      const two = await request(panel, 'window', pageParams(2));
      assert.ok(two.ok, JSON.stringify(two).slice(0, 300));
      sandbox.configure({ permissions: [] });
      sandbox.resetStats();
      let failed: ResponseMessage;
      try {
        failed = await request(panel, 'window', pageParams(5));
      } finally {
        sandbox.configure({ permissions: ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'] });
      }
      assert.ok(!failed.ok && !failed.superseded, JSON.stringify(failed).slice(0, 300));
      assert.match(failed.error, /permission/i);
      assert.equal(queries(), 1, 'a 403 is not retried');
      for (const page of [1, 2]) {
        const cached = await request(panel, 'window', pageParams(page));
        assert.ok(cached.ok && cached.kind === 'window');
        assert.deepEqual(
          cached.result.rows.map((r) => r[0]),
          truth.slice((page - 1) * PAGE, page * PAGE),
        );
      }
      assert.equal(queries(), 1);
      // Retry once the cause is gone: the page comes.
      const retried = await request(panel, 'window', pageParams(5));
      assert.ok(retried.ok && retried.kind === 'window');
      assert.deepEqual(
        retried.result.rows.map((r) => r[0]),
        truth.slice(4 * PAGE, 5 * PAGE),
      );
      assert.equal((await store.readManifest(runId))?.rowCount, 3 * PAGE);
    } finally {
      panel.dispose();
    }
  });
});
