/** Runs async work over a list, a few at a time. */

/** Runs `work` over `items`, at most `size` at a time, in order of start. */
export async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  // The first failure in time (the caller tells a full disk from a fault of its own by it).
  let failure: { err: unknown } | undefined;
  const lane = async (): Promise<void> => {
    // After a failure no item is started, and the pool rejects only once every lane has ended:
    // the caller's cleanup (a scratch folder removed) never runs under work still in flight.
    while (!failure && next < items.length) {
      try {
        await work(items[next++]);
      } catch (err) {
        failure ??= { err };
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
  if (failure) throw failure.err;
}
