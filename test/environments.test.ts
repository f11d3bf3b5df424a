/**
 * The grade command on machines set up otherwise than a developer's: a umask that masks what the
 * sandbox must read, a report folder that cannot be written, a temporary folder that cannot be
 * used, and output streams that fail (a reader gone, a full disk). Each ends with what the caller
 * asked for, or one line that says what to fix and whose it is; never a stack trace, and never a
 * student's 0 for the machine's fault.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gradeCommand, ROOT } from './support/fixtures';
import { prepareScratch } from '../grader/sandbox/runtime';
import { detectIsolation } from '../grader/sandbox/isolation';
import type { GradeResult } from '../grader/result';
import { cacheDir } from '../grader/lib/cache-dir';
import { spawnSync } from 'node:child_process';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-environments-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SOLUTION = ['--submission', 'solutions', '--lab', 'vanishing-gradients', '--seed', '1', '--no-figures'];
const plan = detectIsolation();

/** Runs the grade command with its stdout wired as `stdout` says; resolves with its status and stderr. */
function gradeTo(args: string[], stdout: 'ignore' | number | 'close-early'): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['grader/bin/grade.js', ...args], {
      cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp }, stdio: ['ignore', stdout === 'close-early' ? 'pipe' : stdout, 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    // A reader that takes the first bytes and goes away, as `| head -1` does.
    if (stdout === 'close-early') child.stdout!.once('data', () => child.stdout!.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a umask that masks what the sandbox reads', () => {
  test(`the scratch folder's runtime and submission are readable by the sandbox under umask 077 (isolation here: ${plan.mode})`, () => {
    const root = fs.mkdtempSync(path.join(tmp, 'scratch-'));
    const before = process.umask(0o077);
    try {
      const layout = prepareScratch(root);
      const submission = layout.submissionDir(0);
      const mode = (p: string): number => fs.statSync(p).mode & 0o777;
      expect(mode(root)).toBe(0o711);
      expect(mode(layout.runtimeDir)).toBe(0o755);
      expect(mode(submission)).toBe(0o755);
      for (const file of fs.readdirSync(layout.runtimeDir)) expect([file, mode(path.join(layout.runtimeDir, file))]).toEqual([file, 0o644]);
    } finally {
      process.umask(before);
    }
  });

  test('a correct submission graded under umask 077 gets full marks', async () => {
    const out = path.join(tmp, 'umask.json');
    const r = await new Promise<number | null>((resolve) => {
      const child = spawn('/bin/sh', ['-c', 'umask 077 && exec "$0" grader/bin/grade.js "$@"', process.execPath, ...SOLUTION, '--format', 'json', '--out', out, '--quiet', '--report-dir', path.join(tmp, 'umask-report')], {
        cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore',
      });
      child.on('close', resolve);
    });
    expect(r).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult;
    expect([result.status, result.score]).toEqual(['graded', 100]);
  }, 60_000);
});

describe('a report folder that cannot be written', () => {
  test('costs the page, never the result: the JSON on stdout is whole, the status 0, and stderr says why', async () => {
    // Under a regular file: no folder can be made there, whoever runs the test (root included).
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, '');
    const r = await gradeCommand([...SOLUTION, '--format', 'json', '--report-dir', path.join(blocker, 'report')], tmp);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as GradeResult;
    expect([result.status, result.score]).toEqual(['graded', 100]);
    expect(r.stderr).toMatch(/^grade: the report folder .*a-file\/report could not be written \(ENOTDIR[^\n]*\); the result is complete without it/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  test('the text report then names no page', async () => {
    const r = await gradeCommand([...SOLUTION, '--report-dir', path.join(tmp, 'a-file', 'report')], tmp);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Score: 100\/100/);
    expect(r.stdout).not.toMatch(/report: /);
  }, 60_000);
});

describe('--out that is not a plain file', () => {
  // (Names that a regression could not replace with a file: a FIFO of this test's, and /dev/fd/1,
  // under /proc; never /dev/stdout itself, which a kit that replaced files would destroy as root.)
  test('a folder is refused before any grading (exit 2), a pipe for a batch too; this process\'s stdout by name is written through', async () => {
    const folder = await gradeCommand([...SOLUTION, '--format', 'json', '--out', tmp], tmp);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`grade: ${tmp} is a folder: name a file for the output\n`);
    const fifo = path.join(tmp, 'grades-pipe');
    spawnSync('mkfifo', [fifo]);
    const batch = await gradeCommand(['--batch', tmp, '--out', fifo], tmp);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/a batch rewrites its grades file as it goes/);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
    const through = await gradeCommand([...SOLUTION, '--format', 'json', '--quiet', '--out', '/dev/fd/1', '--report-dir', path.join(tmp, 'r-stdout')], tmp);
    expect(through.code).toBe(0);
    expect((JSON.parse(through.stdout) as GradeResult).score).toBe(100);
  }, 120_000);
});

