/**
 * The student release's marker: `grader/release.json`, written by `npm run release`. Its presence
 * means this copy of the kit has only the public tests; the result then says how many hidden tests
 * the course's grader runs on submission.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from './paths';

/** What a student release knows about the tests it does not have. */
export interface ReleaseInfo {
  /** Shape version. */
  version: 1;
  /** How many hidden tests the course's grader runs, in all. */
  hiddenTests: number;
  /** How many of them per part. */
  hiddenByPart: Record<string, number>;
}

/** Where the marker lives. */
export const RELEASE_FILE = path.join(KIT_ROOT, 'grader', 'release.json');

/** The release's marker, or undefined in the instructor's kit. */
export function readReleaseInfo(file: string = RELEASE_FILE): ReleaseInfo | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ReleaseInfo;
}
