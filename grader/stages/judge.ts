/**
 * Stage 4, judge: jest's raw assertion results for one submission become typed test results,
 * with messages made safe to show (no paths of the grader's machine, no colour codes, capped).
 */
import type { RawRun } from './run';
import type { TestResult } from '../result';
import type { Rubric } from '../lib/rubric';
import { sanitize } from '../report/sanitize';
import { splitPoints } from '../lib/shares';
import { kitPartFailureText, kitTestFailureText } from '../outcomes';

/** A submission's tests judged, and what the kit could not run or judge, if anything. */
export interface Judged {
  tests: TestResult[];
  /**
   * Why the kit failed on a part or a test (its first), in its own words: then no score of this
   * run can be trusted, and the grade is the kit's failure, not the student's 0.
   */
  kitFault?: string;
}

/** Judges one submission's tests; the part's points are shared by its tests in hundredths that add up exactly. */
export function judge(raw: RawRun, submissionId: string, rubric: Rubric, scratchDir: string): Judged {
  const mine = raw.tests.filter((t) => t.ancestors[0] === submissionId);
  const results: TestResult[] = [];
  let kitFault: string | undefined;
  for (const part of rubric.parts) {
    const tests = mine.filter((t) => t.ancestors[1] === part.name);
    if (tests.length === 0) {
      const why = raw.execError ? sanitize(raw.execError.split('\n')[0], scratchDir) : 'no tests ran for this part';
      kitFault ??= `${part.name}: ${why}`;
      results.push({
        part: part.name, name: 'the tests could not run', visibility: 'public', status: 'error', outcome: 'kit-error',
        message: kitPartFailureText(part.name, why),
        points: 0, maxPoints: part.points,
      });
      continue;
    }
    const shares = splitPoints(part.points, tests.length);
    for (const [k, t] of tests.entries()) {
      const share = shares[k];
      const name = t.title;
      const took = t.durationMs !== undefined ? { durationMs: t.durationMs } : {};
      // The harness's record says what the test came to; a test without one never reached its end
      // (jest's own timeout, a fault in a suite): the kit's, not the student's.
      const record = t.record;
      const visibility = record?.visibility ?? 'public';
      if (t.status === 'passed' && record?.outcome === 'passed') {
        results.push({ part: part.name, name, visibility, status: 'pass', outcome: 'passed', points: share, maxPoints: share, ...took });
        continue;
      }
      const failure = t.failure ?? { name: 'Error', message: `the test did not pass (${t.status})` };
      const studentsAnswer = record !== undefined && record.outcome !== 'kit-error' && record.outcome !== 'passed';
      const why = sanitize(failure.message.split('\n')[0], scratchDir);
      if (!studentsAnswer) kitFault ??= `${part.name}, ${name}: ${why}`;
      const message = studentsAnswer ? sanitize(failure.message, scratchDir) : kitTestFailureText(why);
      results.push({
        part: part.name, name, visibility, status: studentsAnswer ? 'fail' : 'error', outcome: studentsAnswer ? record.outcome : 'kit-error',
        message, points: 0, maxPoints: share, ...took,
      });
    }
  }
  return { tests: results, ...(kitFault !== undefined ? { kitFault } : {}) };
}
