/**
 * Batch grading: the fixture corpus graded as one class gets, student by student, the result each
 * fixture gets alone (its golden); the grades CSV, shards and their merge, the progress lines, a
 * worker that dies, and the command's refusals.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defuseCell, mergeGrades, parseCsv, readGrades, renderGrades, rowOf, undefuseCell, type GradeRow } from '../grader/batch/csv';
import { discover, parseShard, shardOf } from '../grader/batch/discover';
import { Progress } from '../grader/batch/progress';
import type { GradeResult } from '../grader/result';
import { comparable, gradeCommand, processesUnder } from './support/fixtures';
import { detectIsolation, which } from '../grader/sandbox/isolation';

/** The isolation the grader will choose on this machine. */
const isolationMode = detectIsolation().mode;

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-batch-test-'));
// Searchable by the sandboxes' own uids, so that the graders' scratch folders go inside it (TMPDIR).
fs.chmodSync(tmp, 0o755);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the grade command with this file's TMPDIR; resolves with its exit code and output (never rejects). */
function grade(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return gradeCommand(args, tmp, env);
}

function csvRows(file: string): Record<string, string>[] {
  const [head, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

describe('a student who attacks the classmates graded beside them', () => {
  // The attacker signals every process it may, its parent, and pids 2..400, at load and in every
  // call; its classmates (correct submissions) are graded in the same worker, one of them while
  // the attacker's child is alive (the next child starts during the current student's tests).
  const cls = path.join(tmp, 'attacked-class');
  const attacker = fs.readFileSync(path.join(FIXTURES, 'attacks-classmates', 'vanishing-gradients.ts'));
  const correct = fs.readFileSync(path.join(FIXTURES, 'solution', 'vanishing-gradients.ts'));
  beforeAll(() => {
    fs.mkdirSync(cls, { recursive: true });
    fs.writeFileSync(path.join(cls, 'a-before.ts'), correct);
    fs.writeFileSync(path.join(cls, 'b-attacker.ts'), attacker);
    fs.writeFileSync(path.join(cls, 'c-after.ts'), correct);
    fs.writeFileSync(path.join(cls, 'd-later.ts'), correct);
  });

  /** Grades the class; every classmate keeps full marks, the attacker too (its attacks fail), and the grader lives. */
  async function gradeAttackedClass(env: NodeJS.ProcessEnv, tag: string): Promise<void> {
    const csv = path.join(tmp, `attacked-${tag}.csv`);
    const r = await grade(['--batch', cls, '--seed', '3', '--no-figures', '--jobs', '1', '--allow-weak-isolation', '--out', csv, '--report-dir', path.join(tmp, `attacked-r-${tag}`)], env);
    expect(r.code).toBe(0);
    const rows = csvRows(csv);
    expect(rows.map((row) => [row.student, row.total, row.status])).toEqual([
      ['a-before', '100', 'graded'], ['b-attacker', '100', 'graded'], ['c-after', '100', 'graded'], ['d-later', '100', 'graded'],
    ]);
  }

  test('with the JavaScript guards on: every classmate keeps full marks', () => gradeAttackedClass({}, 'guarded'), 120_000);

  // Without the guards, only the operating system's boundary stands between the attacker and the
  // others: a machine that can give only weak isolation cannot run this one (it says so).
  (isolationMode === 'weak' ? test.skip : test)(
    isolationMode === 'weak'
      ? 'with the guards off: skipped here, this machine gives only weak isolation (no bubblewrap, not root)'
      : `with the guards off, the operating system alone (${isolationMode} isolation here): every classmate keeps full marks`,
    () => gradeAttackedClass({ VG_TEST_UNGUARDED: '1' }, 'unguarded'), 120_000);
});

describe('the fixture corpus as one class', () => {
  const out = path.join(tmp, 'corpus');
  const scenarios = fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory()).sort();
  let result: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    result = await grade(['--batch', 'test/fixtures', '--seed', '1', '--jobs', '2', '--out', path.join(out, 'grades.csv'), '--report-dir', path.join(out, 'reports')]);
  }, 300_000);

  test('every student gets a row, in id order, and the command says what it did', () => {
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Graded ${scenarios.length} students in \\d+\\.\\d s: `));
    const rows = csvRows(path.join(out, 'grades.csv'));
    expect(rows.map((r) => r.student)).toEqual(scenarios);
    const by = Object.fromEntries(rows.map((r) => [r.student, r]));
    expect(by.solution).toMatchObject({ total: '100', max: '100', status: 'graded', detail: '' });
    expect(by.stubs).toMatchObject({ total: '0', status: 'graded' });
    expect(by['syntax-error']).toMatchObject({ total: '0', status: 'compile error' });
    expect(by['syntax-error'].detail).toMatch(/^test\/fixtures\/syntax-error\/vanishing-gradients\.ts:\d+:\d+ - error: Expected "\)" but found ";"$/);
    expect(by['hangs-in-gradient']).toMatchObject({ status: 'timed out', sigmoidGradient: '0', linspace: '20' });
    expect(by['loops-at-load'].status).toBe('timed out');
    expect(by['missing-submission'].status).toBe('missing');
    expect(by['symlinked-submission'].status).toBe('missing');
  });

  test.each(scenarios)('%s: the same result as graded alone (its golden), but official', (name) => {
    const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected_results.json'), 'utf8')).result as GradeResult;
    const batch = comparable(JSON.parse(fs.readFileSync(path.join(out, 'reports', name, 'result.json'), 'utf8')) as GradeResult);
    // A batch is the instructor's grading: its scores are official, not advisory.
    expect(batch.advisory).toBe(false);
    // Its page and result.json name the student.
    const { student, ...rest } = batch;
    expect(student).toBe(name);
    expect({ ...rest, advisory: golden.advisory }).toEqual(golden);
    const row = csvRows(path.join(out, 'grades.csv')).find((r) => r.student === name)!;
    expect(Number(row.total)).toBe(golden.score);
  });

  test('each report page links figures that are in its folder', () => {
    for (const name of ['solution', 'wrong-sigmoid-mirrored', 'stubs']) {
      const dir = path.join(out, 'reports', name);
      const page = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
      const links = [...page.matchAll(/<img alt="[^"]*" src="([^"]+)">/g)].map((m) => m[1]);
      expect(links.length).toBeGreaterThanOrEqual(8);
      for (const link of links) expect(fs.existsSync(path.join(dir, link))).toBe(true);
      expect(page).not.toContain('data:image/png');
    }
  });

  test('a figure many students share is on disk once: their folders hold hard links to it, real files all the same', () => {
    const reference = (name: string): fs.Stats => fs.statSync(path.join(out, 'reports', name, 'figures', '2-subplots-reference.png'));
    const [a, b] = [reference('solution'), reference('wrong-sigmoid-mirrored')];
    expect(a.isFile()).toBe(true);
    expect(a.ino).toBe(b.ino);
    // Stored once in the report root's hidden folder, which is no student's.
    expect(a.nlink).toBeGreaterThanOrEqual(3);
    const stored = fs.readdirSync(path.join(out, 'reports', '.figures'));
    expect(stored.every((f) => /^[0-9a-f]{64}\.png$/.test(f))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'reports', 'solution', 'figures', '2-subplots-reference.png')).subarray(1, 4).toString()).toBe('PNG');
    // A figure of one student alone differs from the reference's.
    expect(reference('solution').ino).not.toBe(fs.statSync(path.join(out, 'reports', 'wrong-sigmoid-mirrored', 'figures', '2-subplots-student.png')).ino);
  });

  test('the class overview at the report root: scores, parts, tests, hints with their students, a link to every page', () => {
    const root = path.join(out, 'reports');
    const page = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
    const rows = csvRows(path.join(out, 'grades.csv'));
    const totals = rows.map((r) => Number(r.total));
    expect(page).toContain(`<strong>${rows.length}</strong> students`);
    // Every student's report is this grading's: none is counted by their grade alone.
    expect(page).not.toContain('counted by their grade');
    expect(page).toContain(`mean <strong>${Math.round((totals.reduce((a, b) => a + b, 0) / totals.length) * 100) / 100}</strong>`);
    // Both charts drawn, beside the page, with alt texts that carry their numbers.
    const charts = [...page.matchAll(/<img src="([^"]+)" alt="([^"]+)"/g)];
    expect(charts.map((m) => m[1])).toEqual(['overview/scores.png', 'overview/parts.png']);
    for (const [, file] of charts) expect(fs.readFileSync(path.join(root, file)).subarray(1, 4).toString()).toBe('PNG');
    expect(charts[0][2]).toContain(`Score distribution of ${rows.length} students`);
    // Every student with a report is linked, and every link leads to a page.
    const links = [...page.matchAll(/<a href="([^"]+)">/g)].map((m) => decodeURIComponent(m[1]));
    for (const link of links) expect(fs.existsSync(path.join(root, link))).toBe(true);
    for (const name of scenarios) if (fs.existsSync(path.join(root, name, 'result.json'))) expect(links).toContain(`${name}/index.html`);
    // The hints: each with the students whose result carries it.
    const results = scenarios.map((name) => [name, JSON.parse(fs.readFileSync(path.join(root, name, 'result.json'), 'utf8')) as GradeResult] as const);
    const mirrored = results.filter(([, r]) => r.parts.some((p) => p.hints?.some((h) => h.id === 'sigmoid-exp-plus-x'))).map(([n]) => n);
    expect(mirrored.length).toBeGreaterThan(0);
    const text = results.flatMap(([, r]) => r.parts.flatMap((p) => p.hints ?? [])).find((h) => h.id === 'sigmoid-exp-plus-x')!.text;
    const row = page.split('\n').find((l) => l.includes(`<code>sigmoid</code>: ${text}`))!;
    expect(row).toMatch(new RegExp(`^<tr><td class="num">${mirrored.length}</td>`));
    for (const n of mirrored) expect(row).toContain(`<a href="${encodeURIComponent(n)}/index.html">${n}</a>`);
  });

  test('nothing a student started outlives the batch', () => {
    // This run's processes only (TMPDIR is this file's folder): workers, renderers, sandbox children.
    expect(processesUnder(tmp)).toEqual([]);
  });
});

describe('shards, merge, and a class folder as it comes', () => {
  const cls = path.join(tmp, 'class');
  beforeAll(() => {
    const solution = fs.readFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), 'utf8');
    const stubs = fs.readFileSync(path.join(ROOT, 'exercises', 'vanishing-gradients.ts'), 'utf8');
    for (const [id, source] of [['ada', solution], ['bo', stubs], ['cy', solution.replace('return 1 / (1 + Math.exp(-x));', 'return 1 / (1 + Math.exp(x));')], ['=cmd', stubs]]) {
      fs.mkdirSync(path.join(cls, id), { recursive: true });
      fs.writeFileSync(path.join(cls, id, 'vanishing-gradients.ts'), source);
    }
    fs.writeFileSync(path.join(cls, 'eve.ts'), solution); // a bare file is a student too
    fs.mkdirSync(path.join(cls, 'fay')); // a student who submitted nothing
    // A student's whole repository (a GitHub Classroom clone): graded from exercises/, not from its
    // one top-level .ts file, a config.
    for (const [file, text] of [['package.json', '{}'], ['jest.config.ts', 'export default {};\n'], ['grader/cli.ts', 'export {};\n'], ['exercises/vanishing-gradients.ts', solution]]) {
      fs.mkdirSync(path.dirname(path.join(cls, 'gus', file)), { recursive: true });
      fs.writeFileSync(path.join(cls, 'gus', file), text);
    }
    fs.writeFileSync(path.join(cls, 'README.txt'), 'not a submission');
    fs.writeFileSync(path.join(cls, '.DS_Store'), '');
  });

  test('two shards, merged, give the grades of the whole class', async () => {
    const common = ['--seed', '7', '--no-figures', '--jobs', '2'];
    const whole = await grade(['--batch', cls, '--out', path.join(tmp, 'whole.csv'), '--report-dir', path.join(tmp, 'r-whole'), ...common]);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toContain('Not submissions, left out: .DS_Store, README.txt');
    // The shards' report folders gathered in one (runners sharing a folder, or their artifacts unpacked there).
    const shared = path.join(tmp, 'r-shards');
    const a = await grade(['--batch', cls, '--shard', '1/2', '--out', path.join(tmp, 's1.csv'), '--report-dir', shared, ...common]);
    const b = await grade(['--batch', cls, '--shard', '2/2', '--out', path.join(tmp, 's2.csv'), '--report-dir', shared, ...common]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toContain('(shard 1/2)');
    const s1 = csvRows(path.join(tmp, 's1.csv')).map((r) => r.student);
    const s2 = csvRows(path.join(tmp, 's2.csv')).map((r) => r.student);
    expect(s1.length + s2.length).toBe(7);
    expect(s1.filter((s) => s2.includes(s))).toEqual([]);
    const merged = execFileSync(process.execPath, ['grader/bin/merge-grades.js', '--out', path.join(tmp, 'merged.csv'), path.join(tmp, 's1.csv'), path.join(tmp, 's2.csv')], { cwd: ROOT, encoding: 'utf8' });
    expect(merged).toContain('7 students');
    expect(fs.readFileSync(path.join(tmp, 'merged.csv'), 'utf8')).toBe(fs.readFileSync(path.join(tmp, 'whole.csv'), 'utf8'));
    // Each shard's overview counted its own students, the last one's over the first's; a merge
    // with --report-dir writes the whole class's, the very page one run over the class writes.
    expect(fs.readFileSync(path.join(shared, 'index.html'), 'utf8')).toContain('shard 2/2 (this page counts this shard');
    const withPage = spawnSync(process.execPath, ['grader/bin/merge-grades.js', '--out', path.join(tmp, 'merged-2.csv'), '--report-dir', shared, '--no-figures', path.join(tmp, 's1.csv'), path.join(tmp, 's2.csv')], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: withPage.status, stderr: withPage.stderr }).toEqual({ status: 0, stderr: '' });
    expect(withPage.stdout).toContain(`the class overview: ${path.join(shared, 'index.html')}`);
    expect(fs.readFileSync(path.join(shared, 'index.html'), 'utf8')).toBe(fs.readFileSync(path.join(tmp, 'r-whole', 'index.html'), 'utf8'));
    // A student whose report folder is not there, or holds another grading's result (another
    // seed: a folder left from an earlier run), is counted by their row, and named.
    fs.rmSync(path.join(shared, 'ada'), { recursive: true });
    const edit = (id: string, change: (r: GradeResult) => GradeResult): void => {
      const file = path.join(shared, id, 'result.json');
      fs.writeFileSync(file, JSON.stringify(change(JSON.parse(fs.readFileSync(file, 'utf8')) as GradeResult)));
    };
    edit('eve', (r) => ({ ...r, seed: 8 }));
    // Another lab's report, of the same seed and score: its parts tell.
    edit('gus', (r) => ({ ...r, parts: r.parts.map((p) => ({ ...p, name: `other-${p.name}` })) }));
    const merge = (args: string[]) => spawnSync(process.execPath, ['grader/bin/merge-grades.js', ...args, path.join(tmp, 's1.csv'), path.join(tmp, 's2.csv')], { cwd: ROOT, encoding: 'utf8' });
    const lacking = merge(['--out', path.join(tmp, 'merged-3.csv'), '--report-dir', shared, '--no-figures']);
    expect(lacking.status).toBe(0);
    expect(lacking.stderr).toMatch(/^merge:grades: 3 students have no report of this grading in .*r-shards \(ada, eve, gus: no result.json, or one of another seed, score or lab\): the overview counts their rows alone, and says so/);
    const page = fs.readFileSync(path.join(shared, 'index.html'), 'utf8');
    // The page says which students it counts by their grades alone.
    expect(page).toContain('3 students are counted by their grades alone (ada, eve, gus): their report folders hold no result of this grading');
    expect(fs.readFileSync(path.join(tmp, 'r-whole', 'index.html'), 'utf8')).not.toContain('counted by their grade');
    // A folder that holds none of the students' reports (the wrong one): refused, nothing written.
    const empty = fs.mkdtempSync(path.join(tmp, 'r-empty-'));
    const none = merge(['--out', path.join(tmp, 'merged-none.csv'), '--report-dir', empty, '--no-figures']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^merge:grades: none of the 7 students graded has a report of this grading in .*r-empty-\w+ .*nothing was written/);
    expect([fs.existsSync(path.join(tmp, 'merged-none.csv')), fs.readdirSync(empty)]).toEqual([false, []]);
    // --out over the report folder's own files is refused before anything is written; a report
    // folder that cannot be written too.
    for (const over of [path.join(shared, 'index.html'), path.join(shared, 'overview', 'scores.png'), path.join(shared, 'bo', 'result.json')]) {
      const before = fs.existsSync(over) ? fs.readFileSync(over) : undefined;
      const r = merge(['--out', over, '--report-dir', shared]);
      expect({ over, status: r.status }).toEqual({ over, status: 2 });
      expect(r.stderr).toMatch(/would write over a file of the report folder .*r-shards \(the class overview, its charts, or a student's report\)/);
      expect(fs.existsSync(over) ? fs.readFileSync(over) : undefined).toEqual(before);
    }
    expect(merge(['--out', path.join(shared, 'grades.csv'), '--report-dir', shared, '--no-figures']).status).toBe(0);
    const nowhere = spawnSync(process.execPath, ['grader/bin/merge-grades.js', '--out', path.join(tmp, 'merged-4.csv'), '--report-dir', path.join(tmp, 'no-such-reports'), path.join(tmp, 's1.csv'), path.join(tmp, 's2.csv')], { cwd: ROOT, encoding: 'utf8' });
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toMatch(/--report-dir .*no-such-reports is not a folder/);
    expect(fs.existsSync(path.join(tmp, 'merged-4.csv'))).toBe(false);
    const rows = Object.fromEntries(csvRows(path.join(tmp, 'whole.csv')).map((r) => [r.student, r]));
    expect(rows.ada).toMatchObject({ total: '100', status: 'graded' });
    expect(rows.eve).toMatchObject({ total: '100', status: 'graded' });
    expect(rows.fay).toMatchObject({ total: '0', status: 'missing' });
    expect(rows.gus).toMatchObject({ total: '100', status: 'graded', detail: '' });
    expect(Number(rows.cy.total)).toBeLessThan(100);
    // An id a spreadsheet would run as a formula is defused.
    expect(rows["'=cmd"]).toMatchObject({ total: '0' });
    expect(fs.existsSync(path.join(tmp, 'r-whole', 'fay', 'result.json'))).toBe(true);
  }, 240_000);

  test('a worker that dies is replaced; the student it died on gets a kit-error row, the others their grades', async () => {
    const r = await grade(['--batch', cls, '--seed', '7', '--no-figures', '--jobs', '1', '--out', path.join(tmp, 'dies.csv'), '--report-dir', path.join(tmp, 'r-dies')], { VG_TEST_WORKER_DIES_ON: 'bo' });
    expect(r.code).toBe(1);
    const rows = Object.fromEntries(csvRows(path.join(tmp, 'dies.csv')).map((row) => [row.student, row]));
    expect(Object.keys(rows).sort()).toEqual(["'=cmd", 'ada', 'bo', 'cy', 'eve', 'fay', 'gus']);
    expect(rows.bo).toMatchObject({ status: 'kit error', total: '0' });
    expect(rows.bo.detail).toMatch(/grader process stopped twice/);
    expect(rows.ada).toMatchObject({ status: 'graded', total: '100' });
    expect(rows.eve).toMatchObject({ status: 'graded', total: '100' });
    // The worker died twice with a scratch folder of its own (the compiled files, the seed): gone
    // with it, as the folders of the workers that ended normally are.
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('vg-grade-'))).toEqual([]);
    expect(processesUnder(tmp)).toEqual([]);
  }, 240_000);

  test('an orchestrator killed outright takes its workers with it: nothing goes on grading, nothing is left', async () => {
    const hangs = path.join(tmp, 'orphans');
    const source = fs.readFileSync(path.join(FIXTURES, 'hangs-in-gradient', 'vanishing-gradients.ts'));
    for (const id of ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']) {
      fs.mkdirSync(path.join(hangs, id), { recursive: true });
      fs.writeFileSync(path.join(hangs, id, 'vanishing-gradients.ts'), source);
    }
    const reports = path.join(tmp, 'r-orphans');
    const child = spawn(process.execPath, ['grader/bin/grade.js', '--batch', hangs, '--seed', '7', '--no-figures', '--jobs', '2', '--quiet', '--out', path.join(tmp, 'orphans.csv'), '--report-dir', reports], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' }, stdio: 'ignore' });
    // Once a worker is grading (a sandbox child of a student is running), the orchestrator dies.
    const until = Date.now() + 60_000;
    while (!processesUnder(tmp).some((p) => p.includes('child.js')) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(processesUnder(tmp).some((p) => p.includes('child.js'))).toBe(true);
    // Each of these students takes seconds (a function that loops), so none was filed yet.
    const filed = (): string[] => (fs.existsSync(reports) ? fs.readdirSync(reports).filter((n) => !n.startsWith('.')) : []);
    expect(filed()).toEqual([]);
    process.kill(child.pid!, 'SIGKILL');
    const gone = Date.now() + 15_000;
    while (processesUnder(tmp).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(processesUnder(tmp)).toEqual([]);
    // Nobody is filed once nobody can count them (a worker went on grading, writing folders).
    expect(filed()).toEqual([]);
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('vg-grade-'))).toEqual([]);
  }, 120_000);

  test('refusals: usage errors exit 2 with a reason', async () => {
    const cases: [string[], RegExp][] = [
      [['--batch', cls, '--submission', 'solutions'], /--batch grades a folder of students; --submission grades one/],
      [['--batch', cls, '--shard', '3/2'], /--shard takes i\/n with 1 <= i <= n/],
      [['--batch', cls, '--jobs', '0'], /--jobs takes a whole number from 1/],
      [['--batch', cls, '--format', 'json'], /--batch writes a grades CSV/],
      [['--shard', '1/2'], /--jobs, --shard and --resume go with --batch DIR/],
      [['--batch', cls, '--resume', '--out', path.join(tmp, 'no-such.csv')], /--resume: cannot read the grades file .*\.csv \(ENOENT\)/],
      [['--batch', path.join(tmp, 'no-such-class')], /--batch: cannot read .*no-such-class: ENOENT/],
    ];
    for (const [args, message] of cases) {
      const r = await grade([...args, '--out', path.join(tmp, 'never.csv'), '--report-dir', path.join(tmp, 'never')]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
    }
    // A report folder that cannot be made: one line, exit 2, before any student (a stack trace
    // before; under /proc, Node's recursive mkdir looped forever at full CPU).
    fs.writeFileSync(path.join(tmp, 'a-file.txt'), '');
    fs.symlinkSync('nowhere', path.join(tmp, 'dangling'));
    for (const [dir, why] of [[path.join(tmp, 'a-file.txt'), /is a file, not a folder/], [path.join(tmp, 'a-file.txt', 'rep'), /cannot be made or written to \(ENOTDIR/], [path.join(tmp, 'dangling', 'rep'), /cannot be made or written to \(ENOENT: .*dangling\)/], ['/proc/vg-rep/x', /cannot be made or written to \(E[A-Z]+: \/proc\/vg-rep\)/]] as const) {
      const r = await grade(['--batch', cls, '--out', path.join(tmp, 'never.csv'), '--report-dir', dir]);
      expect({ dir, code: r.code, lines: r.stderr.trim().split('\n').length }).toEqual({ dir, code: 2, lines: 1 });
      expect(r.stderr).toMatch(new RegExp(`^grade: --report-dir ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${why.source}`));
    }
    const twice = path.join(tmp, 'twice');
    fs.mkdirSync(path.join(twice, 'alice'), { recursive: true });
    fs.writeFileSync(path.join(twice, 'alice.ts'), '');
    const r = await grade(['--batch', twice, '--out', path.join(tmp, 'never.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/alice and alice\.ts are both student alice/);
  }, 120_000);
});

describe('Ctrl-C in the middle of a batch, then --resume', () => {
  const cls = path.join(tmp, 'interrupted-class');
  const out = path.join(tmp, 'interrupted.csv');
  beforeAll(() => {
    const correct = fs.readFileSync(path.join(FIXTURES, 'solution', 'vanishing-gradients.ts'));
    const hangs = fs.readFileSync(path.join(FIXTURES, 'hangs-in-gradient', 'vanishing-gradients.ts'));
    fs.mkdirSync(cls, { recursive: true });
    // Slow students (a function that hangs costs its time limit) among quick ones.
    for (let k = 0; k < 8; k++) fs.writeFileSync(path.join(cls, `s${k}.ts`), k % 2 ? hangs : correct);
  });

  test('SIGINT: no student is started any more, every graded row is written, the summary says what is left, exit 130; --resume grades the rest with the same seed', async () => {
    const args = ['grader/bin/grade.js', '--batch', cls, '--seed', '11', '--no-figures', '--jobs', '1', '--out', out, '--report-dir', path.join(tmp, 'r-int')];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Interrupted once some students are graded and others are not.
    const graded = (): Record<string, string>[] => (fs.existsSync(out) ? csvRows(out).filter((r) => r.status !== 'not graded') : []);
    for (let waited = 0; graded().length === 0 && waited < 120_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const kept = graded();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(8);
    // The file lists the whole class: the students not reached say so, and it cannot be merged.
    const listed = csvRows(out);
    expect(listed.map((r) => r.student)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
    expect(listed.filter((r) => r.status === 'not graded').every((r) => /run it again with --resume/.test(r.detail))).toBe(true);
    expect(() => mergeGrades([{ name: 'stopped.csv', text: fs.readFileSync(out, 'utf8') }])).toThrow(/stopped\.csv has \d+ students? not graded yet/);
    expect(stderr).toContain(`Stopped by SIGINT: ${kept.length} of 8 students graded`);
    expect(stderr).toContain(`${8 - kept.length} left`);
    expect(stderr).toContain('--resume');
    // Nothing of the batch outlives it: workers, jest, sandboxes.
    expect(processesUnder(tmp)).toEqual([]);

    // The same command again without --resume (the up arrow) is refused: the file is kept as it was.
    const stoppedText = fs.readFileSync(out, 'utf8');
    const again = await grade(args.slice(1));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`holds the grades of a batch that was stopped \\(${kept.length} students? graded, ${8 - kept.length} not yet\\): add --resume to go on with it, or remove the file \\(or give another --out\\) to start again`));
    expect(fs.readFileSync(out, 'utf8')).toBe(stoppedText);

    const resumed = await grade(['--batch', cls, '--resume', '--no-figures', '--jobs', '1', '--out', out, '--report-dir', path.join(tmp, 'r-int')]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`(${kept.length} graded before, kept)`);
    const all = csvRows(out);
    expect(all.map((r) => r.student)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
    // The rows kept are as they were; every row has the first run's seed.
    for (const row of kept) expect(all.find((r) => r.student === row.student)).toEqual(row);
    expect(new Set(all.map((r) => r.seed))).toEqual(new Set(['11']));
    for (const r of all) expect(r.status).toBe(Number(r.student.slice(1)) % 2 ? 'timed out' : 'graded');
    // A --seed other than the file's is refused; so is another class.
    const other = await grade(['--batch', cls, '--resume', '--seed', '12', '--out', out, '--report-dir', path.join(tmp, 'r-int')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/was graded with seed 11, not 12/);
    const elsewhere = path.join(tmp, 'another-class');
    fs.mkdirSync(elsewhere, { recursive: true });
    fs.copyFileSync(path.join(cls, 's0.ts'), path.join(elsewhere, 'zed.ts'));
    const wrongClass = await grade(['--batch', elsewhere, '--resume', '--out', out, '--report-dir', path.join(tmp, 'r-int')]);
    expect(wrongClass.code).toBe(2);
    expect(wrongClass.stderr).toMatch(/has rows for students that are not in .*another-class: s0, s1, s2, s3, s4 and 3 more; is it the same class\?/);
    expect(csvRows(out)).toEqual(all);
  }, 300_000);
});

describe('the grades file', () => {
  const result = (over: Partial<GradeResult>): GradeResult => ({
    version: 1, exercise: 'vanishing-gradients', title: 'Vanishing Gradients', submission: 'x', status: 'graded', seed: 1, score: 40, maxScore: 100,
    parts: [{ name: 'a', title: 'A', status: 'pass', points: 20, maxPoints: 20, passed: 1, total: 1, feedback: [], fixFirst: [] },
      { name: 'b', title: 'B', status: 'fail', points: 20, maxPoints: 80, passed: 1, total: 4, feedback: [], fixFirst: [] }],
    tests: [], warnings: [], advisory: false, ...over,
  });

  test('rows: points per part, total, max, status and a one-line detail', () => {
    expect(rowOf('s1', result({}), ['a', 'b'])).toEqual({ student: 's1', points: [20, 20], total: 40, max: 100, status: 'graded', detail: 'b: fails its tests' });
    // A graded row says the first thing to fix: the first part failing on its own, with its hint.
    const hinted = result({ parts: [
      { name: 'a', title: 'A', status: 'fail', points: 0, maxPoints: 20, passed: 0, total: 1, feedback: ['a(1) returned 2'], fixFirst: [] },
      { name: 'b', title: 'B', status: 'fail', points: 0, maxPoints: 80, passed: 0, total: 4, feedback: ['b uses a'], fixFirst: ['a'] },
    ] });
    expect(rowOf('s4', hinted, ['a', 'b']).detail).toBe('a: a(1) returned 2');
    hinted.parts[0].hints = [{ id: 'h', text: 'Your values are the mirror image.' }];
    expect(rowOf('s4', hinted, ['a', 'b']).detail).toBe('a: hint: Your values are the mirror image.');
    expect(rowOf('s5', result({ score: 100, parts: [] }), ['a', 'b']).detail).toBe('');
    // With --only the used part is not in the result: the scored part's own line says what to fix first.
    const only = result({ parts: [{ name: 'b', title: 'B', status: 'fail', points: 0, maxPoints: 80, passed: 0, total: 4, feedback: ['b uses a, which fails its own tests: fix a first, then look at b again'], fixFirst: ['a'] }] });
    expect(rowOf('s6', only, ['b']).detail).toBe('b: b uses a, which fails its own tests: fix a first, then look at b again');
    const slow = result({ tests: [{ part: 'b', name: 'hidden: x', visibility: 'hidden', status: 'fail', outcome: 'timed-out', message: 'b(1): timed out after 2 s (an endless loop?)', points: 0, maxPoints: 20 }] });
    expect(rowOf('s2', slow, ['a', 'b'])).toMatchObject({ status: 'timed out', detail: 'stopped at its time limit: b' });
    const broken = result({ status: 'compile-error', score: 0, message: 'your code does not compile:\nvanishing-gradients.ts:3:1 - error: Expected ")" but found ";"' });
    expect(rowOf('s3', broken, ['a', 'b'])).toMatchObject({ status: 'compile error', detail: 'vanishing-gradients.ts:3:1 - error: Expected ")" but found ";"' });
    // A detail is cut at 300 characters, marked with an ellipsis, never between the two halves of
    // a character: a lone half reached the file as U+FFFD.
    const emoji = result({ status: 'compile-error', score: 0, message: `your code does not compile:\n${'a'.repeat(299)}\u{1F600}tail` });
    expect(rowOf('s7', emoji, ['a', 'b']).detail).toBe(`${'a'.repeat(299)}…`);
    expect(Buffer.from(renderGrades(['a', 'b'], [rowOf('s7', emoji, ['a', 'b'])], { seed: 1, shard: '1/1' }), 'utf8').includes(Buffer.from([0xef, 0xbf, 0xbd]))).toBe(false);
  });

  test('CSV: sorted, quoted where needed, formulas defused, and read back the same', () => {
    const rows: GradeRow[] = [
      { student: 'zed', points: [1, 2.5], total: 3.5, max: 10, status: 'graded', detail: '' },
      { student: '=HYPERLINK("x")', points: [0, 0], total: 0, max: 10, status: 'compile error', detail: 'line 1, "quoted"\nsecond' },
    ];
    const text = renderGrades(['a', 'b'], rows, { seed: 7, shard: '2/3' });
    expect(text.split('\r\n')[0]).toBe('student,a,b,total,max,status,detail,seed,shard');
    const parsed = parseCsv(text);
    expect(parsed[1]).toEqual(['\'=HYPERLINK("x")', '0', '0', '0', '10', 'compile error', 'line 1, "quoted"\nsecond', '7', '2/3']);
    expect(parsed[2]).toEqual(['zed', '1', '2.5', '3.5', '10', 'graded', '', '7', '2/3']);
    // Read back (--resume): the same rows, ids and details as they were, and the run.
    expect(readGrades(text, ['a', 'b'], 'g.csv')).toEqual({ rows: [rows[1], rows[0]], run: { seed: 7, shard: '2/3' } });
    expect(() => readGrades(text, ['a'], 'g.csv')).toThrow('g.csv has other columns');
    expect(readGrades(renderGrades(['a'], [], { seed: 1, shard: '1/1' }), ['a'], 'g.csv')).toEqual({ rows: [], run: undefined });
  });

  test('merge refuses other columns, a student twice, a file that is no grades file, other seeds and a missing shard', () => {
    const row = (student: string, p: number) => ({ student, points: [p], total: p, max: 1, status: 'graded' as const, detail: '' });
    const a = renderGrades(['a'], [row('s1', 1)], { seed: 5, shard: '1/2' });
    const b = renderGrades(['a'], [row('s2', 0)], { seed: 5, shard: '2/2' });
    // The merged file is what one run over the whole class would have written, shards aside.
    expect(mergeGrades([{ name: 'b', text: b }, { name: 'a', text: a }]).text).toBe(renderGrades(['a'], [row('s1', 1), row('s2', 0)], { seed: 5, shard: '1/1' }));
    expect(() => mergeGrades([{ name: 'a', text: a }, { name: 'a2', text: a }])).toThrow('student s1 is in both a and a2');
    expect(() => mergeGrades([{ name: 'a', text: a }, { name: 'c', text: renderGrades(['z'], [], { seed: 5, shard: '2/2' }) }])).toThrow('c has other columns than a');
    expect(() => mergeGrades([{ name: 'n', text: 'name,score\r\nx,1\r\n' }])).toThrow('n is not a grades file');
    // Shard 1 of 2 alone is not the class; nor are shards graded with other seeds.
    expect(() => mergeGrades([{ name: 'a', text: a }])).toThrow('shard 2/2 is missing');
    expect(() => mergeGrades([{ name: 'a', text: a }, { name: 'b9', text: renderGrades(['a'], [row('s2', 0)], { seed: 9, shard: '2/2' }) }])).toThrow(/different seeds \(a: 5, b9: 9\)/);
    expect(() => mergeGrades([{ name: 'a', text: a }, { name: 'a3', text: renderGrades(['a'], [row('s2', 0)], { seed: 5, shard: '2/3' }) }])).toThrow(/shards of different splits/);
    expect(() => mergeGrades([{ name: 'a', text: a }, { name: 'a1', text: renderGrades(['a'], [row('s2', 0)], { seed: 5, shard: '1/2' }) }])).toThrow('a and a1 are both shard 1/2');
    // A shard with no student has no row to tell its shard: it may be the one missing.
    expect(mergeGrades([{ name: 'a', text: a }, { name: 'empty', text: renderGrades(['a'], [], { seed: 5, shard: '2/2' }) }]).students).toBe(1);
  });
});

describe('ids round-trip through the grades file, whatever they are', () => {
  /** Ids a folder name can be (anything but / and NUL), chosen to collide under a naive quote. */
  const ADVERSARIAL = [
    '=1+1', "'=1+1", "''=1+1", "'''=1+1", '+1', "'+1", '-1', "'-1", '@SUM(A1)', "'@x", '\tab', "'\tab", '\rcr', "'\rcr", '\nlf', "'\nlf",
    ' =1', "' =1", '\u00a0=1', '\uff1d1', "'\uff1d1", "'", "''", "'abc", 'abc', 'a,b', 'q"uote', '"', 'new\nline', 'cr\r\nlf', 'ünï cödé 漢字 😀',
    '\u202eevil', 'x\u001b[2J', '=', '-', 'a=b', '#N/A', '0', '00', '1e3',
  ];
  // A small deterministic generator: more ids built from the pieces that matter.
  let state = 99;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const PIECES = ["'", '=', '+', '-', '@', '\t', '\r', '\n', ' ', ',', '"', 'a', '1', '\uff1d', '\u00a0', 'é'];
  const generated = Array.from({ length: 2000 }, () => Array.from({ length: 1 + Math.floor(next() * 6) }, () => PIECES[Math.floor(next() * PIECES.length)]).join(''));
  const ids = [...new Set([...ADVERSARIAL, ...generated])];
  const row = (student: string, k: number): GradeRow => ({ student, points: [k % 3], total: k % 3, max: 2, status: 'graded', detail: k % 2 ? '=detail' : "'=detail" });
  /** What spreadsheets run as a formula: =, +, -, @ first (after white space), full-width forms, or a tab, CR or LF first. */
  const FORMULA = /^(?:\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n])/;

  test('a cell: never a formula, and read back the same value; distinct values, distinct cells', () => {
    const cells = new Map<string, string>();
    for (const id of ids) {
      const c = defuseCell(id);
      expect({ id, formula: FORMULA.test(c) }).toEqual({ id, formula: false });
      expect(undefuseCell(c)).toBe(id);
      expect(cells.get(c) ?? id).toBe(id);
      cells.set(c, id);
    }
    // The kit always wrote these so: a file written before reads back the same.
    expect(defuseCell('=x')).toBe("'=x");
    expect(defuseCell("'abc")).toBe("'abc");
  });

  test('write then read (--resume): the same ids and details; shards merged: the file one run writes', () => {
    const rows = ids.map(row);
    const text = renderGrades(['a'], rows, { seed: 3, shard: '1/1' });
    const sorted = [...rows].sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
    expect(readGrades(text, ['a'], 'g.csv')).toEqual({ rows: sorted, run: { seed: 3, shard: '1/1' } });
    for (const line of parseCsv(text)) for (const c of line) expect(FORMULA.test(c)).toBe(false);
    const shards = [1, 2, 3].map((i) => renderGrades(['a'], rows.filter((_, k) => k % 3 === i - 1), { seed: 3, shard: `${i}/3` }));
    const merged = mergeGrades(shards.map((t, k) => ({ name: `s${k + 1}.csv`, text: t })));
    expect(merged.students).toBe(ids.length);
    expect(merged.text).toBe(text);
  });
});

describe('a class whose student folders are named like formulas, quotes and escape sequences', () => {
  // Folder names as a class export may give them (anything but / and NUL). Stubs grade fast.
  // index.html and overview are the class overview's own names at the report root.
  const NAMES = ['=1+1', "'=1+1", "''=1+1", '+plus', '-minus', '@at', '\ttab', "'quote", 'a,b', 'q"uote', 'new\nline', 'ünï😀', 'esc\u001b]52;c;eA==\u0007\u001b[2J\u009b\u202e', 'index.html', 'overview', '\u202eecila'];
  const cls = path.join(tmp, 'formula-class');
  const out = path.join(tmp, 'formula.csv');
  const reports = path.join(tmp, 'r-formula');
  let first: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    fs.mkdirSync(cls, { recursive: true });
    const stubs = fs.readFileSync(path.join(FIXTURES, 'stubs', 'vanishing-gradients.ts'));
    for (const [k, name] of NAMES.entries()) {
      if (k % 2) fs.writeFileSync(path.join(cls, `${name}.ts`), stubs, { flag: 'w' });
      else {
        fs.mkdirSync(path.join(cls, name), { recursive: true });
        fs.writeFileSync(path.join(cls, name, 'vanishing-gradients.ts'), stubs);
      }
    }
    // Not a submission (no .ts): listed as left out, and its name is no workflow command.
    fs.writeFileSync(path.join(cls, '##[error]not a student'), '');
    first = await grade(['--batch', cls, '--seed', '4', '--no-figures', '--jobs', '1', '--out', out, '--report-dir', reports]);
  }, 150_000);

  test('graded: every id once, as the folder names it; nothing written to the terminal is an escape sequence', async () => {
    expect(first.code).toBe(0);
    expect(readGrades(fs.readFileSync(out, 'utf8'), ['linspace', 'sigmoid', 'sigmoidGradient', 'tangent', 'simulateDecay'], 'formula.csv').rows.map((r) => r.student)).toEqual([...NAMES].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(first.stdout + first.stderr).not.toMatch(/(?![\t\n])[\p{Cc}\p{Cf}]/u);
    // Each student's report.txt names them escaped, on one line.
    const report = fs.readFileSync(path.join(reports, NAMES[12], 'report.txt'), 'utf8');
    expect(report.split('\n')[0]).toContain('student esc\\x1b]52;c;eA==\\x07\\x1b[2J\\u009b\\u202e');
    expect(report).not.toMatch(/(?![\t\n])[\p{Cc}\p{Cf}]/u);
    expect(first.stdout).toContain('Not submissions, left out: # #[error]not a student');
    expect(first.stdout + first.stderr).not.toContain('##[');
  });

  test('the overview: its page and the students named like it each have their own place; ids shown escaped, so none reads as another', () => {
    expect(fs.statSync(path.join(reports, 'index.html')).isFile()).toBe(true);
    expect(fs.readdirSync(reports).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const page = fs.readFileSync(path.join(reports, 'index.html'), 'utf8');
    for (const [id, folder] of [['index.html', 'index.html~'], ['overview', 'overview~']]) {
      expect(JSON.parse(fs.readFileSync(path.join(reports, folder, 'result.json'), 'utf8'))).toMatchObject({ student: id });
      expect(page).toContain(`<a href="${encodeURIComponent(folder)}/index.html">${id}</a>`);
    }
    expect(fs.existsSync(path.join(reports, 'overview'))).toBe(false);
    // A right-to-left override would make "\u202eecila" read "alice".
    expect(page).toContain('>\\u202eecila</a>');
    expect(page).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u001b]/);
  });

  test('--resume accepts the file the batch wrote (nothing left to grade), and merge:grades too', async () => {
    const before = fs.readFileSync(out, 'utf8');
    const resumed = await grade(['--batch', cls, '--resume', '--no-figures', '--jobs', '1', '--out', out, '--report-dir', reports]);
    expect(resumed.stderr).not.toMatch(/grade:/);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`(${NAMES.length} graded before, kept)`);
    expect(fs.readFileSync(out, 'utf8')).toBe(before);
    const merged = path.join(tmp, 'formula-merged.csv');
    const r = spawnSync(process.execPath, ['grader/bin/merge-grades.js', '--out', merged, out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(merged, 'utf8')).toBe(before);
  }, 150_000);
});

describe('the class folder and shards', () => {
  test('every n-th student from the i-th; shards cover the class once', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i);
    const shards = [1, 2, 3].map((i) => shardOf(ids, parseShard(`${i}/3`)));
    expect(shards).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    expect(() => parseShard('0/3')).toThrow();
    expect(() => parseShard('2')).toThrow();
  });

  test('discover sorts students and lists what it leaves out', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'disc-'));
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'a.ts'), '');
    fs.writeFileSync(path.join(dir, 'notes.md'), '');
    fs.mkdirSync(path.join(dir, '.git'));
    const found = discover(dir);
    expect(found.students.map((s) => s.id)).toEqual(['a', 'b']);
    expect(found.ignored).toEqual(['.git', 'notes.md']);
  });

  test('a student named like the overview\'s page or charts gets a report folder of their own, never a classmate\'s, whatever the case', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'disc-'));
    for (const id of ['index.html', 'index.html~', 'Overview', 'b']) fs.mkdirSync(path.join(dir, id));
    const found = discover(dir);
    expect(found.students.map((s) => [s.id, s.folder])).toEqual([
      ['Overview', 'Overview~'], ['b', 'b'], ['index.html', 'index.html~~'], ['index.html~', 'index.html~'],
    ]);
  });
});

describe('progress', () => {
  test('plain lines every interval off a terminal, with counts and an ETA; one line redrawn on a terminal', () => {
    let now = 0;
    const lines: string[] = [];
    const plain = new Progress(4, { write: (t: string) => lines.push(t), isTTY: false }, () => now, 10_000);
    now = 5_000; plain.tick('graded');
    now = 12_000; plain.tick('compile error');
    now = 13_000; plain.tick('graded');
    now = 30_000; plain.tick('graded');
    plain.finish();
    expect(lines).toEqual([
      '2/4 (50%) · graded 1 · compile error 1 · 0:12 elapsed · ETA 0:12\n',
      '4/4 (100%) · graded 3 · compile error 1 · 0:30 elapsed\n',
    ]);
    const drawn: string[] = [];
    const tty = new Progress(2, { write: (t: string) => drawn.push(t), isTTY: true }, () => now, 10_000, { TERM: 'xterm' });
    now += 1000; tty.tick('graded');
    expect(drawn[0]).toMatch(/^\r\[#{12}\.{12}\] 1\/2 \(50%\) · graded 1 · 0:01 elapsed · ETA 0:01\u001b\[K$/);
    // A terminal that says it understands no escape sequences (TERM=dumb): plain lines, as off one.
    const dumbLines: string[] = [];
    now = 0;
    const dumb = new Progress(2, { write: (t: string) => dumbLines.push(t), isTTY: true }, () => now, 10_000, { TERM: 'dumb' });
    now = 12_000; dumb.tick('graded');
    now = 13_000; dumb.tick('graded');
    dumb.finish();
    expect(dumbLines).toEqual(['1/2 (50%) · graded 1 · 0:12 elapsed · ETA 0:12\n', '2/2 (100%) · graded 2 · 0:13 elapsed\n']);
  });

  test('on a terminal: a message goes above the bar, which is drawn again; the bar never outgrows the width', () => {
    let now = 0;
    const drawn: string[] = [];
    const narrow = new Progress(3, { write: (t: string) => drawn.push(t), isTTY: true, columns: 40 }, () => now, 10_000, { TERM: 'xterm' });
    now += 1000; narrow.tick('graded');
    narrow.log('a worker said something');
    expect(drawn.slice(1)).toEqual(['\r\u001b[Ka worker said something\n', expect.stringMatching(/^\r\[#{8}/)]);
    for (const d of drawn) {
      const line = d.replace(/\r|\u001b\[K|\n/g, '');
      expect([...line].length).toBeLessThanOrEqual(39);
    }
  });

  // A real terminal (a pseudo-terminal from util-linux's script): jest, seeing one, would draw its
  // own lines into the bar; the workers' output is piped, so only the bar is there.
  (which('script') ? test : test.skip)(which('script')
    ? 'a batch on a terminal 60 columns wide: only the bar, redrawn in place, never wider, and no jest line'
    : 'a batch on a terminal: skipped, util-linux\'s script (for a pseudo-terminal) is not installed here', () => {
    const cls = path.join(tmp, 'tty-class');
    fs.mkdirSync(cls, { recursive: true });
    for (const id of ['a', 'b', 'c']) fs.copyFileSync(path.join(FIXTURES, 'solution', 'vanishing-gradients.ts'), path.join(cls, `${id}.ts`));
    const command = `stty cols 60; ${process.execPath} grader/bin/grade.js --batch ${cls} --seed 2 --no-figures --jobs 2 --out ${path.join(tmp, 'tty.csv')} --report-dir ${path.join(tmp, 'r-tty')}`;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, TERM: 'xterm' }, timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/Determining test suites|RUNS|PASS|FAIL/);
    // Every piece drawn between carriage returns fits the 60 columns (less one).
    const pieces = r.stdout.replace(/\u001b\[K/g, '').split(/\r|\n/).filter((p) => p.includes('/3 ('));
    expect(pieces.length).toBeGreaterThan(0);
    for (const p of pieces) expect([...p].length).toBeLessThanOrEqual(59);
    expect(r.stdout).toContain('Graded 3 students');
  }, 150_000);

  (which('script') ? test : test.skip)(which('script')
    ? 'one submission graded on a terminal: the report, and no line of jest\'s'
    : 'one submission on a terminal: skipped, util-linux\'s script (for a pseudo-terminal) is not installed here', () => {
    const command = `${process.execPath} grader/bin/grade.js --submission test/fixtures/solution --seed 2 --no-figures --report-dir ${path.join(tmp, 'r-tty1')}`;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, TERM: 'xterm' }, timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/Determining test suites/);
    expect(r.stdout.replace(/\u001b\[[0-9;]*m/g, '').startsWith('Vanishing Gradients: grading test/fixtures/solution/vanishing-gradients.ts')).toBe(true);
  }, 150_000);
});

describe('one type checker for the whole batch', () => {
  test('the workers send their checks to the orchestrator\'s checker, and the warnings come back to each student', async () => {
    const cls = path.join(tmp, 'one-checker');
    for (const [i, fixture] of ['type-error-still-runs', 'signature-differs-and-prints', 'solution', 'type-error-still-runs'].entries()) {
      fs.mkdirSync(path.join(cls, `s${i}`), { recursive: true });
      // A line of its own: no cached check answers for it.
      fs.writeFileSync(path.join(cls, `s${i}`, 'vanishing-gradients.ts'), `${fs.readFileSync(path.join(FIXTURES, fixture, 'vanishing-gradients.ts'), 'utf8')}\n// ${process.pid} ${Date.now()} ${i}\n`);
    }
    const reports = path.join(tmp, 'one-checker-r');
    const child = spawn(process.execPath, ['grader/bin/grade.js', '--batch', cls, '--seed', '5', '--no-figures', '--jobs', '2', '--allow-weak-isolation', '--quiet', '--out', path.join(tmp, 'one-checker.csv'), '--report-dir', reports], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const parents = new Set<number>();
    const workers = new Set<number>();
    const poll = setInterval(() => {
      for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (cmdline.includes('worker.js') && ppid === child.pid) workers.add(Number(pid));
          if (cmdline.includes('compile-child.js') && cmdline.replace(/\0+$/, '').endsWith('check')) {
            const parent = /(?:^|\0)VG_COMPILER_PARENT=(\d+)/.exec(fs.readFileSync(`/proc/${pid}/environ`, 'utf8'))?.[1];
            if (parent) parents.add(Number(parent));
          }
        } catch { /* gone meanwhile, or another user's */ }
      }
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    expect(code).toBe(0);
    expect(workers.size).toBe(2);
    // Checkers of this batch: the orchestrator's, never a worker's.
    expect(parents.has(child.pid!)).toBe(true);
    for (const w of workers) expect(parents.has(w)).toBe(false);
    const warnings = (id: string): string[] => (JSON.parse(fs.readFileSync(path.join(reports, id, 'result.json'), 'utf8')) as GradeResult).warnings;
    expect(warnings('s0')).toEqual([expect.stringMatching(/error TS2322/)]);
    expect(warnings('s1')).toEqual(expect.arrayContaining([expect.stringMatching(/does not match the exercise's signature/)]));
    expect(warnings('s2')).toEqual([]);
    expect(warnings('s3')).toEqual(warnings('s0'));
  }, 180_000);
});
