import type { Browser, Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { e2eEnv, launchChromium, notification, openWorkbench, runCommand, screenshot } from './workbench';

/** The real QuickPick/InputBox flow of "Sign In…", against a sandbox at a URL, then "Sign Out…". */
describe('workbench UI: sign in and out through the prompts', function () {
  this.timeout(90_000);
  const env = e2eEnv();
  let browser: Browser;
  let page: Page;
  let sandbox: Sandbox;
  const shot = (name: string) => screenshot(page, env.screenshotDir, `sign-in-${name}`);
  const widget = () => page.locator('.quick-input-widget');

  /** Waits for the step's prompt (so keystrokes reach the new box), types, and accepts. */
  async function answer(waitText: string, value: string, options: { replace?: boolean } = {}): Promise<void> {
    await widget().filter({ hasText: waitText }).waitFor();
    if (options.replace) {
      await page.keyboard.press('ControlOrMeta+A');
    }
    await page.keyboard.type(value);
    await page.keyboard.press('Enter');
  }

  before(async () => {
    sandbox = await startSandbox({ port: 0, orgName: 'E2E Org' });
    browser = await launchChromium();
    page = await openWorkbench(browser, env.url);
    // The palette lists the extension's commands only once extensions are loaded: wait for its status bar item.
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Genesys Cloud' }).first().waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      // What the prompt showed when a step did not appear: the screenshot and the widget's text.
      await shot(`failed-${this.currentTest.title.slice(0, 20).replace(/\W+/g, '-')}`).catch(() => undefined);
      console.log(`quick input at failure: ${await widget().innerText({ timeout: 2_000 }).catch(() => '(none)')}`);
    }
  });

  after(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('walks the guided steps and connects, naming the org and client', async () => {
    await runCommand(page, 'Genesys Cloud: Sign In');
    await answer('A name for this connection', 'E2E sandbox');
    await widget().locator('.monaco-list-row', { hasText: 'Americas (US East) — mypurecloud.com' }).waitFor();
    await shot('region');
    await page.keyboard.type('Sandbox at a URL');
    await widget().locator('.monaco-list-row', { hasText: 'Sandbox at a URL…' }).waitFor();
    await page.keyboard.press('Enter');
    await answer('URL of the running sandbox', `http://127.0.0.1:${sandbox.port}`, { replace: true });
    await answer('Client ID of an OAuth client', 'sandbox-client');
    await widget().filter({ hasText: 'Client secret' }).locator('input[type="password"]').waitFor();
    await answer('Client secret', 'sandbox-secret');
    await widget().locator('.monaco-list-row', { hasText: 'Yes, production' }).waitFor();
    await page.keyboard.press('Enter'); // "No" is pre-selected
    await notification(page, 'Connected to E2E Org as Sandbox client credentials').waitFor({ timeout: 30_000 });
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'E2E Org' }).waitFor();
    await shot('connected');
  });

  it('signs out from the command palette and disconnects', async () => {
    await runCommand(page, 'Genesys Cloud: Sign Out');
    await widget().locator('.monaco-list-row', { hasText: 'E2E sandbox' }).waitFor();
    await page.keyboard.press('Enter');
    await notification(page, 'Signed out of E2E sandbox').waitFor();
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'E2E Org' }).waitFor({ state: 'detached' });
    await shot('signed-out');
  });
});
