/**
 * A lab's manifest (grader/labs/<id>/lab.json): the kit's own reads as the rubric and the
 * contract the grader uses, and a malformed one is refused with the file and what is wrong.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { labIds, ManifestError, manifestPath, readManifest, toleranceOf } from '../../grader/lab';
import { DEFAULT_TOLERANCE } from '../../grader/lib/allclose';
import { currentLab, KIT_ROOT } from '../../grader/lib/paths';
import { loadRubric } from '../../grader/lib/rubric';
import { contractSource } from '../../grader/stages/compile-shared';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-lab-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const good = JSON.parse(fs.readFileSync(manifestPath(KIT_ROOT, 'vanishing-gradients'), 'utf8')) as Record<string, unknown>;

/** Writes `manifest` as grader/labs/<folder>/lab.json under a fresh root; returns the file. */
function write(manifest: unknown, folder = 'vanishing-gradients'): string {
  const root = fs.mkdtempSync(path.join(tmp, 'kit-'));
  const file = manifestPath(root, folder);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return file;
}

describe('the kit\'s lab', () => {
  test('is read as the rubric the grader scores with, and the contract it type-checks against', () => {
    expect(labIds(KIT_ROOT)).toContain('vanishing-gradients');
    const lab = currentLab();
    expect(loadRubric()).toEqual({ version: 1, exercise: lab.id, title: lab.title, parts: lab.parts });
    const contract = contractSource();
    expect(contract.split('\n')[0]).toBe(`import * as s from './${lab.submission.replace(/\.ts$/, '')}';`);
    for (const part of lab.parts) expect(contract).toContain(`const ${part.name}: ${lab.contract.signatures[part.name]} = s.${part.name};`);
  });
  test('a part\'s tolerance comes from the manifest, else the kit\'s default', () => {
    expect(toleranceOf(currentLab(), 'simulateDecay')).toEqual({ rtol: 1e-9, atol: 0 });
    expect(toleranceOf(currentLab(), 'sigmoid')).toEqual(DEFAULT_TOLERANCE);
  });
});

test('a manifest of many parts, each using every earlier one (no circle), is read: the circle check visits each part once', () => {
  const parts = Array.from({ length: 60 }, (_, k) => ({ name: `f${k}`, points: 1, title: `F${k}`, uses: Array.from({ length: k }, (__, j) => `f${j}`) }));
  const file = write({ ...good, parts, tolerances: undefined, contract: { types: '', signatures: Object.fromEntries(parts.map((p) => [p.name, '() => number'])) } });
  expect(readManifest(file).parts).toHaveLength(60);
  // And a circle at the end of a long chain is still found.
  const chain = parts.map((p, k) => ({ ...p, uses: k === 0 ? ['f59'] : [`f${k - 1}`] }));
  expect(() => readManifest(write({ ...good, parts: chain, tolerances: undefined, contract: { types: '', signatures: Object.fromEntries(parts.map((p) => [p.name, '() => number'])) } }))).toThrow(/"uses" goes round in a circle \(f0 uses f59 uses f58 /);
});

describe('a malformed manifest is refused, saying which file and what is wrong', () => {
  test.each([
    ['not JSON', '{ "parts": [ oops', /not JSON/],
    ['another version', { ...good, version: 2 }, /"version" must be 1/],
    ['an id that is not the folder', { ...good, id: 'other-lab' }, /"id" is "other-lab", but the lab's folder is named "vanishing-gradients"/],
    ['an id with capitals', { ...good, id: 'Vanishing' }, /"id" must be lower-case letters/],
    ['no title', { ...good, title: ' ' }, /"title" must be a non-empty string/],
    ['a submission that is not a .ts file', { ...good, submission: '../x.js' }, /"submission" must be a file name ending in .ts/],
    ['no parts', { ...good, parts: [] }, /"parts" must list the graded functions/],
    ['a part twice', { ...good, parts: [...(good.parts as object[]), (good.parts as object[])[0]] }, /part names must be unique; linspace is listed twice/],
    ['a part without points', { ...good, parts: [{ name: 'f', points: 0, title: 'F', uses: [] }] }, /part f needs positive points/],
    ['a dependency that is no part', { ...good, parts: [{ name: 'f', points: 1, title: 'F', uses: ['g'] }], contract: { types: '', signatures: { f: '() => number' } } }, /part f uses g, which is not a part/],
    ['points finer than hundredths', { ...good, parts: [{ name: 'f', points: 33.333, title: 'F', uses: [] }], contract: { types: '', signatures: { f: '() => number' } } }, /part f: points are whole or in hundredths \(like 20 or 33\.33\); got 33\.333/],
    ['a part that uses itself', { ...good, parts: [{ name: 'f', points: 1, title: 'F', uses: ['f'] }], contract: { types: '', signatures: { f: '() => number' } } }, /part f: "uses" goes round in a circle \(f uses f\)/],
    ['parts that use each other, through a third', {
      ...good,
      parts: [{ name: 'f', points: 1, title: 'F', uses: ['g'] }, { name: 'g', points: 1, title: 'G', uses: ['h'] }, { name: 'h', points: 1, title: 'H', uses: ['f'] }],
      contract: { types: '', signatures: { f: '() => number', g: '() => number', h: '() => number' } },
    }, /part f: "uses" goes round in a circle \(f uses g uses h uses f\)/],
    ['a tolerance for no part', { ...good, tolerances: { nothing: { rtol: 0, atol: 0 } } }, /"tolerances" names nothing, which is not a part/],
    ['a tolerance that is not one', { ...good, tolerances: { linspace: { rtol: -1, atol: 0 } } }, /"tolerances.linspace" must be \{ "rtol": number >= 0, "atol": number >= 0 \}/],
    ['a part without a signature', { ...good, contract: { types: '', signatures: {} } }, /"contract.signatures" has no signature for part linspace/],
  ])('%s', (_, manifest, message) => {
    const file = write(manifest);
    expect(() => readManifest(file)).toThrow(message as RegExp);
    expect(() => readManifest(file)).toThrow(file);
    // The instructor's to fix, said in one line: the command shows its message, not a stack trace.
    expect(() => readManifest(file)).toThrow(ManifestError);
  });
});
