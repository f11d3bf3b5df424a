/**
 * The entry of the type checker's startup snapshot (lib/snapshots.ts bundles it into one script
 * and has `node --build-snapshot` run it). Run once, at the kit's build: it loads TypeScript's
 * compiler and parses and binds the lib files (about 0.4 s of CPU that every checker paid at its
 * start), then names the function a process started from the snapshot runs instead of a script:
 * compile-serve.ts's `serve`, for type checks only.
 *
 * Nothing here reads the lab or the environment: what runs now is frozen into the snapshot, and the
 * lab, the grader's pid and the job kind belong to the process that starts from it.
 */
import * as v8 from 'node:v8';
import { typeCheck, warmUp } from './compile-jobs';
import { serve } from './compile-serve';

/** Where the builder says TypeScript's lib files are (a bundle cannot resolve packages). */
const libDir = process.env.VG_TS_LIB_DIR;
if (!libDir) throw new Error('VG_TS_LIB_DIR must name TypeScript\'s lib folder');
warmUp(libDir);
v8.startupSnapshot.setDeserializeMainFunction(() => serve((kind) => (kind === 'check' ? typeCheck : undefined)));
