// Extra `npm test` stages, loaded by scripts/test.mjs after the unit tests: the integration suites in
// a real VS Code extension host and the end-to-end UI tests, both in code-server driven by Chromium.
// Each writes the same { passed, failed, failures } result file, added into the closing line.
import { join } from 'node:path';

const harness = (root, name) => join(root, 'scripts', 'harness', name);

export const stages = [
  {
    group: 'integration',
    run: ({ root, suite }) => suite('integration', process.execPath, [harness(root, 'runIntegration.mjs')]),
  },
  {
    group: 'e2e',
    run: ({ root, suite }) => suite('e2e', process.execPath, [harness(root, 'runE2e.mjs')]),
  },
];
