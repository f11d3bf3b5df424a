/**
 * JUnit XML, for GitLab CI, Jenkins, dorny/test-reporter and CodeGrade: one testsuite per part,
 * one testcase per test with its time, failures and errors with a type, a one-line message and
 * the full text. Valid against Jenkins' JUnit schema (junit-10.xsd). A pure function of the result.
 */
import type { GradeResult, TestResult } from '../result';
import { messageWithAdvice } from './advice';
import { safeText } from './sanitize';

/**
 * Escapes text for XML. First the kit's one sanitizer: controls and invisible characters shown
 * escaped (XML 1.0 cannot hold most C0 controls anyway), workflow command markers defused (CI logs
 * print these files); then anything XML 1.0 still cannot hold is dropped.
 */
export function xml(text: string): string {
  return safeText(text)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    // Lone surrogates are not characters either.
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Seconds as JUnit readers take them (the schema's SUREFIRE_TIME: digits, a point, up to 3 decimals). */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** The `type` of a run that graded nothing, by its status. */
const NOT_GRADED_TYPE: Record<string, string> = { 'compile-error': 'CompileError', rejected: 'Rejected', missing: 'Missing', 'kit-error': 'GraderError' };

/** Whether a run that graded nothing failed by the grader's fault (then its cases are errors, not failures). */
function notGradedIsError(result: GradeResult): boolean {
  return result.status === 'kit-error';
}

/** One test's element. */
function testcase(result: GradeResult, classname: string, t: TestResult): string {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(t.name)}" time="${seconds(t.durationMs ?? 0)}">`;
  if (t.status === 'pass') return `${open}</testcase>`;
  // The message attribute is one line in most readers: the test's message and its advice side by
  // side; the element's text keeps them as paragraphs.
  const full = messageWithAdvice(result, t);
  const line = full.replace(/\s*\n\s*/g, ' ') || (t.status === 'error' ? 'error' : 'failed');
  const body = t.status === 'error'
    ? `<error type="GraderError" message="${xml(line)}">${xml(full)}</error>`
    : `<failure type="WrongAnswer" message="${xml(line)}">${xml(full)}</failure>`;
  return `${open}${body}</testcase>`;
}

/** Renders JUnit XML. */
export function renderJunit(result: GradeResult): string {
  // The totals are the suites' sums, so that the two levels always agree.
  let totalMs = 0;
  let total = 0;
  let failures = 0;
  let errors = 0;
  const suites = result.parts.map((part) => {
    const tests = result.tests.filter((t) => t.part === part.name);
    const classname = `${result.exercise}.${part.name}`;
    const ms = tests.reduce((sum, t) => sum + (t.durationMs ?? 0), 0);
    const why = result.message ?? 'not graded';
    // Nothing ran: one case per part carries the reason, a failure when it is the submission's
    // (a compile error, say), an error when the grader failed: readers (Jenkins, GitLab) count an
    // error apart, not as a failed answer.
    const element = notGradedIsError(result) ? 'error' : 'failure';
    const cases = tests.length > 0
      ? tests.map((t) => testcase(result, classname, t))
      : [`    <testcase classname="${xml(classname)}" name="${xml(part.name)}" time="0.000"><${element} type="${NOT_GRADED_TYPE[result.status] ?? 'NotGraded'}" message="${xml(why.replace(/\s*\n\s*/g, ' '))}">${xml(result.message ?? '')}</${element}></testcase>`];
    const suiteFailures = tests.length > 0 ? tests.filter((t) => t.status === 'fail').length : element === 'failure' ? 1 : 0;
    const suiteErrors = tests.length > 0 ? tests.filter((t) => t.status === 'error').length : element === 'error' ? 1 : 0;
    totalMs += ms;
    total += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    return `  <testsuite name="${xml(part.name)}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}" skipped="0" time="${seconds(ms)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(result.exercise)}" tests="${total}" failures="${failures}" errors="${errors}" time="${seconds(totalMs)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
