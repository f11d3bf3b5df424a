/**
 * The reference check compares numbers, not bytes: a numpy whose last bits differ (another CPU's
 * SIMD exp) passes, a real change in the lab fails, and a machine without numpy skips and says so.
 * Python is never needed: a stand-in python3 is placed first on PATH (test/support).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkReference, compareReference, referenceLabs, REFERENCE_RTOL, ulp } from '../../grader/tools/reference-check';
import { pythonStandIn } from '../support/python-stand-in';

const ROOT = path.resolve(__dirname, '..', '..');
const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'reference', 'vanishing-gradients.json'), 'utf8'));
const copy = (): typeof committed => JSON.parse(JSON.stringify(committed));

/** The next double above x (x > 0). */
const nextUp = (x: number): number => x + ulp(x);

describe('compareReference', () => {
  test('the same reference: nothing to report, every number identical', () => {
    const c = compareReference(copy(), committed);
    expect(c.problems).toEqual([]);
    expect(c.largest).toBeUndefined();
    expect(c.numbers).toBeGreaterThan(400);
  });

  test('values that differ in their last bits (another CPU) agree, and the largest is reported', () => {
    const fresh = copy();
    fresh.activations[37] = nextUp(fresh.activations[37]);
    fresh.gradients[5] = nextUp(nextUp(fresh.gradients[5]));
    fresh.provenance.numpy = '9.9.9';
    const c = compareReference(fresh, committed);
    expect(c.problems).toEqual([]);
    expect(c.largest).toMatchObject({ at: 'gradients[5]', ulps: 2 });
  });

  test('a real change fails: a value, a missing key, another length, other text', () => {
    const changed = copy();
    changed.activations[3] *= 1 + 1e-9;
    expect(compareReference(changed, committed).problems).toEqual([expect.stringMatching(/^activations\[3\] is .*relative difference 1\.0e-9, more than 1e-14/)]);
    const missing = copy();
    delete missing.stats.gradientMin;
    expect(compareReference(missing, committed).problems).toEqual(['stats.gradientMin is missing from what the lab gives now']);
    const longer = copy();
    longer.decay.values.push(1e-5);
    expect(compareReference(longer, committed).problems).toEqual([`decay.values has ${committed.decay.values.length + 1} elements, the committed reference ${committed.decay.values.length}`]);
    const reworded = copy();
    reworded.printed = reworded.printed.replace('Max of sigmoid', 'Largest sigmoid');
    const [said] = compareReference(reworded, committed).problems;
    // From a little before where the two part: the difference is in view, not two equal prefixes.
    const at = committed.printed.indexOf('Max of sigmoid');
    expect(said).toMatch(new RegExp(`^printed reads differently from character ${at + 1}: `));
    expect(said).toContain('Largest sigmoid');
    expect(said).toContain('Max of sigmoid');
    const renumbered = copy();
    renumbered.printed = renumbered.printed.replace('0.993', '0.994');
    expect(compareReference(renumbered, committed).problems).toEqual([expect.stringMatching(/^printed \(number \d+\) is 0\.994/)]);
  });

  test('the tolerance is a few ulps wide, not more', () => {
    // 1e-14 relative is at most 90 ulps of any double: far below any real change of the lab.
    expect(REFERENCE_RTOL / 2 ** -52).toBeLessThan(100);
  });
});

describe('the labs whose reference the kit generates', () => {
  test('each has its generator, its numpy code and its committed reference', () => {
    const labs = referenceLabs(ROOT);
    expect(labs.map((l) => l.id)).toEqual(['exploding-gradients', 'vanishing-gradients']);
    for (const lab of labs) for (const file of [lab.oracle, lab.notebook, lab.reference]) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  });
});

/** The first lab: the stand-in's edits below are of its reference. */
const LAB1 = referenceLabs(ROOT).find((l) => l.id === 'vanishing-gradients')!;

describe('checkReference, with a stand-in python3 first on PATH', () => {
  const envWith = (dir: string): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` });

  test('python3 without numpy: skipped, saying how to enable it', () => {
    const dir = pythonStandIn(ROOT, { kind: 'no-numpy' });
    const r = checkReference(ROOT, LAB1, 'python3', envWith(dir));
    expect(r).toEqual({ status: 'skipped', message: expect.stringMatching(/^skipped: python3 has no numpy\. Install it \(pip install numpy\).*--strict makes this a failure$/) });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('no python3 at all: skipped as well', () => {
    const r = checkReference(ROOT, LAB1, path.join(ROOT, 'no-such-python3'));
    expect(r.status).toBe('skipped');
    expect(r.message).toMatch(/was not found\. Install Python 3 with numpy/);
  });

  test('a numpy whose answers differ in the last bit: the check passes and prints the largest difference', () => {
    const dir = pythonStandIn(ROOT, { kind: 'writes', edit: 'r.activations[10] = r.activations[10] + 2 ** (Math.floor(Math.log2(r.activations[10])) - 52); r.provenance.numpy = "0.0.1";' });
    const r = checkReference(ROOT, LAB1, 'python3', envWith(dir));
    expect(r).toEqual({ status: 'ok', message: expect.stringMatching(/^\d+ numbers compared; largest difference \d\.\de-\d+ relative \(1 ulp\) at activations\[10\]$/) });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a lab that really changed: the check fails and says where', () => {
    const dir = pythonStandIn(ROOT, { kind: 'writes', edit: 'r.decay.values[2] = 0.07;' });
    const r = checkReference(ROOT, LAB1, 'python3', envWith(dir));
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/differs from what the lab gives[\s\S]*decay\.values\[2\] is 0\.07/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
