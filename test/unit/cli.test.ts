import { parseArgs, UsageError } from '../../grader/cli';

describe('parseArgs', () => {
  test('defaults', () => {
    expect(parseArgs([])).toEqual({ reportDir: 'grade-report', format: 'text', quiet: false, help: false });
  });
  test('every option, in both spellings', () => {
    expect(parseArgs(['--submission', 'solutions', '--report-dir=r', '--format', 'gradescope', '--out', 'o.json', '--seed', '42', '--quiet']))
      .toEqual({ submission: 'solutions', reportDir: 'r', format: 'gradescope', out: 'o.json', seed: 42, quiet: true, help: false });
  });
  test.each([
    [['--format', 'xml'], /--format must be one of/],
    [['--seed', 'abc'], /--seed must be a whole number/],
    [['--seed', '0'], /--seed must be a whole number/],
    [['--submission'], /--submission needs a value/],
    [['--out', '--quiet'], /--out needs a value/],
    [['--frobnicate'], /unknown option --frobnicate/],
    [['solutions'], /did you mean --submission solutions/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseArgs(argv as string[])).toThrow(message as RegExp);
  });
});