describe('--out that would write over what the run reads or writes', () => {
  test('the submission, a classmate\'s file, the report folder, the kit\'s own files, a circle of links: refused before grading (exit 2), nothing changed', async () => {
    const dir = path.join(tmp, 'clash');
    fs.mkdirSync(path.join(dir, 'class'), { recursive: true });
    const sub = path.join(dir, 'vanishing-gradients.ts');
    const source = fs.readFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), 'utf8');
    fs.writeFileSync(sub, source);
    fs.writeFileSync(path.join(dir, 'class', 'z.ts'), source);
    fs.symlinkSync(sub, path.join(dir, 'link-to-sub.json'));
    const kitOwn = path.join(ROOT, 'grader', `no-such-output-${process.pid}.json`);
    fs.symlinkSync('l2', path.join(dir, 'l1'));
    fs.symlinkSync('l1', path.join(dir, 'l2'));
    const cases: [string[], RegExp][] = [
      [['--submission', sub, '--out', sub], /would write over the submission/],
      [['--submission', sub, '--out', path.join(dir, 'link-to-sub.json')], /would write over the submission/],
      [['--submission', sub, '--out', path.join(dir, 'r', 'index.html'), '--report-dir', path.join(dir, 'r')], /would write over a file of the report folder/],
      // (A name no file of the kit has: a kit that let it through would not destroy a source.)
      [['--submission', sub, '--out', kitOwn], /would write over the kit's own grader\//],
      [['--submission', sub, '--out', path.join(dir, 'l1')], /its symbolic links go round in a circle \(ELOOP\)/],
      [['--submission', sub, '--out', path.join(sub, 'result.json')], /is a file, not a folder/],
      [['--batch', path.join(dir, 'class'), '--out', path.join(dir, 'class', 'z.ts')], /would write over a student's entry in the class folder/],
      [['--batch', path.join(dir, 'class'), '--out', path.join(dir, 'class', 'ann', 'grades.csv')], /would write over a student's entry in the class folder/],
    ];
    try {
      for (const [args, message] of cases) {
        const r = await gradeCommand([...args, '--seed', '1', '--no-figures', '--quiet'], tmp);
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    } finally {
      fs.rmSync(kitOwn, { force: true });
    }
    expect(fs.readFileSync(sub, 'utf8')).toBe(source);
    expect(fs.readFileSync(path.join(dir, 'class', 'z.ts'), 'utf8')).toBe(source);
  }, 120_000);

  test('a batch\'s grades file through a symbolic link: written at its target, the link kept', async () => {
    const dir = path.join(tmp, 'csv-link');
    fs.mkdirSync(path.join(dir, 'class', 'ann'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), path.join(dir, 'class', 'ann', 'vanishing-gradients.ts'));
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync(path.join(dir, 'real', 'grades.csv'), path.join(dir, 'link.csv'));
    const r = await gradeCommand(['--batch', path.join(dir, 'class'), '--out', path.join(dir, 'link.csv'), '--report-dir', path.join(dir, 'r'), '--seed', '1', '--no-figures', '--jobs', '1'], tmp);
    expect(r.code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'real', 'grades.csv'), 'utf8')).toMatch(/^ann,.*,100,100,graded,/m);
  }, 120_000);
});

describe('a temporary folder reached through a symbolic link (a home folder that is one; a Mac\'s /var)', () => {
  test.each(['weak', plan.mode])('a correct submission gets full marks (isolation %s)', async (mode) => {
    const real = path.join(tmp, `real-tmp-${mode}`);
    fs.mkdirSync(real, { mode: 0o755 });
    const link = path.join(tmp, `link-tmp-${mode}`);
    fs.symlinkSync(real, link);
    const r = await gradeCommand([...SOLUTION, '--format', 'json', '--quiet', '--report-dir', path.join(tmp, `r-link-${mode}`)], link, { VG_ISOLATION: mode });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as GradeResult)).toMatchObject({ status: 'graded', score: 100 });
  }, 120_000);
});

