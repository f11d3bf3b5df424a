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

describe('a whole repository (a GitHub Classroom clone, a Gradescope upload from GitHub)', () => {
  const layout = ['README.md', 'package.json', 'jest.config.ts', 'grader/', 'exercises/'];

  test('graded from exercises/vanishing-gradients.ts, without a note, before a lone top-level .ts file', () => {
    const dir = folder('repo', [...layout, 'exercises/vanishing-gradients.ts']);
    expect(takeIn(dir, tmp)).toEqual({ displayName: 'repo/exercises/vanishing-gradients.ts', source: 'export const name = "exercises/vanishing-gradients.ts";\n' });
  });

  test('the lab\'s file at the top still comes first', () => {
    const dir = folder('repo-top', ['vanishing-gradients.ts', 'exercises/', 'exercises/vanishing-gradients.ts']);
    expect(takeIn(dir, tmp)).toMatchObject({ displayName: 'repo-top/vanishing-gradients.ts' });
  });

  test('exercises/ without the lab\'s file: refused, saying what it holds; a top-level .ts (a config) is never taken for the answer', () => {
    expect(takeIn(folder('repo-other', ['exercises/', 'exercises/vg.ts', 'jest.config.ts']), tmp)).toEqual({ kind: 'missing', message: 'repo-other holds no vanishing-gradients.ts: it is a repository, and its exercises/ holds vg.ts, not vanishing-gradients.ts: keep the lab\'s file under its name, exercises/vanishing-gradients.ts' });
    expect(takeIn(folder('repo-none', ['exercises/', 'README.md']), tmp)).toEqual({ kind: 'missing', message: 'repo-none holds no vanishing-gradients.ts: it is a repository, and its exercises/ is empty, not vanishing-gradients.ts: keep the lab\'s file under its name, exercises/vanishing-gradients.ts' });
  });

  test('a tool\'s configuration at the top (jest.config.ts) is never taken for the answer, repository or not', () => {
    expect(takeIn(folder('moved', ['package.json', 'jest.config.ts', 'src/', 'src/vanishing-gradients.ts']), tmp)).toEqual({ kind: 'missing', message: 'moved holds no vanishing-gradients.ts: it holds jest.config.ts, package.json, src/, and no TypeScript file but a tool\'s configuration: submit your vanishing-gradients.ts' });
    expect(takeIn(folder('with-config', ['vite.config.ts', 'answer.ts']), tmp)).toMatchObject({ displayName: 'with-config/answer.ts' });
  });

  test('exercises/ as a link is not followed; the file in it as a link, or a folder, is refused', () => {
    const elsewhere = folder('elsewhere', ['vanishing-gradients.ts']);
    const linked = folder('repo-linked', ['README.md', 'jest.config.ts']);
    fs.symlinkSync(elsewhere, path.join(linked, 'exercises'));
    expect(takeIn(linked, tmp)).toEqual({ kind: 'missing', message: 'repo-linked holds no vanishing-gradients.ts: it is a repository, and its exercises is a symbolic link: submit the repository with exercises/vanishing-gradients.ts in it, or the file itself' });
    const inner = folder('repo-inner-link', ['exercises/']);
    fs.symlinkSync('/etc/hostname', path.join(inner, 'exercises', 'vanishing-gradients.ts'));
    expect(takeIn(inner, tmp)).toEqual({ kind: 'missing', message: 'repo-inner-link/exercises/vanishing-gradients.ts is a symbolic link; submit the file itself' });
    const dirNamed = folder('repo-dir', ['exercises/vanishing-gradients.ts/']);
    expect(takeIn(dirNamed, tmp)).toEqual({ kind: 'missing', message: 'repo-dir/exercises/vanishing-gradients.ts is not a regular file' });
  });
});

describe('symbolic links', () => {
  test('a folder given by a link is followed; a file in it that is a link is still refused', () => {
    const real = folder('linked-real', ['vanishing-gradients.ts']);
    const link = path.join(tmp, 'linked-folder');
    fs.symlinkSync(real, link);
    const got = takeIn(link, tmp);
    expect('source' in got && got.displayName).toBe(path.join('linked-folder', 'vanishing-gradients.ts'));
    const inside = path.join(tmp, 'link-inside');
    fs.mkdirSync(inside);
    fs.symlinkSync('/etc/hostname', path.join(inside, 'vanishing-gradients.ts'));
    expect(takeIn(inside, tmp)).toMatchObject({ kind: 'missing', message: expect.stringMatching(/is a symbolic link; submit the file itself/) });
  });
});

