/**
 * A class folder as the file system holds it: names that are not UTF-8 are left out with a
 * reason (two of them once decoded to one id and refused the whole batch, and one alone was
 * "missing" though the student had submitted), the others graded as usual.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discover } from '../../grader/batch/discover';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-discover-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('names that are not UTF-8 are left out with a reason; two of them never collide', () => {
  const cls = path.join(tmp, 'class');
  fs.mkdirSync(cls);
  const raw = (...parts: (string | number[])[]): Buffer => Buffer.concat([Buffer.from(`${cls}/`), ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))]);
  fs.mkdirSync(raw('x', [0xff]));
  fs.mkdirSync(raw('x', [0xfe]));
  fs.writeFileSync(raw('y', [0xc3, 0x28], '.ts'), 'export {};\n');
  fs.mkdirSync(path.join(cls, 'zoë'));
  fs.writeFileSync(path.join(cls, 'ann.ts'), 'export {};\n');
  const { students, ignored } = discover(cls);
  expect(students.map((s) => s.id)).toEqual(['ann', 'zoë']);
  expect(students.map((s) => fs.existsSync(s.path))).toEqual([true, true]);
  expect(ignored).toEqual([
    'x\\xfe (its name is not UTF-8 text: rename it to grade it)',
    'x\\xff (its name is not UTF-8 text: rename it to grade it)',
    'y\\xc3(.ts (its name is not UTF-8 text: rename it to grade it)',
  ]);
});

test('two names that read the same, their accents encoded differently (NFC and NFD), are one student twice: refused, saying so', () => {
  const cls = path.join(tmp, 'accents');
  fs.mkdirSync(path.join(cls, 'jos\u00e9'), { recursive: true });
  fs.mkdirSync(path.join(cls, 'jose\u0301'), { recursive: true });
  expect(() => discover(cls)).toThrow(/are both student jos\u00e9 \(the same letters, their accents encoded differently\); keep one/);
});
