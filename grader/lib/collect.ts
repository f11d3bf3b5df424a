/**
 * A full collection, caches included: V8's last-resort one, the collection it runs before giving
 * up on memory. Only it frees what a jest run leaves behind in a batch worker, and shrinks a
 * renderer's young generation back after a burst of figures (their callers say why and when).
 * Needs `gc` exposed (--expose-gc); without it, does nothing and says so. Where V8 has no
 * last-resort flavour, the option is ignored and the collection is an ordinary full one.
 */
export function collectEverything(): boolean {
  const gc = (globalThis as { gc?: (options?: object) => unknown }).gc;
  if (typeof gc !== 'function') return false;
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return true;
}
