import * as assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { e2eEnv, hoverFor, launchChromium, notification, openWorkbench, runCommand, screenshot, setUserSetting } from './workbench';

const themes = [
  { name: 'dark', id: 'Default Dark Modern' },
  { name: 'light', id: 'Default Light Modern' },
] as const;

for (const theme of themes) {
  describe(`workbench UI (${theme.id})`, function () {
    this.timeout(60_000);
    const env = e2eEnv();
    let browser: Browser;
    let page: Page;
    const shot = (name: string) => screenshot(page, env.screenshotDir, `${theme.name}-${name}`);

    before(async () => {
      setUserSetting(env.settingsFile, 'workbench.colorTheme', theme.id);
      browser = await launchChromium();
      page = await openWorkbench(browser, env.url);
    });

    after(async () => {
      await browser?.close();
    });

    it('opens the Genesys Cloud container from the activity bar', async () => {
      await page.locator('.activitybar .action-item a[aria-label^="Genesys Cloud"]').click();
      // A container with one view shows "Genesys Cloud: Query History" as the side bar title.
      await page.locator('#workbench\\.parts\\.sidebar .composite.title', { hasText: 'Query History' }).waitFor();
    });

    it('shows the welcome text of the empty Query History view, offering to connect', async () => {
      const welcome = page.locator('.welcome-view-content', { hasText: 'No queries or jobs yet' });
      await welcome.waitFor();
      await welcome.getByRole('button', { name: 'Sign In' }).waitFor();
      await welcome.getByRole('button', { name: 'Try the Sandbox' }).waitFor();
      await shot('history-welcome');
    });

    it('connects to the sandbox from the command palette: notification and status bar', async () => {
      await runCommand(page, 'Genesys Cloud: Try the Sandbox');
      await notification(page, /Connected to Sandbox Org at http:\/\/127\.0\.0\.1:\d+/).waitFor();
      const item = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Sandbox' });
      await item.waitFor();
      // Once connected, the welcome view no longer offers to connect.
      await page.locator('.welcome-view-content', { hasText: 'Run a conversation-detail query or job' }).waitFor();
      await shot('connected');
      await hoverFor(page, item, 'API: http://127.0.0.1:', 30_000);
      await shot('status-bar-tooltip');
    });

    it('"Genesys Cloud: Show Log" opens the Genesys Cloud output', async () => {
      await page.keyboard.press('Escape');
      await runCommand(page, 'Genesys Cloud: Show Log');
      const panel = page.locator('#workbench\\.parts\\.panel');
      await panel.waitFor();
      const log = panel.locator('.view-lines').filter({ hasText: 'Genesys Cloud Analytics activated' }).first();
      await log.waitFor();
      // Monaco renders spaces as non-breaking spaces.
      const text = (await log.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /Sandbox listening on http:\/\/127\.0\.0\.1:\d+/, text);
      await shot('log');
    });
  });
}
