/**
 * One submission, against the floor of its own stack. Times, alternately and N times each:
 *   floor      jest with ts-jest running one trivial TypeScript test (a scratch project that uses
 *              the kit's node_modules; warm: its transform cache filled by a first run)
 *   correct    a warm `node grader/bin/grade.js` (what `npm run grade` runs) of the solution,
 *              with figures and the report folder
 *   wrong      the same for a wrong submission graded before (its figures come from the cache)
 *   edited     a wrong submission edited since its last grade, so that its figures were never
 *              drawn (each round another edit of the same mistake; the reference figures are in
 *              the cache, as on a student's machine after a first grade): transpiled and
 *              type-checked anew; the renderer starts at intake and draws the student's figures
 *              and the overlays (from the figures' shapes compiled at earlier grades)
 *   edited, shapes never compiled  the same, with the compiled shapes' cache emptied first
 *   new wrong  a wrong submission after both figure caches were emptied: the reference
 *              figures are drawn too
 * and, once per round, a cold run: every cache of the kit emptied (as right after `npm ci`, which
 * builds the grader), then the solution graded. Prints medians and the ratio to the floor.
 * The `npm` wrapper adds the same ~0.2 s to both sides; `--npm` times through it instead.
 * Run: npm run bench:grade [-- --runs N] [--npm]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDir } from '../grader/lib/cache-dir';

const ROOT = path.resolve(__dirname, '..');
/** The kit's caches, where the grader keeps them (node_modules/.cache, or lib/cache-dir.ts's fallback). */
const CACHES = ['vg-grader-jest', 'vg-figures', 'vg-typecheck', 'vg-compile', 'vg-code', 'vg-vega-runtimes'].map((c) => cacheDir(c, { nodeModules: path.join(ROOT, 'node_modules') }));
/** The figures' caches: the images, and the figures' compiled shapes (render/runtimes.ts). */
const FIGURE_CACHES = [CACHES[1], CACHES[5]];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timed(command: string, args: string[], cwd: string): number {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return ms;
}

/** A project with one trivial TypeScript test, run by jest through ts-jest. */
function floorProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-floor-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'trivial.test.ts'), "test('one plus one', () => {\n  const n: number = 1 + 1;\n  expect(n).toBe(2);\n});\n");
  fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'node', cacheDirectory: __dirname + '/.jest-cache', transform: { '^.+\\\\.ts$': ['ts-jest', { tsconfig: { strict: true, types: ['jest', 'node'] } }] } };\n");
  return dir;
}

function main(): void {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--runs');
  const runs = at >= 0 ? Number(argv[at + 1]) : 7;
  const viaNpm = argv.includes('--npm');
  const floorDir = floorProject();
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-grade-'));
  const floor = (): number => (viaNpm
    ? timed('npx', ['jest'], floorDir)
    : timed(process.execPath, [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js')], floorDir));
  const grade = (submission: string): number => {
    const args = ['--submission', submission, '--quiet', '--report-dir', path.join(reports, path.basename(submission))];
    return viaNpm ? timed('npm', ['run', '--silent', 'grade', '--', ...args], ROOT) : timed(process.execPath, ['grader/bin/grade.js', ...args], ROOT);
  };
  const correct = 'solutions/vanishing-gradients.ts';
  const wrong = 'test/fixtures/wrong-sigmoid-mirrored';
  const cold = (): number => {
    for (const c of CACHES) fs.rmSync(c, { recursive: true, force: true });
    return grade(correct);
  };
  const editedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-edited-'));
  let edits = 0;
  const edited = (): number => {
    // The mirrored sigmoid, shifted a little more each time: new figures, the same mistake.
    const source = fs.readFileSync(path.join(ROOT, wrong, 'vanishing-gradients.ts'), 'utf8');
    fs.writeFileSync(path.join(editedDir, 'vanishing-gradients.ts'), source.replace('return 1 / (1 + Math.exp(x));', `return 1 / (1 + Math.exp(x + ${++edits / 1000}));`));
    return grade(editedDir);
  };
  const editedNoShapes = (): number => {
    fs.rmSync(CACHES[5], { recursive: true, force: true });
    return edited();
  };
  const newWrong = (): number => {
    for (const c of FIGURE_CACHES) fs.rmSync(c, { recursive: true, force: true });
    const ms = grade(wrong);
    grade(correct); // the reference figures back in the cache
    return ms;
  };
  try {
    // Warm every cache first.
    floor(); grade(correct); grade(wrong);
    const t = { floor: [] as number[], correct: [] as number[], wrong: [] as number[], edited: [] as number[], editedNoShapes: [] as number[], newWrong: [] as number[], cold: [] as number[] };
    for (let i = 0; i < runs; i++) {
      t.floor.push(floor());
      t.correct.push(grade(correct));
      t.wrong.push(grade(wrong));
      t.edited.push(edited());
      t.editedNoShapes.push(editedNoShapes());
      t.newWrong.push(newWrong());
      t.cold.push(cold());
      grade(correct); grade(wrong); // warm again for the next round
    }
    const m = { floor: median(t.floor), correct: median(t.correct), wrong: median(t.wrong), edited: median(t.edited), editedNoShapes: median(t.editedNoShapes), newWrong: median(t.newWrong), cold: median(t.cold) };
    const s = (ms: number): string => (ms / 1000).toFixed(2);
    console.log(`${runs} rounds, alternating; ${os.cpus().length} cores, node ${process.version}; timed ${viaNpm ? 'through npm / npx' : 'as node processes (no npm wrapper)'}`);
    console.log('| run | median (s) | ratio to the floor |');
    console.log('| --- | --- | --- |');
    console.log(`| floor: jest + ts-jest, one trivial TypeScript test | ${s(m.floor)} | 1.00 |`);
    console.log(`| warm grade, correct submission (figures, report) | ${s(m.correct)} | ${(m.correct / m.floor).toFixed(2)} |`);
    console.log(`| warm grade, wrong submission graded before (figures cached) | ${s(m.wrong)} | ${(m.wrong / m.floor).toFixed(2)} |`);
    console.log(`| warm grade, wrong submission edited since (new source: transpiled and type-checked; its figures never drawn: the renderer started at intake, 4 figures and their overlays drawn) | ${s(m.edited)} | ${(m.edited / m.floor).toFixed(2)} |`);
    console.log(`| the same, the figures' compiled shapes emptied first (compiled anew) | ${s(m.editedNoShapes)} | ${(m.editedNoShapes / m.floor).toFixed(2)} |`);
    console.log(`| warm grade, wrong submission, every figure cache emptied (the reference figures drawn too) | ${s(m.newWrong)} | ${(m.newWrong / m.floor).toFixed(2)} |`);
    console.log(`| cold grade (every cache emptied), correct submission | ${s(m.cold)} | ${(m.cold / m.floor).toFixed(2)} |`);
  } finally {
    fs.rmSync(floorDir, { recursive: true, force: true });
    fs.rmSync(reports, { recursive: true, force: true });
    fs.rmSync(editedDir, { recursive: true, force: true });
  }
}

main();
