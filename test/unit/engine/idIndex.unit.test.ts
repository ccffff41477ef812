import * as assert from 'node:assert/strict';
import { hashId, IdIndex } from '../../../src/results/idIndex';

describe('engine / idIndex', () => {
  it('finds every added id among its candidates, across growth', () => {
    const index = new IdIndex(16);
    const ids = Array.from({ length: 50_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    ids.forEach((id, row) => index.add(id, row));
    assert.equal(index.size, ids.length);
    ids.forEach((id, row) => assert.ok(index.candidates(id).includes(row), id));
    const strangers = Array.from({ length: 50_000 }, (_, i) => `ffffffff-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const falseCandidates = strangers.reduce((n, id) => n + index.candidates(id).length, 0);
    assert.ok(falseCandidates < 5, `${falseCandidates} hash clashes`);
  });

  it('keeps colliding hashes apart (the caller confirms by row)', () => {
    const index = new IdIndex();
    index.add('a', 1);
    index.add('a', 2);
    assert.deepEqual(index.candidates('a').sort(), [1, 2]);
    assert.equal(hashId('a'), hashId('a'));
    assert.notEqual(hashId('a'), hashId('b'));
  });
});
