// Results webview benchmark: the real webview bundle (media/dist) in headless Chromium, fed by the real
// host session (ResultsSession over a DuckDB ResultsView of a sandbox job run) through a postMessage bridge
// that stands in for VS Code's webview transport. Prints: open → first rows, scroll frame times (p50/p95)
// during a fling in continuous mode, JS heap after the fling. Run with `npm run bench -- --only webview`
// (options: --conversations N, --grain segment, --bundle DIR, --engine process|inline, --json). The view lives
// in the results engine's own process as in the product (`--engine inline`: in this process, until
// 3 December). Numbers, not assertions: targets live here.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { openResultsView } from '../../src/results/view';
import { ResultsEngineProcess } from '../../src/results/viewProcess/viewProcess';
import type { Grain } from '../../src/results/view/viewTypes';
import type { HostMessage, WebviewMessage } from '../../src/shared/protocol';
import { defaultViewState, PROTOCOL_VERSION } from '../../src/shared/protocol';
import { ResultsSession, runStatusOf } from '../../src/vscode/results/resultsSession';
import { makeTempDir } from '../fakes/tempDir';
import { jobRun, resultsStore, startResultsSandbox } from '../fixtures/resultsRuns';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function main(): Promise<void> {
  const conversations = Number(arg('conversations', '20000'));
  const grain = arg('grain', 'segment') as Grain;
  const root = join(__dirname, '..', '..', '..');
  // --bundle DIR[,DIR]: builds' webview.js/webview.css to measure one after the other (e.g. the one before
  // a change, then this one) over the same host and data; default: this build (media/dist).
  const bundles = arg('bundle', join(root, 'media', 'dist')).split(',');
  const tmp = makeTempDir('gca-webview-bench-');
  const cleanup: Array<() => void> = [];
  const sandbox = await startResultsSandbox({ conversations, days: 7 });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const store = resultsStore(tmp.path);
    const outcome = await jobRun(sandbox, store, 1000);
    const engine = arg('engine', 'process') === 'process' ? new ResultsEngineProcess() : undefined;
    cleanup.push(() => engine?.dispose());
    const view = engine ? await engine.openView(store.runDir(outcome.runId)) : await openResultsView(store.runDir(outcome.runId));
    // The finer grains are indexed on first use (then kept in view.duckdb): timed apart from opening the
    // webview, which is what a user does again and again.
    const grainStarted = Date.now();
    await view.count({ grain, sort: [], filters: [] });
    const grainLoadMs = Date.now() - grainStarted;
    const session = new ResultsSession({ view });
    const manifest = await store.readManifest(outcome.runId);
    if (!manifest) {
      throw new Error('no manifest');
    }
    const initState = { ...defaultViewState(outcome.runId), grain, mode: 'scroll' as const };
    const measure = async (bundle: string): Promise<void> => {
      let started = Date.now();
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      // Page-side code is passed as strings: this tsconfig has no DOM types.
      const send = (m: HostMessage): Promise<void> => page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
      // Where the time to first rows goes: the first request of each kind, its host time, and when it was answered.
      const timeline: string[] = [];
      const mark = (what: string): number => timeline.push(`${what} +${Date.now() - started}`);
      await page.exposeFunction('__toHost', async (msg: WebviewMessage | { type: 'bench-ping' }) => {
        if (msg.type === 'bench-ping') {
          await page.evaluate(`window.postMessage({ type: 'bench-pong' }, '*')`);
        } else if (msg.type === 'ready') {
          mark('ready');
          await send({ type: 'init', protocol: PROTOCOL_VERSION, state: initState, status: runStatusOf(manifest, 0), columns: await session.columns(grain) });
        } else if (msg.type === 'request') {
          const first = !timeline.some((t) => t.startsWith(`${msg.kind} `));
          const asked = Date.now();
          const response = await session.handle(msg);
          if (first) {
            mark(`${msg.kind} (host ${Date.now() - asked} ms) answered`);
          }
          await send(response);
        }
      });
      const css = readFileSync(join(bundle, 'webview.css'), 'utf8').replace(/url\([^)]*\)/g, 'none');
      await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><div id="root" class="results-root"></div></body></html>`);
      await page.evaluate(`window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(m), getState: () => window.__state, setState: (s) => (window.__state = s) })`);
      // First rows are timed in the page: the frame after row 0 is filled (a MutationObserver sees it at once;
      // Playwright's own waitFor polls every 100 ms, which would add up to that much to the figure).
      await page.evaluate(`(() => {
        const seen = () => document.querySelector('.grid-row[data-row="0"]:not(.pending)');
        new MutationObserver((_, observer) => {
          if (seen()) {
            observer.disconnect();
            requestAnimationFrame(() => (window.__firstRowsAt = performance.now()));
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      })()`);
      // --profile-open FILE: a CPU profile of the webview from loading its script to the first rows.
      const openProfile = arg('profile-open', '');
      const openCdp = openProfile ? await page.context().newCDPSession(page) : undefined;
      if (openCdp) {
        await openCdp.send('Profiler.enable');
        await openCdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await openCdp.send('Profiler.start');
        await browser.startTracing(page, { path: `${openProfile}.trace.json`, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      }
      started = Date.now();
      const pageStarted = (await page.evaluate('performance.now()')) as number;
      // As the panel does (ResultsPanel._openEarly): the first window is run while the page loads its script.
      void session.warm(initState);
      await page.addScriptTag({ content: readFileSync(join(bundle, 'webview.js'), 'utf8') });
      await page.waitForFunction('window.__firstRowsAt !== undefined', undefined, { timeout: 120_000 });
      const firstRowsMs = Math.round(((await page.evaluate('window.__firstRowsAt')) as number) - pageStarted);
      if (openCdp) {
        await browser.stopTracing();
        const { profile } = (await openCdp.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(openProfile, JSON.stringify(profile));
      }
      const total = await page.locator('.pager-label').textContent();
      // This bridge (a CDP binding one way, a CDP evaluate back) stands in for VS Code's postMessage: one
      // round trip of it, timed the same way, says how much of "open → first rows" (three sequential
      // round trips: init, columns, window) is the bench's transport rather than the table.
      const roundTrips = (await page.evaluate(`(async () => {
        const times = [];
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          await new Promise((resolve) => {
            const on = (e) => { if (e.data && e.data.type === 'bench-pong') { window.removeEventListener('message', on); resolve(); } };
            window.addEventListener('message', on);
            window.__toHost({ type: 'bench-ping' });
          });
          times.push(performance.now() - t0);
        }
        return times;
      })()`)) as number[];

      // Frame times while flinging: one wheel notch per frame for ~2 s.
      const box = await page.locator('.grid-body').boundingBox();
      await page.mouse.move((box?.x ?? 0) + 200, (box?.y ?? 0) + 200);
      await page.evaluate(`(() => {
        window.__frames = [];
        let last = performance.now();
        const tick = (now) => {
          window.__frames.push(now - last);
          last = now;
          if (window.__frames.length < 400) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      })()`);
      // --profile FILE: a CPU profile of the webview during the fling (open it in Chrome DevTools).
      const profileFile = arg('profile', '');
      const cdp = await page.context().newCDPSession(page);
      if (profileFile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
        await browser.startTracing(page, { path: `${profileFile}.trace.json`, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      }
      for (let i = 0; i < 120; i++) {
        await page.mouse.wheel(0, 2400);
      }
      const frames = (await page.evaluate('window.__frames.slice(1)')) as number[];
      // --shots PREFIX: the fling's last frame (the rows on the canvas), then the same rows once settled (elements).
      const shots = arg('shots', '');
      const shotPair = async (name: string): Promise<string> => {
        const onCanvas = (await page.evaluate("!document.querySelector('.grid-canvas').hidden")) as boolean;
        await page.screenshot({ path: `${shots}-${name}-moving.png` });
        await page.locator('.grid-canvas[hidden]').waitFor({ state: 'attached' });
        await page.locator('.grid-row:not([hidden]):not(.pending)').first().waitFor();
        await page.screenshot({ path: `${shots}-${name}-settled.png` });
        return `${shots}-${name}-{moving,settled}.png (canvas shown: ${onCanvas})`;
      };
      if (shots) {
        const fling = await shotPair('fling');
        // A short fling inside the loaded window: its text on the canvas, then as elements.
        for (let i = 0; i < 3; i++) {
          await page.mouse.wheel(0, 480);
        }
        console.log(`screenshots ${fling}, ${await shotPair('short')}`);
      }
      await page.locator('.grid-row:not([hidden]):not(.pending)').first().waitFor();
      if (profileFile) {
        await browser.stopTracing();
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(profileFile, JSON.stringify(profile));
      }
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      const domNodes = (await page.evaluate("document.getElementsByTagName('*').length")) as number;
      // How wide a row is against the viewport: cells beyond the right edge are filled but never seen.
      const rowShape = (await page.evaluate(`(() => { const r = document.querySelector('.grid-row[data-row]'); return r ? r.children.length + ' cells, ' + Math.round(r.scrollWidth) + ' px in ' + document.querySelector('.grid-body').clientWidth + ' px' : ''; })()`)) as string;
      const result = {
        bundle,
        conversations: outcome.rowCount,
        grain,
        rows: total,
        loadAverage: loadavg().map((l) => l.toFixed(1)).join(' '),
        grainFirstIndexMs: grainLoadMs,
        openToFirstRowsMs: firstRowsMs,
        firstRowsTimeline: timeline.join(', '),
        bridgeRoundTripMs: Number(percentile(roundTrips, 50).toFixed(1)),
        flingFrames: frames.length,
        frameP50Ms: Number(percentile(frames, 50).toFixed(1)),
        frameP95Ms: Number(percentile(frames, 95).toFixed(1)),
        // Frame intervals come in vsyncs (16.7 ms): the share that missed one says more than p95's step.
        missedVsyncPct: Number(((100 * frames.filter((f) => f > 20).length) / Math.max(1, frames.length)).toFixed(1)),
        heapMB: Number((heap.usedSize / 1024 / 1024).toFixed(1)),
        domNodes,
        rowShape,
      };
      if (process.argv.includes('--json')) {
        console.log(JSON.stringify(result));
      } else {
        console.log('\nResults webview (real bundle, headless Chromium, DuckDB view over a sandbox job run)');
        for (const [k, v] of Object.entries(result)) {
          console.log(`  ${k.padEnd(20)} ${String(v)}`);
        }
      }
      await page.close();
    };
    for (const b of bundles) {
      await measure(b);
    }
    session.dispose();
    await view.close();
  } finally {
    cleanup.forEach((fn) => fn());
    await browser.close();
    await sandbox.close();
    tmp.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
