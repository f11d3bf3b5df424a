/**
 * How well the kit's feedback does on a corpus of labelled submissions it has never seen:
 *   npm run bench:feedback -- DIR
 * DIR/<lab>/<case>/ holds a submission (<lab>.ts) and label.json: { part, kind: correct | known |
 * unknown, mistake }; DIR/expected-hints.json maps `<lab>/<case>` to the hint id a known mistake
 * should get. Each lab's folder is graded as a class (--batch, without figures); then, per case,
 * what the student is told, and in all:
 *   - correct: full marks (every one should);
 *   - known: the expected hint on the labelled part (the share that do);
 *   - wrong parts (known and unknown): a line that names a property of the answers (a hint) or
 *     sends the student to a part that fails first (the share that do);
 *   - misplaced: a hint or "fix first" on a part the submission did not change (should be none).
 * It prints what it measured; it passes no judgment of its own (a person reads the lines).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GradeResult } from '../grader/result';

const ROOT = path.resolve(__dirname, '..');

interface Label { part: string; kind: 'correct' | 'known' | 'unknown'; mistake: string }

function main(dir: string): number {
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected-hints.json'), 'utf8')) as Record<string, string>;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-feedback-'));
  fs.chmodSync(out, 0o755);
  const rows: string[] = [];
  let correct = 0, correctFull = 0, known = 0, knownHinted = 0, wrongParts = 0, wrongPartsTold = 0;
  const misplaced: string[] = [];
  try {
    for (const lab of fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort()) {
      execFileSync(process.execPath, ['grader/bin/grade.js', '--batch', path.join(dir, lab), '--lab', lab, '--seed', '1', '--no-figures', '--quiet',
        '--out', path.join(out, `${lab}.csv`), '--report-dir', path.join(out, lab)], { cwd: ROOT, env: { ...process.env, TMPDIR: out }, stdio: 'ignore' });
      for (const name of fs.readdirSync(path.join(dir, lab)).sort()) {
        const label = JSON.parse(fs.readFileSync(path.join(dir, lab, name, 'label.json'), 'utf8')) as Label;
        const r = JSON.parse(fs.readFileSync(path.join(out, lab, name, 'result.json'), 'utf8')) as GradeResult;
        const changed = label.part.split(',');
        const hints = r.parts.flatMap((p) => (p.hints ?? []).map((h) => `${p.name}:${h.id}`));
        const pointers = r.parts.filter((p) => p.fixFirst.length).map((p) => `${p.name}→${p.fixFirst.join('+')}`);
        for (const p of r.parts) {
          if (changed.includes(p.name)) continue;
          if (p.hints?.length) misplaced.push(`${lab}/${name}: a hint on ${p.name}, which it did not change`);
          for (const f of p.fixFirst) if (!changed.includes(f)) misplaced.push(`${lab}/${name}: ${p.name} told to fix ${f} first, which it did not change`);
        }
        if (label.kind === 'correct') {
          correct++;
          if (r.score === r.maxScore) correctFull++;
        } else {
          if (label.kind === 'known') {
            known++;
            const want = expected[`${lab}/${name}`];
            if (r.parts.some((p) => changed.includes(p.name) && p.hints?.some((h) => h.id === want))) knownHinted++;
          }
          for (const p of r.parts.filter((x) => changed.includes(x.name) && x.status !== 'pass')) {
            wrongParts++;
            if (p.hints?.length || p.fixFirst.length) wrongPartsTold++;
          }
        }
        rows.push(`${label.kind.padEnd(7)} ${`${lab}/${name}`.padEnd(58)} ${String(r.score).padStart(6)}  ${[...hints, ...pointers].join(' ') || '-'}`);
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  const pct = (a: number, b: number): string => (b ? `${a}/${b} (${Math.round((100 * a) / b)}%)` : '-');
  console.log(rows.join('\n'));
  console.log('');
  console.log(`correct submissions at full marks: ${pct(correctFull, correct)}`);
  console.log(`known mistakes given their hint:   ${pct(knownHinted, known)}`);
  console.log(`wrong parts told a property or where to look first: ${pct(wrongPartsTold, wrongParts)}`);
  console.log(`hints or pointers on a part the submission did not change: ${misplaced.length}`);
  for (const m of misplaced) console.log(`  ${m}`);
  return 0;
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npm run bench:feedback -- DIR   (DIR/<lab>/<case>/{<lab>.ts,label.json}, DIR/expected-hints.json)');
  process.exitCode = 2;
} else {
  process.exitCode = main(path.resolve(dir));
}
