/**
 * What isolation costs per sandbox child: for each mode this machine can give, alternately and N
 * times each, a sandbox is made, its child started and the submission loaded, one call answered,
 * and the child ended (what a batch pays once per student). Prints medians, and each mode's ratio
 * to `weak` (no boundary but the kernel's limits) measured in the same run: these machines are
 * shared, so only ratios within one run compare.
 * Run: npm run bench:isolation [-- --runs N]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SANDBOX_LIMITS, Sandbox } from '../grader/sandbox/client';
import { detectIsolation, ISOLATION_ENV, type IsolationMode, type IsolationPlan } from '../grader/sandbox/isolation';
import { prepareScratch } from '../grader/sandbox/runtime';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function once(plan: IsolationPlan, childScript: string, modulePath: string): Promise<number> {
  const started = performance.now();
  const sandbox = new Sandbox({ ...DEFAULT_SANDBOX_LIMITS, childScript, modulePath, isolation: plan });
  const o = await sandbox.call('sigmoid', [0]);
  if (o.kind !== 'returned' || o.value !== 0.5) throw new Error(`${plan.mode}: unexpected ${JSON.stringify(o)}`);
  await sandbox.dispose();
  return performance.now() - started;
}

/** A scratch folder's runtime and a compiled module of one function: what each child loads. */
function oneFunction(scratch: string): { childScript: string; modulePath: string } {
  const layout = prepareScratch(scratch);
  const dir = layout.submissionDir(0);
  const modulePath = path.join(dir, 'submission.js');
  fs.writeFileSync(modulePath, 'exports.sigmoid = (x) => 1 / (1 + Math.exp(-x));\n', { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"commonjs"}\n', { mode: 0o644 });
  return { childScript: path.join(layout.runtimeDir, 'child.js'), modulePath };
}

/**
 * The floor of one student in a batch: the median ms of `runs` sandbox children (start, load, one
 * call, end) in the isolation this machine gives by default (a batch's), measured now.
 */
export async function childFloorMs(runs: number): Promise<{ mode: IsolationMode; ms: number }> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-floor-'));
  try {
    const { childScript, modulePath } = oneFunction(scratch);
    const plan = detectIsolation();
    await once(plan, childScript, modulePath);
    const times: number[] = [];
    for (let r = 0; r < runs; r++) times.push(await once(plan, childScript, modulePath));
    return { mode: plan.mode, ms: median(times) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--runs');
  const runs = at >= 0 ? Number(argv[at + 1]) : 15;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-isolation-'));
  try {
    const { childScript, modulePath } = oneFunction(scratch);
    const plans: IsolationPlan[] = [];
    for (const mode of ['weak', 'uid', 'namespaces'] as IsolationMode[]) {
      try {
        plans.push(detectIsolation({ ...process.env, [ISOLATION_ENV]: mode }));
      } catch (err) {
        console.log(`${mode}: not available here (${(err as Error).message})`);
      }
    }
    const times = new Map<IsolationMode, number[]>(plans.map((p) => [p.mode, []]));
    for (const p of plans) await once(p, childScript, modulePath); // warm the page cache
    for (let r = 0; r < runs; r++) {
      for (const p of plans) times.get(p.mode)!.push(await once(p, childScript, modulePath));
    }
    const base = median(times.get('weak') ?? [NaN]);
    console.log(`| mode | start, load, one call, end (median ms of ${runs}) | vs weak |`);
    console.log('| --- | --- | --- |');
    for (const p of plans) {
      const m = median(times.get(p.mode)!);
      console.log(`| ${p.mode} | ${m.toFixed(1)} | ${(m / base).toFixed(2)}x (+${(m - base).toFixed(1)} ms) |`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
