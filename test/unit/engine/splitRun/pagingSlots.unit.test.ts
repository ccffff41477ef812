import * as assert from 'node:assert/strict';
import { CancelledError } from '../../../../src/common/cancellation';
import { PagingSlots } from '../../../../src/jobs/splitRun/pagingSlots';

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('engine / split run: paging slots', () => {
  it('lets `limit` page at once and serves the others in the order they asked', async () => {
    const slots = new PagingSlots(2);
    const granted: number[] = [];
    const releases = new Map<number, () => void>();
    for (const n of [1, 2, 3, 4]) {
      void slots.acquire().then((release) => {
        granted.push(n);
        releases.set(n, release);
      });
    }
    await settle();
    assert.deepEqual(granted, [1, 2]);
    releases.get(2)!();
    releases.get(2)!(); // a second release frees nothing more
    await settle();
    assert.deepEqual(granted, [1, 2, 3]);
    assert.equal(slots.busy, 2);
  });

  it('follows a limit that grows or shrinks (the concurrency policy)', async () => {
    const slots = new PagingSlots(1);
    const granted: number[] = [];
    const releases: (() => void)[] = [];
    for (const n of [1, 2, 3, 4]) {
      void slots.acquire().then((release) => {
        granted.push(n);
        releases.push(release);
      });
    }
    await settle();
    slots.setLimit(3);
    await settle();
    assert.deepEqual(granted, [1, 2, 3]);
    slots.setLimit(1);
    releases[0]!();
    releases[1]!();
    await settle();
    assert.deepEqual(granted, [1, 2, 3], 'still one busy: no room under the lower limit');
    releases[2]!();
    await settle();
    assert.deepEqual(granted, [1, 2, 3, 4]);
  });

  it('lets a waiter whose run is cancelled leave the queue with CancelledError', async () => {
    const slots = new PagingSlots(1);
    const first = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    const after: number[] = [];
    void slots.acquire().then(() => after.push(3));
    controller.abort();
    await assert.rejects(waiting, CancelledError);
    first();
    await settle();
    assert.deepEqual(after, [3], 'the cancelled waiter took no slot');
    await assert.rejects(slots.acquire(controller.signal), CancelledError);
  });
});
