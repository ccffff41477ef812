// Extra `npm test` stages, loaded by scripts/test.mjs after the unit tests: the tools install through npm
// (as a newcomer's `npm test` runs it), the integration suites in a real VS Code extension host and the
// end-to-end UI tests, both in code-server driven by Chromium.
// Each writes the same { passed, failed, failures } result file, added into the closing line.
import { join } from 'node:path';

const harness = (root, name) => join(root, 'scripts', 'harness', name);

export const stages = [
  {
    // The newcomer's path: the installer through npm (as `npm start` / `npm test` run it), then a check
    // that its nested npm install does not inherit the outer npm's configuration.
    group: 'tools',
    run: async ({ root, suite, check }) => {
      const install = await check('tools-install', 'npm', ['run', 'tools']);
      const env = await suite('tools', join(root, 'node_modules', '.bin', 'mocha'), ['--config', '.mocharc.tools.json']);
      return { name: 'tools', passed: install.passed + env.passed, failed: install.failed + env.failed };
    },
  },
  {
    group: 'integration',
    run: ({ root, suite }) => suite('integration', process.execPath, [harness(root, 'runIntegration.mjs')]),
  },
  {
    group: 'e2e',
    run: ({ root, suite }) => suite('e2e', process.execPath, [harness(root, 'runE2e.mjs')]),
  },
];
