#!/usr/bin/env node
/**
 * Builds the grader (grader/, solutions/) into build/ when the build is missing or older than its
 * sources, so that `npm run grade` never type-checks or transpiles the grader on a warm run; then
 * the startup snapshots of the type checker and the renderer for the running Node, when it has
 * none yet (grader/lib/snapshots.ts: a build removes the snapshots of the build before).
 * Plain JavaScript on purpose: it must run before anything is built.
 *   node grader/bin/build.js          build if stale
 *   node grader/bin/build.js --force  build now
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const STAMP = path.join(ROOT, 'build', '.stamp');
const SOURCES = ['grader', 'solutions'];

/**
 * What the sources are now: every file's path, size and modification time, hashed. A build records
 * it in its stamp; any edit, addition or removal changes it. (Comparing the stamp's date with the
 * newest source's missed an edit made after a source dated in the future, a zip from a machine
 * whose clock was ahead, or rebuilt at every run.)
 */
function sourcesSignature() {
  const hash = require('node:crypto').createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) {
        const st = fs.statSync(full);
        hash.update(`${path.relative(ROOT, full)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  // solutions/ is not in the student release.
  for (const dir of SOURCES) if (fs.existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
  const ts = fs.statSync(path.join(ROOT, 'tsconfig.json'));
  hash.update(`tsconfig.json\0${ts.size}\0${ts.mtimeMs}\n`);
  return hash.digest('hex');
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function fresh() {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim().split('\n')[1] === sourcesSignature();
  } catch {
    return false;
  }
}

/** The built snapshots module (only once the build exists). */
function snapshots() {
  return require(path.join(ROOT, 'build', 'grader', 'lib', 'snapshots.js'));
}

/** Whether this Node's snapshots were made (or found impossible here) for this build. */
function snapshotDecided() {
  return snapshots().snapshotsDecided();
}

const LOCK = path.join(ROOT, 'build', '.lock');
const OWNER = path.join(LOCK, 'pid');

/**
 * Whether a lock is left over: its process is gone (a build stopped by Ctrl-C or killed), or it is
 * older than five minutes (a lock whose owner cannot be told).
 */
function staleLock() {
  try {
    const pid = Number(fs.readFileSync(OWNER, 'utf8'));
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
      } catch (err) {
        if (err.code === 'ESRCH') return true;
      }
    }
  } catch { /* its owner is not written yet, or it is an older kit's lock */ }
  try {
    return Date.now() - fs.statSync(LOCK).mtimeMs > 300_000;
  } catch {
    return false;
  }
}

/**
 * Builds when needed; returns true when it built. Several graders may start at once after an
 * edit (a test run, a batch): one builds, under a lock, and the others wait for its stamp rather
 * than load a half-written build. The snapshots are no reason to wait: a grader whose build is
 * fresh while another process makes them grades without them.
 */
function ensureBuilt(force = false) {
  if (!force && fresh() && snapshotDecided()) return false;
  let waited = 0;
  for (;;) {
    try {
      fs.mkdirSync(path.dirname(LOCK), { recursive: true });
      fs.mkdirSync(LOCK);
      fs.writeFileSync(OWNER, String(process.pid));
      break;
    } catch (err) {
      // A kit that cannot be written (installed read-only) runs the build it has; the snapshots
      // it lacks only make the type check and the figures slower. So does one whose snapshots
      // another process is making.
      if (err.code === 'EEXIST' && staleLock()) {
        try { fs.rmSync(LOCK, { recursive: true, force: true }); } catch { /* gone already */ }
        continue;
      }
      if (!force && fresh()) return false;
      if (err.code !== 'EEXIST') {
        // A kit this user cannot write (installed read-only, another user's, a read-only mount):
        // the build it has is used, said once; with none, what to do is said.
        const why = err.code || err.message;
        if (fs.existsSync(path.join(ROOT, 'build', 'grader', 'cli.js'))) {
          process.stderr.write(`grade: the grader's build is older than its sources, and the kit cannot be written here (${why}): grading with the build it has (run npm run build where the kit can be written)\n`);
          return false;
        }
        process.stderr.write(`grade: the grader is not built, and the kit cannot be written here (${why}): run npm run build where it can be written (a fault of the kit's installation, not of your code)\n`);
        process.exit(1);
      }
      if (waited++ === 20) process.stderr.write(`grade: waiting for another build of the grader to finish (${path.relative(process.cwd(), LOCK) || LOCK})\n`);
      sleep(100);
    }
  }
  const unlock = () => {
    try { fs.rmSync(LOCK, { recursive: true, force: true }); } catch { /* removed as stale by another process */ }
  };
  try {
    if (!force && fresh()) {
      if (!snapshotDecided()) {
        try {
          snapshots().buildSnapshots();
        } catch { /* its folder cannot be written: the processes start from their scripts */ }
      }
      return false;
    }
    // The snapshots hold the build before this one.
    fs.rmSync(path.join(ROOT, 'build', 'snapshots'), { recursive: true, force: true });
    fs.rmSync(path.join(ROOT, 'build', 'check-snapshot'), { recursive: true, force: true }); // an older kit's
    // Taken before the compiler reads the sources: an edit made while it runs makes the next run build again.
    const signatureBefore = sourcesSignature();
    const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'grader', 'tsconfig.build.json')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    } catch {
      // The errors are in the kit's own files (grader/, or a lab's solution in solutions/, which is
      // built with it): the instructor's to fix, never a submission's.
      process.stderr.write('grade: building the grader failed: the errors above are in the kit\'s own files (grader/ or solutions/), which every lab is built from; fix them (an instructor\'s work, never a student\'s submission), then grade again\n');
      // process.exit skips the finally below.
      unlock();
      process.exit(1);
    }
    // When, and what the sources were: the build is fresh while they are the same.
    fs.writeFileSync(STAMP, `${new Date().toISOString()}\n${signatureBefore}\n`);
    // About 3 s; a Node that cannot make them is recorded as such, and the processes start from their scripts.
    snapshots().buildSnapshots();
    return true;
  } finally {
    unlock();
  }
}

module.exports = { ensureBuilt };

if (require.main === module) {
  ensureBuilt(process.argv.includes('--force'));
}
