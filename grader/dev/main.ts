/**
 * `npm run dev`: one long-lived process that grades the student's file on every save, redraws the
 * report in the terminal, and serves a live page (http://127.0.0.1:PORT/) that follows each grade
 * and draws the lab's figures with the knobs the student types.
 *
 *   npm run dev [-- --port N] [--submission PATH] [--seed N]
 *
 * Steps, in order:
 *   1. Options. 2. The session (isolation checked, scratch folder made). 3. The server: listening
 *   before the first grade, so the address is printed at once. 4. Ctrl-C handled from then on
 *   (stop watching, close the server and the open pages' streams, end the sandbox children,
 *   remove the scratch folder, exit), so that a stop during the first grade is clean too.
 *   5. Watching: the folder, not the file, as editors save by writing a new file and renaming it
 *   over the old one (a watch on the file would follow the old one); from before the first grade,
 *   so that a save during it is graded next. 6. The first grade.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LiveSession, type LiveView } from './session';
import { DEFAULT_PORT, PortTaken, startServer } from './server';
import { renderText } from '../report/text';
import { drawSeed } from '../lib/random';
import { EXERCISES_FOLDER, kitPaths, KIT_ROOT } from '../lib/paths';
import { parseArgsMessage, parseSeed, UsageError } from '../usage';
import { IsolationRefused } from '../grade';
import { expectManyTranspiles } from '../stages/compile';
import { labFilesText, labIdsText, selectLab } from '../lib/choose-lab';
import { tmpdirProblem } from '../lib/tmpdir';
import { canColor, canRedraw } from '../lib/terminal';
import { watchOutput } from '../lib/output';

export const DEV_USAGE = `usage: npm run dev [-- options]

Grades your file every time you save it, and serves a live page that follows each grade.

  --port N            the page's port on 127.0.0.1 (default ${DEFAULT_PORT}, or a free one if it is taken)
  --submission PATH   a lab's file (${labFilesText()}), or a folder holding one (default: exercises/)
  --lab ID            the lab: ${labIdsText()} (default: the lab whose file --submission is or holds, else the kit's default)
  --seed N            the hidden inputs' seed for the whole session (default: drawn at start)
  --help              this text

Ctrl-C stops it.
`;

/** The command line of npm run dev. */
export interface DevOptions {
  /** `--port`. */
  port?: number;
  /** `--submission`. */
  submission?: string;
  /** `--seed`. */
  seed?: number;
  /** `--help`. */
  help: boolean;
}

/** Parses argv (without node and the script). */
export function parseDevArgs(argv: string[]): DevOptions {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, submission: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(parseArgsMessage(err));
  }
  const options: DevOptions = { help: values.help ?? false };
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) < 1024 || Number(values.port) > 65535) throw new UsageError(`--port must be a whole number from 1024 to 65535; got ${values.port}`);
    options.port = Number(values.port);
  }
  if (values.seed !== undefined) {
    options.seed = parseSeed(values.seed);
  }
  if (values.submission !== undefined) options.submission = values.submission;
  return options;
}

/** The file a save of which means "grade again". */
function watchedFile(submission: string | undefined): string {
  const given = path.resolve(submission ?? path.join(KIT_ROOT, EXERCISES_FOLDER));
  try {
    if (fs.statSync(given).isDirectory()) return path.join(given, kitPaths.submissionFileName);
  } catch {
    // Not there yet: watch where it will be.
  }
  return given.endsWith('.ts') ? given : path.join(given, kitPaths.submissionFileName);
}

function contentHash(file: string): string {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return 'missing';
  }
}

