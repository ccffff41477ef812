import * as assert from 'node:assert/strict';
import { checkQueryFile } from '../../../src/queryFiles/checkQueryFile';
import { MALFORMED, TRUNCATED_HUGE } from '../../fixtures/queryFiles/malformedCorpus';

describe('malformed query files: each gets a clear diagnostic on the right range', () => {
  for (const c of [...MALFORMED, TRUNCATED_HUGE]) {
    it(c.name, () => {
      const r = checkQueryFile(c.text, { now: new Date('2026-03-30T10:00:00Z'), timeZone: 'UTC' });
      assert.equal(r.parsed, undefined, 'nothing to send');
      const first = r.problems.find((p) => p.severity === 'error');
      assert.ok(first, 'an error');
      assert.equal(first.code, c.code, first.message);
      if (c !== TRUNCATED_HUGE) {
        assert.equal(c.text.slice(first.offset, first.offset + first.length), c.range);
      } else {
        assert.ok(first.offset > c.text.length - 100, `at the end (${first.offset} of ${c.text.length})`);
      }
      assert.match(first.message, c.message);
    });
  }
});
