/**
 * The wire format between the grader and the child process that runs student code.
 *
 * Messages are single lines of JSON. JSON cannot carry NaN, Infinity, -0, undefined, BigInt or
 * functions, and a student's function may return any of them; so such values travel as tagged
 * objects `{ "$wire": kind, ... }` and come back as themselves (or as an {@link Opaque} that says
 * what the value was). This module is loaded by the child before any student code runs, so it
 * captures the built-ins it needs up front: a submission that patches `JSON` or `Array` later
 * cannot change how replies are encoded.
 */

const stringify = JSON.stringify;
const parse = JSON.parse;
const isArray = Array.isArray;
const objectKeys = Object.keys;
const getPrototypeOf = Object.getPrototypeOf;
const isNaNNumber = Number.isNaN;
const objectIs = Object.is;
const ObjectProto = Object.prototype;
const NumberCtor = Number;
const StringCtor = String;

/** Limits on what one encoded value may hold; past them the value is refused, not truncated. */
export interface WireLimits {
  /** Most array elements plus object properties in one value. */
  maxItems: number;
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
}

/** Default limits: far above any correct answer of the lab (a few hundred numbers). */
export const DEFAULT_WIRE_LIMITS: WireLimits = { maxItems: 100_000, maxDepth: 16 };

/** A value that JSON cannot hold and the grader does not rebuild: kept as its kind and a short text. */
export class Opaque {
  constructor(
    /** What the value was: 'function', 'symbol', 'bigint', 'cycle', 'too-deep', 'object' ... */
    public readonly kind: string,
    /** A short human-readable rendering, e.g. `12n` or `[Function: foo]`. */
    public readonly text: string,
  ) {}
}

/** Raised by {@link encodeValue} when a value is over the {@link WireLimits}. */
export class WireLimitError extends Error {}

function tag(kind: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { $wire: kind, ...extra };
}

/** Turns any JS value into JSON-safe data, tagging what JSON cannot hold. */
export function encodeValue(value: unknown, limits: WireLimits = DEFAULT_WIRE_LIMITS): unknown {
  let items = 0;
  const seen: unknown[] = [];
  const walk = (v: unknown, depth: number): unknown => {
    switch (typeof v) {
      case 'number':
        if (isNaNNumber(v)) return tag('NaN');
        if (v === Infinity) return tag('Infinity');
        if (v === -Infinity) return tag('-Infinity');
        if (objectIs(v, -0)) return tag('-0');
        return v;
      case 'string':
        return v.length > 10_000 ? v.slice(0, 10_000) + '…' : v;
      case 'boolean':
        return v;
      case 'undefined':
        return tag('undefined');
      case 'bigint':
        return tag('opaque', { kind: 'bigint', text: `${StringCtor(v)}n` });
      case 'symbol':
        return tag('opaque', { kind: 'symbol', text: 'a Symbol' });
      case 'function':
        return tag('opaque', { kind: 'function', text: 'a function' });
    }
    if (v === null) return null;
    if (seen.includes(v)) return tag('opaque', { kind: 'cycle', text: 'a reference to itself (a cycle)' });
    if (depth >= limits.maxDepth) return tag('opaque', { kind: 'too-deep', text: 'a value nested too deeply' });
    seen.push(v);
    try {
      if (isArray(v)) {
        const arr = v as unknown[];
        const n = NumberCtor(arr.length);
        items += n;
        if (items > limits.maxItems) throw new WireLimitError(`more than ${limits.maxItems} items`);
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(walk(arr[i], depth + 1));
        return out;
      }
      const proto = getPrototypeOf(v);
      if (proto !== ObjectProto && proto !== null) {
        const name = (proto && proto.constructor && typeof proto.constructor.name === 'string') ? proto.constructor.name : 'object';
        if (name === 'Promise' || typeof (v as { then?: unknown }).then === 'function') {
          return tag('opaque', { kind: 'promise', text: 'a Promise' });
        }
        if (ArrayBuffer.isView(v)) {
          const view = v as unknown as ArrayLike<number>;
          const n = NumberCtor(view.length);
          items += n;
          if (items > limits.maxItems) throw new WireLimitError(`more than ${limits.maxItems} items`);
          return tag('opaque', { kind: 'typed-array', text: `a ${name} (use a plain number[] array)` });
        }
        return tag('opaque', { kind: 'object', text: `an instance of ${name}` });
      }
      const keys = objectKeys(v as object);
      items += keys.length;
      if (items > limits.maxItems) throw new WireLimitError(`more than ${limits.maxItems} items`);
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        // A student object may carry a "$wire" key of its own: escape it so it is not read as a tag.
        out[k === '$wire' ? '$$wire' : k] = walk((v as Record<string, unknown>)[k], depth + 1);
      }
      return out;
    } finally {
      seen.pop();
    }
  };
  return walk(value, 0);
}

/** Rebuilds a value encoded by {@link encodeValue}. */
export function decodeValue(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return data;
  if (isArray(data)) return data.map(decodeValue);
  const obj = data as Record<string, unknown>;
  if (typeof obj.$wire === 'string') {
    switch (obj.$wire) {
      case 'NaN': return NaN;
      case 'Infinity': return Infinity;
      case '-Infinity': return -Infinity;
      case '-0': return -0;
      case 'undefined': return undefined;
      case 'opaque': return new Opaque(StringCtor(obj.kind), StringCtor(obj.text));
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of objectKeys(obj)) out[k === '$$wire' ? '$wire' : k] = decodeValue(obj[k]);
  return out;
}

/** Serialises one message to a single line (no trailing newline). */
export function writeMessage(message: unknown): string {
  return stringify(message);
}

/** Parses one line written by {@link writeMessage}. */
export function readMessage(line: string): unknown {
  return parse(line);
}
