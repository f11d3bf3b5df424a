/**
 * `npm run new-lab`: an instructor adds a lab by creating files only. In a copy of the kit (its
 * tracked files, the same node_modules), the command writes a lab that grades at once (the stubs
 * 0, the solution full marks, a classic mistake its hint, its figure drawn), validates against its
 * own numpy code when python3 with numpy is here, and leaves every file that was there as it was.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GradeResult } from '../grader/result';
import { labFiles, NewLabUsageError, parseNewLabArgs, titleOf, writeLab } from '../grader/tools/new-lab';
import { ROOT } from './support/fixtures';

const ID = 'my-third-lab';

describe('new-lab: the command line', () => {
  test('an id, and a title from it unless given', () => {
    expect(parseNewLabArgs(['my-third-lab'])).toEqual({ id: 'my-third-lab', title: 'My Third Lab' });
    expect(parseNewLabArgs(['x2', '--title', 'Two Things '])).toEqual({ id: 'x2', title: 'Two Things' });
    expect(parseNewLabArgs(['--title=T', 'abc'])).toEqual({ id: 'abc', title: 'T' });
    expect(parseNewLabArgs(['--help'])).toBe('help');
    expect(titleOf('a-b-c')).toBe('A B C');
  });
  test.each([
    [[], /name the lab/],
    [['My-Lab'], /is not a lab id/],
    [['a--b'], /is not a lab id/],
    [['2nd-lab'], /is not a lab id/],
    [['../escape'], /is not a lab id/],
    [['a', 'b'], /one lab at a time/],
    [['a', '--title'], /--title needs a title/],
    [['a', '--bogus'], /unknown option --bogus/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseNewLabArgs(argv as string[])).toThrow(NewLabUsageError);
    expect(() => parseNewLabArgs(argv as string[])).toThrow(message as RegExp);
  });
  test('an id already taken is refused, and nothing is written', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-new-lab-'));
    try {
      fs.mkdirSync(path.join(dir, 'solutions'));
      fs.writeFileSync(path.join(dir, 'solutions', `${ID}.ts`), 'mine\n');
      expect(() => writeLab(dir, ID, 'T')).toThrow(/already there \(solutions\/my-third-lab\.ts\)/);
      expect(fs.readdirSync(dir)).toEqual(['solutions']);
      expect(fs.readFileSync(path.join(dir, 'solutions', `${ID}.ts`), 'utf8')).toBe('mine\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a title of any characters is held as text by every file it goes into (JSON, TypeScript comments, Python)', () => {
    const title = 'Norms */ and "quotes" \\N $\' $& ${x} `ticks` """ </script>';
    const files = labFiles(ID, title);
    expect(JSON.parse(files.get(`grader/labs/${ID}/lab.json`)!).title).toBe(title);
    expect(JSON.parse(files.get(`grader/labs/${ID}/hints.json`)!).note).toContain(title);
    // The solution's doc comment is not closed early, and nothing of the template was spliced in.
    const solution = files.get(`solutions/${ID}.ts`)!;
    expect(solution.split('*/').length).toBe(labFiles(ID, 'T').get(`solutions/${ID}.ts`)!.split('*/').length);
    const python = files.get('reference/lab/my_third_lab_notebook.py')!;
    expect(python.split('"""').length).toBe(3);
    expect(() => parseNewLabArgs(['x', '--title', 'two\nlines'])).toThrow(/one line of text/);
  });

  test('every file the lab is made of is new, under its own names; none names the kit\'s other labs', () => {
    const files = [...labFiles(ID, 'T').keys()];
    for (const f of files) expect(f).toMatch(new RegExp(`^(grader/labs/${ID}/|solutions/${ID}\\.ts$|exercises/${ID}\\.ts$|reference/${ID}\\.json$|reference/lab/my_third_lab_notebook\\.py$)`));
    for (const text of labFiles(ID, 'T').values()) expect(text).not.toMatch(/__ID__|__TITLE__|__NOTEBOOK__|vanishing|exploding/i);
  });
});

