/**
 * The grader maps positions in the compiled submission back to the TypeScript itself (the child
 * runs without --enable-source-maps): it must give what Node's own source-map support gives.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile } from '../../grader/stages/compile';
import { positionMapOf } from '../../grader/sandbox/sourcemap';

const SOURCE = `export interface P { x: number }
export function a(n: number): number {
  if (n > 1) {
    const values: number[] = [];
    for (let i = 0; i < n; i++) values.push(i * 2);
    throw new RangeError(\`bad \${values.length}\`);
  }
  return n;
}
export const b = (n: number): number => (n < 0 ? (() => { throw new Error('arrow'); })() : a(n + 5));
export class C { go(p: P): number { if (p.x) throw new TypeError('method'); return 1; } }
export function d(): number { return ([1, 2, 3] as number[]).map((v) => { if (v === 2) throw new Error('in map'); return v; })[0]; }
`;

/** The first frame in the compiled file, as `line:col`, with or without Node's source maps. */
function firstFrame(modulePath: string, call: string, sourceMaps: boolean): string {
  const script = `try { ${call} } catch (e) { const m = /vanishing-gradients\\.[jt]s:(\\d+):(\\d+)/.exec(e.stack); console.log(m ? m[1] + ':' + m[2] : 'none'); }`;
  return execFileSync(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), '-e', `const s = require(${JSON.stringify(modulePath)}); ${script}`], { encoding: 'utf8' }).trim();
}

test('positions map to the TypeScript exactly as Node --enable-source-maps maps them', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-sourcemap-'));
  const compiled = await compile(SOURCE, dir);
  if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
  const map = positionMapOf(fs.readFileSync(compiled.modulePath, 'utf8'))!;
  expect(map).toBeDefined();
  let moved = 0;
  for (const call of ['s.a(3)', 's.b(-1)', 's.b(0)', 'new s.C().go({ x: 1 })', 's.d()']) {
    const raw = firstFrame(compiled.modulePath, call, false);
    const node = firstFrame(compiled.modulePath, call, true);
    const [line, col] = raw.split(':').map(Number);
    const ours = map(line, col)!;
    expect({ call, at: `${ours.line}:${ours.col}` }).toEqual({ call, at: node });
    if (raw !== node) moved++;
  }
  // The compiled positions are not the source's: the mapping did something.
  expect(moved).toBeGreaterThan(2);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('VLQ decoding: relative fields accumulate across segments and lines; a position maps to the last mapping at or before it', () => {
  // "AAAA" = all zeros; "CAAC" = +1 col, +1 src col; ";" next line; "AACA" = +1 src line.
  const map = { version: 3, sources: ['vanishing-gradients.ts'], names: [], mappings: 'AAAA,CAAC;AACA' };
  const js = `x\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
  const at = positionMapOf(js)!;
  expect([at(1, 1), at(1, 2), at(1, 9), at(2, 1), at(2, 5)]).toEqual([{ line: 1, col: 1 }, { line: 1, col: 2 }, { line: 1, col: 2 }, { line: 2, col: 2 }, { line: 2, col: 2 }]);
  expect(positionMapOf('no map here')).toBeUndefined();
  // Before a line's first mapping: the last mapping of an earlier line, as Node takes it.
  const sparse = { version: 3, sources: ['vanishing-gradients.ts'], names: [], mappings: 'AAAA;;IACA' };
  const at2 = positionMapOf(`x\ny\nz\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(sparse)).toString('base64')}`)!;
  expect([at2(2, 1), at2(3, 1), at2(3, 5)]).toEqual([{ line: 1, col: 1 }, { line: 1, col: 1 }, { line: 2, col: 1 }]);
});

test('a position past the compiled file\'s last line (a stack the submission wrote itself) maps to nothing, at once', () => {
  const map = { version: 3, sources: ['vanishing-gradients.ts'], names: [], mappings: 'AAAA;AACA' };
  const at = positionMapOf(`x\ny\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`)!;
  expect(at(2, 1)).toEqual({ line: 2, col: 1 });
  // (Walking back line by line from 999,999,999 took minutes: past jest's timeout.)
  expect([at(4, 1), at(999_999_999, 1), at(12_345_678_901, 1), at(0, 1), at(Number.MAX_VALUE, 1)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
});

