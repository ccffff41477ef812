import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Sandbox } from '../../src/sandbox';
import { HOSTILE, hostileRun, jobRun, largeRun, startResultsSandbox } from '../fixtures/resultsRuns';
import type { DomNode } from './results';
import { waitForExtension, closeAllEditors, columnTexts, headerIndex, openResults, seconds, webview, workbenchResultsStore, workspaceFolder } from './results';
import { e2eEnv, launchChromium, notification, openWorkbench, screenshot, setUserSetting } from './workbench';

const themes = [
  { name: 'dark', id: 'Default Dark Modern', full: true },
  { name: 'light', id: 'Default Light Modern', full: false },
  // High contrast: borders and focus outlines instead of fills; checked by looking at the screenshots.
  { name: 'hc-dark', id: 'Default High Contrast', full: false },
  { name: 'hc-light', id: 'Default High Contrast Light', full: false },
] as const;

/** Conversations in the run whose load into the table is watched (about 3 s at 10 s per 100k). */
const LARGE_RUN = 30_000;
/** Themes whose loading state is screenshotted. */
const LOADING_THEMES: readonly string[] = ['dark', 'light'];

describe('results table runs', function () {
  this.timeout(120_000);
  const env = e2eEnv();
  const store = workbenchResultsStore(env.settingsFile);
  let sandbox: Sandbox;
  const runs: { main?: string; rows?: number; hostile?: string; expired?: string; large: Record<string, string> } = { large: {} };

  before(async () => {
    sandbox = await startResultsSandbox({ conversations: 3000 });
    const outcome = await jobRun(sandbox, store);
    runs.main = outcome.runId;
    runs.rows = outcome.rowCount;
    runs.hostile = await hostileRun(store);
    // A job whose results expired after the first page: partial, with a Re-fetch offer.
    const expired = await hostileRun(store);
    const writer = await store.openWriter(expired);
    await writer.update({ state: 'EXPIRED', partial: true, warnings: [] });
    await writer.close();
    runs.expired = expired;
    // Loads into the table for some seconds: the loading state can be seen (once per theme that looks at it,
    // since a run loaded once opens loaded).
    for (const theme of LOADING_THEMES) {
      runs.large[theme] = await largeRun(store, LARGE_RUN);
    }
  });

  after(async () => {
    await sandbox?.close();
  });

  for (const theme of themes) {
    describe(`results table (${theme.id})`, () => {
      let browser: Browser;
      let page: Page;
      const dialogs: string[] = [];
      const requests: string[] = [];
      // The light theme repeats only the views worth a screenshot; behaviour is checked once, in dark.
      const itFull = (title: string, fn: () => Promise<void>): void => {
        if (theme.full) {
          it(title, fn);
        }
      };
      const shot = (name: string) => screenshot(page, env.screenshotDir, `${theme.name}-results-${name}`);

      before(async () => {
        setUserSetting(env.settingsFile, 'workbench.colorTheme', theme.id);
        browser = await launchChromium();
        page = await openWorkbench(browser, env.url);
        await waitForExtension(page);
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        page.on('request', (r) => requests.push(r.url()));
      });

      // Every test starts from a fresh panel (default view state) whatever the previous one left.
      afterEach(async function () {
        if (this.currentTest?.state === 'failed') {
          await page.screenshot({ path: join(env.screenshotDir, `${theme.name}-results-FAILED-${(this.currentTest.title ?? '').slice(0, 40).replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
        }
        await closeAllEditors(page).catch(() => undefined);
      });

      after(async () => {
        await browser?.close();
      });

      it('opens a run from the palette in the pager: first page, page label, rows per page', async () => {
        const frame = await openResults(page, runs.main as string);
        const total = runs.rows as number;
        const pages = Math.ceil(total / 100);
        await frame.locator('.pager-label', { hasText: `Page 1 of ${pages} · rows 1–100 of ${total.toLocaleString('en-US')}` }).waitFor();
        assert.equal(await frame.locator('[role="grid"] [role="columnheader"]').first().textContent(), 'Conversation ID');
        await shot('pager');
        await frame.getByRole('button', { name: 'Next page' }).click();
        await frame.locator('.pager-label', { hasText: 'Page 2 of' }).waitFor();
        await frame.locator('.grid-spacer > .grid-row[data-row="100"]:not(.pending)').waitFor();
        const input = frame.getByRole('spinbutton', { name: 'Go to page' });
        await input.fill('5');
        await input.press('Enter');
        await frame.locator('.pager-label', { hasText: `Page 5 of ${pages} · rows 401–500` }).waitFor();
        await frame.getByRole('button', { name: 'Last page' }).click();
        await frame.locator('.pager-label', { hasText: `Page ${pages} of ${pages}` }).waitFor();
        await frame.getByRole('combobox', { name: 'Rows per page' }).selectOption('25');
        await frame.locator('.pager-label', { hasText: `of ${Math.ceil(total / 25)}` }).waitFor();
        await frame.getByRole('button', { name: 'First page' }).click();
        await frame.locator('.pager-label', { hasText: 'Page 1 of' }).waitFor();
      });

      itFull('sorts by a header click (Shift+click adds a second key) and filters from the distinct values', async () => {
        const frame = await openResults(page, runs.main as string);
        const durationHeader = frame.locator('.hcell[data-col="duration"]');
        await durationHeader.locator('.hcell-label').click();
        await frame.locator('.hcell[data-col="duration"][aria-sort="ascending"]').waitFor();
        await durationHeader.locator('.hcell-label').click();
        await frame.locator('.hcell[data-col="duration"][aria-sort="descending"]').waitFor();
        const col = await headerIndex(frame, 'duration');
        await frame.locator('.grid-spacer > .grid-row[data-row="0"]:not(.pending)').waitFor();
        const values = (await columnTexts(frame, col)).filter((t) => t !== '').map(seconds);
        assert.ok(values.length > 10);
        assert.deepEqual(values, [...values].sort((a, b) => b - a), 'descending durations');
        await frame.locator('.hcell[data-col="mediaType"] .hcell-label').click({ modifiers: ['Shift'] });
        await frame.locator('.hcell[data-col="mediaType"] .sort-index', { hasText: '2' }).waitFor();

        await frame.locator('.hcell[data-col="originatingDirection"] [data-action="filter"]').click();
        const popup = frame.locator('.popup .filter-popup');
        await popup.locator('.distinct-item').first().waitFor();
        await shot('filter-popup');
        const inbound = popup.locator('.distinct-item', { hasText: 'inbound' });
        const count = Number((await inbound.locator('.distinct-count').textContent())?.replace(/,/g, ''));
        await inbound.click();
        await frame.locator('.pager-label', { hasText: `of ${count.toLocaleString('en-US')}` }).waitFor();
        await frame.locator('.hcell[data-col="originatingDirection"] .hbtn.active').waitFor();
        const dirCol = await headerIndex(frame, 'originatingDirection');
        assert.deepEqual([...new Set(await columnTexts(frame, dirCol))], ['inbound']);
        await frame.getByRole('button', { name: /Clear filters/ }).click();
        await frame.locator('.pager-label', { hasText: `of ${(runs.rows as number).toLocaleString('en-US')}` }).waitFor();
      });

      itFull('changes grain and columns: segments, a hidden column, a column moved by the menu', async () => {
        const frame = await openResults(page, runs.main as string);
        await frame.getByRole('combobox', { name: 'Grain: one row per' }).selectOption('segment');
        await frame.locator('.hcell[data-col="segmentType"], .hcell[data-col="segmentStart"]').first().waitFor();
        await frame.locator('.grid-spacer > .grid-row[data-row="0"]:not(.pending)').waitFor();
        const label = (await frame.locator('.pager-label').textContent()) ?? '';
        const segments = Number(/of ([\d,]+)$/.exec(label)?.[1]?.replace(/,/g, ''));
        assert.ok(segments > (runs.rows as number), `more segments (${segments}) than conversations`);

        await frame.getByRole('button', { name: 'Columns' }).click();
        const chooser = frame.locator('.columns-popup');
        await chooser.waitFor();
        await shot('columns');
        await chooser.getByRole('checkbox', { name: 'Purpose' }).uncheck();
        await chooser.getByRole('checkbox', { name: 'Session ID' }).check();
        await chooser.getByRole('button', { name: 'Apply' }).click();
        await frame.locator('.hcell[data-col="sessionId"]').waitFor();
        assert.equal(await frame.locator('.hcell[data-col="purpose"]').count(), 0);

        await frame.locator('.hcell[data-col="sessionId"]').getByRole('button', { name: 'Session ID column menu' }).click();
        await frame.getByRole('menuitem', { name: 'Move left' }).click();
        const ids = await frame.locator('.grid-header-row .hcell').evaluateAll((cells: unknown[]) => cells.map((c) => (c as DomNode).dataset.col));
        assert.equal(ids.at(-2), 'sessionId');
        await frame.getByRole('combobox', { name: 'Grain: one row per' }).selectOption('conversation');
        await frame.locator('.hcell[data-col="conversationEnd"]').waitFor();
      });

      itFull('fling-scrolls the whole view in continuous mode, loading windows as it goes', async () => {
        const frame = await openResults(page, runs.main as string);
        await frame.getByRole('button', { name: 'Scroll' }).click();
        await frame.locator('.pager-label', { hasText: /^Rows 1–/ }).waitFor();
        const body = frame.locator('.grid-body');
        const box = await body.boundingBox();
        assert.ok(box);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        // While it moves fast the rows are painted on a canvas (src/webview/gridCanvas.ts): seen shown, then hidden.
        await frame.locator('.grid-canvas').evaluate((canvas) => {
          const w = globalThis as unknown as { __canvasShown: boolean; MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void } };
          w.__canvasShown = false;
          new w.MutationObserver(() => (w.__canvasShown ||= !(canvas as { hidden: boolean }).hidden)).observe(canvas, { attributes: true });
        });
        for (let i = 0; i < 40; i++) {
          await page.mouse.wheel(0, 600);
        }
        await frame.locator('.pager-label', { hasText: /^Rows (?!1–)/ }).waitFor();
        await frame.locator('.grid-canvas[hidden]').waitFor({ state: 'attached', timeout: 10_000 });
        assert.equal(await frame.locator('body').evaluate(() => (globalThis as unknown as { __canvasShown: boolean }).__canvasShown), true, 'the fling painted on the canvas');
        // The fling's last canvas frame, kept as a screenshot to look at against the settled rows (theme colours, text).
        const painted = await frame.locator('.grid-canvas').evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());
        writeFileSync(join(env.screenshotDir, `${theme.name}-results-fling-canvas.png`), Buffer.from(painted.split(',')[1] ?? '', 'base64'));
        // Settles with real rows (no placeholders) wherever it stopped.
        await frame.locator('.grid-spacer > .grid-row:not([hidden]):not(.pending)').first().waitFor();
        await page.waitForFunction(() => true);
        await frame.locator('.grid-spacer > .grid-row.pending:not([hidden])').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
        assert.equal(await frame.locator('.grid-spacer > .grid-row.pending:not([hidden])').count(), 0, 'every visible row loaded');
        // End of the view: Ctrl+End from the keyboard (focus the grid by clicking a visible cell).
        const grid = await body.boundingBox();
        await page.mouse.click((grid?.x ?? 0) + 40, (grid?.y ?? 0) + 40);
        await page.keyboard.press('Control+End');
        const total = (runs.rows as number).toLocaleString('en-US');
        await frame.locator('.pager-label', { hasText: new RegExp(`–${total} of ${total}$`) }).waitFor();
        await frame.locator(`.grid-spacer > .grid-row[data-row="${(runs.rows as number) - 1}"]:not(.pending)`).waitFor();
        // Cells beyond the right edge are left empty; a horizontal scroll fills the columns it brings in.
        await body.evaluate((el) => {
          const scroller = el as unknown as { scrollLeft: number; scrollWidth: number };
          scroller.scrollLeft = scroller.scrollWidth;
        });
        const lastColumns = '.grid-spacer > .grid-row:not([hidden]):not(.pending) > .cell:nth-last-child(-n+3)';
        await frame.locator(lastColumns).filter({ hasText: /\S/ }).first().waitFor({ timeout: 10_000 });
        await shot('scroll');
      });

      // Its behaviour is checked in dark; light repeats it for the screenshot of the loading state.
      const itLoading = (title: string, fn: () => Promise<void>): void => {
        if (LOADING_THEMES.includes(theme.name)) {
          it(title, fn);
        }
      };
      itLoading('shows a large run at once while it loads into the table, with a live count, then all of it', async () => {
        const total = LARGE_RUN.toLocaleString('en-US');
        // Watched from the start: the load begins as the panel opens, before its first rows show.
        const banner = webview(page).locator('.banner', { hasText: 'Loading into the table…' });
        const seen = banner.waitFor({ timeout: 60_000 }).then(async () => {
          const text = (await banner.textContent()) ?? '';
          await shot('loading');
          return text;
        });
        seen.catch(() => undefined);
        const frame = await openResults(page, runs.large[theme.name] as string);
        assert.match(await seen, new RegExp(`Loading into the table… [\\d,]+ of ${total} conversations`));
        assert.equal(await frame.locator('.banner', { hasText: 'Fetching' }).count(), 0, 'a finished run is not fetching');
        await banner.waitFor({ state: 'detached', timeout: 90_000 });
        await frame.locator('.pager-label', { hasText: new RegExp(`of ${total}$`) }).waitFor();
      });

      it('opens row details from the keyboard (Enter) and as an untitled JSON editor', async () => {
        const frame = await openResults(page, runs.main as string);
        await frame.locator('.grid-spacer > .grid-row[data-row="2"] .cell').first().click();
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        const details = frame.locator('.details');
        await details.locator('.details-title', { hasText: 'Row 4' }).waitFor();
        await details.locator('.json-key', { hasText: 'conversationId' }).first().waitFor();
        await details.locator('.json-key', { hasText: 'participants' }).first().waitFor();
        await shot('details');
        await details.getByRole('button', { name: 'Open as JSON' }).click();
        await page.locator('.monaco-editor .view-lines', { hasText: '"conversationId"' }).first().waitFor();
      });

      itFull('exports the current view to CSV through the save dialog with a progress notification', async () => {
        const frame = await openResults(page, runs.main as string);
        await frame.getByRole('button', { name: 'Export' }).click();
        await frame.getByRole('menuitem', { name: 'Export view as CSV…' }).click();
        const target = join(workspaceFolder(env.url), `export-${theme.name}.csv`);
        const input = page.locator('.quick-input-widget input');
        await input.waitFor();
        // The simple save dialog fills in its default path a moment after it opens; typing before that is lost.
        const deadline = Date.now() + 20_000;
        while (!(await input.inputValue()).endsWith('.csv')) {
          assert.ok(Date.now() < deadline, 'the save dialog never showed its default file name');
          await page.waitForTimeout(100);
        }
        await input.fill(target);
        await page.keyboard.press('Enter');
        const done = notification(page, /Exported [\d,]+ rows to/);
        await done.waitFor({ timeout: 60_000 });
        assert.ok(existsSync(target), `${target} missing; the notification says: ${await done.innerText()}`);
        const lines = readFileSync(target, 'utf8').trim().split('\n');
        assert.equal(lines.length, (runs.rows as number) + 1, 'a header and every row of the view');
        await shot('exported');
      });

      it('renders hostile strings as inert text: no dialog, no injected element, no request', async () => {
        const frame = await openResults(page, runs.hostile as string);
        await frame.getByRole('combobox', { name: 'Grain: one row per' }).selectOption('participant');
        await frame.locator('.hcell[data-col="participantName"]').waitFor();
        await frame.locator('.grid-spacer > .grid-row[data-row="0"]:not(.pending)').waitFor();
        const col = await headerIndex(frame, 'participantName');
        const shown = await columnTexts(frame, col);
        for (const value of Object.values(HOSTILE)) {
          assert.ok(shown.includes(value), `${value} shown as text (got ${JSON.stringify(shown)})`);
        }
        // Open every surface that shows data: filter values, details.
        await frame.locator('.hcell[data-col="participantName"] [data-action="filter"]').click();
        await frame.locator('.distinct-item').first().waitFor();
        await page.keyboard.press('Escape');
        await frame.locator('.grid-spacer > .grid-row[data-row="0"] .cell').first().click();
        await page.keyboard.press('Enter');
        await frame.locator('.details .json-string', { hasText: 'onerror' }).first().waitFor();
        await shot('hostile');
        const injected = await frame.locator('body').evaluate((body: unknown) => ({
          elements: (body as DomNode).querySelectorAll('img, svg, iframe, script:not([src]), style').length,
          flag: (globalThis as { __xss?: number }).__xss,
        }));
        assert.deepEqual(injected, { elements: 0, flag: undefined });
        assert.deepEqual(dialogs, []);
        assert.deepEqual(
          requests.filter((u) => u.includes('example.invalid') || /\/x$/.test(u)),
          [],
        );
      });

      itFull('keeps working when the results engine process dies under the table: the rows come back from a new one', async () => {
        const frame = await openResults(page, runs.main as string);
        await frame.locator('.grid-spacer > .grid-row[data-row="0"]:not(.pending)').waitFor();
        // The engine of the extension this workbench installed (under the harness's folder, beside the user
        // data that holds the settings file), not another workbench's.
        const harnessDir = dirname(dirname(dirname(env.settingsFile)));
        const script = `${join(harnessDir, 'extensions')}/.*/dist/viewProcessMain.js`;
        const engines = (): number[] => {
          try {
            return execFileSync('pgrep', ['-f', script], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
          } catch {
            return []; // pgrep exits 1 when nothing matches
          }
        };
        // code-server keeps the extension hosts of earlier suites' windows for a while, each with its own
        // engine: all of them go, this window's among them.
        const killed = engines();
        assert.ok(killed.length >= 1, 'an engine process runs the table');
        for (const pid of killed) {
          process.kill(pid, 'SIGKILL');
        }
        // The next rows asked for meet the dead engine; the panel opens a new one and the page asks again.
        await frame.getByRole('button', { name: 'Next page' }).click();
        await frame.locator('.pager-label', { hasText: 'Page 2 of' }).waitFor();
        await frame.locator('.grid-spacer > .grid-row[data-row="100"]:not(.pending)').waitFor({ timeout: 40_000 });
        await frame.locator('.banner.error').waitFor({ state: 'detached', timeout: 40_000 });
        assert.ok(engines().some((pid) => !killed.includes(pid)), 'a new engine process');
        await shot('engine-restarted');
      });

      it('marks a partial, expired run with a banner offering Re-fetch', async () => {
        const frame = await openResults(page, runs.expired as string);
        const banner = frame.locator('.banner.warning', { hasText: 'expired' });
        await banner.waitFor();
        await shot('partial-expired');
        await banner.getByRole('button', { name: 'Re-fetch' }).click();
        // The Query History's re-fetch takes over: this hand-written run belongs to no active connection, so
        // the user is told what to connect to first (a run on the active connection re-submits: journey e2e).
        await notification(page, /Sign in to a Genesys Cloud org|connect to it first|Re-fetch/).first().waitFor();
      });
    });
  }
});
