#!/usr/bin/env node
// The same integration suites in desktop VS Code, via @vscode/test-electron, for machines that can
// download VS Code (a laptop, public CI). Not part of `npm test` here: this machine cannot reach
// update.code.visualstudio.com (it fails with ENOTFOUND). Usage: npm run test:desktop
// Env: VSCODE_VERSION (default "stable"), TEST_RESULT_FILE.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = resolve(import.meta.dirname, '..', '..');
const resultFile = process.env.TEST_RESULT_FILE ?? join(root, 'test-results', 'integration-desktop.json');
mkdirSync(join(root, 'test-results'), { recursive: true });

try {
  const code = await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out', 'test', 'integration', 'index'),
    extensionTestsEnv: { TEST_RESULT_FILE: resultFile },
    launchArgs: [
      join(root, 'test', 'integration', 'fixtures', 'workspace'),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
  });
  process.exit(code);
} catch (err) {
  console.error('[desktop] integration tests failed to run:', err instanceof Error ? err.message : err);
  process.exit(1);
}
