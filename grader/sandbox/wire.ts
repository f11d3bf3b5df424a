/**
 * The wire format between the grader and the child process that runs student code.
 *
 * Messages are single lines of JSON. JSON cannot carry NaN, Infinity, -0, undefined, BigInt or
 * functions, and a student's function may return any of them; so such values travel as tagged
 * objects `{ "$wire": kind, ... }` and come back as themselves (or as an {@link Opaque} that says
 * what the value was).
 *
 * The child loads this module before any student code runs, and student code may patch any global
 * (Array.prototype.push, JSON.stringify, Object.keys, Object.prototype.toJSON …). So everything the
 * encoding, the serialising and the decoding rely on is captured here, up front, and nothing calls
 * a method that student code could have replaced: a patched global changes no reply.
 */

const { bind, call } = Function.prototype;
/** `uncurry(f)(self, ...args)` is `f.call(self, ...args)`, immune to later patches of call/bind. */
const uncurry = bind.bind(call) as <A extends unknown[], R>(f: (...args: A) => R) => (self: unknown, ...args: A) => R;

const jsonParse = JSON.parse;
const jsonStringify = JSON.stringify;
const isArray = Array.isArray;
const objectKeys = Object.keys;
const getPrototypeOf = Object.getPrototypeOf;
const defineProperty = Object.defineProperty;
const isView = ArrayBuffer.isView;
const isNaNNumber = Number.isNaN;
const objectIs = Object.is;
const ObjectProto = Object.prototype;
const StringCtor = String;
const stringSlice = uncurry(String.prototype.slice);
const hasOwn = uncurry(Object.prototype.hasOwnProperty);
const getOwnPropertyNames = Object.getOwnPropertyNames;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const reflectApply = Reflect.apply;
const objectCreate = Object.create;

/**
 * The prototypes of the built-in kinds of object: an instance of one of them is not data a
 * contract's shape can describe (a Date, a Map, a typed array where an array is promised), and is
 * reported as what it is. Any other class is a structural shape, as TypeScript reads it.
 */
const BUILT_IN_PROTOTYPES: readonly unknown[] = [
  Date, Map, Set, WeakMap, WeakSet, RegExp, Error, Promise, ArrayBuffer, DataView, Number, String, Boolean,
  typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : undefined,
  typeof WeakRef === 'function' ? WeakRef : undefined,
].filter((c) => c !== undefined).map((c) => (c as { prototype: unknown }).prototype);

/** True when `proto`'s chain holds a built-in kind of object (see BUILT_IN_PROTOTYPES). */
/** The most prototypes read above an instance: a longer chain (a Proxy that makes a new one each time) is not data. */
const MAX_CHAIN = 64;

function builtIn(proto: object | null): boolean {
  let hops = 0;
  for (let p = proto; p !== null && p !== ObjectProto; p = getPrototypeOf(p) as object | null) {
    if (++hops > MAX_CHAIN) return true;
    for (let i = 0; i < BUILT_IN_PROTOTYPES.length; i++) if (BUILT_IN_PROTOTYPES[i] === p) return true;
  }
  return false;
}

/**
 * The fields of an instance of a class, as TypeScript's structural types see them: its own
 * enumerable properties, then the getters its classes define (each read once, in the child), but
 * not its methods. Names listed once, the own property first.
 */
function fieldsOf(v: object, proto: object, count: (n: number) => void): { keys: string[]; read: (k: string) => { value: unknown; getter: boolean } } {
  // Objects without a prototype: nothing a student patched on Object.prototype or Set is used.
  const keys = objectKeys(v);
  const listed = objectCreate(null) as Record<string, true>;
  for (let i = 0; i < keys.length; i++) listed[keys[i]] = true;
  const getters = objectCreate(null) as Record<string, () => unknown>;
  for (let p: object | null = proto; p !== null && p !== ObjectProto; p = getPrototypeOf(p) as object | null) {
    const names = getOwnPropertyNames(p);
    // Every name read counts against the value's items, methods too: the work is bounded by the
    // reply's limits, not by the size of the student's classes.
    count(names.length);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (name === 'constructor' || listed[name] === true) continue;
      const d = getOwnPropertyDescriptor(p, name);
      if (!d || typeof d.get !== 'function') continue;
      listed[name] = true;
      keys[keys.length] = name;
      getters[name] = d.get;
    }
  }
  return {
    keys,
    read: (k) => {
      if (!hasOwn(getters, k)) return { value: (v as Record<string, unknown>)[k], getter: false };
      // A getter that throws is one field that cannot be read, not an answer that cannot be.
      try {
        return { value: reflectApply(getters[k], v, []), getter: true };
      } catch {
        return { value: new Opaque('error', 'a getter that threw'), getter: true };
      }
    },
  };
}

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

