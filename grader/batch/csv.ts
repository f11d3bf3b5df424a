/**
 * Batch, the grades file: one row per student, the student id first, then the points per part,
 * `total`, `max`, a status and a short detail. Written in RFC 4180 CSV; a cell that a spreadsheet
 * would run as a formula (=, +, -, @ first) is prefixed with a quote, since ids and messages come
 * from outside. Shards' files merge into one (mergeGrades).
 */
import type { GradeResult } from '../result';

/** What a student's row says happened. */
export type RowStatus = 'graded' | 'timed out' | 'compile error' | 'rejected' | 'missing' | 'kit error';

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
  /** One line on why, for anything but a plain `graded`. */
  detail: string;
}

const TIMED_OUT = /timed out after|did not finish loading within|used up its time budget/;

/** The row for one student's result. */
export function rowOf(student: string, result: GradeResult, partNames: readonly string[]): GradeRow {
  const points = partNames.map((name) => result.parts.find((p) => p.name === name)?.points ?? 0);
  const firstLine = (text: string | undefined): string => (text ?? '').split('\n').filter((l) => l.trim())[0]?.trim() ?? '';
  let status: RowStatus;
  let detail = '';
  switch (result.status) {
    case 'graded': {
      const slow = result.parts.filter((p) => result.tests.some((t) => t.part === p.name && TIMED_OUT.test(t.message ?? '')));
      status = slow.length > 0 ? 'timed out' : 'graded';
      if (slow.length > 0) detail = `stopped at its time limit: ${slow.map((p) => p.name).join(', ')}`;
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
  return { student, points, total: result.score, max: result.maxScore, status, detail: detail.slice(0, 300) };
}

/** A cell's text, quoted when it holds a quote, a comma or a line break. */
function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell, defused when a spreadsheet would take it for a formula, then quoted. */
function cell(value: string | number): string {
  if (typeof value === 'number') return String(Math.round(value * 100) / 100);
  return quote(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

/** The header row for a rubric's parts. */
export function header(partNames: readonly string[]): string[] {
  return ['student', ...partNames, 'total', 'max', 'status', 'detail'];
}

/** The grades file: header, then the rows sorted by student id. */
export function renderGrades(partNames: readonly string[], rows: readonly GradeRow[]): string {
  const sorted = [...rows].sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
  const lines = [header(partNames).map(cell).join(',')];
  for (const r of sorted) lines.push([r.student, ...r.points, r.total, r.max, r.status, r.detail].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Parses CSV text (RFC 4180: quoted cells, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') i++;
    if (c === '\n' || c === '\r') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (quoted) throw new Error('a quoted cell is never closed');
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** Joins shards' grades files into one: same header, no student twice, sorted by id. */
export function mergeGrades(files: { name: string; text: string }[]): { text: string; students: number } {
  if (files.length === 0) throw new Error('give the grades files to merge');
  let head: string[] | undefined;
  const byStudent = new Map<string, { line: string[]; from: string }>();
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
    for (const line of body) {
      if (line.length !== head.length) throw new Error(`${f.name}: the row for ${line[0]} has ${line.length} cells, not ${head.length}`);
      const other = byStudent.get(line[0]);
      if (other) throw new Error(`student ${line[0]} is in both ${other.from} and ${f.name}: were the shards cut from the same class twice?`);
      byStudent.set(line[0], { line, from: f.name });
    }
  }
  const sorted = [...byStudent.keys()].sort();
  // Cells were defused when written: quoted again, not changed.
  const lines = [head!.map(quote).join(','), ...sorted.map((s) => byStudent.get(s)!.line.map(quote).join(','))];
  return { text: `${lines.join('\r\n')}\r\n`, students: sorted.length };
}
