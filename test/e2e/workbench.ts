// Helpers to drive the VS Code workbench served by code-server (see scripts/harness/runE2e.mjs).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export interface E2eEnv {
  /** Workbench URL with the workspace folder, e.g. http://127.0.0.1:PORT/?folder=/abs/path */
  url: string;
  /** The code-server user settings file; tests set the colour theme in it before loading the page. */
  settingsFile: string;
  screenshotDir: string;
}

export function e2eEnv(): E2eEnv {
  const url = process.env.E2E_URL;
  const settingsFile = process.env.E2E_SETTINGS_FILE;
  if (!url || !settingsFile) {
    throw new Error('Run the e2e tests through scripts/harness/runE2e.mjs (E2E_URL and E2E_SETTINGS_FILE are not set)');
  }
  const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? join(process.cwd(), 'test-results', 'screenshots');
  mkdirSync(screenshotDir, { recursive: true });
  return { url, settingsFile, screenshotDir };
}

export function setUserSetting(settingsFile: string, key: string, value: unknown): void {
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  settings[key] = value;
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
}

/** The flags the harness uses too (scripts/harness/chromium.json). */
function chromiumArgs(): string[] {
  const file = join(__dirname, '..', '..', '..', 'scripts', 'harness', 'chromium.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { args: string[] }).args;
}

/** Debian's Chromium, headless, fresh profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    args: chromiumArgs(),
  });
}

/** Opens the workbench and waits until the extension host is up (the status bar has items). */
export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20_000);
  await page.goto(url, { timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor();
  return page;
}

/** F1, type `>Category: Title`, Enter. */
export async function runCommand(page: Page, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${label}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label.split(': ').pop() ?? label }).first().waitFor();
  await page.keyboard.press('Enter');
}

export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notification-toast', { hasText: text });
}

/**
 * Hovers `target` until a hover or tooltip with `text` shows. The workbench drops a hover that starts while
 * it is busy (a tree refresh, a closing menu) and waits for the mouse to move again, so one hover can
 * wait forever on a slow machine: move away and hover again, within one deadline.
 */
export async function hoverFor(page: Page, target: Locator, text: string | RegExp, timeoutMs = 40_000): Promise<void> {
  const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: text }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await target.hover();
    try {
      await tooltip.waitFor({ timeout: Math.min(8_000, Math.max(1, deadline - Date.now())) });
      return;
    } catch (err) {
      if (Date.now() >= deadline) {
        throw err;
      }
    }
    await page.mouse.move(0, 0);
  }
}

/** Waits (bounded) until no view shows a progress bar, so screenshots show settled UI. */
export async function settle(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.locator('.monaco-progress-container.active:visible').first().waitFor({ state: 'detached', timeout: timeoutMs }).catch(() => undefined);
  await page.waitForTimeout(300);
}

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  await settle(page);
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
