// The results pager over a sync run fetched as one page: Next fetches page 2 from Genesys (the test's sandbox,
// named in `genesysCloud.sandbox.url` and connected with "Try the Sandbox"), shows it, and keeps it cached.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { silentLogger } from '../../src/common/logger';
import { SyncQueryRunner } from '../../src/jobs/syncQueryRunner';
import type { Sandbox } from '../../src/sandbox';
import { runOnePage } from '../../src/vscode/runs/onePageRun';
import { FULL_INTERVAL, sandboxClient, startResultsSandbox } from '../fixtures/resultsRuns';
import type { DomNode } from './results';
import { closeAllEditors, openResults, waitForExtension, workbenchResultsStore } from './results';
import { e2eEnv, launchChromium, openWorkbench, runCommand, screenshot, setUserSetting } from './workbench';

const QUERY_ROUTE = 'POST /api/v2/analytics/conversations/details/query';
const PAGE = 100;
/** The sandbox connection's id (connectionManager.ts SANDBOX_CONNECTION_ID; that module needs `vscode`). */
const SANDBOX_CONNECTION_ID = 'sandbox';

/** Conversation IDs of the rendered rows by view row number (the first column is Conversation ID). */
async function shownIds(frame: FrameLocator): Promise<Map<number, string>> {
  const pairs = await frame.locator('.grid-spacer').evaluate((spacer: unknown) =>
    [...(spacer as DomNode).querySelectorAll('.grid-row:not([hidden]):not(.pending)')].map((r) => [Number(r.dataset.row), r.children[0]?.textContent ?? ''] as const),
  );
  return new Map(pairs);
}

