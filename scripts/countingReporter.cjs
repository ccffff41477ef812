// Mocha reporter: the usual spec output, plus a JSON summary written (then renamed, so readers never
// see half a file) to $TEST_RESULT_FILE for scripts/test.mjs to add into the closing "N passed, N failed".
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    let passed = 0;
    let pending = 0;
    runner.on('pass', () => passed++);
    runner.on('pending', () => pending++);
    runner.on('fail', (test, err) => failures.push({ title: test.fullTitle(), error: String((err && err.message) || err) }));
    runner.once('end', () => {
      const file = process.env.TEST_RESULT_FILE;
      if (!file) {
        return;
      }
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ passed, failed: failures.length, pending, failures }, null, 2));
      fs.renameSync(tmp, file);
    });
  }
}

module.exports = CountingReporter;
