/** Intake of a submission folder: which file is taken, and what a refusal says. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isIntakeProblem, takeIn } from '../../grader/stages/intake';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-intake-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A folder holding these entries (a name ending in / is a folder). */
function folder(name: string, entries: string[]): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const e of entries) {
    if (e.endsWith('/')) fs.mkdirSync(path.join(dir, e), { recursive: true });
    else fs.writeFileSync(path.join(dir, e), `export const name = ${JSON.stringify(e)};\n`);
  }
  return dir;
}

describe('a submission folder', () => {
  test('its vanishing-gradients.ts, whatever else it holds, without a note', () => {
    const got = takeIn(folder('exact', ['vanishing-gradients.ts', 'other.ts', 'notes.md']), tmp);
    expect(got).toEqual({ displayName: 'exact/vanishing-gradients.ts', source: 'export const name = "vanishing-gradients.ts";\n' });
  });

  test.each([['vanishing-gradients (1).ts'], ['My Solution.TS'], ['lab.ts']])('its only TypeScript file %j, with a note', (name) => {
    const dir = folder(`one-${name.replace(/\W/g, '')}`, [name, 'types.d.ts', 'dir.ts/', 'README.md', '.hidden.ts']);
    const got = takeIn(dir, tmp);
    if (isIntakeProblem(got)) throw new Error(got.message);
    expect(got.displayName).toBe(`${path.basename(dir)}/${name}`);
    expect(got.note).toBe(`graded ${name}, the only TypeScript file submitted: name it vanishing-gradients.ts next time`);
  });

  test('two TypeScript files: refused, naming them', () => {
    const got = takeIn(folder('two', ['a.ts', 'b.ts', 'c.txt']), tmp);
    expect(got).toEqual({ kind: 'missing', message: 'two holds no vanishing-gradients.ts: it holds 2 TypeScript files (a.ts, b.ts) and the grader cannot tell which is yours: submit one, named vanishing-gradients.ts' });
  });

  test('no TypeScript file (a folder named like one is not one): refused, saying what is there', () => {
    expect(takeIn(folder('none', ['main.py', 'src.ts/']), tmp)).toEqual({ kind: 'missing', message: 'none holds no vanishing-gradients.ts: it holds main.py, src.ts/, and no TypeScript file: submit your vanishing-gradients.ts' });
    expect(takeIn(folder('empty', []), tmp)).toEqual({ kind: 'missing', message: 'empty holds no vanishing-gradients.ts: it is empty' });
  });
});
