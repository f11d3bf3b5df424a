import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomic, writeShared } from '../../grader/write';

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
