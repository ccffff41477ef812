import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { e2eEnv, hoverFor, launchChromium, notification, openWorkbench, runCommand, screenshot } from './workbench';

// Runs after workbench.e2e.test.ts (file order), in the same code-server, with the dark theme it left.
describe('runs and the Query History UI', function () {
  this.timeout(90_000);
  const env = e2eEnv();
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => screenshot(page, env.screenshotDir, `runs-${name}`);

  before(async () => {
    browser = await launchChromium();
    page = await openWorkbench(browser, env.url);
    await page.locator('.activitybar .action-item a[aria-label^="Genesys Cloud"]').click();
    await runCommand(page, 'Genesys Cloud: Try the Sandbox');
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Sandbox' }).waitFor();
  });

  after(async () => {
    await browser?.close();
  });

  it('runs a preset query from the palette: presets, one page or all pages, a finished toast, the run in the tree', async () => {
    await runCommand(page, 'Genesys Cloud: Run Conversation Details Query');
    const picker = page.locator('.quick-input-widget');
    await picker.locator('.monaco-list-row', { hasText: "Yesterday's voice calls" }).waitFor();
    await shot('presets');
    await page.keyboard.press('Enter');
    await picker.locator('.monaco-list-row', { hasText: 'All pages' }).waitFor();
    await shot('mode');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await notification(page, /Query 'Yesterday's voice calls' finished: [\d,]+ rows/).waitFor({ timeout: 30_000 });
    const row = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: "Yesterday's voice calls" });
    await row.waitFor();
    await row.locator('.label-description', { hasText: /query · [\d,]+ rows/ }).waitFor();
    await shot('history-query');
  });

  it('runs a job with its state in the notification, then offers the run actions on right-click', async () => {
    await runCommand(page, 'Genesys Cloud: Run Conversation Details Job');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Last 7 days' }).waitFor();
    await page.keyboard.type('Last 7 days');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'All media types' }).waitFor();
    await page.keyboard.press('Enter');
    // Queues by name, from the connection's routing/queues list (the ID beside each name).
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'All queues' }).waitFor();
    await page.locator('.quick-input-widget .monaco-list-row .label-description', { hasText: /^[0-9a-f-]{36}$/ }).first().waitFor();
    await page.screenshot({ path: join(env.screenshotDir, 'runs-queue-by-name.png') });
    await page.keyboard.press('Enter');
    await notification(page, /Job 'Last 7 days'/).waitFor();
    // Not through shot(): it waits for progress to settle, and this is the progress.
    await page.screenshot({ path: join(env.screenshotDir, 'runs-job-progress.png') });
    await notification(page, /Job 'Last 7 days' finished: [\d,]+ rows/).waitFor({ timeout: 30_000 });
    const row = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: 'Last 7 days' });
    await row.locator('.label-description', { hasText: /job · [\d,]+ rows/ }).waitFor();
    await row.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu, .context-view .action-menu-item').first();
    await menu.waitFor();
    await page.locator('.context-view', { hasText: 'Export Results' }).waitFor();
    await page.locator('.context-view', { hasText: 'Run Again' }).waitFor();
    await shot('history-context-menu');
    await page.keyboard.press('Escape');
    // A job over 7 days runs as parallel sub-jobs by default (genesysCloud.jobs.maxParallelSubJobs).
    await hoverFor(page, row, /Job ID:|\d+ sub-jobs/);
    await shot('history-tooltip');
  });
});
