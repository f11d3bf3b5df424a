/**
 * Batch, the grades file: one row per student, the student id first, then the points per part,
 * `total`, `max`, a status, a short detail (why, or the first thing to fix), and the run's `seed`
 * and `shard` (every row carries them, so that a file says how it was graded: `--resume` reads the
 * seed back, and a merge refuses shards of different runs or a missing shard). Written in RFC 4180
 * CSV; a cell that a spreadsheet would run as a formula is prefixed with a quote, since ids and
 * messages come from outside, in a way that reads back exactly (see {@link defuseCell}). Shards'
 * files merge into one (mergeGrades).
 */
import { OUT_OF_TIME } from '../outcomes';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { GradeResult } from '../result';
import { cut, escapeLine } from '../report/sanitize';

/** Longest detail a grades row holds; a longer one is cut, and ends in an ellipsis that says so. */
const DETAIL_CHARS = 300;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${cut(text, max - 1)}…`;
}
import { byCodeUnit } from '../lib/order';

/** What a student's row says happened. */
export type RowStatus = 'graded' | 'timed out' | 'compile error' | 'rejected' | 'missing' | 'kit error' | 'not graded';

/** The detail of a student a stopped batch did not reach. */
export const NOT_GRADED_DETAIL = 'not graded yet (the batch was stopped): run it again with --resume';

/** One student's row. */
export interface GradeRow {
  /** The student's id. */
  student: string;
  /** Points per part, in rubric order. */
  points: number[];
  /** Points earned. */
  total: number;
  /** Points available. */
  max: number;
  /** What happened. */
  status: RowStatus;
  /** One line: why (not graded, timed out), or the first thing to fix (a part that fails on its own, and its hint). */
  detail: string;
}

/** How a grades file was graded: the same for every row of it. */
export interface GradesRun {
  /** The seed of the hidden inputs. */
  seed: number;
  /** The shard, `i/n` (`1/1` for a whole class). */
  shard: string;
}


/** The row for one student's result. */
export function rowOf(student: string, result: GradeResult, partNames: readonly string[]): GradeRow {
  const points = partNames.map((name) => result.parts.find((p) => p.name === name)?.points ?? 0);
  const firstLine = (text: string | undefined): string => (text ?? '').split('\n').filter((l) => l.trim())[0]?.trim() ?? '';
  let status: RowStatus;
  let detail = '';
  switch (result.status) {
    case 'graded': {
      const slow = result.parts.filter((p) => result.tests.some((t) => t.part === p.name && OUT_OF_TIME.has(t.outcome)));
      status = slow.length > 0 ? 'timed out' : 'graded';
      if (slow.length > 0) detail = `stopped at its time limit: ${slow.map((p) => p.name).join(', ')}`;
      else {
        // The first part that fails on its own (the others are told to fix it first), with its hint.
        // (With --only the used parts are not in the result: then the first failing part.)
        const first = result.parts.find((p) => p.status !== 'pass' && p.fixFirst.length === 0) ?? result.parts.find((p) => p.status !== 'pass');
        if (first) detail = `${first.name}: ${firstLine(first.hints?.[0] ? `hint: ${first.hints[0].text}` : first.feedback[0]) || 'fails its tests'}`;
      }
      break;
    }
    case 'compile-error': {
      status = 'compile error';
      const lines = (result.message ?? '').split('\n');
      detail = firstLine(lines.slice(1).join('\n')) || firstLine(result.message);
      break;
    }
    case 'kit-error': status = 'kit error'; detail = firstLine(result.message); break;
    default: status = result.status; detail = firstLine(result.message);
  }
  // One line, read in a spreadsheet or a terminal: nothing in it hidden (a kit error's reason is not sanitized before).
  return { student, points, total: result.score, max: result.maxScore, status, detail: clip(escapeLine(detail), DETAIL_CHARS) };
}

/**
 * What makes a spreadsheet (Excel, LibreOffice, Google Sheets) take a cell for a formula: `=`,
 * `+`, `-` or `@` first, after any white space, or their full-width forms (some locales take
 * those too); or a tab, CR or LF first.
 */
const FORMULA = String.raw`(?:\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n])`;
/** A value that gets the quote: a formula, or a formula behind quotes of its own (`'=…`, `''=…`). */
const NEEDS_QUOTE = new RegExp(`^'*${FORMULA}`);
/** A cell that got it. */
const QUOTED = new RegExp(`^'+${FORMULA}`);

