import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { folderProblem, makeFolders, outputProblem, writeAtomic, writeOutput, writeShared } from '../../grader/write';

describe('writeShared: one copy on disk, hard-linked where it is written', () => {
  test('the same bytes twice are one file; other bytes another; a file written over is replaced, not changed in place', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-write-'));
    const store = path.join(dir, '.store');
    const png = Buffer.from('\x89PNG one');
    writeShared(path.join(dir, 'a', 'f.png'), png, store);
    writeShared(path.join(dir, 'b', 'f.png'), png, store);
    writeShared(path.join(dir, 'c', 'f.png'), Buffer.from('\x89PNG two'), store);
    const ino = (p: string): number => fs.statSync(path.join(dir, p)).ino;
    expect(ino('a/f.png')).toBe(ino('b/f.png'));
    expect(ino('c/f.png')).not.toBe(ino('a/f.png'));
    expect(fs.readdirSync(store)).toHaveLength(2);
    // Writing b anew (another grade) leaves a alone.
    writeShared(path.join(dir, 'b', 'f.png'), Buffer.from('\x89PNG two'), store);
    expect(fs.readFileSync(path.join(dir, 'a', 'f.png'))).toEqual(png);
    expect(ino('b/f.png')).toBe(ino('c/f.png'));
    // No temporary file is left behind.
    expect(fs.readdirSync(path.join(dir, 'b'))).toEqual(['f.png']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('where the store cannot be made, the bytes are written all the same', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-write-'));
    const blocked = path.join(dir, 'store-is-a-file');
    fs.writeFileSync(blocked, 'not a folder');
    writeShared(path.join(dir, 'a', 'f.png'), Buffer.from('bytes'), blocked);
    expect(fs.readFileSync(path.join(dir, 'a', 'f.png'), 'utf8')).toBe('bytes');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('writeAtomic', () => {
  test('a write that cannot land (a folder where the file goes) throws, and leaves no temporary file behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-write-'));
    fs.mkdirSync(path.join(dir, 'index.html'));
    expect(() => writeAtomic(path.join(dir, 'index.html'), '<p>page</p>')).toThrow(/EISDIR|EEXIST|ENOTEMPTY|EPERM/);
    expect(fs.readdirSync(dir)).toEqual(['index.html']);
    writeAtomic(path.join(dir, 'page.html'), '<p>page</p>');
    expect(fs.readdirSync(dir).sort()).toEqual(['index.html', 'page.html']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('writeOutput: a command\'s --out', () => {
  test('through a symbolic link to its target (the link stays); into a pipe a reader waits on, never replacing it with a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-write-'));
    try {
      fs.writeFileSync(path.join(dir, 'target.json'), 'old');
      fs.symlinkSync('target.json', path.join(dir, 'link.json'));
      writeOutput(path.join(dir, 'link.json'), 'new');
      expect(fs.lstatSync(path.join(dir, 'link.json')).isSymbolicLink()).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'target.json'), 'utf8')).toBe('new');
      const fifo = path.join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      const reader = spawn('cat', [fifo]);
      let read = '';
      reader.stdout.on('data', (d: Buffer) => { read += d.toString(); });
      // 'close', not 'exit': a process may exit before its output has been read (a busy machine).
      const ended = new Promise((r) => reader.on('close', r));
      writeOutput(fifo, '{"score":1}\n');
      await ended;
      expect(read).toBe('{"score":1}\n');
      expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(['link.json', 'pipe', 'target.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a chain of links to a file not there yet: the file is made at its end, every link stays; a circle is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-write-'));
    try {
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.symlinkSync('sub/middle.json', path.join(dir, 'first.json'));
      fs.symlinkSync('../end.json', path.join(dir, 'sub', 'middle.json'));
      expect(outputProblem(path.join(dir, 'first.json'))).toBeUndefined();
      writeOutput(path.join(dir, 'first.json'), 'new');
      expect(fs.lstatSync(path.join(dir, 'first.json')).isSymbolicLink()).toBe(true);
      expect(fs.lstatSync(path.join(dir, 'sub', 'middle.json')).isSymbolicLink()).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'end.json'), 'utf8')).toBe('new');
      // Through a folder reached by a link: `..` in the next link is taken from the real folder.
      fs.mkdirSync(path.join(dir, 'other', 'real'), { recursive: true });
      fs.symlinkSync('../other/real', path.join(dir, 'sub', 'linked'));
      fs.symlinkSync('../far.json', path.join(dir, 'other', 'real', 'mid.json'));
      fs.symlinkSync('sub/linked/mid.json', path.join(dir, 'via.json'));
      writeOutput(path.join(dir, 'via.json'), 'far');
      expect(fs.readFileSync(path.join(dir, 'other', 'far.json'), 'utf8')).toBe('far');
      fs.symlinkSync('loop-b', path.join(dir, 'loop-a'));
      fs.symlinkSync('loop-a', path.join(dir, 'loop-b'));
      expect(outputProblem(path.join(dir, 'loop-a'))).toMatch(/its symbolic links go round in a circle \(ELOOP\)/);
      // A folder on the way that is a link to nothing: refused before any work.
      fs.symlinkSync('nowhere', path.join(dir, 'gone'));
      fs.symlinkSync('gone/f.json', path.join(dir, 'f.json'));
      expect(outputProblem(path.join(dir, 'f.json'))).toBe(`cannot write ${path.join(dir, 'f.json')}: ${path.join(dir, 'gone')} is a symbolic link to nothing (nowhere)`);
      expect(fs.readdirSync(dir).sort()).toEqual(['end.json', 'f.json', 'first.json', 'gone', 'loop-a', 'loop-b', 'other', 'sub', 'via.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('folders are made where the system resolves their path: `..` after a link is the parent of where it leads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-write-'));
    try {
      fs.mkdirSync(path.join(dir, 'real', 'inner'), { recursive: true });
      fs.symlinkSync(path.join('real', 'inner'), path.join(dir, 'lnk'));
      const asked = `${dir}/lnk/../made/deeper`;
      expect(folderProblem(asked)).toBeUndefined();
      expect(fs.statSync(path.join(dir, 'real', 'made', 'deeper')).isDirectory()).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(['lnk', 'real']);
      makeFolders(asked); // there already: nothing to do
      expect(folderProblem('/proc/vg-no-such/x')).toMatch(/^\/proc\/vg-no-such\/x cannot be made or written to \(E[A-Z]+/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a folder is no output file, said before any work; a file in a folder yet to be made is fine', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-write-'));
    try {
      expect(outputProblem(dir)).toBe(`${dir} is a folder: name a file for the output`);
      expect(outputProblem(path.join(dir, 'a', 'b', 'out.json'))).toBeUndefined();
      expect(outputProblem('/dev/null')).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
