/**
 * Exploding Gradients and Gradient Clipping: the other way deep networks stop learning.
 *
 * In the first lab the sigmoid's gradient (at most 0.25) made the products of back-propagation
 * vanish. ReLU's gradient is exactly 1 wherever the unit is active, so what back-propagation
 * multiplies layer after layer is the weights themselves: with a recurrent weight of 1.5 the
 * gradient grows like 1.5^n and explodes (57.7 after ten steps). Clipping by norm is the usual
 * remedy: it keeps the gradient's direction and caps its length. You will build the pieces of the
 * lab that show it: the activation, its gradient, the length of a vector, the clipping, and the
 * growth loop.
 *
 * Write your code between each `// START CODE HERE` and `// END CODE HERE`, then run `npm run grade`.
 * Keep the function names and signatures: the grader calls them.
 */

/**
 * The activation: `relu(x) = max(0, x)`.
 *
 * Negative inputs are cut to 0 and positive ones pass unchanged: `relu(-2)` is 0, `relu(3)` is 3,
 * and `relu(0)` is 0. Over the lab's data (100 points from -5 to 5) its largest value is 5 and its
 * smallest 0.
 */
export function relu(x: number): number {
  // START CODE HERE
  return x > 0 ? x : 0;
  // END CODE HERE
}

/**
 * The derivative of ReLU, **at the raw input x** (not at relu's output, unlike the first lab's
 * sigmoidGradient): 1 where the unit is active (`x > 0`), 0 everywhere else.
 *
 * At exactly `x = 0` the derivative is taken to be 0, as in the lab: `reluGradient(-2)`,
 * `reluGradient(0)` and `reluGradient(3)` are 0, 0 and 1. Because it is 1 wherever the unit is
 * active, the activation itself never shrinks a gradient: only the weights decide its size.
 */
export function reluGradient(x: number): number {
  // START CODE HERE
  return x > 0 ? 1 : 0;
  // END CODE HERE
}

/**
 * The Euclidean (L2) length of a vector: the square root of the sum of the squares of its values.
 *
 * `l2Norm([3, 4])` is 5. The empty vector has length 0: `l2Norm([])` is 0. The argument must be
 * left as it is.
 */
export function l2Norm(v: number[]): number {
  // START CODE HERE
  let largest = 0;
  for (const value of v) largest = Math.max(largest, Math.abs(value));
  return largest;
  // END CODE HERE
}

/**
 * Gradient clipping by norm: caps the length of `grad` at `maxNorm` and keeps its direction.
 *
 * - When `l2Norm(grad)` is greater than `maxNorm`, return every value of `grad` multiplied by
 *   `maxNorm / l2Norm(grad)`: the same direction, a length of exactly `maxNorm`.
 *   `clipByNorm([3, 4], 1)` is `[0.6, 0.8]`.
 * - Otherwise return the same values: `clipByNorm([0.3, 0.4], 1)` is `[0.3, 0.4]`. A gradient whose
 *   length equals `maxNorm` is within the cap and is left as it is.
 * - Always return a **new array**: never `grad` itself, and never change `grad` (the caller keeps
 *   using the raw gradient, as figure 3 does).
 * - `maxNorm` must be a finite number greater than 0: for 0, a negative number, NaN or
 *   ±Infinity throw a `RangeError`.
 */
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

/**
 * The growth loop: what the chain rule does to a gradient over `steps` layers whose ReLU is active.
 *
 * ReLU's gradient is 1 there, so each layer multiplies the gradient by the weight alone. Return the
 * running product after each step: `[weight, weight^2, ..., weight^steps]` (start from a total of 1
 * and multiply by the weight once per step, keeping each total). With the lab's weight 1.5, ten
 * steps end at 57.6650390625; try 0.5 to see it vanish, 1.0 for neither.
 *
 * - `steps` 0 gives `[]`.
 * - `steps` negative, not a whole number, NaN or infinite: throw a `RangeError`.
 */
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