/**
 * A string cell as written: a value that a spreadsheet would run as a formula gets a `'` in front,
 * and so does a value that is such a formula behind quotes of its own (`'=x` is written `''=x`).
 * The quote is then reversible and collision-free: a cell is read back ({@link undefuseCell}) by
 * taking one quote off exactly when it is quotes followed by a formula, and every other cell is
 * its value as it is (a value that starts with `'` and no formula, `'abc`, is written unchanged,
 * as the kit always wrote it). No cell written is ever a formula: it starts with `'` or with no
 * formula character.
 */
export function defuseCell(value: string): string {
  return NEEDS_QUOTE.test(value) ? `'${value}` : value;
}

/** The value of a string cell written by {@link defuseCell}. */
export function undefuseCell(cellText: string): string {
  return QUOTED.test(cellText) ? cellText.slice(1) : cellText;
}

/** A cell, defused when a spreadsheet would take it for a formula (quoting is the writer's). */
function cell(value: string | number): string {
  if (typeof value === 'number') return String(Math.round(value * 100) / 100);
  return defuseCell(value);
}

/**
 * Rows as RFC 4180 CSV (csv-stringify): CRLF between records, a cell quoted when it holds a
 * comma, a quote or any line break (a lone LF or CR too: some readers split on either).
 */
