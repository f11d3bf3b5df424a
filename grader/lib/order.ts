/**
 * The one order of names (students' ids, parts, tests, hints) in everything a batch writes: by
 * UTF-16 code unit, the same on every machine. `localeCompare` follows the process's locale, so
 * the same class gave another overview under another LANG (Swedish puts "ä" after "z").
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
