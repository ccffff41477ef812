// Helpers for the results-table e2e tests: runs written into the code-server profile's global storage
// (where the installed extension's ResultsStore looks), and locators into the nested webview iframes.
import { dirname, join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { EXTENSION_ID } from '../../src/constants';
import type { ResultsStore } from '../../src/results/resultsStore';
import { resultsStore } from '../fixtures/resultsRuns';

/** The ResultsStore the extension inside code-server uses (`<user-data>/User/globalStorage/<ext>/results`). */
export function workbenchResultsStore(settingsFile: string): ResultsStore {
  return resultsStore(join(dirname(settingsFile), 'globalStorage', EXTENSION_ID.toLowerCase(), 'results'));
}

/** The workspace folder code-server opened (from the workbench URL). */
export function workspaceFolder(url: string): string {
  const folder = new URL(url).searchParams.get('folder');
  if (!folder) {
    throw new Error(`No folder in ${url}`);
  }
  return folder;
}

/** The document inside the newest webview (two nested iframes). */
export function webview(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').last().contentFrame().frameLocator('#active-frame');
}

/** F1, retried from the status bar when a focused webview kept the key. */
async function openPalette(page: Page): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  try {
    await input.waitFor({ timeout: 5_000 });
  } catch {
    await page.locator('#workbench\\.parts\\.statusbar').click({ position: { x: 600, y: 10 } });
    await page.keyboard.press('F1');
    await input.waitFor();
  }
}

/** The extension is registered once its activity bar container shows (a fresh workbench takes a while). */
export async function waitForExtension(page: Page): Promise<void> {
  await page.locator('.activitybar .action-item a[aria-label^="Genesys Cloud"]').waitFor({ timeout: 90_000 });
}

/** "Genesys Cloud: Open Results", then the run picked by its id in the QuickPick. */
export async function openResults(page: Page, runId: string): Promise<FrameLocator> {
  // Clicks the palette row itself: on a fresh workbench the list may still be filtering when Enter
  // would be pressed, and "Search Editor: Open Results in Editor" matches the text too.
  await openPalette(page);
  await page.locator('.quick-input-widget input').fill('>Genesys Cloud: Open Results');
  await page.locator('.quick-input-list .monaco-list-row:visible[aria-label^="Genesys Cloud: Open Results"]').first().click();
  // The run picker (not the palette it replaced): its title, then the run's row once filtered by id.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open Results' }).waitFor();
  await page.locator('.quick-input-widget input').fill(runId);
  await page.locator('.quick-input-list .monaco-list-row:visible', { hasText: runId }).first().waitFor();
  await page.keyboard.press('Enter');
  const frame = webview(page);
  await frame.locator('.grid-spacer > .grid-row:not(.pending):not([hidden]) .cell').first().waitFor({ timeout: 60_000 });
  return frame;
}

/** The little of the DOM these helpers touch (the test tsconfig has no DOM lib). */
export interface DomNode {
  readonly children: ArrayLike<DomNode> & Iterable<DomNode>;
  readonly textContent: string | null;
  readonly dataset: Record<string, string | undefined>;
  querySelectorAll(selector: string): ArrayLike<DomNode> & Iterable<DomNode>;
}

/** Text of every cell of one column among the rendered rows, in row order. */
export async function columnTexts(frame: FrameLocator, columnIndex: number): Promise<string[]> {
  return frame.locator('.grid-spacer').evaluate((spacer: unknown, col: number) => {
    const rows = [...(spacer as DomNode).querySelectorAll('.grid-row:not([hidden])')].sort((a, b) => Number(a.dataset.row) - Number(b.dataset.row));
    return rows.map((r) => r.children[col]?.textContent ?? '');
  }, columnIndex);
}

export async function headerIndex(frame: FrameLocator, columnId: string): Promise<number> {
  return frame.locator('.grid-header-row').evaluate((row: unknown, id: string) => [...(row as DomNode).children].findIndex((c) => c.dataset.col === id), columnId);
}

/** h:mm:ss → seconds. */
export function seconds(text: string): number {
  const [h, m, s] = text.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

export async function closeAllEditors(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await openPalette(page);
  await page.locator('.quick-input-widget input').fill('>View: Close All Editors');
  await page.locator('.quick-input-list .monaco-list-row:visible[aria-label^="View: Close All Editors"]').first().click();
  // "Open as JSON" leaves an untitled document: answer the save prompt.
  const dontSave = page.locator('.monaco-dialog-box').getByRole('button', { name: "Don't Save" });
  await dontSave.click({ timeout: 2_000 }).catch(() => undefined);
  await page.locator('iframe.webview.ready').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}