function csvText(rows: readonly string[][]): string {
  return stringify(rows as string[][], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** The header row for a rubric's parts. */
export function header(partNames: readonly string[]): string[] {
  return ['student', ...partNames, 'total', 'max', 'status', 'detail', 'seed', 'shard'];
}

/** The grades file: header, then the rows sorted by student id, each with the run's seed and shard. */
export function renderGrades(partNames: readonly string[], rows: readonly GradeRow[], run: GradesRun): string {
  const sorted = [...rows].sort((a, b) => byCodeUnit(a.student, b.student));
  const lines = [header(partNames).map(cell)];
  for (const r of sorted) lines.push([r.student, ...r.points, r.total, r.max, r.status, r.detail, run.seed, run.shard].map(cell));
  return csvText(lines);
}

const STATUSES: readonly RowStatus[] = ['graded', 'timed out', 'compile error', 'rejected', 'missing', 'kit error', 'not graded'];

/**
 * A grades file read back (for `--resume`): its rows (`not graded` ones included: the caller
 * grades those), and the seed and shard they were graded with (undefined when it has no row). Throws with a reason a file of other columns, or rows of
 * different seeds or shards.
 */
export function readGrades(text: string, partNames: readonly string[], name: string): { rows: GradeRow[]; run?: GradesRun } {
  const [head, ...body] = parseCsv(text);
  const want = header(partNames);
  if (!head || head.join(',') !== want.join(',')) throw new Error(`${name} has other columns than this grading's (${want.join(',')})`);
  const unquote = undefuseCell;
  const rows: GradeRow[] = [];
  let run: GradesRun | undefined;
  for (const line of body) {
    if (line.length !== want.length) throw new Error(`${name}: the row for ${line[0]} has ${line.length} cells, not ${want.length}`);
    const at = (column: string): string => line[want.indexOf(column)];
    const here = { seed: Number(at('seed')), shard: at('shard') };
    if (!Number.isInteger(here.seed) || here.seed < 1) throw new Error(`${name}: the row for ${line[0]} has no seed`);
    if (run && (run.seed !== here.seed || run.shard !== here.shard)) throw new Error(`${name} mixes rows of seed ${run.seed} (shard ${run.shard}) and seed ${here.seed} (shard ${here.shard})`);
    run = here;
    const status = at('status') as RowStatus;
    if (!STATUSES.includes(status)) throw new Error(`${name}: the row for ${line[0]} has the status ${status}`);
    rows.push({
      student: unquote(line[0]), points: partNames.map((p) => Number(at(p))), total: Number(at('total')), max: Number(at('max')),
      status, detail: unquote(at('detail')),
    });
  }
  return { rows, run };
}

/**
 * Whether a file's text is the grades of a batch that was stopped (a grades file with students
 * `not graded`): how many were graded and how many are left. Undefined for anything else (a
 * finished batch, another file, no CSV at all).
 */
export function stoppedBatch(text: string): { graded: number; left: number } | undefined {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch {
    return undefined;
  }
  const [head, ...body] = rows;
  if (head?.[0] !== 'student') return undefined;
  const counts = progressOf(head, body);
  return counts && counts.left > 0 ? counts : undefined;
}

/** A grades file's rows counted: graded (any status but `not graded`) and left; undefined without a status column. */
function progressOf(head: readonly string[], body: readonly string[][]): { graded: number; left: number } | undefined {
  const statusAt = head.indexOf('status');
  if (statusAt < 0) return undefined;
  const left = body.filter((line) => line[statusAt] === 'not graded').length;
  return { graded: body.filter((line) => line.length > statusAt).length - left, left };
}

/** Parses CSV text (csv-parse, RFC 4180: quoted cells, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
}

/**
 * Joins shards' grades files into one: same header, no student twice, sorted by id; the files
 * must be the shards 1..n of one run (the same seed, every shard once).
 */
export function mergeGrades(files: { name: string; text: string }[]): { text: string; students: number } {
  if (files.length === 0) throw new Error('give the grades files to merge');
  let head: string[] | undefined;
  const byStudent = new Map<string, { line: string[]; from: string }>();
  const runs: { name: string; seed?: string; shard?: string }[] = [];
  for (const f of files) {
    let rows: string[][];
    try {
      rows = parseCsv(f.text);
    } catch (err) {
      throw new Error(`${f.name}: not a CSV file (${(err as Error).message})`);
    }
    if (rows.length === 0) throw new Error(`${f.name} is empty`);
    const [h, ...body] = rows;
    if (!head) head = h;
    else if (h.join(',') !== head.join(',')) throw new Error(`${f.name} has other columns than ${files[0].name}: ${h.join(',')} instead of ${head.join(',')}`);
    if (head[0] !== 'student') throw new Error(`${f.name} is not a grades file (its first column is ${head[0]}, not student)`);
    const seedAt = head.indexOf('seed');
    const shardAt = head.indexOf('shard');
    if (seedAt < 0 || shardAt < 0) throw new Error(`${f.name} has no seed and shard columns: grade the shards again with this kit`);
    const run: { name: string; seed?: string; shard?: string } = { name: f.name };
    const unfinished = progressOf(head, body)?.left ?? 0;
    if (unfinished) throw new Error(`${f.name} has ${unfinished} student${unfinished === 1 ? '' : 's'} not graded yet (its batch was stopped): finish it with --resume, then merge`);
    for (const line of body) {
      if (line.length !== head.length) throw new Error(`${f.name}: the row for ${line[0]} has ${line.length} cells, not ${head.length}`);
      if ((run.seed ?? line[seedAt]) !== line[seedAt] || (run.shard ?? line[shardAt]) !== line[shardAt]) throw new Error(`${f.name} mixes rows of different seeds or shards`);
      run.seed = line[seedAt];
      run.shard = line[shardAt];
      // Keyed and sorted by the id itself, as a single run sorts its rows; the cells are kept as written.
      const id = undefuseCell(line[0]);
      const other = byStudent.get(id);
      if (other) throw new Error(`student ${id} is in both ${other.from} and ${f.name}: were the shards cut from the same class twice?`);
      byStudent.set(id, { line, from: f.name });
    }
    runs.push(run);
  }
  checkShards(runs);
  const sorted = [...byStudent.keys()].sort(byCodeUnit);
  // Every shard is here: the merged file is the whole class's, as one run would have written it.
  const shardAt = head!.indexOf('shard');
  const whole = (line: string[]): string[] => line.map((v, k) => (k === shardAt ? '1/1' : v));
  // Cells were defused when written: quoted again, not changed.
  return { text: csvText([head!, ...sorted.map((s) => whole(byStudent.get(s)!.line))]), students: sorted.length };
}

/** The files are shards 1..n of one run, each once (a file with no row says nothing either way). */
function checkShards(runs: { name: string; seed?: string; shard?: string }[]): void {
  const known = runs.filter((r) => r.seed !== undefined);
  // A file with no row (a shard with no students) may be any shard.
  const blank = runs.length - known.length;
  if (known.length === 0) return;
  const seeds = [...new Set(known.map((r) => r.seed))];
  if (seeds.length > 1) throw new Error(`the files were graded with different seeds (${known.map((r) => `${r.name}: ${r.seed}`).join(', ')}): their hidden inputs differ; grade every shard with the same --seed`);
  const counts = [...new Set(known.map((r) => r.shard!.split('/')[1]))];
  if (counts.length > 1) throw new Error(`the files are shards of different splits (${known.map((r) => `${r.name}: ${r.shard}`).join(', ')})`);
  const n = Number(counts[0]);
  const seen = new Map<number, string>();
  for (const r of known) {
    const i = Number(r.shard!.split('/')[0]);
    const other = seen.get(i);
    if (other) throw new Error(`${other} and ${r.name} are both shard ${r.shard}`);
    seen.set(i, r.name);
  }
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((i) => !seen.has(i));
  if (missing.length > blank) throw new Error(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${n}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: merge every shard of the class`);
}
