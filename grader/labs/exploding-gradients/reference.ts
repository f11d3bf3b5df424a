/**
 * The lab's reference outputs (reference/exploding-gradients.json), as the numpy lab computed them
 * (oracle.py beside this file writes them): their shape, for the suites, the knobs and the probe.
 */

/** The knobs of the lab ("Try changing ..."), as the reference records them. */
export interface ReferenceKnobs {
  weight: number;
  steps: number;
  maxNorm: number;
  range: { start: number; stop: number; num: number };
}

/** reference/exploding-gradients.json. */
export interface ExplodingReference {
  provenance: Record<string, string>;
  knobs: ReferenceKnobs;
  /** numpy's `linspace(-5, 5, 100)`: the lab's data (the kit makes it; students do not write linspace here). */
  data: { start: number; stop: number; num: number; values: number[] };
  /** relu over the data. */
  relu: number[];
  /** reluGradient over the data. */
  reluGradient: number[];
  /** What the notebook prints of them. */
  stats: { reluMax: number; reluMin: number; reluGradientMax: number; reluGradientMin: number };
  /** The printed call at -2, 0 and 3. */
  reluAt: { x: number[]; relu: number[]; reluGradient: number[] };
  /** simulateGrowth(10, 1.5). */
  growth: { steps: number; weight: number; values: number[] };
  /** l2Norm([3, 4]). */
  norm: { v: number[]; value: number };
  /** The two printed clippings. */
  clip: { grad: number[]; maxNorm: number; clipped: number[] }[];
  /** Figure 3: the gradient [0.6, 0.8] scaled by each running product, raw and clipped. */
  clipping: { gradient: number[]; maxNorm: number; scaled: number[][]; clippedVectors: number[][]; raw: number[]; clipped: number[] };
  /** The contract's edges, as numpy answers them. */
  edges: {
    l2Norm: { v: number[]; value: number }[];
    clipByNorm: { grad: number[]; maxNorm: number; clipped: number[] }[];
    simulateGrowth: { steps: number; weight: number; values: number[] }[];
    /** Calls numpy refuses (ValueError; a RangeError in the kit); NaN and ±Infinity written as strings. */
    raises: { fn: string; args: unknown[]; error: string; message: string }[];
  };
  /** Everything the notebook printed, verbatim. */
  printed: string;
}

/** The lab's reference, from what the core hands a lab (its reference file, read as JSON). */
export function labReference(reference: unknown): ExplodingReference {
  return reference as ExplodingReference;
}

/** A number the reference's JSON writes as a string (NaN, Infinity, -Infinity), as a number. */
export function decodeNumber(a: unknown): unknown {
  return a === 'NaN' ? NaN : a === 'Infinity' ? Infinity : a === '-Infinity' ? -Infinity : a;
}
