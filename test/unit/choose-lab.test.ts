/**
 * Choosing the lab (grader/lib/choose-lab.ts): the deciding functions take the offered labs as
 * data, so two labs are tried here with both manifests' essentials built in the test (the kit
 * itself may offer one); folders and kits are temporary, removed after.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkLabId, chooseLab, labFilesText, labIdsText, labLine, labOfClass, labOfSubmission, labsAmong, offeredLabFiles,
  peekOption, takeLabOption, type LabFile,
} from '../../grader/lib/choose-lab';
import { defaultLabId, KIT_ROOT } from '../../grader/lib/paths';
import { UsageError } from '../../grader/usage';

const VANISHING: LabFile = { id: 'vanishing-gradients', submission: 'vanishing-gradients.ts' };
const EXPLODING: LabFile = { id: 'exploding-gradients', submission: 'exploding-gradients.ts' };
const TWO = [EXPLODING, VANISHING];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-choose-lab-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A folder under this test's temporary one, holding empty files with these names. */
/** A folder holding these entries (a name ending in / is a folder). */
function folder(name: string, files: string[]): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) {
    if (f.endsWith('/')) fs.mkdirSync(path.join(dir, f), { recursive: true });
    else fs.writeFileSync(path.join(dir, f), '');
  }
  return dir;
}

/** The usage error `f` throws (fails when it throws none, or another error). */
function usageError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no usage error');
}

const noDefault = (): string => { throw new Error('no default in this test'); };

describe('the labs offered', () => {
  test('the kit offers its labs with their files; usage texts list them', () => {
    expect(offeredLabFiles()).toContainEqual(VANISHING);
    expect(labFilesText(TWO)).toBe('exploding-gradients.ts or vanishing-gradients.ts');
    expect(labFilesText([VANISHING])).toBe('vanishing-gradients.ts');
    expect(labIdsText([{ id: 'a', submission: 'a.ts' }, { id: 'b', submission: 'b.ts' }, { id: 'c', submission: 'c.ts' }])).toBe('a, b or c');
  });

  test('an unknown id is a usage error that lists the labs and their files', () => {
    expect(checkLabId('exploding-gradients', TWO)).toBe(EXPLODING);
    const message = usageError(() => checkLabId('nope', TWO));
    expect(message).toBe('--lab nope: the kit has no such lab; its labs: exploding-gradients (exploding-gradients.ts), vanishing-gradients (vanishing-gradients.ts)');
  });
});

describe('the lab of one submission', () => {
  test('a file named as a lab\'s file is that lab; another name is none (the default then)', () => {
    expect(labOfSubmission({ kind: 'file', name: 'exploding-gradients.ts' }, TWO)).toBe(EXPLODING);
    expect(labOfSubmission({ kind: 'file', name: 'vanishing-gradients.ts' }, TWO)).toBe(VANISHING);
    expect(labOfSubmission({ kind: 'file', name: 'my-answer.ts' }, TWO)).toBeUndefined();
    // A lab the kit does not offer (no manifest yet) names nothing.
    expect(labOfSubmission({ kind: 'file', name: 'exploding-gradients.ts' }, [VANISHING])).toBeUndefined();
  });

  test('a folder holding one lab\'s file is that lab; holding two labs\' files, a usage error that lists both', () => {
    expect(labOfSubmission({ kind: 'folder', names: ['README.md', 'exploding-gradients.ts'], shown: 'sub' }, TWO)).toBe(EXPLODING);
    expect(labOfSubmission({ kind: 'folder', names: ['draft.ts'], shown: 'sub' }, TWO)).toBeUndefined();
    expect(labsAmong(['vanishing-gradients.ts', 'exploding-gradients.ts', 'x.ts'], TWO)).toEqual(TWO);
    const message = usageError(() => labOfSubmission({ kind: 'folder', names: ['vanishing-gradients.ts', 'exploding-gradients.ts'], shown: 'exercises' }, TWO));
    expect(message).toBe('exercises holds the files of 2 labs: exploding-gradients.ts (lab exploding-gradients), vanishing-gradients.ts (lab vanishing-gradients); say which to grade with --lab ID');
  });
});

