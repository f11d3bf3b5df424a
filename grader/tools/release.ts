/**
 * `npm run release`: builds dist/student/, the starter a student receives. It has the stubs, the
 * public checks and the answers they compare with, the reference figures, and the grader, whose
 * `npm ci && npm run grade` runs the public checks, draws the figures and says that the score is
 * unofficial and how many hidden tests run on submission. It has no solution code, no hidden check
 * and no hidden input: it is checked for that before it is left in place.
 *
 * A release is one lab's: its stubs, reference, public checks and recorded answers (one table),
 * and its package.json names it as the starter's default lab. `--lab ID` chooses which; without,
 * the kit's default lab (package.json's "kit": { "defaultLab" }). The lab is the process's
 * (lib/choose-lab.ts), and the graders it runs are given it too.
 *
 * usage: npm run release [-- --lab ID] [--out DIR]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { parseArgsMessage } from '../usage';
import { loadAnswers, RECORD_ENV, tableAnswers, toEntry, type AnswerEntry, type AnswersTable } from '../lib/answers';
import { loadRubric } from '../lib/rubric';
import type { ReleaseInfo } from '../lib/release';
import type { GradeResult } from '../result';
import { driftedStubs, solutionBodyLines, stubPairs } from './make-stubs';
import { labIds, labsDir, manifestPath, readManifest, type LabManifest } from '../lab';
import { loadLabCode } from '../lab-code';
import { currentLab, currentLabCode, defaultLabId } from '../lib/paths';
import { applyLab, labIdsText } from '../lib/choose-lab';
import { UsageError } from '../usage';
import { decodeValue } from '../sandbox/wire';

const ROOT = path.resolve(__dirname, '..', '..');

/** Where the release goes unless told otherwise. */
export const DEFAULT_OUT = path.join(ROOT, 'dist', 'student');

/**
 * What stays in the instructor's kit, as paths relative to the kit's root (a folder ends in /; a
 * `*` stands for one lab's folder). Everything else under grader/ ships, because the student's
 * `npm run grade` is the same grader.
 */
const KEPT_BACK = [
  'grader/labs/*/suites/hidden/', // every lab's hidden checks
  'grader/labs/*/mistakes.ts', // a lab's classic mistakes, written as code close to its solution
  'grader/labs/*/oracle.py', // a lab's reference generator
  'grader/labs/*/mutants.ts', // a lab's classic mistakes, written as code built on its solution
  'grader/labs/*/README.md', // a lab's instructor notes (what the hidden tests check, the edge cases)
  'grader/tools/', // instructor commands (stubs, reference, validate, packaging, this one)
  'grader/platforms/', // course platforms' entry points
];

/** Files copied from the kit's root, besides grader/: the released lab's stubs and reference. */
function copied(lab: LabManifest): string[] {
  return [`exercises/${lab.submission}`, `reference/${lab.id}.json`];
}

/** True for a file of another lab's package (grader/labs/<other>/): a release is one lab's. */
function otherLab(rel: string, lab: LabManifest): boolean {
  const m = /^grader\/labs\/([^/]+)\//.exec(rel);
  return m !== null && m[1] !== lab.id;
}

/** What a release build produced. */
export interface ReleaseSummary {
  /** The release's folder. */
  dir: string;
  /** Files written, relative to it. */
  files: string[];
  /** Public and hidden test counts. */
  publicTests: number;
  /** Hidden tests the course's grader runs. */
  hiddenTests: number;
  /** Answers recorded in reference/answers.json. */
  answers: number;
}

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, base));
    else if (entry.isFile()) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

export function keptBack(rel: string): boolean {
  return KEPT_BACK.some((k) => {
    const pattern = k.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+');
    return new RegExp(`^${pattern}${k.endsWith('/') ? '' : '$'}`).test(rel);
  });
}

