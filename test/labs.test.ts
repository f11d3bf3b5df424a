/**
 * Choosing a lab, end to end, with the kit's own lab(s): `--lab` on every command (an unknown id is
 * a usage error, exit 2, that lists the labs), a submission named as a lab's file graded as that
 * lab, `npm run grade` alone grading the default lab's stubs and saying so, and usage texts that
 * name the labs' files from the manifests. Two labs' files in one folder are tried on the deciding
 * functions themselves (test/unit/choose-lab.test.ts), with both manifests built there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gradeCommand } from './support/fixtures';
import { labFilesText, labIdsText, offeredLabFiles } from '../grader/lib/choose-lab';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-labs-test-'));
// Searchable by the sandboxes' own uids, so that the graders' scratch folders go inside it (TMPDIR).
fs.chmodSync(tmp, 0o755);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LABS = offeredLabFiles();

/** Runs one of the kit's launchers (grader/bin/<name>.js) to its end. */
function launch(name: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`grader/bin/${name}.js`, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--lab on every command', () => {
  test.each([['grade', []], ['grade', ['--batch', FIXTURES]], ['dev', []], ['plots', []]] as [string, string[]][])('npm run %s %j --lab nope: a usage error (exit 2) that lists the labs', (name, args) => {
    const r = launch(name, [...args, '--lab', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--lab nope: the kit has no such lab; its labs: ${LABS.map((l) => `${l.id} (${l.submission})`).join(', ')}`);
    expect(r.stdout).toBe('');
  });

  test('VG_LAB naming no lab is the same usage error', () => {
    const r = spawnSync(process.execPath, ['grader/bin/grade.js'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VG_LAB: 'nope' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^grade: VG_LAB=nope: the kit has no such lab; its labs: /);
  });

  test.each([['grade'], ['dev'], ['plots']])('npm run %s --help offers --lab and names the labs\' files from their manifests only', (name) => {
    const r = launch(name, ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}--lab ID {2,}/m);
    expect(r.stdout).toContain(`a lab's file (${labFilesText()})`);
    expect(r.stdout).toContain(labIdsText());
    // Every lab's name in it comes from the generated lists.
    const rest = r.stdout.split(labFilesText()).join('').split(labIdsText()).join('');
    for (const lab of LABS) expect(rest).not.toContain(lab.id);
  });
});

describe('which lab a submission is', () => {
  test('npm run grade alone grades the default lab\'s file in exercises/ and says which lab', async () => {
    const r = await gradeCommand(['--only', 'sigmoid', '--no-figures', '--report-dir', path.join(tmp, 'stubs')], tmp);
    expect(r.code).toBe(0);
    const [heading, lab] = r.stdout.split('\n');
    expect(heading).toMatch(/: grading exercises\/vanishing-gradients\.ts$/);
    expect(lab).toMatch(/^Lab: vanishing-gradients \(the kit's default(; for .*: --lab ID)?\)$/);
  }, 120_000);

  test('a file named as a lab\'s file is graded as that lab without --lab; --lab says so when given', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'named-'));
    fs.copyFileSync(path.join(FIXTURES, 'solution', 'vanishing-gradients.ts'), path.join(dir, 'vanishing-gradients.ts'));
    const out = path.join(dir, 'result.json');
    const r = await gradeCommand(['--submission', path.join(dir, 'vanishing-gradients.ts'), '--no-figures', '--seed', '1', '--report-dir', path.join(dir, 'report'), '--out', out, '--format', 'json'], tmp);
    expect(r.code).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect([result.exercise, result.score, result.maxScore]).toEqual(['vanishing-gradients', 100, 100]);
    // On the terminal (text), the line under the heading says how the lab was chosen.
    const text = await gradeCommand(['--submission', dir, '--only', 'linspace', '--no-figures', '--report-dir', path.join(dir, 'report')], tmp);
    expect(text.stdout.split('\n')[1]).toBe('Lab: vanishing-gradients (from the file\'s name, vanishing-gradients.ts)');
    const chosen = await gradeCommand(['--lab', 'vanishing-gradients', '--submission', dir, '--only', 'linspace', '--no-figures', '--report-dir', path.join(dir, 'report')], tmp);
    expect(chosen.stdout.split('\n')[1]).toBe('Lab: vanishing-gradients (--lab)');
  }, 120_000);

  test('a class whose folders hold a lab\'s file is graded as that lab, and the batch says so', async () => {
    const cls = fs.mkdtempSync(path.join(tmp, 'class-'));
    for (const [student, fixture] of [['ada', 'solution'], ['bo', 'stubs']]) {
      fs.mkdirSync(path.join(cls, student));
      fs.copyFileSync(path.join(FIXTURES, fixture, 'vanishing-gradients.ts'), path.join(cls, student, 'vanishing-gradients.ts'));
    }
    const r = await gradeCommand(['--batch', cls, '--no-figures', '--jobs', '1', '--out', path.join(cls, 'grades.csv'), '--report-dir', path.join(tmp, 'class-reports')], tmp);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Lab: vanishing-gradients (from the file\'s name, vanishing-gradients.ts)');
    expect(fs.readFileSync(path.join(cls, 'grades.csv'), 'utf8')).toMatch(/^ada,20,20,20,20,20,100,100,graded/m);
  }, 180_000);
});
