export function relu(x: number): number {
  // START CODE HERE
  return x > 0 ? x : 0;
  // END CODE HERE
}

export function reluGradient(x: number): number {
  // START CODE HERE
  return x > 0 ? 1 : 0;
  // END CODE HERE
}

export function l2Norm(v: number[]): number {
  // START CODE HERE
  let sumOfSquares = 0;
  for (const value of v) sumOfSquares += value * value;
  return Math.sqrt(sumOfSquares);
  // END CODE HERE
}

export function clipByNorm(grad: number[], maxNorm: number): number[] {
  // START CODE HERE
  if (!Number.isFinite(maxNorm) || maxNorm <= 0) throw new RangeError('invalid maxNorm');
  const norm = l2Norm(grad);
  if (norm === 0) return [...grad];
  return grad.map((g) => (g * maxNorm) / norm);
  // END CODE HERE
}

export function simulateGrowth(steps: number, weight: number): number[] {
  // START CODE HERE
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be a whole number >= 0, got ${steps}`);
  }
  const values: number[] = [];
  let total = 1;
  for (let step = 1; step <= steps; step++) {
    total *= weight;
    values.push(total);
  }
  return values;
  // END CODE HERE
}
