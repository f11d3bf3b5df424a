/** The kit's own result record as JSON (shape: grader/result.ts, versioned). A pure function. */
import type { GradeResult } from '../result';

/** Renders the result record. */
export function renderJson(result: GradeResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}