describe('new-lab: a lab added to a copy of the kit by creating files only', () => {
  let kit: string;
  let before: Map<string, string>;
  const hashes = (root: string): Map<string, string> => {
    const out = new Map<string, string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name === 'build' || e.name === 'grade-report') continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) out.set(path.relative(root, p), crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
      }
    };
    walk(root);
    return out;
  };
  const grade = (...args: string[]): GradeResult => {
    const out = path.join(kit, 'result.json');
    spawnSync(process.execPath, ['grader/bin/grade.js', '--seed', '1', '--format', 'json', '--out', out, '--quiet', ...args], { cwd: kit, env: { ...process.env, VG_LAB: '', NO_COLOR: '1' }, encoding: 'utf8' });
    return JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult;
  };

  beforeAll(() => {
    // A searchable folder (the sandboxes' own uids read their compiled files under it).
    kit = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-kit-copy-'));
    fs.chmodSync(kit, 0o755);
    // The working tree as git sees it: tracked files and new ones, not what .gitignore leaves out.
    const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of tracked) {
      const from = path.join(ROOT, f);
      const st = fs.lstatSync(from, { throwIfNoEntry: false });
      if (!st) continue;
      fs.mkdirSync(path.dirname(path.join(kit, f)), { recursive: true });
      // A fixture may be a symbolic link (one that points out of the submission): kept as one.
      if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), path.join(kit, f));
      else fs.copyFileSync(from, path.join(kit, f));
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(kit, 'node_modules'), 'dir');
    before = hashes(kit);
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', 'grader/tools/new-lab.ts', ID, '--title', 'Squares, a Third Lab'], { cwd: kit, encoding: 'utf8' });
    execFileSync(process.execPath, ['grader/bin/build.js', '--force'], { cwd: kit, encoding: 'utf8' });
  }, 180_000);

  afterAll(() => {
    if (kit) fs.rmSync(kit, { recursive: true, force: true });
  });

  test('nothing that was there changed; only the lab\'s own files are new', () => {
    const after = hashes(kit);
    for (const [file, hash] of before) expect({ file, hash: after.get(file) }).toEqual({ file, hash });
    const added = [...after.keys()].filter((f) => !before.has(f)).sort();
    expect(added).toEqual([...labFiles(ID, 'T').keys()].sort());
  });

  test('the stubs score 0, each part saying it is not implemented yet (--lab: exercises/ holds every lab\'s stubs)', () => {
    const r = grade('--lab', ID);
    expect(r.exercise).toBe(ID);
    expect(r.title).toBe('Squares, a Third Lab');
    expect([r.status, r.score, r.maxScore]).toEqual(['graded', 0, 100]);
    expect(r.tests.every((t) => t.outcome === 'not-implemented')).toBe(true);
  }, 120_000);

  test('the solution scores full marks, with its figure and its printed block (its lab known from the file\'s name)', () => {
    const r = grade('--submission', `solutions/${ID}.ts`);
    expect([r.status, r.score]).toEqual(['graded', 100]);
    expect(r.figures?.map((f) => [f.id, f.placeholder, f.meaning])).toEqual([['1-squares', false, []]]);
    expect(r.lab?.text).toBe(JSON.parse(fs.readFileSync(path.join(kit, 'reference', `${ID}.json`), 'utf8')).printed);
  }, 120_000);

  test('a classic mistake gets its hint, and the part that uses it is told to fix that one first', () => {
    const dir = path.join(kit, 'wrong');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, `${ID}.ts`), fs.readFileSync(path.join(kit, 'solutions', `${ID}.ts`), 'utf8').replace('return x * x;', 'return 2 * x;'));
    const r = grade('--submission', dir);
    const square = r.parts.find((p) => p.name === 'square')!;
    expect(square.hints?.map((h) => h.id)).toEqual(['square-doubles']);
    expect(r.parts.find((p) => p.name === 'sumOfSquares')!.fixFirst).toEqual(['square']);
    expect(r.figures?.[0].meaning).toEqual(['your squares differ from the reference at 4 of 6 points (the first at x = 1)']);
  }, 120_000);

  test('validate says when the template\'s placeholders for students are still there (student.md, the solution\'s doc comment)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', '-e',
      `const c = require('./grader/tools/validate').checks('${ID}').find((k) => k.name.startsWith('the words students read first')); console.log(JSON.stringify(c.run() ?? null))`], { cwd: kit, encoding: 'utf8' });
    expect(JSON.parse(r.stdout)).toBe(`the new-lab template's placeholder is still in grader/labs/${ID}/student.md and solutions/${ID}.ts: write what students should read there`);
  }, 60_000);

  test('a source dated in the future (a zip from a machine whose clock is ahead) is built once, not at every run; an edit made after it is still built', () => {
    const source = path.join(kit, 'solutions', `${ID}.ts`);
    const inTwoHours = new Date(Date.now() + 2 * 3600_000);
    fs.utimesSync(source, inTwoHours, inTwoHours);
    const stamp = path.join(kit, 'build', '.stamp');
    execFileSync(process.execPath, ['grader/bin/build.js'], { cwd: kit, encoding: 'utf8' });
    const built = fs.readFileSync(stamp, 'utf8');
    execFileSync(process.execPath, ['grader/bin/build.js'], { cwd: kit, encoding: 'utf8' });
    expect(fs.readFileSync(stamp, 'utf8')).toBe(built);
    // An edit now, older than the future-dated file: built all the same.
    const edited = path.join(kit, 'grader', 'report', 'text.ts');
    const text = fs.readFileSync(edited, 'utf8');
    try {
      fs.writeFileSync(edited, `${text}\nexport const EDITED_AFTER_THE_FUTURE = 1;\n`);
      execFileSync(process.execPath, ['grader/bin/build.js'], { cwd: kit, encoding: 'utf8' });
      expect(fs.readFileSync(path.join(kit, 'build', 'grader', 'report', 'text.js'), 'utf8')).toContain('EDITED_AFTER_THE_FUTURE');
    } finally {
      fs.writeFileSync(edited, text);
    }
  }, 240_000);

  test('the leak check of a release flags a line of the new lab\'s solution, not one the kit\'s own code holds too (let total = 0;)', () => {
    const shipped = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-release-check-'));
    try {
      fs.mkdirSync(path.join(shipped, 'grader', 'report'), { recursive: true });
      fs.copyFileSync(path.join(kit, 'grader', 'report', 'junit.ts'), path.join(shipped, 'grader', 'report', 'junit.ts'));
      fs.writeFileSync(path.join(shipped, 'copied.ts'), 'for (const value of v) total += square(value);\n');
      const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', '-e',
        `console.log(JSON.stringify(require('./grader/tools/release').checkRelease(${JSON.stringify(shipped)})))`], { cwd: kit, encoding: 'utf8' });
      const leaks = (JSON.parse(r.stdout) as string[]).filter((p) => p.includes('a line of the solution'));
      expect(fs.readFileSync(path.join(shipped, 'grader', 'report', 'junit.ts'), 'utf8')).toContain('let total = 0;');
      expect(leaks).toEqual(['copied.ts contains a line of the solution: for (const value of v) total += square(value);']);
    } finally {
      fs.rmSync(shipped, { recursive: true, force: true });
    }
  }, 60_000);

  test('a lab\'s suite that fails to load, or hidden tests gone missing, is the kit\'s failure: exit 1, status kit-error, never a 0 the student is told to fix', () => {
    const run = (): { status: number | null; result: GradeResult } => {
      const out = path.join(kit, 'broken.json');
      const r = spawnSync(process.execPath, ['grader/bin/grade.js', '--seed', '1', '--format', 'json', '--out', out, '--quiet', '--submission', `solutions/${ID}.ts`], { cwd: kit, env: { ...process.env, VG_LAB: '', NO_COLOR: '1' }, encoding: 'utf8' });
      return { status: r.status, result: JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult };
    };
    const hiddenDir = path.join(kit, 'grader', 'labs', ID, 'suites', 'hidden');
    const suite = path.join(hiddenDir, 'index.ts');
    const text = fs.readFileSync(suite, 'utf8');
    try {
      // An instructor's typo: the suite throws as it loads.
      fs.writeFileSync(suite, `${text}\nthrow new Error('instructor typo');\n`);
      const typo = run();
      expect([typo.status, typo.result.status, typo.result.score]).toEqual([1, 'kit-error', 0]);
      expect(typo.result.message).toMatch(/^the grader failed \(not your fault; tell your instructor\): .*instructor typo/);
      expect(typo.result.parts.every((p) => p.status === 'error' && p.fixFirst.length === 0)).toBe(true);
    } finally {
      fs.writeFileSync(suite, text);
    }
    const index = path.join(hiddenDir, 'index.ts');
    const moved = `${index}.moved`;
    fs.renameSync(index, moved);
    try {
      const missing = run();
      expect([missing.status, missing.result.status]).toEqual([1, 'kit-error']);
      expect(missing.result.message).toMatch(/suites\/hidden\/index\.ts is missing/);
    } finally {
      fs.renameSync(moved, index);
    }
    expect(run().result).toMatchObject({ status: 'graded', score: 100 });
  }, 180_000);

  test('its reference is what its numpy code gives (or says why it cannot tell)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', '-e',
      `const c = require('./grader/tools/reference-check'); const lab = c.referenceLabs('.').find((l) => l.id === '${ID}'); console.log(JSON.stringify(c.checkReference('.', lab)));`], { cwd: kit, encoding: 'utf8' });
    const check = JSON.parse(r.stdout) as { status: string; message: string };
    if (check.status === 'skipped') console.warn(`new-lab: the reference check was skipped: ${check.message}`);
    expect(['ok', 'skipped']).toContain(check.status);
    if (check.status === 'ok') expect(check.message).toMatch(/all \d+ numbers compared identical/);
  }, 120_000);
});