/** What an empty slot of an array reads as, once decoded: never a value a function could return. */
export const HOLE_TEXT = 'an empty slot (an array made with new Array(n) and never filled: map and forEach skip empty slots)';

/** Sets a property without running setters a student may have put on Object.prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

function opaque(kind: string, text: string): Record<string, unknown> {
  return { $wire: 'opaque', kind, text };
}

/**
 * Characters of a string that count as one item. A string's cost grows with its length (a string
 * of a million characters is no cheaper to hold than a million numbers' worth of its size), so
 * that the item limits bound the memory a value takes, strings included; a short string costs
 * about what a number does.
 */
export const CHARS_PER_ITEM = 16;

/** What a string costs in items. */
export function stringCost(s: string): number {
  return Math.ceil(s.length / CHARS_PER_ITEM);
}

/**
 * True when two wire-encoded values (plain JSON data, as encodeValue makes them) are the same value:
 * the same numbers and strings, arrays of the same length, objects with the same keys in any order.
 * Written with the functions captured at load, so that it holds in the child after student code
 * has run.
 */
export function sameWire(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (isArray(a) || isArray(b)) {
    if (!isArray(a) || !isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameWire(a[i], b[i])) return false;
    return true;
  }
  const ka = objectKeys(a);
  if (ka.length !== objectKeys(b).length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (!hasOwn(b, ka[i]) || !sameWire((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[ka[i]])) return false;
  }
  return true;
}

/** Turns any JS value into JSON-safe data, tagging what JSON cannot hold. */
export function encodeValue(value: unknown, limits: WireLimits = DEFAULT_WIRE_LIMITS): unknown {
  let items = 0;
  const seen: unknown[] = [];
  let seenCount = 0;
  const count = (n: number): void => {
    items += n;
    if (items > limits.maxItems) throw new WireLimitError(`more than ${limits.maxItems} items`);
  };
  // `hops`: how many getters were read on the way here. An instance reached through two getters is
  // not read again (a getter that makes a new instance whose getters make more would double the
  // work at every level).
  const walk = (v: unknown, depth: number, hops = 0): unknown => {
    switch (typeof v) {
      case 'number':
        if (isNaNNumber(v)) return { $wire: 'NaN' };
        if (v === Infinity) return { $wire: 'Infinity' };
        if (v === -Infinity) return { $wire: '-Infinity' };
        if (objectIs(v, -0)) return { $wire: '-0' };
        return v;
      case 'string': {
        const kept = v.length > 10_000 ? stringSlice(v, 0, 10_000) + '…' : v;
        count(stringCost(kept));
        return kept;
      }
      case 'boolean':
        return v;
      case 'undefined':
        return { $wire: 'undefined' };
      case 'bigint':
        return opaque('bigint', `${StringCtor(v)}n`);
      case 'symbol':
        return opaque('symbol', 'a Symbol');
      case 'function':
        return opaque('function', 'a function');
    }
    if (v === null) return null;
    for (let i = 0; i < seenCount; i++) if (seen[i] === v) return opaque('cycle', 'a reference to itself (a cycle)');
    if (depth >= limits.maxDepth) return opaque('too-deep', 'a value nested too deeply');
    seen[seenCount++] = v;
    try {
      if (isArray(v)) {
        const arr = v as unknown[];
        const n = arr.length;
        count(n);
        const out: unknown[] = [];
        // An empty slot (new Array(n), never filled: map and forEach skip it) is not undefined.
        for (let i = 0; i < n; i++) out[i] = hasOwn(arr, i) ? walk(arr[i], depth + 1, hops) : opaque('hole', HOLE_TEXT);
        return out;
      }
      const proto = getPrototypeOf(v) as object | null;
      // A value already decoded (the grader encodes what it received again: the sidecar's calls)
      // stays what it was.
      if (proto === Opaque.prototype) return opaque((v as Opaque).kind, (v as Opaque).text);
      let fields: ReturnType<typeof fieldsOf> | undefined;
      if (proto !== ObjectProto && proto !== null) {
        const ctor = hasOwn(proto, 'constructor') ? (proto as { constructor?: { name?: unknown } }).constructor : undefined;
        const name = ctor && typeof ctor.name === 'string' ? ctor.name : 'object';
        if (name === 'Promise' || typeof (v as { then?: unknown }).then === 'function') return opaque('promise', 'a Promise');
        if (isView(v)) return opaque('typed-array', `a ${name} (use a plain number[] array)`);
        if (builtIn(proto)) return opaque('object', `a ${name} (not plain data: use numbers, arrays and objects)`);
        if (hops >= 2) return opaque('object', `a ${name} reached through getters of getters`);
        // An instance of a class of the student's: its fields are its shape (TypeScript's types
        // are structural), whether they are own properties or getters of its class.
        fields = fieldsOf(v as object, proto, count);
      }
      const keys = fields ? fields.keys : objectKeys(v as object);
      count(keys.length);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        count(stringCost(k));
        // A student object may carry a "$wire" key of its own: escape it so it is not read as a tag.
        const field = fields ? fields.read(k) : { value: (v as Record<string, unknown>)[k], getter: false };
        put(out, k === '$wire' ? '$$wire' : k, walk(field.value, depth + 1, field.getter ? hops + 1 : hops));
      }
      return out;
    } finally {
      seenCount--;
    }
  };
  return walk(value, 0);
}

