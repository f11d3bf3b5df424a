import { decodeValue, encodeValue, Opaque, readMessage, writeMessage, WireLimitError, HOLE_TEXT } from '../../grader/sandbox/wire';

const roundTrip = (v: unknown): unknown => decodeValue(readMessage(writeMessage(encodeValue(v))));

describe('wire encoding', () => {
  test('carries what JSON cannot: NaN, ±Infinity, -0, undefined', () => {
    const back = roundTrip([NaN, Infinity, -Infinity, -0, undefined, 1.5]) as unknown[];
    expect(back[0]).toBeNaN();
    expect(back[1]).toBe(Infinity);
    expect(back[2]).toBe(-Infinity);
    expect(Object.is(back[3], -0)).toBe(true);
    expect(back[4]).toBeUndefined();
    expect(back[5]).toBe(1.5);
  });
  test('describes values it does not rebuild', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(roundTrip(12n)).toEqual(new Opaque('bigint', '12n'));
    expect((roundTrip(() => 1) as Opaque).kind).toBe('function');
    expect(((roundTrip(cyclic) as unknown[])[0] as Opaque).kind).toBe('cycle');
    expect((roundTrip(Promise.resolve(1)) as Opaque).kind).toBe('promise');
    expect((roundTrip(new Float64Array(3)) as Opaque).kind).toBe('typed-array');
    expect((roundTrip(new Map()) as Opaque).text).toBe('a Map (not plain data: use numbers, arrays and objects)');
    expect((roundTrip(new Date(0)) as Opaque).kind).toBe('object');
    class MyError extends Error {}
    expect((roundTrip(new MyError('x')) as Opaque).text).toMatch(/^a MyError \(not plain data/);
  });
  test('an instance of a class of the student\'s is its fields, as TypeScript\'s structural types read it', () => {
    class TangentLine {
      slope = 0.25;
      constructor(public x: number[], public y: number[]) {}
      get point(): { x: number; y: number } { return { x: 0, y: 0.5 }; }
      describe(): string { return 'a method, not a field'; }
    }
    class Shifted extends TangentLine {
      get offset(): number { return 1; }
    }
    expect(roundTrip(new TangentLine([1, 2], [3, 4]))).toEqual({ x: [1, 2], y: [3, 4], slope: 0.25, point: { x: 0, y: 0.5 } });
    expect(roundTrip(new Shifted([1], [2]))).toEqual({ x: [1], y: [2], slope: 0.25, offset: 1, point: { x: 0, y: 0.5 } });
    expect(roundTrip(Object.freeze({ x: [1], y: [2] }))).toEqual({ x: [1], y: [2] });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { slope: 1 });
    expect(roundTrip(bare)).toEqual({ slope: 1 });
    // A getter that throws is a field that cannot be read (see below); an own getter that throws
    // on a plain object still makes the value unreadable, as any throw while encoding does.
    expect(() => encodeValue({ get x(): number { throw new Error('no'); } })).toThrow('no');
  });
  test('keeps plain objects, and a student key named $wire is not read as a tag', () => {
    expect(roundTrip({ x: [1, 2], point: { x: 0, y: 0.5 } })).toEqual({ x: [1, 2], point: { x: 0, y: 0.5 } });
    expect(roundTrip({ $wire: 'NaN' })).toEqual({ $wire: 'NaN' });
  });
  test('refuses values over the size limit instead of truncating them', () => {
    expect(() => encodeValue(new Array(200_001).fill(0))).toThrow(WireLimitError);
    expect(() => encodeValue([1, 2, 3], { maxItems: 2, maxDepth: 4 })).toThrow(WireLimitError);
  });
  test('stops at the depth limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    let v = roundTrip(deep);
    let depth = 0;
    while (Array.isArray(v)) { v = v[0]; depth++; }
    expect(depth).toBe(16);
    expect((v as Opaque).kind).toBe('too-deep');
  });
});

describe('empty slots', () => {
  test('an array\'s empty slot is not undefined: it says what it is', () => {
    // eslint-disable-next-line no-sparse-arrays
    const got = roundTrip([1, , 3]) as unknown[];
    expect(got[0]).toBe(1);
    expect(got[1]).toEqual(new Opaque('hole', HOLE_TEXT));
    expect(roundTrip(new Array(2).map(() => 1))).toEqual([new Opaque('hole', HOLE_TEXT), new Opaque('hole', HOLE_TEXT)]);
    expect(roundTrip([undefined])).toEqual([undefined]);
  });
});

describe('encoding what was decoded', () => {
  test('an opaque value encoded again is the same opaque value (the sidecar re-encodes the calls it received)', () => {
    for (const o of [new Opaque('hole', HOLE_TEXT), new Opaque('function', 'a function')]) expect(roundTrip(roundTrip(o))).toEqual(o);
    expect(roundTrip([roundTrip(new Map())])).toEqual([roundTrip(new Map())]);
  });
});

describe('instances of a student\'s classes, read with care', () => {
  test('a getter that throws is one unreadable field, not an unreadable answer', () => {
    class Line { x = [1]; get steepest(): number { throw new Error('not steep'); } }
    expect(roundTrip(new Line())).toEqual({ x: [1], steepest: new Opaque('error', 'a getter that threw') });
  });
  test('getters that make new instances whose getters make more are read two getters deep, not without end', () => {
    class Point {
      constructor(public x: number, public y: number) {}
      get unit(): Point { return new Point(this.x / 2, this.y / 2); }
      get normal(): Point { return new Point(-this.y, this.x); }
    }
    const got = roundTrip({ point: new Point(1, 2) }) as { point: { unit: { unit: unknown; x: number } } };
    expect(got.point.unit.x).toBe(0.5);
    expect(got.point.unit.unit).toEqual(new Opaque('object', 'a Point reached through getters of getters'));
  });
  test('the names of a class count against the value\'s items: a class of 200,000 methods is too large, at once', () => {
    const proto: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) proto[`m${i}`] = () => i;
    const Big = function Big(this: { x: number }) { this.x = 1; } as unknown as new () => object;
    Big.prototype = proto;
    expect(() => encodeValue(new Big())).toThrow(WireLimitError);
  });
  test('a prototype chain without end (a Proxy that makes a new prototype each time) is not read as data', () => {
    const endless = (): object => new Proxy({}, { getPrototypeOf: () => endless() });
    expect((roundTrip(Object.create(endless())) as Opaque).kind).toBe('object');
  });
});
