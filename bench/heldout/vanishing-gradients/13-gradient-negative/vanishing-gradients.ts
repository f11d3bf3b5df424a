export function linspace(start: number, stop: number, num: number = 50): number[] {
  // START CODE HERE
  if (!Number.isInteger(num) || num < 0) {
    throw new RangeError(`num must be a non-negative integer, got ${num}`);
  }
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const values: number[] = [];
  for (let i = 0; i < num; i++) values.push(start + i * step);
  if (num > 1) values[num - 1] = stop;
  return values;
  // END CODE HERE
}

export function sigmoid(x: number): number {
  // START CODE HERE
  return 1 / (1 + Math.exp(-x));
  // END CODE HERE
}

export function sigmoidGradient(activation: number): number {
  // START CODE HERE
  return (activation - 1) * activation;
  // END CODE HERE
}

export interface Tangent {
  x: number[];
  y: number[];
  slope: number;
  point: { x: number; y: number };
}

export function tangent(xTan: number, span: number = 1.7): Tangent {
  // START CODE HERE
  const yTan = sigmoid(xTan);
  const slope = sigmoidGradient(sigmoid(xTan));
  const x = linspace(xTan - span, xTan + span);
  const y = x.map((xi) => yTan + slope * (xi - xTan));
  return { x, y, slope, point: { x: xTan, y: yTan } };
  // END CODE HERE
}

export function simulateDecay(steps: number, x: number): number[] {
  // START CODE HERE
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
  // END CODE HERE
}
