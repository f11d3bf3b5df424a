/**
 * Vanishing Gradients: why deep networks built on the sigmoid stop learning in their front layers.
 *
 * The sigmoid squeezes any number into (0, 1); its derivative is at most 0.25. Back-propagation
 * multiplies one such derivative per layer (the chain rule), so the gradient that reaches the first
 * layers shrinks like 0.25^n and vanishes. You will build the pieces of the lab that show it:
 * the data, the activation, its gradient, the tangent at the steepest point and the decay loop.
 *
 * Write your code between each `// START CODE HERE` and `// END CODE HERE`, then run `npm run grade`.
 * Keep the function names and signatures: the grader calls them.
 */

/**
 * The lab's data: `num` evenly spaced numbers from `start` to `stop`, both ends included, like
 * numpy's `np.linspace`. The lab uses `linspace(-5, 5, 100)`.
 *
 * - `num` defaults to 50, as in numpy.
 * - `num` 0 gives `[]`; `num` 1 gives `[start]`.
 * - `num` negative or not an integer: throw a `RangeError`.
 *
 * Example: `linspace(0, 1, 5)` is `[0, 0.25, 0.5, 0.75, 1]`.
 */
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

/**
 * The activation: `sigmoid(x) = 1 / (1 + e^(-x))`.
 *
 * It squashes the whole number line into the interval (0, 1): large negative x gives values near 0,
 * large positive x values near 1, and `sigmoid(0)` is 0.5, the steepest point of the curve.
 * Use `Math.exp`.
 */
export function sigmoid(x: number): number {
  // START CODE HERE
  return 1 / (1 + Math.exp(-x));
  // END CODE HERE
}

/**
 * The derivative of the sigmoid, written in terms of the sigmoid's OUTPUT: if `a = sigmoid(x)`,
 * then `d sigmoid / dx = a * (1 - a)`.
 *
 * Careful: the argument is the activation `a` (a sigmoid output, in (0, 1)), not the raw x, exactly
 * as in the lab. Its values lie in the interval [0, 0.25]; the maximum 0.25 is at `a = 0.5`.
 */
export function sigmoidGradient(activation: number): number {
  // START CODE HERE
  return activation * (1 - activation);
  // END CODE HERE
}

/** The tangent line to the sigmoid at one point, as drawn in the figure "Sigmoid Steepest Point". */
export interface Tangent {
  /** x values of the line: `linspace(xTan - span, xTan + span)`, 50 points. */
  x: number[];
  /** y values of the line at each x: `point.y + slope * (x - point.x)`. */
  y: number[];
  /** The slope of the line: the sigmoid's gradient at xTan. */
  slope: number;
  /** The point where the line touches the curve: `(xTan, sigmoid(xTan))`. */
  point: { x: number; y: number };
}

/**
 * The tangent to the sigmoid at `xTan` (the lab draws it at 0, the steepest point; try 2).
 *
 * - `point` is `(xTan, sigmoid(xTan))`;
 * - `slope` is the gradient there: `sigmoidGradient(sigmoid(xTan))` (remember: the gradient takes the
 *   activation);
 * - `x` is `linspace(xTan - span, xTan + span)` with numpy's default 50 points; `span` defaults to 1.7;
 * - `y` is the line through `point` with that slope: `point.y + slope * (x - xTan)` for each x.
 */
export function tangent(xTan: number, span: number = 1.7): Tangent {
  // START CODE HERE
  const yTan = sigmoid(xTan);
  const slope = sigmoidGradient(sigmoid(xTan));
  const x = linspace(xTan - span, xTan + span);
  const y = x.map((xi) => yTan + slope * (xi - xTan));
  return { x, y, slope, point: { x: xTan, y: yTan } };
  // END CODE HERE
}

/** Lists already computed, by number of steps. */
const cache = new Map<number, number[]>();

/**
 * The decay loop: what the chain rule does to a gradient over `steps` layers.
 *
 * With `g = sigmoidGradient(sigmoid(x))`, return the running product after each step:
 * `[g, g^2, ..., g^steps]` (start from a total of 1 and multiply by g once per step, keeping each total).
 * At x = 0, g is 0.25 and six steps already give 0.000244140625.
 *
 * - `steps` 0 gives `[]`.
 * - `steps` negative or not an integer: throw a `RangeError`.
 */
export function simulateDecay(steps: number, x: number): number[] {
  // START CODE HERE
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
  }
  const known = cache.get(steps);
  if (known) return [...known];
  const grad = sigmoidGradient(sigmoid(x));
  const values: number[] = [];
  let total = 1;
  for (let step = 1; step <= steps; step++) {
    total *= grad;
    values.push(total);
  }
  cache.set(steps, values);
  return [...values];
  // END CODE HERE
}