/**
 * Rebuilds a value encoded by {@link encodeValue}. With `limits`, a value nested deeper or holding
 * more items than they allow is refused with a {@link WireLimitError} (data from the child is
 * hostile: a reply nested 400,000 deep must not overflow the grader's stack).
 */
export function decodeValue(data: unknown, limits?: WireLimits, options: { holes?: 'opaque' | 'empty' } = {}): unknown {
  let items = 0;
  // An empty slot, sent as an opaque 'hole': left empty in a function's arguments (the child), kept
  // as what it is in an answer (the grader's messages say so).
  const isHole = (e: unknown): boolean => options.holes === 'empty' && e !== null && typeof e === 'object' && !isArray(e)
    && (e as Record<string, unknown>).$wire === 'opaque' && (e as Record<string, unknown>).kind === 'hole';
  const walk = (d: unknown, depth: number): unknown => {
    if (typeof d === 'string') {
      items += stringCost(d);
      if (limits && items > limits.maxItems) throw new WireLimitError(`more than ${limits.maxItems} items`);
      return d;
    }
    if (d === null || typeof d !== 'object') return d;
    if (limits && depth >= limits.maxDepth) throw new WireLimitError(`nested more than ${limits.maxDepth} deep`);
    if (isArray(d)) {
      items += d.length;
      if (limits && items > limits.maxItems) throw new WireLimitError(`more than ${limits.maxItems} items`);
      const out: unknown[] = [];
      out.length = d.length;
      for (let i = 0; i < d.length; i++) if (!isHole(d[i])) out[i] = walk(d[i], depth + 1);
      return out;
    }
    const obj = d as Record<string, unknown>;
    if (typeof obj.$wire === 'string') {
      switch (obj.$wire) {
        case 'NaN': return NaN;
        case 'Infinity': return Infinity;
        case '-Infinity': return -Infinity;
        case '-0': return -0;
        case 'undefined': return undefined;
        case 'opaque': return new Opaque(stringSlice(StringCtor(obj.kind), 0, 100), stringSlice(StringCtor(obj.text), 0, 1000));
      }
    }
    const out: Record<string, unknown> = {};
    const keys = objectKeys(obj);
    items += keys.length;
    for (let i = 0; i < keys.length && !(limits && items > limits.maxItems); i++) items += stringCost(keys[i]);
    if (limits && items > limits.maxItems) throw new WireLimitError(`more than ${limits.maxItems} items`);
    for (let i = 0; i < keys.length; i++) put(out, keys[i] === '$$wire' ? '$wire' : keys[i], walk(obj[keys[i]], depth + 1));
    return out;
  };
  return walk(data, 0);
}

/**
 * Serialises one message to a single line. Not JSON.stringify on the whole message: that would
 * call any `toJSON` a student adds to Object.prototype or Array.prototype. Strings alone go through
 * the captured JSON.stringify, which calls no toJSON on a primitive.
 */
export function writeMessage(message: unknown): string {
  const write = (v: unknown): string => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string': return jsonStringify(v);
      case 'number': return v === v && v !== Infinity && v !== -Infinity ? StringCtor(v) : 'null';
      case 'boolean': return v ? 'true' : 'false';
      case 'object': {
        let text: string;
        if (isArray(v)) {
          text = '[';
          for (let i = 0; i < v.length; i++) text += (i > 0 ? ',' : '') + write(v[i] === undefined ? null : v[i]);
          return text + ']';
        }
        const keys = objectKeys(v as object);
        text = '{';
        let first = true;
        for (let i = 0; i < keys.length; i++) {
          const value = (v as Record<string, unknown>)[keys[i]];
          if (value === undefined || typeof value === 'function') continue;
          text += (first ? '' : ',') + jsonStringify(keys[i]) + ':' + write(value);
          first = false;
        }
        return text + '}';
      }
      default: return 'null';
    }
  };
  return write(message);
}

/** Parses one line written by {@link writeMessage}. */
export function readMessage(line: string): unknown {
  return jsonParse(line);
}