describe('results pager fetches further pages of a one-page sync run from Genesys (Default Dark Modern)', function () {
  this.timeout(150_000);
  const env = e2eEnv();
  const store = workbenchResultsStore(env.settingsFile);
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let runId: string;
  let truth: string[];
  const shot = (name: string) => screenshot(page, env.screenshotDir, `dark-results-genesys-${name}`);
  const body = { interval: FULL_INTERVAL };
  const queries = (): number => sandbox.stats().byRoute[QUERY_ROUTE] ?? 0;

  before(async () => {
    sandbox = await startResultsSandbox({ conversations: 3000 });
    truth = sandbox.groundTruth(body, 'query');
    // "Run as Query (one page)" on the sandbox connection, written where the extension's cache is.
    const client = sandboxClient(sandbox);
    try {
      const runner = new SyncQueryRunner({ api: client, connectionId: SANDBOX_CONNECTION_ID, store });
      const handle = runOnePage(runner, { api: client, connectionId: SANDBOX_CONNECTION_ID, store, logger: silentLogger }, body, { pageSize: PAGE, pageNumber: 1 });
      const outcome = await handle.result;
      assert.equal(outcome.status, 'completed', outcome.error?.message);
      runId = handle.runId;
    } finally {
      client.dispose();
    }
    setUserSetting(env.settingsFile, 'workbench.colorTheme', 'Default Dark Modern');
    setUserSetting(env.settingsFile, 'genesysCloud.sandbox.url', sandbox.url);
    browser = await launchChromium();
    page = await openWorkbench(browser, env.url);
    await waitForExtension(page);
    await runCommand(page, 'Genesys Cloud: Try the Sandbox');
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Sandbox' }).first().waitFor();
  });

  after(async () => {
    if (page) {
      await closeAllEditors(page).catch(() => undefined);
      // The pages fetched put the run in the Query History: later specs expect it empty.
      await runCommand(page, 'Genesys Cloud: Clear Finished Runs').catch(() => undefined);
      await page.locator('.monaco-dialog-box').getByRole('button', { name: /^Clear \d+ Runs?$/ }).click({ timeout: 5_000 }).catch(() => undefined);
      await runCommand(page, 'Genesys Cloud: Disconnect').catch(() => undefined);
    }
    await browser?.close();
    setUserSetting(env.settingsFile, 'genesysCloud.sandbox.url', '');
    await sandbox?.close();
  });

  it('Next fetches page 2 from Genesys once, shows its rows, and pages back and forth from the cache', async () => {
    const frame = await openResults(page, runId);
    const total = truth.length.toLocaleString('en-US');
    const pages = Math.ceil(truth.length / PAGE);
    await frame.locator('.pager-label', { hasText: `Page 1 of ${pages} · rows 1–100 of ${total}` }).waitFor();
    const picker = frame.getByRole('combobox', { name: 'Rows per page' });
    assert.equal(await picker.isDisabled(), true, "the page size is the run's");
    assert.match((await picker.getAttribute('title')) ?? '', /this run's page size \(100\)/);
    await shot('page1');

    sandbox.resetStats();
    // A slow answer, so the grid's fetching state can be seen (and looked at).
    sandbox.configure({ latencyMs: 2500 });
    try {
      await frame.getByRole('button', { name: 'Next page' }).click();
      await frame.locator('.overlay', { hasText: 'Fetching page 2 from Genesys' }).waitFor();
      // Not through shot(): it waits for things to settle, and this is the in-between state.
      await page.screenshot({ path: join(env.screenshotDir, 'dark-results-genesys-fetching.png') });
      await frame.locator('.pager-label', { hasText: `Page 2 of ${pages} · rows 101–200 of ${total}` }).waitFor();
      await frame.locator('.grid-spacer > .grid-row[data-row="100"]:not(.pending)').waitFor({ timeout: 30_000 });
      await frame.locator('.overlay').waitFor({ state: 'hidden' });
    } finally {
      sandbox.configure({ latencyMs: 0 });
    }
    const ids = await shownIds(frame);
    assert.ok(ids.size >= 10, `rows of page 2 shown (${ids.size})`);
    for (const [row, id] of ids) {
      assert.ok(row >= PAGE && row < 2 * PAGE, `row ${row} belongs to page 2`);
      assert.equal(id, truth[row], `row ${row + 1} is the conversation Genesys has there`);
    }
    assert.equal(queries(), 1, 'one querySync request for page 2');
    await frame.locator('.footer', { hasText: `2 of ${pages} pages cached` }).waitFor();
    await shot('page2');

    await frame.getByRole('button', { name: 'Previous page' }).click();
    await frame.locator('.pager-label', { hasText: 'Page 1 of' }).waitFor();
    await frame.locator('.grid-spacer > .grid-row[data-row="0"]:not(.pending)').waitFor();
    await frame.getByRole('button', { name: 'Next page' }).click();
    await frame.locator('.grid-spacer > .grid-row[data-row="100"]:not(.pending)').waitFor();
    assert.equal(queries(), 1, 'cached pages are never fetched again');

    // A page Genesys refuses (the OAuth client lost its permission): the error and Retry, page 2 still cached.
    sandbox.configure({ permissions: [] });
    const input = frame.getByRole('spinbutton', { name: 'Go to page' });
    try {
      await input.fill('7');
      await input.press('Enter');
      const banner = frame.locator('.banner.error', { hasText: 'Could not fetch page 7 from Genesys' });
      await banner.waitFor();
      assert.match(await banner.innerText(), /permission/i);
      await shot('error');
    } finally {
      sandbox.configure({ permissions: ['analytics:conversationDetail:view', 'analytics:agentConversationDetail:view'] });
    }
    await frame.locator('.banner.error').getByRole('button', { name: 'Retry' }).click();
    await frame.locator('.grid-spacer > .grid-row[data-row="600"]:not(.pending)').waitFor();
    assert.equal(await frame.locator('.banner.error').count(), 0);
    assert.equal((await shownIds(frame)).get(600), truth[600]);
    await frame.locator('.footer', { hasText: `3 of ${pages} pages cached` }).waitFor();
    await input.fill('2');
    await input.press('Enter');
    await frame.locator('.grid-spacer > .grid-row[data-row="100"]:not(.pending)').waitFor();
    assert.equal(queries(), 3, 'page 2 from the cache; page 7 refused once, then fetched');

    // Sorting works over the cached rows, and says so.
    await frame.locator('.hcell[data-col="duration"] .hcell-label').click();
    await frame.locator('.banner', { hasText: `Sorted/filtered over the 300 cached of ${total} conversations` }).waitFor();
    await frame.locator('.pager-label', { hasText: 'of 300' }).waitFor();
    await shot('sorted-cached');
    assert.equal(queries(), 3);
  });
});