describe('a temporary folder that cannot hold scratch folders', () => {
  test.each([
    ['does not exist', () => path.join(tmp, 'missing', 'tmp'), /it does not exist/],
    ['is a file', () => { const f = path.join(tmp, 'tmp-file'); fs.writeFileSync(f, ''); return f; }, /it is not a folder/],
  ])('one that %s: exit 2 and one line naming TMPDIR, before anything is graded', async (_, dir, why) => {
    for (const args of [SOLUTION, ['--batch', path.join(ROOT, 'test', 'fixtures'), '--out', path.join(tmp, 'never.csv')]]) {
      const r = await gradeCommand(args, dir());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^grade: TMPDIR \\(.*\\) cannot hold the grader's scratch folders: ${why.source}; set TMPDIR to a folder you can write to, or unset it to use /tmp\\n$`));
      expect(r.stdout).toBe('');
    }
    expect(fs.existsSync(path.join(tmp, 'never.csv'))).toBe(false);
  }, 60_000);
});

describe('a temporary folder that fills up', () => {
  // A tiny tmpfs of its own, in a mount namespace of its own (nothing of it is seen outside).
  const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;
  (canMount ? test : test.skip)(canMount
    ? 'as the scratch folder is made, or as the compiled file is written: exit 2, one line naming the folder, no stack trace, nothing left'
    : 'a full temporary folder: skipped, a tiny tmpfs needs root and unshare here', () => {
    // Searchable by the sandboxes' own uids (else the grader would choose /tmp instead).
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-tiny-tmp-'));
    fs.chmodSync(open, 0o755);
    for (const size of ['8k', '64k']) {
      const dir = path.join(open, size);
      fs.mkdirSync(dir, { mode: 0o755 });
      const r = spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=${size},mode=1777 tmpfs "$0" && TMPDIR="$0" "$1" grader/bin/grade.js ${SOLUTION.join(' ')} --quiet --format json; echo "status=$?"; ls -A "$0"`, dir, process.execPath], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect([size, r.stdout.trim()]).toEqual([size, 'status=2']);
      expect(r.stderr).toMatch(new RegExp(`^grade: a disk the grader writes to is full \\(ENOSPC(, writing ${dir}/[^)]*)?\\): free some space there \\(the temporary folder is ${dir}\\)`));
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    fs.rmSync(open, { recursive: true, force: true });
  }, 60_000);

  (canMount ? test : test.skip)(canMount
    ? 'a batch: stopped with exit 2 and the reason, its students not graded (never kit errors); --resume, once there is room, grades them'
    : 'a batch on a full temporary folder: skipped, a tiny tmpfs needs root and unshare here', () => {
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-tiny-batch-'));
    fs.chmodSync(open, 0o755);
    const tiny = path.join(open, 'tmp');
    fs.mkdirSync(tiny, { mode: 0o755 });
    const cls = path.join(open, 'class');
    for (const id of ['ada', 'bo']) {
      fs.mkdirSync(path.join(cls, id), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), path.join(cls, id, 'vanishing-gradients.ts'));
    }
    const grades = path.join(open, 'grades.csv');
    const args = ['--batch', cls, '--seed', '5', '--no-figures', '--quiet', '--jobs', '1', '--out', grades, '--report-dir', path.join(open, 'reports')];
    const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=8k,mode=1777 tmpfs "$0" && TMPDIR="$0" exec "$@"', tiny, process.execPath, 'grader/bin/grade.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^grade: a disk the grader writes to is full \\(ENOSPC(, writing ${tiny}/[^)]*)?\\): free some space there \\(the temporary folder is ${tiny}\\)`));
    expect(lines.slice(1)).toEqual([
      'Stopped: 0 of 2 students graded: nobody; 2 left, not graded (no fault of theirs).',
      `Grades so far: ${grades}   Seed: 5`,
      'Once there is room, go on with the same command and --resume.',
    ]);
    expect(fs.readFileSync(grades, 'utf8')).not.toMatch(/kit error/);
    const resumed = spawnSync(process.execPath, ['grader/bin/grade.js', ...args, '--resume'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TMPDIR: open } });
    expect({ status: resumed.status, stderr: resumed.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readFileSync(grades, 'utf8').split('\r\n').filter((l) => /^(ada|bo),/.test(l)).map((l) => l.split(',').slice(6, 9).join(','))).toEqual(['100,100,graded', '100,100,graded']);
    // The grades file's own disk full once grading is done (a 4 KB tmpfs holds its first write,
    // not the next beside it): the same stop, saying which file, and that it lacks those rows.
    const small = path.join(open, 'out');
    fs.mkdirSync(small, { mode: 0o755 });
    const onFull = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=4k,mode=1777 tmpfs "$0" && exec "$@"', small, process.execPath, 'grader/bin/grade.js', ...args.slice(0, -4), '--out', path.join(small, 'g.csv'), '--report-dir', path.join(open, 'reports-2')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TMPDIR: open } });
    expect(onFull.status).toBe(2);
    expect(onFull.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^grade: a disk the grader writes to is full \\(ENOSPC, writing ${small}/[^)]*\\)`)),
      'Stopped: 2 of 2 students graded: graded 2.',
      `Grades so far: ${path.join(small, 'g.csv')}, as it was last written (the students graded after that are not in it; --resume grades them again)   Seed: 5`,
      'Once there is room, go on with the same command and --resume.',
    ]);
    fs.rmSync(open, { recursive: true, force: true });
  }, 120_000);
});

describe('what the tests recorded, refused by a full disk', () => {
  test('one submission: the full disk said, exit 2; a batch: stopped, its students not graded (never a report quietly without hints and figures)', async () => {
    const one = await gradeCommand([...SOLUTION, '--quiet', '--format', 'json'], tmp, { VG_TEST_SIDECAR_LOST: 'ENOSPC' });
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^grade: a disk the grader writes to is full \(ENOSPC, writing [^)]*\/vg-grade-[^/]+\/sidecar-0\.json\)/);
    const cls = path.join(tmp, 'lost-class');
    for (const id of ['ada', 'bo']) {
      fs.mkdirSync(path.join(cls, id), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), path.join(cls, id, 'vanishing-gradients.ts'));
    }
    const grades = path.join(tmp, 'lost-grades.csv');
    const batch = await gradeCommand(['--batch', cls, '--seed', '5', '--no-figures', '--quiet', '--jobs', '1', '--out', grades, '--report-dir', path.join(tmp, 'lost-reports')], tmp, { VG_TEST_SIDECAR_LOST: 'ENOSPC' });
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/^grade: a disk the grader writes to is full \(ENOSPC, writing [^)]*sidecar-0\.json\)/);
    expect(fs.readFileSync(grades, 'utf8').split('\r\n').filter((l) => /^(ada|bo),/.test(l)).map((l) => l.split(',')[8])).toEqual(['not graded', 'not graded']);
    // No report folder was filed for a student graded after the first refusal.
    expect(fs.existsSync(path.join(tmp, 'lost-reports', 'bo', 'result.json'))).toBe(false);
  }, 120_000);
});

describe('what the tests recorded, lost (a temporary folder too full to hold it)', () => {
  test('the verdicts stand; the hints, printed output and figures are said to be left out, never silently missing', async () => {
    const wrong = path.join(ROOT, 'test', 'fixtures', 'wrong-sigmoid-mirrored');
    const r = await gradeCommand(['--submission', wrong, '--seed', '1', '--no-figures', '--format', 'json', '--quiet', '--report-dir', path.join(tmp, 'r-lost')], tmp, { VG_TEST_SIDECAR_LOST: '1' });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as GradeResult;
    const golden = (JSON.parse(fs.readFileSync(path.join(wrong, 'expected_results.json'), 'utf8')) as { result: GradeResult }).result;
    expect([result.status, result.score]).toEqual(['graded', golden.score]);
    expect(result.warnings[0]).toMatch(/^hints and your code's printed output are left out: what the tests recorded could not be read back \(ENOENT; a fault of the grader's machine, not of your code\)$/);
    expect(result.figuresProblem).toMatch(/could not be made \(a fault of the kit, not of your code\): what the tests recorded could not be read back \(ENOENT\)$/);
  }, 60_000);
});

describe('output streams that fail', () => {
  const withDevFull = fs.existsSync('/dev/full') ? test : test.skip;
  withDevFull(`a full disk behind stdout: exit 1 and a line on stderr, no stack trace${fs.existsSync('/dev/full') ? '' : ' (skipped: this machine has no /dev/full)'}`, async () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      for (const format of ['text', 'json']) {
        const r = await gradeTo([...SOLUTION, '--format', format, '--report-dir', path.join(tmp, `full-${format}`)], full);
        expect([format, r.code]).toEqual([format, 1]);
        expect(r.stderr).toMatch(/^grade: the output could not be written \(ENOSPC\)$/m);
        expect(r.stderr).not.toMatch(/Unhandled|\n\s+at /);
      }
      // npm run plots the same (it crashed with an unhandled 'error' event).
      const plots = spawnSync(process.execPath, ['grader/bin/plots.js', '--submission', 'solutions/vanishing-gradients.ts', '--out-dir', path.join(tmp, 'plots-full')], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' }, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(plots.status).toBe(1);
      expect(plots.stderr).toMatch(/^plots: the output could not be written \(ENOSPC\)$/m);
      expect(plots.stderr).not.toMatch(/Unhandled|\n\s+at /);
      // A full disk behind stderr alone (notes, progress) loses nothing asked for: the status is grading's.
      const quietErr = spawnSync(process.execPath, ['grader/bin/grade.js', ...SOLUTION, '--format', 'json', '--report-dir', path.join(tmp, 'full-stderr')], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', full], encoding: 'utf8' });
      expect(quietErr.status).toBe(0);
      expect((JSON.parse(quietErr.stdout) as GradeResult).score).toBe(100);
    } finally {
      fs.closeSync(full);
    }
  }, 90_000);

  test('a reader that goes away (| head -1) from a batch\'s summary: the status stays the batch\'s, and its grades are whole', async () => {
    const cls = path.join(tmp, 'class');
    for (const student of ['solution', 'stubs']) {
      fs.mkdirSync(path.join(cls, student), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', student, 'vanishing-gradients.ts'), path.join(cls, student, 'vanishing-gradients.ts'));
    }
    const csv = path.join(tmp, 'class.csv');
    const r = await gradeTo(['--batch', cls, '--seed', '1', '--no-figures', '--allow-weak-isolation', '--out', csv, '--report-dir', path.join(tmp, 'class-report')], 'close-early');
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8').split('\n').filter((line) => /^(solution|stubs),/.test(line))).toHaveLength(2);
  }, 120_000);
});

describe('a run stopped by a signal', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s in the middle of a grade: no scratch folder (compiled code, the seed) is left in TMPDIR', async (signal) => {
    const own = fs.mkdtempSync(path.join(tmp, `signal-${signal}-`));
    // Searchable by others, as a TMPDIR must be for sandboxes of their own uid (or the grader
    // would make its scratch under /tmp instead: sandbox/runtime.ts scratchBase).
    for (const dir of [tmp, own]) fs.chmodSync(dir, 0o711);
    const child = spawn(process.execPath, ['grader/bin/grade.js', '--submission', path.join(ROOT, 'test', 'fixtures', 'hangs-in-gradient'), '--lab', 'vanishing-gradients', '--no-figures', '--quiet', '--report-dir', path.join(own, 'report')], {
      cwd: ROOT, env: { ...process.env, TMPDIR: own }, stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const scratch = (): string[] => fs.readdirSync(own).filter((name) => name.startsWith('vg-grade-'));
    // Stopped once its scratch folder holds the compiled submission, while a call loops.
    for (let waited = 0; !scratch().some((d) => fs.existsSync(path.join(own, d, 'submission-0', 'vanishing-gradients.js'))); waited += 20) {
      if (waited > 60_000) throw new Error('the grade never made its scratch folder');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill(signal);
    await exited;
    expect(scratch()).toEqual([]);
  }, 90_000);
});

describe('a kit whose node_modules/.cache cannot be written (a read-only install)', () => {
  /** A node_modules folder of its own whose .cache is `kind`. */
  function nodeModules(kind: 'folder' | 'file'): string {
    const nm = fs.mkdtempSync(path.join(tmp, 'nm-'));
    if (kind === 'folder') fs.mkdirSync(path.join(nm, '.cache'));
    else fs.writeFileSync(path.join(nm, '.cache'), 'not a folder');
    return nm;
  }
  const xdg = (): string => fs.mkdtempSync(path.join(tmp, 'xdg-'));

  test('the caches go to node_modules/.cache when it can be written, else to a folder of this user\'s own; VG_CACHE_DIR comes first', () => {
    const writable = nodeModules('folder');
    expect(cacheDir('c1', { nodeModules: writable, env: { XDG_CACHE_HOME: xdg() } })).toBe(path.join(writable, '.cache', 'c1'));
    const blocked = nodeModules('file');
    const home = xdg();
    const fallback = cacheDir('c2', { nodeModules: blocked, env: { XDG_CACHE_HOME: home } });
    expect(path.dirname(path.dirname(fallback))).toBe(path.join(home, 'ts-lab-kit'));
    expect(path.basename(fallback)).toBe('c2');
    expect(fs.statSync(fallback).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(home, 'ts-lab-kit')).mode & 0o077).toBe(0);
    const chosen = path.join(tmp, 'chosen');
    expect(cacheDir('c3', { nodeModules: writable, env: { XDG_CACHE_HOME: home, VG_CACHE_DIR: chosen } })).toBe(path.join(chosen, 'c3'));
  });

  test('a fallback folder that others may write to is not used (they could plant entries): the temporary folder\'s, this user\'s own', () => {
    const home = xdg();
    fs.mkdirSync(path.join(home, 'ts-lab-kit'), { mode: 0o777 });
    fs.chmodSync(path.join(home, 'ts-lab-kit'), 0o777);
    const dir = cacheDir('c4', { nodeModules: nodeModules('file'), env: { XDG_CACHE_HOME: home }, tmpdir: tmp });
    const uid = process.getuid ? process.getuid() : 0;
    expect(dir.startsWith(path.join(tmp, `vg-cache-${uid}`) + path.sep)).toBe(true);
    expect(fs.statSync(path.join(tmp, `vg-cache-${uid}`)).mode & 0o077).toBe(0);
    // And one there that others may write to is not used either: the caches then stay where they
    // cannot be written (each only costs time; jest says why it cannot run).
    const shared = fs.mkdtempSync(path.join(tmp, 'shared-'));
    fs.mkdirSync(path.join(shared, `vg-cache-${uid}`), { mode: 0o777 });
    fs.chmodSync(path.join(shared, `vg-cache-${uid}`), 0o777);
    const blocked = nodeModules('file');
    expect(cacheDir('c5', { nodeModules: blocked, env: { XDG_CACHE_HOME: home }, tmpdir: shared })).toBe(path.join(blocked, '.cache', 'c5'));
  });

  // The real thing: node_modules/.cache made read-only for one grade, in a mount namespace of its
  // own (nobody else sees it). Needs root and unshare(1).
  const canUnshare = (process.getuid?.() === 0) && spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;
  (canUnshare ? test : test.skip)(`a grade with node_modules/.cache read-only gets full marks, its jest cache in the user's own folder${canUnshare ? '' : ' (skipped: needs root and unshare -m to mount a folder read-only)'}`, () => {
    const cache = path.join(ROOT, 'node_modules', '.cache');
    fs.mkdirSync(cache, { recursive: true });
    const home = xdg();
    const out = path.join(tmp, 'read-only.json');
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
      'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"', 'sh', cache,
      process.execPath, 'grader/bin/grade.js', ...SOLUTION, '--format', 'json', '--out', out, '--quiet', '--report-dir', path.join(tmp, 'read-only-report')], {
      cwd: ROOT, env: { ...process.env, XDG_CACHE_HOME: home, TMPDIR: tmp }, encoding: 'utf8', timeout: 90_000,
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult;
    expect([result.status, result.score]).toEqual(['graded', 100]);
    const kits = fs.readdirSync(path.join(home, 'ts-lab-kit'));
    expect(kits).toHaveLength(1);
    expect(fs.readdirSync(path.join(home, 'ts-lab-kit', kits[0]))).toContain('vg-grader-jest');
  }, 120_000);
});

describe('descriptors the grader inherits', () => {
  test('a pipe passed to the grader at fd 63 (a shell\'s process substitution) never reaches student code', async () => {
    const sub = fs.mkdtempSync(path.join(tmp, 'inherits-'));
    const attempt = "try { require('fs').writeSync(63, 'from the sandbox\\n'); } catch { /* closed: as it should be */ }";
    fs.writeFileSync(path.join(sub, 'vanishing-gradients.ts'), `${attempt}\n${fs.readFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), 'utf8')}`);
    const stdio: ('ignore' | 'pipe')[] = Array.from({ length: 64 }, () => 'ignore');
    stdio[63] = 'pipe';
    const out = path.join(tmp, 'inherits.json');
    const child = spawn(process.execPath, ['grader/bin/grade.js', '--submission', sub, '--lab', 'vanishing-gradients', '--seed', '1', '--no-figures', '--format', 'json', '--out', out, '--quiet', '--report-dir', path.join(tmp, 'inherits-report')], {
      cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, stdio,
    });
    let leaked = '';
    ((child.stdio as unknown as NodeJS.ReadableStream[])[63]).on('data', (d: Buffer) => { leaked += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(leaked).toBe('');
    expect((JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult).score).toBe(100);
  }, 60_000);
});

