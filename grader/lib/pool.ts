/** Runs async work over a list, a few at a time. */

/** Runs `work` over `items`, at most `size` at a time, in order of start. */
export async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    // After a failure no item is started, and the pool rejects only once every lane has ended:
    // the caller's cleanup (a scratch folder removed) never runs under work still in flight.
    while (!failed && next < items.length) {
      try {
        await work(items[next++]);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const ended = await Promise.allSettled(Array.from({ length: Math.min(size, items.length) }, lane));
  const first = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
  if (first) throw first.reason;
}
