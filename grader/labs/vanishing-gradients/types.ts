/**
 * The lab's types: its functions as the contract names them, and its reference outputs
 * (reference/vanishing-gradients.json, generated from the numpy lab by oracle.py).
 */

/** The tangent line the lab draws (the contract's `Tangent`). */
export interface Tangent {
  /** x values of the line. */
  x: number[];
  /** y values of the line. */
  y: number[];
  /** The sigmoid's gradient at the point. */
  slope: number;
  /** The point where the line touches the curve. */
  point: { x: number; y: number };
}

/** The lab's functions, as the contract in the exercise names them. */
export interface LabFunctions {
  linspace(start: number, stop: number, num?: number): number[];
  sigmoid(x: number): number;
  sigmoidGradient(activation: number): number;
  tangent(xTan: number, span?: number): Tangent;
  simulateDecay(steps: number, x: number): number[];
}

/** The lab's outputs, as numpy computed them. */
export interface Reference {
  /** Where the values came from. */
  provenance: Record<string, string>;
  /** `linspace(-5, 5, 100)`. */
  data: { start: number; stop: number; num: number; values: number[] };
  /** sigmoid over the data. */
  activations: number[];
  /** sigmoidGradient over the activations. */
  gradients: number[];
  /** The tangent at x_tan = 0 with span 1.7. */
  tangent: { xTan: number; span: number; x: number[]; y: number[]; slope: number; point: { x: number; y: number } };
  /** Max and min of each array, as printed by the notebook. */
  stats: { xMax: number; xMin: number; sigmoidMax: number; sigmoidMin: number; gradientMax: number; gradientMin: number };
  /** The decay loop with n = 6, x = 0. */
  decay: { steps: number; x: number; sigmoid: number; gradient: number; values: number[] };
  /** Everything the notebook printed, verbatim. */
  printed: string;
  /** How Python formats sample floats: repr, `{:.3f}` and `{:.5f}`. */
  formatting: { value: number; repr: string; fixed3: string; fixed5: string }[];
}
