/** inPool: a few at a time; after a failure nothing more starts, and it rejects only once the work in flight has ended. */
import { inPool } from '../../grader/lib/pool';

test('at most `size` at a time, every item once, in order of start', async () => {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  await inPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    started.push(n);
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 5 + (n % 3)));
    running--;
  });
  expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(most).toBe(3);
});

test('a failure: no item starts after it, and the pool rejects after the item in flight has ended', async () => {
  const events: string[] = [];
  const done = inPool(['fails', 'slow', 'never', 'never either'], 2, async (item) => {
    events.push(`start ${item}`);
    if (item === 'fails') throw new Error('disk full');
    await new Promise((r) => setTimeout(r, 30));
    events.push(`end ${item}`);
  });
  await expect(done).rejects.toThrow('disk full');
  events.push('rejected');
  expect(events).toEqual(['start fails', 'start slow', 'end slow', 'rejected']);
});

test('it rejects with the first failure in time, not the first lane\'s', async () => {
  const done = inPool(['late', 'early'], 2, async (item) => {
    await new Promise((r) => setTimeout(r, item === 'late' ? 40 : 5));
    throw new Error(item);
  });
  await expect(done).rejects.toThrow('early');
});
