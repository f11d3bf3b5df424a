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
  return 1 / (1 + Math.exp(x));
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
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
  }
  const grad = sigmoidGradient(sigmoid(x));
  const values: number[] = [];
  let total = 1;
  for (let step = 1; step <= steps; step++) {
    total *= grad;
    values.push(total);
  }
  return values;
}
