import { formatValue, pythonFixed, pythonRepr } from '../../grader/lib/format';
import { loadReference } from '../../grader/lib/reference';
import type { Reference } from '../../grader/labs/vanishing-gradients/types';
import { Opaque } from '../../grader/sandbox/wire';

const reference = loadReference<Reference>();

describe('Python float formatting (expected strings come from the numpy oracle)', () => {
  test.each(reference.formatting.map((f) => [f.value, f]))('%p', (value, f) => {
    expect(pythonRepr(value as number)).toBe(f.repr);
    expect(pythonFixed(value as number, 3)).toBe(f.fixed3);
    expect(pythonFixed(value as number, 5)).toBe(f.fixed5);
  });
});

describe('formatValue', () => {
  test('abbreviates long arrays and spells out special numbers', () => {
    expect(formatValue([1, 2, 3, 4, 5, 6, 7, 8])).toBe('[1, 2, 3, 4, 5, 6, … (8 items)]');
    expect(formatValue([NaN, -Infinity, -0])).toBe('[NaN, -Infinity, -0]');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue(new Opaque('bigint', '12n'))).toBe('12n');
    expect(formatValue({ a: 1, b: [2] })).toBe('{ a: 1, b: [2] }');
    expect(formatValue('x'.repeat(100))).toMatch(/^"x{60}…"$/);
  });
});