describe('the lab of a class (--batch)', () => {
  test('every student folder holding one lab\'s file: that lab; bare files and other names say nothing', () => {
    expect(labOfClass([
      { id: 'ada', names: ['exploding-gradients.ts'] }, { id: 'bo', names: ['exploding-gradients.ts', 'notes.txt'] },
      { id: 'cy' }, { id: 'di', names: ['answer.ts'] },
    ], TWO)).toBe(EXPLODING);
    expect(labOfClass([{ id: 'cy' }, { id: 'di', names: [] }], TWO)).toBeUndefined();
  });

  test('a mixed class is a usage error that lists each lab with its students', () => {
    const message = usageError(() => labOfClass([
      { id: 'ada', names: ['exploding-gradients.ts'] }, { id: 'bo', names: ['vanishing-gradients.ts'] }, { id: 'cy', names: ['vanishing-gradients.ts'] },
    ], TWO));
    expect(message).toBe('--batch: the class holds the files of 2 labs: exploding-gradients.ts (lab exploding-gradients: ada); vanishing-gradients.ts (lab vanishing-gradients: bo, cy); grade each lab\'s students apart, or say which lab with --lab ID');
    // One student with both labs' files is mixed too: never a guess.
    expect(usageError(() => labOfClass([{ id: 'ada', names: ['exploding-gradients.ts', 'vanishing-gradients.ts'] }], TWO))).toMatch(/2 labs: .*ada\).*ada\)/);
  });
});

describe('chooseLab: --lab, VG_LAB, the files, the default', () => {
  const context = { labs: TWO, env: {}, cwd: tmp, defaultLab: () => 'vanishing-gradients' };

  test('--lab wins over VG_LAB and the files; VG_LAB over the files; both are checked', () => {
    const both = folder('both', ['vanishing-gradients.ts', 'exploding-gradients.ts']);
    expect(chooseLab({ lab: 'exploding-gradients', submission: both }, { ...context, env: { VG_LAB: 'vanishing-gradients' } })).toEqual({ id: 'exploding-gradients', how: 'option' });
    expect(chooseLab({ submission: both }, { ...context, env: { VG_LAB: 'exploding-gradients' } })).toEqual({ id: 'exploding-gradients', how: 'environment' });
    expect(usageError(() => chooseLab({ lab: 'nope' }, context))).toMatch(/^--lab nope: the kit has no such lab; its labs: exploding-gradients/);
    expect(usageError(() => chooseLab({}, { ...context, env: { VG_LAB: 'nope' } }))).toMatch(/^VG_LAB=nope: the kit has no such lab/);
  });

  test('a submission file or folder names its lab; two labs\' files are refused; nothing to go by: the default', () => {
    expect(chooseLab({ submission: path.join(folder('one', ['exploding-gradients.ts']), 'exploding-gradients.ts') }, context)).toEqual({ id: 'exploding-gradients', how: 'file', file: 'exploding-gradients.ts' });
    expect(chooseLab({ submission: 'one' }, context)).toEqual({ id: 'exploding-gradients', how: 'file', file: 'exploding-gradients.ts' });
    expect(usageError(() => chooseLab({ submission: 'both' }, context))).toMatch(/^both holds the files of 2 labs: exploding-gradients\.ts \(lab exploding-gradients\), vanishing-gradients\.ts \(lab vanishing-gradients\)/);
    expect(chooseLab({ submission: folder('other', ['answer.ts']) }, context)).toEqual({ id: 'vanishing-gradients', how: 'default' });
    expect(chooseLab({ submission: path.join(tmp, 'not-there') }, context)).toEqual({ id: 'vanishing-gradients', how: 'default' });
    expect(chooseLab({}, context)).toEqual({ id: 'vanishing-gradients', how: 'default' });
    expect(usageError(() => chooseLab({}, { ...context, defaultLab: noDefault }))).toBe('no default in this test');
  });

  test('a whole repository names its lab by the file in its exercises/, unless its top holds one', () => {
    expect(chooseLab({ submission: folder('repo', ['README.md', 'jest.config.ts', 'exercises/', 'exercises/exploding-gradients.ts']) }, context)).toEqual({ id: 'exploding-gradients', how: 'file', file: 'exploding-gradients.ts' });
    expect(chooseLab({ submission: folder('repo-top', ['vanishing-gradients.ts', 'exercises/', 'exercises/exploding-gradients.ts']) }, context)).toEqual({ id: 'vanishing-gradients', how: 'file', file: 'vanishing-gradients.ts' });
    expect(usageError(() => chooseLab({ submission: folder('kit-clone', ['exercises/', 'exercises/exploding-gradients.ts', 'exercises/vanishing-gradients.ts']) }, context))).toMatch(/^kit-clone holds the files of 2 labs/);
    const cls = path.join(tmp, 'repos');
    folder('repos/ada', ['package.json', 'exercises/', 'exercises/exploding-gradients.ts']);
    folder('repos/bo', ['exploding-gradients.ts']);
    expect(chooseLab({ batch: cls }, context)).toEqual({ id: 'exploding-gradients', how: 'file', file: 'exploding-gradients.ts' });
  });

  test('a class: its students\' folders name its lab; mixed, a usage error', () => {
    const cls = path.join(tmp, 'class');
    folder('class/ada', ['exploding-gradients.ts']);
    folder('class/bo', ['exploding-gradients.ts']);
    fs.writeFileSync(path.join(cls, 'cy.ts'), '');
    expect(chooseLab({ batch: cls }, context)).toEqual({ id: 'exploding-gradients', how: 'file', file: 'exploding-gradients.ts' });
    folder('class/di', ['vanishing-gradients.ts']);
    expect(usageError(() => chooseLab({ batch: cls }, context))).toMatch(/^--batch: the class holds the files of 2 labs: exploding-gradients\.ts \(lab exploding-gradients: ada, bo\); vanishing-gradients\.ts \(lab vanishing-gradients: di\)/);
    expect(chooseLab({ batch: cls, lab: 'vanishing-gradients' }, context)).toEqual({ id: 'vanishing-gradients', how: 'option' });
  });

  test('the report\'s line says the lab and how it was chosen', () => {
    expect(labLine({ id: 'vanishing-gradients', how: 'default' }, TWO)).toBe('Lab: vanishing-gradients (the kit\'s default; for exploding-gradients: --lab ID)');
    expect(labLine({ id: 'vanishing-gradients', how: 'default' }, [VANISHING])).toBe('Lab: vanishing-gradients (the kit\'s default)');
    expect(labLine({ id: 'exploding-gradients', how: 'file', file: 'exploding-gradients.ts' }, TWO)).toBe('Lab: exploding-gradients (from the file\'s name, exploding-gradients.ts)');
    expect(labLine({ id: 'exploding-gradients', how: 'option' }, TWO)).toBe('Lab: exploding-gradients (--lab)');
  });
});

