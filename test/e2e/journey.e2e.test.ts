// A new user's journey through the real UI, as the README tells it: try the sandbox from the welcome view,
// run a job from the palette with a preset, watch the progress toast, see the Query History entry turn
// fulfilled, open its results, let the job expire and re-fetch it from the tree. The sandbox is one the
// test starts (short job TTL) and names in `genesysCloud.sandbox.url`, the same setting a user would.
import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Sandbox } from '../../src/sandbox';
import { startSandbox } from '../../src/sandbox';
import { webview } from './results';
import { e2eEnv, launchChromium, notification, openWorkbench, runCommand, screenshot, setUserSetting } from './workbench';

const JOB_TTL_SECONDS = 25;

describe('a new user: sandbox → job → results → re-fetch (Default Dark Modern)', function () {
  this.timeout(180_000);
  const env = e2eEnv();
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => screenshot(page, env.screenshotDir, `journey-${name}`);
  const sideBar = () => page.locator('#workbench\\.parts\\.sidebar');
  const historyRows = () => sideBar().locator('.monaco-list-row');

  before(async () => {
    // Yesterday's data is well past the data-lake lag; jobs run quickly and their results expire soon.
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, conversations: 20_000, days: 14, jobQueuedMs: 2000, jobRunMs: 6000, jobTtlSeconds: JOB_TTL_SECONDS });
    setUserSetting(env.settingsFile, 'workbench.colorTheme', 'Default Dark Modern');
    setUserSetting(env.settingsFile, 'genesysCloud.sandbox.url', sandbox.url);
    browser = await launchChromium();
    page = await openWorkbench(browser, env.url);
  });

  after(async () => {
    // Later suites share this code-server profile and expect an empty Query History with no connection.
    if (page) {
      await runCommand(page, 'View: Close All Editors').catch(() => undefined);
      await runCommand(page, 'Genesys Cloud: Clear Finished Runs').catch(() => undefined);
      await page.locator('.monaco-dialog-box').getByRole('button', { name: /^Clear \d+ Runs$/ }).click().catch(() => undefined);
      await historyRows().filter({ hasText: "Yesterday's voice calls" }).first().waitFor({ state: 'detached' }).catch(() => undefined);
      await runCommand(page, 'Genesys Cloud: Disconnect').catch(() => undefined);
    }
    await browser?.close();
    setUserSetting(env.settingsFile, 'genesysCloud.sandbox.url', '');
    await sandbox?.close();
  });

  it('tries the sandbox from the welcome view of the Query History', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Genesys Cloud"]').click();
    const welcome = page.locator('.welcome-view-content', { hasText: 'No queries or jobs yet' });
    await welcome.getByRole('button', { name: 'Try the Sandbox' }).click();
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Sandbox' }).first().waitFor();
    await page.locator('.welcome-view-content').getByRole('button', { name: 'Run a Query' }).waitFor();
    await shot('1-connected');
  });

  it('runs a job from the palette with the classic preset and shows its progress', async () => {
    await runCommand(page, 'Genesys Cloud: Run Conversation Details Job');
    const preset = page.locator('.quick-input-list .monaco-list-row', { hasText: "Yesterday's voice calls" });
    await preset.waitFor();
    await shot('2-presets');
    await preset.click();
    const toast = notification(page, "Yesterday's voice calls");
    await toast.waitFor({ timeout: 30_000 });
    await toast.locator('text=/QUEUED|PENDING/').first().waitFor();
    await shot('3-progress');
  });

  it('lists the job in the Query History and turns it fulfilled with its row count', async () => {
    const done = notification(page, /Job 'Yesterday's voice calls' finished: [\d,]+ rows/);
    await done.waitFor({ timeout: 60_000 });
    const finished = Number(/finished: ([\d,]+) rows/.exec(await done.innerText())?.[1]?.replace(/,/g, ''));
    assert.ok(finished > 0);
    // While it runs the row says "job · PENDING" or "job · 0 rows"; once fulfilled, the rows the toast counted.
    const row = historyRows().filter({ hasText: "Yesterday's voice calls" }).first();
    await row.locator(`text=/job · ${finished.toLocaleString('en-US')} rows/`).waitFor();
    await shot('4-fulfilled');
  });

  it('opens the results from the tree: rows in the table', async () => {
    await historyRows().filter({ hasText: "Yesterday's voice calls" }).first().click();
    const frame = webview(page);
    await frame.locator('.grid-spacer > .grid-row[data-row="0"]:not(.pending) .cell').first().waitFor({ timeout: 60_000 });
    await frame.locator('.pager-label', { hasText: /Page 1 of \d+/ }).waitFor();
    // Named as in the Query History, in the tab and the header.
    await page.locator('.tabs-container .tab', { hasText: "Results: Yesterday's voice calls" }).waitFor();
    await frame.getByText(/^Yesterday's voice calls · Job · /).first().waitFor();
    await shot('5-results');
  });

  it('shows the job as expired once its results expire, then re-fetches it as a successor', async () => {
    const original = historyRows().filter({ hasText: "Yesterday's voice calls" }).first();
    await original.locator('text=/cached/').waitFor({ timeout: (JOB_TTL_SECONDS + 30) * 1000 });
    await shot('6-expired');
    await original.click({ button: 'right' });
    await runMenuItem(page, 'Re-fetch Expired Job');
    // The successor has the same short TTL: on a slow machine it may already read "N rows cached" when seen.
    const successor = historyRows().filter({ hasText: 're-fetch' }).first();
    await successor
      .locator('text=/job · [\\d,]+ rows( cached)? · re-fetch/')
      .waitFor({ timeout: 90_000 })
      .catch(async (error: unknown) => {
        await shot('7-no-refetch');
        throw new Error(`no fulfilled re-fetch in the Query History; rows: ${JSON.stringify(await historyRows().allInnerTexts())}\n${String(error)}`);
      });
    await shot('7-refetched');
    assert.ok(sandbox.stats().jobsCreated >= 2, JSON.stringify(sandbox.stats()));
  });
});

/**
 * Runs a context-menu item from the keyboard, as a keyboard user would: a pointer click on a menu item that
 * has just opened is sometimes swallowed by the workbench (the menu stays open with the item hovered).
 */
async function runMenuItem(page: Page, label: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  await menu.locator('.action-item', { hasText: label }).first().waitFor();
  const focused = menu.locator('.action-item.focused', { hasText: label });
  for (let step = 0; step < 20 && (await focused.count()) === 0; step++) {
    await page.keyboard.press('ArrowDown');
  }
  await focused.first().waitFor({ timeout: 1000 });
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'detached' });
}
