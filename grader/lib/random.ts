/**
 * Seeded random numbers for the hidden tests. The seed is drawn once per grading run, recorded in
 * the results (an instructor replays a run with `--seed`), and never sent to the student's process.
 */

/** A source of reproducible random numbers. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** A float in [lo, hi). */
  float(lo: number, hi: number): number;
  /** An integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number;
}

/** FNV-1a over a string: turns (seed, stream name) into a 32-bit state. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A mulberry32 generator for one named stream of one run: each part of each submission gets its
 * own stream, so the inputs a test draws do not depend on which tests ran before it.
 */
export function createRandom(seed: number, stream: string): Random {
  let state = hash(`${seed}:${stream}`);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    float: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * next()),
  };
}

/** A fresh seed for a run: a positive 31-bit integer, short enough to type back in. */
export function drawSeed(): number {
  return 1 + Math.floor(Math.random() * 0x7ffffffe);
}
