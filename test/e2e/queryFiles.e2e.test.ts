// Authoring a query file in the real UI: New Query File from a template, a misspelt dimension typed in and
// squiggled, fixed with the quick fix (Ctrl+.), saved straight into the workspace, run from the CodeLens,
// its results opened from the Query History. The sandbox is one this test starts, named in the setting.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Sandbox } from '../../src/sandbox';
import { startSandbox } from '../../src/sandbox';
import { waitForExtension, webview, workspaceFolder } from './results';
import { e2eEnv, hoverFor, launchChromium, notification, openWorkbench, runCommand, screenshot, setUserSetting } from './workbench';

describe('query files: template → squiggle → quick fix → CodeLens run → results', function () {
  this.timeout(180_000);
  const env = e2eEnv();
  const fileName = 'voice-yesterday.gcquery.json';
  const saved = join(workspaceFolder(env.url), fileName);
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => screenshot(page, env.screenshotDir, `queryfile-${name}`);
  const editor = () => page.locator('.editor-instance .monaco-editor').first();
  const historyRows = () => page.locator('#workbench\\.parts\\.sidebar .monaco-list-row');

  before(async () => {
    sandbox = await startSandbox({ host: '127.0.0.1', port: 0, conversations: 20_000, days: 14 });
    setUserSetting(env.settingsFile, 'genesysCloud.sandbox.url', sandbox.url);
    browser = await launchChromium();
    page = await openWorkbench(browser, env.url);
    await waitForExtension(page);
    await page.locator('.activitybar .action-item a[aria-label^="Genesys Cloud"]').click();
    await runCommand(page, 'Genesys Cloud: Try the Sandbox');
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Sandbox' }).first().waitFor();
  });

  after(async () => {
    // Later suites share this code-server profile: no editors, no runs, no connection, no file left.
    if (page) {
      await runCommand(page, 'View: Close All Editors').catch(() => undefined);
      await page.locator('.monaco-dialog-box').getByRole('button', { name: "Don't Save" }).click({ timeout: 2_000 }).catch(() => undefined);
      await runCommand(page, 'Genesys Cloud: Clear Finished Runs').catch(() => undefined);
      await page.locator('.monaco-dialog-box').getByRole('button', { name: /^Clear \d+ Runs$/ }).click({ timeout: 5_000 }).catch(() => undefined);
      await runCommand(page, 'Genesys Cloud: Disconnect').catch(() => undefined);
    }
    await browser?.close();
    rmSync(saved, { force: true });
    setUserSetting(env.settingsFile, 'genesysCloud.sandbox.url', '');
    await sandbox?.close();
  });

  it('creates a query file from a template: an editor with the lenses above the query', async () => {
    await runCommand(page, 'Genesys Cloud: New Query File');
    const template = page.locator('.quick-input-list .monaco-list-row', { hasText: "Yesterday's voice calls" });
    await template.waitFor();
    await shot('1-templates');
    await template.click();
    await page.locator('.tab', { hasText: fileName }).waitFor();
    await editor().locator('.codelens-decoration', { hasText: 'Run as Query' }).waitFor();
    await editor().locator('.codelens-decoration', { hasText: 'Copy as…' }).waitFor();
    await shot('2-template');
  });

  it('squiggles a dimension misspelt by typing', async () => {
    // A double click selects the word between the quotes; typing replaces it.
    await editor().locator('.view-lines span', { hasText: /^"mediaType"$/ }).first().dblclick();
    await page.keyboard.type('mediaTyep');
    await editor().locator('.squiggly-error').first().waitFor({ timeout: 20_000 });
    await editor().locator('.view-lines', { hasText: '"mediaTyep"' }).waitFor();
    await shot('3-squiggle');
  });

  it('fixes it with the quick fix (Ctrl+.)', async () => {
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .action-item, .action-widget .monaco-list-row', { hasText: "Change to 'mediaType'" }).first();
    await fix.waitFor({ timeout: 15_000 });
    await shot('4-quick-fix');
    await fix.click();
    await editor().locator('.view-lines', { hasText: '"dimension": "mediaType"' }).waitFor();
    await editor().locator('.squiggly-error').first().waitFor({ state: 'detached', timeout: 20_000 });
  });

  it('saves it straight into the workspace folder (no dialog)', async () => {
    await page.keyboard.press('Control+S');
    await page.locator('.tab.dirty', { hasText: fileName }).waitFor({ state: 'detached', timeout: 15_000 });
    assert.ok(existsSync(saved), `${saved} written`);
    assert.match(readFileSync(saved, 'utf8'), /"dimension": "mediaType"/);
  });

  it('runs it with the CodeLens and opens the results from the Query History', async () => {
    await editor().locator('.codelens-decoration a', { hasText: 'Run as Query' }).click();
    const done = notification(page, /Query 'Yesterday's voice calls' finished: [\d,]+ rows/);
    await done.waitFor({ timeout: 60_000 });
    await shot('5-finished');
    const row = historyRows().filter({ hasText: "Yesterday's voice calls" }).first();
    await row.locator('text=/query · [\\d,]+ rows/').waitFor();
    await hoverFor(page, row, `Query file: ${saved}`);
    await shot('6-history-link');
    await row.click();
    const frame = webview(page);
    await frame.locator('.grid-spacer > .grid-row[data-row="0"]:not(.pending) .cell').first().waitFor({ timeout: 60_000 });
    await shot('7-results');
  });
});
