/**
 * The notebook's knobs as a student types them: one set of rules for the live page and for
 * `npm run plots`, each bad value named with its own message, never a chart drawn from it.
 */
import { checkKnobs, describeKnobs, knobsAsText, KNOB_NAMES, MAX_POINTS, MAX_STEPS } from '../../grader/labs/vanishing-gradients/knobs';
import { sameKnobs } from '../../grader/lib/knobs';
import { canonicalKnobs } from '../../grader/labs/vanishing-gradients/probe';
import type { Reference } from '../../grader/labs/vanishing-gradients/types';
import { loadReference } from '../../grader/lib/reference';

const lab = canonicalKnobs(loadReference<Reference>());

describe('the knobs', () => {
  test("nothing typed is the lab's knobs; the lab's values as text read back as the same knobs", () => {
    expect(checkKnobs({}, lab)).toEqual({ ok: true, knobs: lab });
    expect(checkKnobs(knobsAsText(lab), lab)).toEqual({ ok: true, knobs: lab });
    expect(Object.keys(knobsAsText(lab))).toEqual([...KNOB_NAMES]);
  });

  test("the notebook's suggestions are taken", () => {
    const checked = checkKnobs({ start: '-100', stop: '100', num: '1000', xTan: '2', steps: '10', x: '1', ylimLo: '-0.5', ylimHi: '1.5' }, lab);
    expect(checked).toEqual({ ok: true, knobs: { range: [-100, 100, 1000], xTan: 2, span: lab.span, steps: 10, x: 1, ylim: [-0.5, 1.5] } });
    expect(checkKnobs({ start: ' 1e-3 ', stop: '+.5', xTan: '-0', span: '2.' }, lab).ok).toBe(true);
  });

  test.each([
    ['start', '', /is not a number/],
    ['stop', 'abc', /"abc" is not a number/],
    ['xTan', '0x10', /is not a number/],
    ['x', 'Infinity', /is not a number/],
    ['x', '1e999', /is not a number/],
    ['x', 'NaN', /is not a number/],
    ['x', '1,5', /is not a number/],
    ['num', '1', /a whole number from 2 to 5000/],
    ['num', '2.5', /a whole number from 2 to 5000/],
    ['num', String(MAX_POINTS + 1), /a whole number from 2 to 5000/],
    ['steps', '0', new RegExp(`a whole number from 1 to ${MAX_STEPS}`)],
    ['steps', '-3', /a whole number from 1/],
    ['span', '0', /a positive number/],
    ['span', '-1.7', /a positive number/],
  ])('%s = %j is refused with a message beside that knob only', (name, value, message) => {
    const checked = checkKnobs({ [name]: value }, lab);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.problems)).toEqual([name]);
    expect(checked.problems[name as keyof typeof checked.problems]).toMatch(message);
  });

  test('the y-limit: none, both, or a message (one alone, or upside down)', () => {
    expect(checkKnobs({ ylimLo: ' ', ylimHi: '' }, lab)).toEqual({ ok: true, knobs: lab });
    expect(checkKnobs({ ylimLo: '-1' }, lab)).toEqual({ ok: false, problems: { ylimHi: 'give both limits, or neither' } });
    expect(checkKnobs({ ylimHi: '1' }, lab)).toEqual({ ok: false, problems: { ylimLo: 'give both limits, or neither' } });
    expect(checkKnobs({ ylimLo: '2', ylimHi: '1' }, lab)).toEqual({ ok: false, problems: { ylimHi: 'the upper limit must be above the lower one (2)' } });
    expect(checkKnobs({ ylimLo: '1', ylimHi: '1' }, lab).ok).toBe(false);
  });

  test('several bad knobs: every one is named, and a long value is cut in its message', () => {
    const checked = checkKnobs({ num: 'x'.repeat(500), span: '-1', steps: '1.5' }, lab);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.problems).sort()).toEqual(['num', 'span', 'steps']);
    expect(checked.problems.num!.length).toBeLessThan(80);
  });

  test('sameKnobs and describeKnobs', () => {
    expect(sameKnobs(lab, { ...lab })).toBe(true);
    expect(sameKnobs(lab, { ...lab, ylim: [0, 1] })).toBe(false);
    expect(sameKnobs(lab, { ...lab, range: [lab.range[0], lab.range[1], lab.range[2] + 1] })).toBe(false);
    expect(describeKnobs(lab)).toBe(`data linspace(${lab.range.join(', ')}) · tangent at x = ${lab.xTan} (span ${lab.span}) · decay: ${lab.steps} steps at x = ${lab.x}`);
  });
});
