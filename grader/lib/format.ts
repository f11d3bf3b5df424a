/**
 * How numbers and values read in feedback and in the lab's printed block.
 */
import { Opaque } from '../sandbox/wire';

/** A number as JavaScript writes it (shortest round-trip), with -0 and non-finite values spelled out. */
export function formatNumber(n: number): string {
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

/** A short rendering of any decoded value, for messages: arrays are abbreviated past 6 elements. */
export function formatValue(value: unknown, depth = 0): string {
  if (value instanceof Opaque) return value.text;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (depth > 1) return `[…${value.length} items]`;
    const head = value.slice(0, 6).map((v) => formatValue(v, depth + 1));
    return `[${head.join(', ')}${value.length > 6 ? `, … (${value.length} items)` : ''}]`;
  }
  if (typeof value === 'object') {
    if (depth > 1) return '{…}';
    const keys = Object.keys(value as object);
    const shown = keys.slice(0, 5).map((k) => `${k}: ${formatValue((value as Record<string, unknown>)[k], depth + 1)}`);
    return `{ ${shown.join(', ')}${keys.length > 5 ? ', …' : ''} }`;
  }
  return String(value);
}

/**
 * A float as Python's `repr` (and so numpy's print) writes it: `5.0`, `0.25`, `1e-05`, `1e+16`.
 * The lab's printed block uses it, so the kit prints the same text the notebook printed.
 */
export function pythonRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  let text: string;
  if (exp >= 0) {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    text = `${intPart}.${frac || '0'}`;
  } else {
    text = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return sign + text;
}

/**
 * Python's `"{:.Nf}".format(n)`. JavaScript's toFixed rounds exact ties up where Python rounds them
 * to even (0.125 → "0.13" against "0.12"), so ties are found on the exact decimal expansion.
 */
export function pythonFixed(n: number, decimals: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Object.is(n, -0)) return `-${(0).toFixed(decimals)}`;
  // toFixed switches to exponent notation from 1e21; such doubles are integers, exact as BigInt.
  if (Math.abs(n) >= 1e21) return `${BigInt(n)}${decimals > 0 ? '.' + '0'.repeat(decimals) : ''}`;
  const exact = Math.abs(n).toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 1 + decimals);
  if (rest[0] === '5' && /^50*$/.test(rest)) {
    // An exact tie: keep the truncated digits when the last kept digit is even.
    const kept = exact.slice(0, point + 1 + decimals).replace(/\.$/, '');
    const last = Number(kept[kept.length - 1]);
    if (last % 2 === 0) return (n < 0 ? '-' : '') + kept;
  }
  return n.toFixed(decimals);
}