describe('the command line', () => {
  test('--lab ID and --lab=ID are taken out, the rest kept in order; a --lab without an id is a usage error', () => {
    expect(takeLabOption(['--port', '5000', '--lab', 'a', '--seed', '3'])).toEqual({ lab: 'a', argv: ['--port', '5000', '--seed', '3'] });
    expect(takeLabOption(['--lab=b', '--submission', 'x'])).toEqual({ lab: 'b', argv: ['--submission', 'x'] });
    expect(takeLabOption(['--submission', 'x'])).toEqual({ argv: ['--submission', 'x'] });
    expect(usageError(() => takeLabOption(['--lab']))).toMatch(/^--lab needs a lab's id/);
    expect(usageError(() => takeLabOption(['--lab', '--seed', '1']))).toMatch(/^--lab needs a lab's id/);
  });

  test('--submission is read in either form, the last one given', () => {
    expect(peekOption(['--range', '-1,1,3', '--submission', 'a'], '--submission')).toBe('a');
    expect(peekOption(['--submission=b'], '--submission')).toBe('b');
    expect(peekOption(['--x', '1'], '--submission')).toBeUndefined();
  });
});

describe("the kit's default lab (package.json: kit.defaultLab)", () => {
  /** A kit with these labs (each a copy of the first lab's manifest under its id) and this package.json. */
  function kit(name: string, labs: string[], pkg: Record<string, unknown>): string {
    const root = path.join(tmp, name);
    const manifest = JSON.parse(fs.readFileSync(path.join(KIT_ROOT, 'grader', 'labs', 'vanishing-gradients', 'lab.json'), 'utf8'));
    for (const id of labs) {
      fs.mkdirSync(path.join(root, 'grader', 'labs', id), { recursive: true });
      fs.writeFileSync(path.join(root, 'grader', 'labs', id, 'lab.json'), JSON.stringify({ ...manifest, id, submission: `${id}.ts` }));
    }
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(pkg));
    return root;
  }

  test('this kit\'s default: package.json names the first lab', () => {
    expect(defaultLabId()).toBe('vanishing-gradients');
  });

  test('the default named, else the only lab; an unknown default, or several labs and none, is an error that lists them', () => {
    expect(defaultLabId(kit('k1', ['alpha', 'beta'], { kit: { defaultLab: 'beta' } }))).toBe('beta');
    expect(defaultLabId(kit('k2', ['alpha'], {}))).toBe('alpha');
    expect(() => defaultLabId(kit('k3', ['alpha', 'beta'], { kit: { defaultLab: 'nope' } }))).toThrow('package.json: "kit": { "defaultLab": "nope" } is not a lab of the kit (its labs: alpha, beta)');
    expect(() => defaultLabId(kit('k4', ['alpha', 'beta'], {}))).toThrow(/several labs \(alpha, beta\) and package\.json names no default .*--lab ID/);
    expect(offeredLabFiles(path.join(tmp, 'k1'))).toEqual([{ id: 'alpha', submission: 'alpha.ts' }, { id: 'beta', submission: 'beta.ts' }]);
  });
});
