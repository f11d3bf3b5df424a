/** The lab's formulas the diagnoses compare answers with. */
/**
 * The sigmoid and its gradient, for candidates ("the gradient at the raw argument") the solution's
 * answers do not contain. Both formulas are in the exercise's own text; no answer to the exercise
 * is here that the student was not given.
 */
export function sigmoidOf(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** The sigmoid's gradient from an activation `a`: a (1 - a). */
export function gradientOf(a: number): number {
  return a * (1 - a);
}
