/**
 * JUnit XML, for GitLab CI, Jenkins and CodeGrade: one testsuite per part, one testcase per test,
 * failures with their messages. A pure function of the result.
 */
import type { GradeResult } from '../result';
import { messageWithAdvice } from './advice';

/** Escapes text for XML, dropping characters XML 1.0 cannot hold. */
export function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Renders JUnit XML. */
export function renderJunit(result: GradeResult): string {
  const suites = result.parts.map((part) => {
    const tests = result.tests.filter((t) => t.part === part.name);
    const cases = tests.length > 0
      ? tests.map((t) => {
        // The message attribute is one line in most readers: the test's message and its advice
        // side by side; the element's text keeps them as paragraphs.
        const full = messageWithAdvice(result, t);
        const line = full.replace(/\s*\n\s*/g, ' ') || (t.status === 'error' ? 'error' : 'failed');
        const body = t.status === 'pass' ? '' : t.status === 'error'
          ? `<error message="${xml(line)}">${xml(full)}</error>`
          : `<failure message="${xml(line)}">${xml(full)}</failure>`;
        return `    <testcase classname="${xml(`${result.exercise}.${part.name}`)}" name="${xml(t.name)}">${body}</testcase>`;
      })
      // Nothing ran (a compile error, say): one failing case per part carries the reason.
      : [`    <testcase classname="${xml(`${result.exercise}.${part.name}`)}" name="${xml(part.name)}"><failure message="${xml(result.message ?? 'not graded')}">${xml(result.message ?? '')}</failure></testcase>`];
    const failures = tests.length > 0 ? tests.filter((t) => t.status === 'fail').length : 1;
    const errors = tests.filter((t) => t.status === 'error').length;
    return `  <testsuite name="${xml(part.name)}" tests="${Math.max(tests.length, 1)}" failures="${failures}" errors="${errors}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const total = result.parts.reduce((n, p) => n + Math.max(result.tests.filter((t) => t.part === p.name).length, 1), 0);
  const failures = result.tests.length > 0 ? result.tests.filter((t) => t.status === 'fail').length : result.parts.length;
  const errors = result.tests.filter((t) => t.status === 'error').length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(result.exercise)}" tests="${total}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}