describe('names are the submitter\'s: shown escaped in every message', () => {
  test('a file whose name holds escape sequences (OSC 52, CSI, C1, bidi): its display name, note and refusals escaped', () => {
    const evil = 'x\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u009b\u202e\n.ts';
    const dir = path.join(tmp, 'evil-names');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, evil), 'export const a = 1;\n');
    const got = takeIn(dir, tmp);
    if (isIntakeProblem(got)) throw new Error(got.message);
    const shown = 'x\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\u009b\\u202e\\n.ts';
    expect(got.displayName).toBe(`evil-names/${shown}`);
    expect(got.note).toBe(`graded ${shown}, the only TypeScript file submitted: name it vanishing-gradients.ts next time`);
    fs.writeFileSync(path.join(dir, 'b\u0007.ts'), '');
    const two = takeIn(dir, tmp);
    expect(isIntakeProblem(two) && two.message).toBe(`evil-names holds no vanishing-gradients.ts: it holds 2 TypeScript files (b\\x07.ts, ${shown}) and the grader cannot tell which is yours: submit one, named vanishing-gradients.ts`);
    const missing = takeIn(path.join(tmp, 'no\u001b[2Jsuch'), tmp);
    expect(isIntakeProblem(missing) && missing.message).toMatch(/^no submission at .*no\\x1b\[2Jsuch: /);
    // A folder named so (a batch's student folder).
    const folderName = path.join(tmp, 'd\u009bir\u001b]0;t\u0007');
    fs.mkdirSync(folderName);
    const empty = takeIn(folderName, tmp);
    expect(isIntakeProblem(empty) && empty.message).toBe('d\\u009bir\\x1b]0;t\\x07 holds no vanishing-gradients.ts: it is empty');
  });

  test('a file named with CI runners\' command markers (##[, ##vso[, a leading ::) is shown defused: the JSON on stdout holds its name', () => {
    const dir = path.join(tmp, 'marker-names');
    fs.mkdirSync(dir, { recursive: true });
    const name = '##[error]forged ##vso[task.complete result=Succeeded].ts';
    fs.writeFileSync(path.join(dir, name), 'export const a = 1;\n');
    const got = takeIn(dir, tmp);
    if (isIntakeProblem(got)) throw new Error(got.message);
    expect(got.displayName).toBe('marker-names/# #[error]forged # #vso[task.complete result=Succeeded].ts');
    expect(got.note).toBe('graded # #[error]forged # #vso[task.complete result=Succeeded].ts, the only TypeScript file submitted: name it vanishing-gradients.ts next time');
    const lead = takeIn('::error::x', tmp);
    expect(isIntakeProblem(lead) && lead.message).toMatch(/^no submission at : :error::x: /);
  });
});

describe('decoding: strict, and no honest file is refused', () => {
  const SOURCE = '// é σ → 漢字 😀 \ufffd (a replacement character, valid UTF-8)\nexport const a = 1;\n';
  /** Takes in a file holding these bytes. */
  function bytesIn(name: string, bytes: Uint8Array) {
    const dir = path.join(tmp, `dec-${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'vanishing-gradients.ts'), bytes);
    return takeIn(dir, tmp);
  }
  const utf16 = (text: string, bigEndian: boolean): Buffer => {
    const le = Buffer.from(text, 'utf16le');
    return bigEndian ? Buffer.from(le).swap16() : le;
  };

  test('UTF-8 holding U+FFFD is text like any other; a UTF-8 byte-order mark is accepted and left out', () => {
    expect(bytesIn('utf8', Buffer.from(SOURCE, 'utf8'))).toEqual({ displayName: 'dec-utf8/vanishing-gradients.ts', source: SOURCE });
    expect(bytesIn('utf8-bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SOURCE, 'utf8')]))).toEqual({ displayName: 'dec-utf8-bom/vanishing-gradients.ts', source: SOURCE });
  });

  test.each([['LE', false], ['BE', true]])('UTF-16 %s with a byte-order mark: transcoded, with a note that says so', (order, bigEndian) => {
    const got = bytesIn(`utf16-${order}`, Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), utf16(SOURCE, bigEndian as boolean)]));
    if (isIntakeProblem(got)) throw new Error(got.message);
    expect(got.source).toBe(SOURCE);
    expect(got.note).toMatch(new RegExp(`is saved as UTF-16 ${order} \\(with a byte-order mark\\): it was read as such and graded; .*save it as UTF-8`));
  });

  test.each([['LE', false], ['BE', true]])('UTF-16 %s without a byte-order mark: refused, naming UTF-16 and how to save it as UTF-8', (order, bigEndian) => {
    const got = bytesIn(`utf16-nobom-${order}`, utf16(SOURCE, bigEndian as boolean));
    expect(got).toEqual({ kind: 'rejected', message: expect.stringMatching(new RegExp(`is UTF-16 ${order} text without a byte-order mark .*: save it as UTF-8 \\(in VS Code`)) });
  });

  test('other bytes: NUL refused as binary; bytes that are not UTF-8 refused, naming the line', () => {
    expect(bytesIn('binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x41, 0x42, 0x43]))).toEqual({ kind: 'rejected', message: 'dec-binary/vanishing-gradients.ts is not a text file (it holds NUL bytes)' });
    const latin1 = Buffer.concat([Buffer.from('// line 1\n// line 2\n// caf', 'utf8'), Buffer.from([0xe9]), Buffer.from('\nexport const a = 1;\n')]);
    expect(bytesIn('latin1', latin1)).toEqual({ kind: 'rejected', message: expect.stringMatching(/^dec-latin1\/vanishing-gradients\.ts is not valid UTF-8 text \(the first byte that is not, 0xe9, is on line 3; .*\): save it as UTF-8/) });
    // Overlong forms and encoded surrogates are not UTF-8 either.
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      expect(bytesIn(`bad-${bad.join('-')}`, Buffer.from([0x61, 0x0a, ...bad]))).toMatchObject({ kind: 'rejected', message: expect.stringContaining(`0x${bad[0].toString(16)}, is on line 2`) });
    }
  });

  test('a UTF-16 byte-order mark with an odd number of bytes, or with lone surrogates: refused, saying so', () => {
    expect(bytesIn('odd', Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x62]))).toMatchObject({ kind: 'rejected', message: expect.stringContaining('starts like UTF-16 LE text but has an odd number of bytes') });
    expect(bytesIn('lone', Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x00, 0xd8, 0x61, 0x00]))).toMatchObject({ kind: 'rejected', message: expect.stringContaining('is not valid UTF-16 LE') });
  });
});
