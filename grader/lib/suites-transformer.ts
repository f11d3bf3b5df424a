/**
 * The grading run's jest transform for the suites: ts-jest, loaded only when jest has no cached
 * output for a file. Jest asks a transformer for a file's cache key before anything else, and
 * ts-jest answers only after loading TypeScript's compiler and reading its configuration (a fifth
 * of a warm `npm run grade`, on the path before the first test). The key here is made of what the
 * output depends on, read as text, without any compiler: the file (its path and content), the
 * tsconfig and what it extends, ts-jest's and TypeScript's versions, jest's project configuration
 * and this module's version. On a miss (a first run, a new kit, an edited suite) ts-jest is loaded
 * and compiles the file, as it always did; its output is what jest caches.
 *
 * The suites compile with `isolatedModules` (tsconfig.suites.json): each file's output depends on
 * that file alone, which is what makes a per-file key sound.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageVersion } from './package-version';

/** Bumped when the key's recipe changes (old cached output is then not reused). */
const KEY_VERSION = 1;

/** ts-jest's transformer, as jest calls it. */
interface Transformer {
  process(sourceText: string, sourcePath: string, options: unknown): unknown;
}

/** What jest passes beside the source: the parts the key reads. */
interface KeyOptions {
  configString?: string;
  instrument?: boolean;
}

/** A tsconfig's text and the texts of the configs it extends (relative paths only: the kit's own). */
function tsconfigTexts(file: string, seen: Set<string> = new Set()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [`${file}: missing`];
  }
  const base = /"extends"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  const parent = base && base.startsWith('.') ? tsconfigTexts(path.resolve(path.dirname(file), base.endsWith('.json') ? base : `${base}.json`), seen) : [];
  return [text, ...parent];
}

/** One transformer per transform entry of the config (`[this file, { tsconfig }]`). */
function createTransformer(config: { tsconfig?: string } = {}): Transformer & { getCacheKey(sourceText: string, sourcePath: string, options: KeyOptions): string } {
  let real: Transformer | undefined;
  let fixed: string | undefined;
  const tsJest = (): Transformer => {
    if (!real) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const factory = (require('ts-jest') as { default: { createTransformer(c: unknown): Transformer } }).default;
      real = factory.createTransformer(config);
    }
    return real;
  };
  return {
    getCacheKey(sourceText, sourcePath, options) {
      fixed ??= JSON.stringify([KEY_VERSION, packageVersion('ts-jest'), packageVersion('typescript'), config, config.tsconfig ? tsconfigTexts(config.tsconfig) : []]);
      return createHash('sha256')
        .update(fixed).update('\0').update(options.configString ?? '').update('\0').update(String(options.instrument ?? false))
        .update('\0').update(sourcePath).update('\0').update(sourceText)
        .digest('hex');
    },
    process(sourceText, sourcePath, options) {
      return tsJest().process(sourceText, sourcePath, options);
    },
  };
}

/** Jest's entry (jest reads a module's default export). */
export default { createTransformer };
