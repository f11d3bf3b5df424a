/**
 * The lab's five functions, as the contract names them: what the trusted solution answers and
 * what a submission exports.
 */
export interface ExplodingGradients {
  relu(x: number): number;
  reluGradient(x: number): number;
  l2Norm(v: number[]): number;
  clipByNorm(grad: number[], maxNorm: number): number[];
  simulateGrowth(steps: number, weight: number): number[];
}
