// Mocha entry that runs inside the VS Code extension host. The same entry serves the code-server
// harness (scripts/harness/runIntegration.mjs) and @vscode/test-electron (scripts/harness/runDesktop.mjs).
// It writes { passed, failed, pending, failures } to $TEST_RESULT_FILE (tmp file, then rename).
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface Failure {
  title: string;
  error: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, slow: 5_000, forbidOnly: true });
  // The spec reporter's format strings arrive unformatted in the browser console that code-server
  // forwards extension-host output to, so report one plain line per test instead.
  mocha.reporter(Mocha.reporters.Base);
  const dir = __dirname;
  const grep = process.env.INTEGRATION_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (file.endsWith('.integration.test.js')) {
      mocha.addFile(join(dir, file));
    }
  }

  return new Promise((resolve, reject) => {
    const failures: Failure[] = [];
    let passed = 0;
    let pending = 0;
    try {
      const runner = mocha.run(() => {
        writeResult({ passed, failed: failures.length, pending, failures });
        console.log(`[integration] ${passed} passing, ${failures.length} failing, ${pending} pending`);
        if (failures.length > 0) {
          reject(new Error(`${failures.length} integration test(s) failed`));
        } else {
          resolve();
        }
      });
      runner.on('pass', (test) => {
        passed++;
        console.log(`[integration] ✔ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
      });
      runner.on('pending', (test) => {
        pending++;
        console.log(`[integration] - ${test.fullTitle()} (pending)`);
      });
      runner.on('fail', (test, err: unknown) => {
        const error = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
        failures.push({ title: test.fullTitle(), error });
        // Visible in the harness output (forwarded from the page console) even when the reporter's is not.
        console.error(`[integration] ✘ ${test.fullTitle()}: ${err instanceof Error ? err.message : String(err)}`);
      });
    } catch (err) {
      writeResult({ passed, failed: 1, pending, failures: [{ title: 'loading the integration suites', error: String(err) }] });
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

function writeResult(result: { passed: number; failed: number; pending: number; failures: Failure[] }): void {
  const file = process.env.TEST_RESULT_FILE;
  if (!file) {
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result, null, 2));
  renameSync(tmp, file);
}
