export function linspace(start: number, stop: number, num: number = 50): number[] {
  if (!Number.isInteger(num) || num < 0) {
    throw new RangeError(`num must be a non-negative integer, got ${num}`);
  }
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const values: number[] = [];
  for (let i = 0; i < num; i++) values.push(start + i * step);
  if (num > 1) values[num - 1] = stop;
  return values;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function sigmoidGradient(activation: number): number {
  return activation * (1 - activation);
}

export interface Tangent {
  x: number[];
  y: number[];
  slope: number;
  point: { x: number; y: number };
}

export function tangent(xTan: number, span: number = 1.7): Tangent {
  const yTan = sigmoid(xTan);
  const slope = sigmoidGradient(sigmoid(xTan));
  const x = linspace(xTan - span, xTan + span);
  const y = x.map((xi) => yTan + slope * (xi - xTan));
  return { x, y, slope, point: { x: xTan, y: yTan } };
}

export function simulateDecay(steps: number, x: number): number[] {
  if (steps < 0 || !Number.isInteger(steps)) throw new RangeError(`invalid number of steps: ${steps}`);
  const g = sigmoidGradient(sigmoid(x));
  return [...Array(steps).keys()].reduce<number[]>((acc) => {
    const prev = acc.length ? acc[acc.length - 1] : 1;
    acc.push(prev * g);
    return acc;
  }, []);
}
