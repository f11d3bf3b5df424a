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
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) {
    throw new RangeError(`maxNorm must be a finite number greater than 0, got ${maxNorm}`);
  }
  const norm = l2Norm(grad);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    return grad.map((value) => value * scale);
  }
  return grad.slice();
  // END CODE HERE
}

const powers: number[] = [];

export function simulateGrowth(steps: number, weight: number): number[] {
  // START CODE HERE
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be a whole number >= 0, got ${steps}`);
  }
  let total = powers.length > 0 ? powers[powers.length - 1] : 1;
  while (powers.length < steps) {
    total *= weight;
    powers.push(total);
  }
  return powers.slice(0, steps);
  // END CODE HERE
}