/** Runs the kit's own grader CLI (as a student or a platform would) and returns its JSON result. */
function gradeSolution(args: string[], seed: number, env: NodeJS.ProcessEnv = {}): GradeResult {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-release-'));
  try {
    const out = path.join(tmp, 'result.json');
    try {
      execFileSync(process.execPath, [path.join(ROOT, 'grader', 'bin', 'grade.js'), '--lab', currentLab().id, '--submission', path.join(ROOT, 'solutions'),
        '--quiet', '--format', 'json', '--out', out, '--seed', String(seed), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      throw new Error(`grading the solution failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
    }
    return JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * 1. The answers the release needs, recorded while the solution is graded with the public checks
 *    only (a recording run never draws hidden inputs), with the lab's figures and their sentences;
 *    then every mistake's answer on the same inputs, so that hints work in the release too.
 */
function recordAnswers(reportDir: string, seed: number): { table: AnswersTable; result: GradeResult } {
  const log = path.join(reportDir, '..', 'answers.jsonl');
  const result = gradeSolution(['--report-dir', reportDir], seed, { [RECORD_ENV]: log });
  if (result.status !== 'graded' || result.score !== result.maxScore) throw new Error(`the solution should get full marks on the public checks; it got ${result.score}/${result.maxScore} (${result.status})`);
  if (result.tests.some((t) => t.visibility !== 'public')) throw new Error('the recording run ran a hidden test');
  const entries = new Map<string, AnswerEntry>();
  // A lab without code of its own (no probe) whose checks take their expected values from its
  // reference asks the solution nothing: no log, and no answers to record.
  for (const line of (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '').split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as AnswerEntry;
    entries.set(JSON.stringify([e.of, e.name, e.args]), e);
  }
  // Mistakes answer on every input their function was asked about (the kit's live answers).
  const answers = loadAnswers();
  for (const e of [...entries.values()].filter((x) => x.of === 'solution')) {
    const args = decodeValue(e.args) as unknown[];
    for (const m of answers.mistakes.filter((x) => x.part === e.name)) {
      // A copy each: a mistake that changes its argument must not change the next one's.
      const answer = answers.mistake(m.key, structuredClone(args));
      if (answer) entries.set(JSON.stringify(['mistake', m.key, e.args]), toEntry('mistake', m.key, args, answer));
    }
  }
  const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  return {
    table: {
      version: 1,
      note: 'Answers for the public checks, the lab\'s figures and the hints, recorded by npm run release from the instructor\'s solution. Only inputs the public checks and the lab use are here.',
      mistakes: [...answers.mistakes],
      entries: sorted,
    },
    result,
  };
}

/** 2. The hidden tests the course's grader runs, counted from a full grading of the solution. */
function countHidden(seed: number): ReleaseInfo {
  const result = gradeSolution(['--no-figures'], seed);
  const hidden = result.tests.filter((t) => t.visibility === 'hidden');
  if (result.score !== result.maxScore) throw new Error(`the solution should get full marks; it got ${result.score}/${result.maxScore}`);
  const hiddenByPart: Record<string, number> = {};
  for (const part of loadRubric().parts) hiddenByPart[part.name] = hidden.filter((t) => t.part === part.name).length;
  return { version: 1, hiddenTests: hidden.length, hiddenByPart };
}

function write(dir: string, rel: string, data: string | Buffer, files: string[]): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  files.push(rel);
}

function packageJson(kit: Record<string, unknown>, lab: LabManifest): Record<string, unknown> {
  return {
    name: `${lab.id}-starter`,
    version: kit.version,
    private: true,
    description: `The ${lab.title} lab in TypeScript: write the functions in exercises/, then npm run grade.`,
    license: kit.license,
    engines: kit.engines,
    scripts: {
      prepare: 'node grader/bin/build.js --force',
      grade: 'node grader/bin/grade.js',
      dev: 'node grader/bin/dev.js',
      plots: 'node grader/bin/plots.js',
      typecheck: 'tsc -p tsconfig.json',
    },
    // The kit's own dependencies, so that the kit's lock file installs exactly the same versions.
    dependencies: kit.dependencies,
    devDependencies: kit.devDependencies,
    // The same install-script decisions, so that npm ci there warns about nothing either.
    ...(kit.allowScripts ? { allowScripts: kit.allowScripts } : {}),
    // The starter's one lab: what npm run grade grades there.
    kit: { defaultLab: lab.id },
  };
}

function tsconfig(kit: { compilerOptions: Record<string, unknown> }): Record<string, unknown> {
  return { compilerOptions: kit.compilerOptions, include: ['grader/**/*.ts', 'exercises/**/*.ts'] };
}

function readme(info: ReleaseInfo, publicTests: number, lab: LabManifest): string {
  const template = fs.readFileSync(path.join(ROOT, 'grader', 'tools', 'student-readme.md'), 'utf8');
  const perPart = Object.entries(info.hiddenByPart).map(([part, n]) => `| \`${part}\` | ${n} |`).join('\n');
  const code = currentLabCode();
  // The lab's own words for students (grader/labs/<id>/student.md), else its title.
  const introFile = path.join(labsDir(ROOT), lab.id, 'student.md');
  const intro = fs.existsSync(introFile) ? fs.readFileSync(introFile, 'utf8').trim() : `The lab "${lab.title}", in TypeScript: you write its functions, the grader checks them.`;
  const knobs = code ? code.knobs.groups.flatMap((g) => g.knobs.map((k) => `\`${k.label}\``)).join(', ') : 'none in this lab';
  // Each flag with the values its usage line names: `--range START,STOP,NUM --steps N`.
  const flags = code ? code.knobs.flags.map((f) => /^(--\S+(?:\s+\S+)?)/.exec(f.usage)?.[1] ?? f.flag).join(' ') : '--help';
  return template
    .replace(/\{\{INTRO\}\}/g, intro)
    .replace(/\{\{KNOBS\}\}/g, knobs)
    .replace(/\{\{PLOTS_FLAGS\}\}/g, flags)
    .replace(/\{\{FIRST_PART\}\}/g, lab.parts[0].name)
    .replace(/\{\{TITLE\}\}/g, lab.title)
    .replace(/\{\{SUBMISSION\}\}/g, lab.submission)
    .replace(/\{\{PUBLIC_TESTS\}\}/g, String(publicTests))
    .replace(/\{\{HIDDEN_TESTS\}\}/g, String(info.hiddenTests))
    .replace(/\{\{HIDDEN_BY_PART\}\}/g, perPart);
}

/**
 * Builds the release of this process's lab (see lib/paths.ts's labId; npm run release sets it from
 * --lab) into `outDir` (replaced), checks it, and says what it holds. The seed only matters to the
 * hidden tests, which the recording never runs: any seed gives the same release.
 */
export function buildRelease(outDir: string = DEFAULT_OUT, seed = 1): ReleaseSummary {
  const lab = currentLab();
  // The stubs students get are generated from the solution: ones edited since (or a solution
  // edited without make:stubs) would ship what the solution no longer says.
  if (driftedStubs(ROOT).includes(lab.submission)) throw new Error(`exercises/${lab.submission} is not what make:stubs generates from solutions/${lab.submission}: run npm run make:stubs, then release`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-release-build-'));
  try {
    const stage = path.join(work, 'student');
    const files: string[] = [];
    const { table, result } = recordAnswers(path.join(work, 'report'), seed);
    const info = countHidden(seed);

    // 3. The files: grader/ minus what stays back, the stubs, the public reference, the figures.
    for (const rel of walk(path.join(ROOT, 'grader')).map((r) => `grader/${r}`)) {
      if (!keptBack(rel) && !otherLab(rel, lab)) write(stage, rel, fs.readFileSync(path.join(ROOT, rel)), files);
    }
    for (const rel of copied(lab)) write(stage, rel, fs.readFileSync(path.join(ROOT, rel)), files);
    for (const f of result.figures ?? []) {
      write(stage, `reference/figures/${path.basename(f.reference).replace(/-reference\.png$/, '.png')}`, fs.readFileSync(path.join(work, 'report', f.reference)), files);
    }
    write(stage, 'reference/answers.json', `${JSON.stringify(table, null, 1)}\n`, files);
    write(stage, 'grader/release.json', `${JSON.stringify(info, null, 2)}\n`, files);

    // 4. What makes it a project of its own: package.json and the kit's lock, tsconfig, README.
    const kitPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const pkg = packageJson(kitPackage, lab);
    write(stage, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`, files);
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { name: string; packages: Record<string, Record<string, unknown>> };
    lock.name = pkg.name as string;
    lock.packages[''] = { ...lock.packages[''], name: pkg.name };
    write(stage, 'package-lock.json', `${JSON.stringify(lock, null, 2)}\n`, files);
    write(stage, 'tsconfig.json', `${JSON.stringify(tsconfig(JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'))), null, 2)}\n`, files);
    write(stage, 'README.md', readme(info, result.tests.length, lab), files);
    write(stage, '.gitignore', 'node_modules/\nbuild/\ngrade-report/\n', files);

    // 5. Checked before it replaces the previous release: a leak is an error, not a warning.
    const problems = checkRelease(stage);
    if (problems.length > 0) throw new Error(`the release would leak:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(outDir), { recursive: true });
    fs.cpSync(stage, outDir, { recursive: true });
    return { dir: outDir, files: files.sort(), publicTests: result.tests.length, hiddenTests: info.hiddenTests, answers: table.entries.length };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * What is wrong with a release folder: a line of a solution body in any file, a hidden check, a
 * file that stays in the instructor's kit, a missing marker or answers table. (That the answers
 * hold no hidden input is by construction: a recording run registers public checks only.)
 */
export function checkRelease(dir: string): string[] {
  const problems: string[] = [];
  // Every lab's solution bodies: no line of any may ship. A line the kit's own code holds as well
  // (`let total = 0;`) tells nothing: that code ships in every release, whatever the solutions.
  const coreText = walk(path.join(ROOT, 'grader'))
    .filter((rel) => !rel.startsWith('labs/') && !rel.startsWith('tools/lab-template/') && /\.(ts|js|json)$/.test(rel))
    .map((rel) => fs.readFileSync(path.join(ROOT, 'grader', rel), 'latin1'));
  const bodyLines = [...new Set(stubPairs(ROOT).flatMap((p) => solutionBodyLines(fs.readFileSync(p.solution, 'utf8'))))]
    .filter((line) => !coreText.some((text) => text.includes(line)));
  const files = walk(dir).filter((f) => !f.startsWith('node_modules/') && !f.startsWith('build/'));
  for (const rel of files) {
    if (keptBack(rel) || rel.startsWith('solutions/') || rel.startsWith('reference/lab/') || rel.startsWith('test/')) problems.push(`${rel} stays in the instructor's kit`);
    const text = fs.readFileSync(path.join(dir, rel)).toString('latin1');
    for (const line of bodyLines) if (text.includes(line)) problems.push(`${rel} contains a line of the solution: ${line}`);
    if (/check\(\s*'hidden'/.test(text)) problems.push(`${rel} registers a hidden check`);
  }
  if (!files.includes('grader/release.json')) problems.push('grader/release.json is missing: the grader would not know it is the release');
  if (!files.includes('reference/answers.json')) problems.push('reference/answers.json is missing: the public checks would have no expected values');
  else {
    try {
      tableAnswers(path.join(dir, 'reference', 'answers.json'));
    } catch (err) {
      problems.push(`reference/answers.json cannot be read: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

/**
 * Grades in a built release as a student would (the kit's node_modules linked in place of
 * `npm ci`): the stubs get 0 with the unofficial note, the solution full marks on the public
 * checks, `--official` is refused. Returns what is wrong.
 */
export function smokeTestRelease(dir: string): string[] {
  const problems: string[] = [];
  const modules = path.join(dir, 'node_modules');
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(ROOT, 'node_modules'), modules, 'dir');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-release-smoke-'));
  const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    // Without VG_LAB: the release's grader chooses its lab itself, as a student's would.
    const env = { ...process.env };
    delete env.VG_LAB;
    const r = spawnSync(process.execPath, ['grader/bin/grade.js', ...args], { cwd: dir, encoding: 'utf8', env });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'grader', 'release.json'), 'utf8')) as ReleaseInfo;
    const stubs = run(['--report-dir', path.join(tmp, 'stubs')]);
    const stubsResult = fs.existsSync(path.join(tmp, 'stubs', 'result.json')) ? JSON.parse(fs.readFileSync(path.join(tmp, 'stubs', 'result.json'), 'utf8')) as GradeResult : undefined;
    if (stubs.status !== 0 || !stubsResult) problems.push(`npm run grade on the stubs ended with exit ${stubs.status}: ${stubs.stderr.trim().split('\n').pop()}`);
    else {
      if (stubsResult.score !== 0 || stubsResult.status !== 'graded') problems.push(`the stubs got ${stubsResult.score}/${stubsResult.maxScore} (${stubsResult.status}) in the release`);
      if (stubsResult.hiddenTests !== info.hiddenTests) problems.push('the release\'s result does not say how many hidden tests run on submission');
      if (!stubs.stdout.includes(`${info.hiddenTests} hidden tests`) || !/Unofficial score/.test(stubs.stdout)) problems.push('npm run grade in the release does not say that its score is unofficial');
      // The release's lab's figures (its code, as the kit has it), whichever lab this process is on.
      const figures = loadLabCode(labsDir(ROOT), defaultLabId(dir))?.figures.length ?? 0;
      if ((stubsResult.figures ?? []).length !== figures) problems.push(`npm run grade in the release drew ${(stubsResult.figures ?? []).length} figures, not the lab's ${figures}`);
    }
    // The release's lab: its package.json's default, its manifest's file name.
    const lab = readManifest(manifestPath(dir, defaultLabId(dir)));
    if (labIds(dir).length !== 1) problems.push(`the release holds the labs ${labIds(dir).join(', ')}: it should hold its one lab, ${lab.id}`);
    fs.copyFileSync(path.join(ROOT, 'solutions', lab.submission), path.join(tmp, lab.submission));
    const out = path.join(tmp, 'solution.json');
    run(['--submission', tmp, '--format', 'json', '--out', out, '--quiet', '--report-dir', path.join(tmp, 'solution')]);
    const solved = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult : undefined;
    if (!solved || solved.score !== solved.maxScore) problems.push(`the solution got ${solved ? `${solved.score}/${solved.maxScore}` : 'no result'} in the release`);
    else if (solved.tests.some((t) => t.visibility !== 'public')) problems.push('the release ran a hidden test');
    if (run(['--official', '--quiet']).status !== 2) problems.push('the release accepts --official');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return problems;
}

if (require.main === module) {
  const usage = `usage: npm run release [-- --lab ID] [--out DIR]   (labs: ${labIdsText()}; default: the kit's default lab)`;
  let out = DEFAULT_OUT;
  let lab: string | undefined;
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options: { out: { type: 'string' }, lab: { type: 'string' } }, strict: true });
    if (values.out !== undefined) out = path.resolve(values.out);
    lab = values.lab;
  } catch (err) {
    console.error(`release: ${parseArgsMessage(err)}\n${usage}`);
    process.exit(2);
  }
  try {
    applyLab({ lab });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`release: ${err.message}\n${usage}`);
    process.exit(2);
  }
  try {
    const s = buildRelease(out);
    console.log(`wrote ${path.relative(process.cwd(), s.dir) || '.'}/: the lab ${currentLab().id}, ${s.files.length} files, ${s.publicTests} public tests, ${s.answers} recorded answers; ${s.hiddenTests} hidden tests stay with the course's grader`);
    console.log('checked: no line of the solutions, no hidden check, no instructor-only file');
  } catch (err) {
    console.error(`release: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
