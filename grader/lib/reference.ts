/**
 * The committed reference outputs (reference/vanishing-gradients.json), generated from the numpy
 * lab by `npm run make:reference`. The public tests compare against these; the hidden tests compute
 * theirs from the solutions on inputs drawn per run.
 */
import * as fs from 'node:fs';
import { kitPaths } from './paths';

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

/** Reads the reference file (the path can be overridden, for the student release). */
export function loadReference(file: string = kitPaths.reference): Reference {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Reference;
}
