import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import transformer from '../../grader/lib/suites-transformer';
import { KIT_ROOT } from '../../grader/lib/paths';

const TSCONFIG = path.join(KIT_ROOT, 'grader', 'tsconfig.suites.json');
const SUITE = path.join(KIT_ROOT, 'grader', 'suites', 'harness.ts');

describe('the suites\' transform: ts-jest, loaded only when jest has nothing cached', () => {
  const t = transformer.createTransformer({ tsconfig: TSCONFIG });
  const source = fs.readFileSync(SUITE, 'utf8');
  const key = (text: string, file = SUITE, options = { configString: '{"rootDir":"/kit"}', instrument: false }): string => t.getCacheKey(text, file, options);

  test('the key follows the file, its path, jest\'s configuration and coverage, and nothing else', () => {
    expect(key(source)).toBe(key(source));
    expect(key(`${source}\n// edited`)).not.toBe(key(source));
    expect(key(source, SUITE.replace('harness', 'other'))).not.toBe(key(source));
    expect(key(source, SUITE, { configString: '{"rootDir":"/elsewhere"}', instrument: false })).not.toBe(key(source));
    expect(key(source, SUITE, { configString: '{"rootDir":"/kit"}', instrument: true })).not.toBe(key(source));
  });

  test('the key follows the tsconfig and the config it extends', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-transformer-'));
    fs.writeFileSync(path.join(dir, 'base.json'), '{"compilerOptions":{"strict":true}}');
    fs.writeFileSync(path.join(dir, 'suites.json'), '{"extends":"./base.json","compilerOptions":{"isolatedModules":true}}');
    const mine = (): string => transformer.createTransformer({ tsconfig: path.join(dir, 'suites.json') }).getCacheKey(source, SUITE, { configString: '', instrument: false });
    const before = mine();
    expect(mine()).toBe(before);
    fs.writeFileSync(path.join(dir, 'base.json'), '{"compilerOptions":{"strict":false}}');
    expect(mine()).not.toBe(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a miss compiles with ts-jest, as jest would have', () => {
    const out = t.process(source, SUITE, { config: { cwd: KIT_ROOT, rootDir: KIT_ROOT, testMatch: [], transform: [], globals: {} }, configString: '{}', cacheFS: new Map(), transformerConfig: { tsconfig: TSCONFIG }, instrument: false, supportsDynamicImport: false, supportsExportNamespaceFrom: false, supportsStaticESM: false, supportsTopLevelAwait: false }) as { code: string };
    expect(out.code).toMatch(/exports\.\w+ = /);
    expect(out.code).not.toMatch(/: number\b/);
  });

  test('a warm grade loads neither ts-jest nor TypeScript\'s compiler in the grader process', () => {
    const script = `const { main } = require(${JSON.stringify(path.join(KIT_ROOT, 'build', 'grader', 'cli.js'))});
const args = ['--submission', ${JSON.stringify(path.join(KIT_ROOT, 'solutions', 'vanishing-gradients.ts'))}, '--quiet', '--no-figures', '--report-dir', ${JSON.stringify(path.join(os.tmpdir(), `vg-transformer-report-${process.pid}`))}];
main(args).then((code) => {
  const loaded = (re) => Object.keys(require.cache).some((k) => re.test(k));
  console.log(JSON.stringify({ code, typescript: loaded(/node_modules[\\\\/]typescript[\\\\/]/), tsJest: loaded(/node_modules[\\\\/]ts-jest[\\\\/]/) }));
  process.exit(0);
});
`;
    const run = (): { code: number; typescript: boolean; tsJest: boolean } => {
      const r = spawnSync(process.execPath, ['-e', script], { cwd: KIT_ROOT, encoding: 'utf8', timeout: 120_000 });
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { code: number; typescript: boolean; tsJest: boolean };
    };
    run(); // jest's cache filled (a no-op when it already is)
    expect(run()).toEqual({ code: 0, typescript: false, tsJest: false });
    fs.rmSync(path.join(os.tmpdir(), `vg-transformer-report-${process.pid}`), { recursive: true, force: true });
  }, 240_000);

  test('graded from another working folder, a quiet grade prints nothing: jest validates the grading configuration without a warning', () => {
    const report = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-elsewhere-'));
    const r = spawnSync(process.execPath, [path.join(KIT_ROOT, 'grader', 'bin', 'grade.js'), '--submission', path.join(KIT_ROOT, 'solutions', 'vanishing-gradients.ts'), '--quiet', '--no-figures', '--report-dir', report], { cwd: report, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    fs.rmSync(report, { recursive: true, force: true });
  }, 120_000);
});