/** Runs the command until Ctrl-C; returns the exit status. */
export async function devMain(argv: string[]): Promise<number> {
  // A terminal that fails (stdout to a full disk) costs what it shows, not the page: no crash.
  watchOutput('dev');
  if (!selectLab('dev', argv, DEV_USAGE)) return 2; // --lab taken out of argv; the lab chosen before anything reads it
  // 1. Options.
  let options: DevOptions;
  try {
    options = parseDevArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`dev: ${err.message}\n\n${DEV_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(DEV_USAGE);
    return 0;
  }
  const tmpProblem = tmpdirProblem();
  if (tmpProblem) {
    process.stderr.write(`dev: ${tmpProblem}\n`);
    return 2;
  }
  // Every save is transpiled again.
  expectManyTranspiles();
  const seed = options.seed ?? drawSeed();
  const file = watchedFile(options.submission);
  const tty = canRedraw(process.stdout);

  // 2. The session: student code will run in the sandbox, as in npm run grade.
  let session: LiveSession;
  try {
    session = new LiveSession({ submission: options.submission, seed });
  } catch (err) {
    if (!(err instanceof IsolationRefused)) throw err;
    process.stderr.write(`dev: ${err.message}\n`);
    return 1;
  }

  // 3. The server, before the first grade: the page can open while it runs.
  let server;
  try {
    server = await startServer(session, options.port);
  } catch (err) {
    await session.close();
    if (!(err instanceof PortTaken)) throw err;
    process.stderr.write(`dev: ${err.message}\n`);
    return 1;
  }
  const shown = path.relative(process.cwd(), file);
  const header = (): string => `npm run dev: ${server.url}  ·  watching ${shown.startsWith('..') || path.isAbsolute(shown) ? file : shown}  ·  seed ${seed}  ·  Ctrl-C stops\n`;
  process.stdout.write(header());

  let started = performance.now();
  session.onView = (view: LiveView): void => {
    server.publish(view);
    // The terminal shows each grade once, complete (warnings included).
    if (!view.complete) return;
    const text = renderText(view.result, { color: canColor(process.stdout), verbose: false });
    // On a terminal the report is redrawn in place; in a log, each grade follows the last.
    process.stdout.write(`${tty ? '\u001b[2J\u001b[H' : '\n'}${header()}\n${text}\nGraded in ${((performance.now() - started) / 1000).toFixed(2)} s. Save your file to grade it again; the page follows.\n`);
  };
  const regrade = async (): Promise<void> => {
    started = performance.now();
    try {
      await session.regrade();
    } catch (err) {
      process.stderr.write(`dev: grading failed (a fault of the kit, not of your code): ${err instanceof Error ? err.message : String(err)}\n`);
    }
  };

  // 4. Ctrl-C (or SIGTERM), from now on, even during the first grade: everything this process
  //    started ends with it.
  let debounce: NodeJS.Timeout | undefined;
  let watcher: fs.FSWatcher | undefined;
  let stop: (why: string, code: number) => void = () => undefined;
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    stop = (why, code) => {
      if (stopping) return;
      stopping = true;
      clearTimeout(debounce);
      watcher?.close();
      process.stdout.write(`\nnpm run dev: stopped (${why}).\n`);
      void Promise.all([server.close(), session.close()]).finally(() => resolve(code));
    };
    process.once('SIGINT', () => stop('SIGINT', 0));
    process.once('SIGTERM', () => stop('SIGTERM', 0));
  });

  // 5. Watching, from before the first grade (a save during it is graded next): the folder, not
  //    the file, as editors save by writing a new file and renaming it over the old one. A save
  //    is a change of the file's bytes (editors may touch it without one).
  let lastHash = contentHash(file);
  try {
    watcher = fs.watch(path.dirname(file), (_event, name) => {
      if (name !== null && name !== path.basename(file)) return;
      clearTimeout(debounce);
      // Editors write in bursts (truncate, write, rename): grade once the burst is over.
      debounce = setTimeout(() => {
        const hash = contentHash(file);
        if (hash === lastHash) return;
        lastHash = hash;
        void regrade();
      }, 15);
    });
    // The folder removed or unreadable: stop as on Ctrl-C, cleanly, and say why.
    watcher.on('error', (err) => {
      process.stderr.write(`dev: cannot watch ${path.dirname(file)} any more (${err.message})\n`);
      stop('the folder cannot be watched', 1);
    });
  } catch (err) {
    process.stderr.write(`dev: cannot watch ${path.dirname(file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): is it there?\n`);
    stop('the folder cannot be watched', 1);
  }

  // 6. The first grade.
  await Promise.race([regrade(), stopped]);
  return stopped;
}

if (require.main === module) {
  devMain(process.argv.slice(2)).then(
    (code) => { process.exit(code); },
    (err) => { process.stderr.write(`dev: ${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); },
  );
}
