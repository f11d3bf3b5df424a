/**
 * A part's points shared by its tests, in hundredths, so that the shares add up to the part's
 * points exactly in every format (six tests of 20 points are 3.34 + 3.34 + 3.33 × 4, not six
 * 3.3333… that a platform rounds to 19.9998). Largest remainder: the equal remainders go to the
 * first tests, in their order.
 */

/** `total` split into `count` shares of whole hundredths that sum to `total` (rounded to hundredths). */
export function splitPoints(total: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`splitPoints: count must be a non-negative integer, got ${count}`);
  if (count === 0) return [];
  const cents = Math.round(total * 100);
  const base = Math.floor(cents / count);
  const extra = cents - base * count;
  return Array.from({ length: count }, (_, i) => (base + (i < extra ? 1 : 0)) / 100);
}
