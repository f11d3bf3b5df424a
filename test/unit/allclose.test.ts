import { firstMismatch, isClose } from '../../grader/lib/allclose';

describe('isClose (numpy isclose: |a - e| <= atol + rtol * |e|)', () => {
  test('accepts rounding differences and rejects real ones', () => {
    expect(isClose(0.1 + 0.2, 0.3)).toBe(true);
    expect(isClose(1 + 1e-8, 1)).toBe(false);
    expect(isClose(1e-13, 0)).toBe(true); // absolute tolerance near zero
    expect(isClose(1e-11, 0)).toBe(false);
  });
  test('relative-only tolerance tells tiny values apart', () => {
    const rel = { rtol: 1e-9, atol: 0 };
    expect(isClose(0.25 ** 20, 0.25 ** 21, rel)).toBe(false);
    expect(isClose(0.25 ** 20 * (1 + 1e-12), 0.25 ** 20, rel)).toBe(true);
  });
  test('NaN matches only NaN; infinities match only themselves', () => {
    expect(isClose(NaN, NaN)).toBe(true);
    expect(isClose(NaN, 0)).toBe(false);
    expect(isClose(0, NaN)).toBe(false);
    expect(isClose(Infinity, Infinity)).toBe(true);
    expect(isClose(Infinity, 1e308)).toBe(false);
    expect(isClose(-Infinity, Infinity)).toBe(false);
  });
});

describe('firstMismatch', () => {
  test('gives the first differing index, the shorter length, or -1', () => {
    expect(firstMismatch([1, 2, 3], [1, 2, 3])).toBe(-1);
    expect(firstMismatch([1, 2.5, 4], [1, 2, 3])).toBe(1);
    expect(firstMismatch([1, 2], [1, 2, 3])).toBe(2);
    expect(firstMismatch([], [])).toBe(-1);
  });
});
