import t from 'tap';
import { readEach, STATUS_READS_AT_ONCE } from '../../src/kernel/status-reads.js';

/** Reads that finish only when the test says so, counting how many are open at once. */
function heldReads() {
  const waiting: Array<() => void> = [];
  let open = 0;
  let mostOpen = 0;
  const read = (item: number) =>
    new Promise<string>((resolve) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      waiting.push(() => {
        open--;
        resolve(`state of ${item}`);
      });
    });
  const settle = async () => {
    // Each finished read lets the next queued one start on a later microtask.
    for (let turn = 0; turn < 1000 && (waiting.length > 0 || open > 0); turn++) {
      waiting.splice(0).forEach((finish) => finish());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { read, settle, mostOpen: () => mostOpen, waiting };
}

t.test('twenty reads run at most STATUS_READS_AT_ONCE at a time, and answer in order', async (t) => {
  const reads = heldReads();
  const items = Array.from({ length: 20 }, (_, i) => i);
  const answer = readEach(items, reads.read);
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(reads.waiting.length, STATUS_READS_AT_ONCE, 'the first batch is in flight together, the rest wait');
  await reads.settle();
  t.same(await answer, items.map((i) => `state of ${i}`));
  t.equal(reads.mostOpen(), STATUS_READS_AT_ONCE, 'never more in flight than the bound');
});

t.test('a few reads all start at once; none means no read at all', async (t) => {
  const reads = heldReads();
  const answer = readEach([1, 2, 3], reads.read);
  t.equal(reads.waiting.length, 3);
  await reads.settle();
  t.same(await answer, ['state of 1', 'state of 2', 'state of 3']);
  let called = false;
  t.same(await readEach([], async () => (called = true)), []);
  t.notOk(called);
});

t.test('a failed read fails the whole step', async (t) => {
  const items = Array.from({ length: 12 }, (_, i) => i);
  await t.rejects(readEach(items, async (i) => { if (i === 10) throw new Error('GROUP_NOT_FOUND'); return i; }), /GROUP_NOT_FOUND/);
});
