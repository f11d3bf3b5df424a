/**
 * The lab's classic mistakes as the kit's answers read them (grader/lib/answers.ts): `{ id, part,
 * run }`, each built on the trusted solution (mistakes.ts beside this file, where they are written
 * and described). When a student's answers on the tests' own inputs match a mutant's (and differ
 * from the solution's), the part gets that mutant's hint (hints.json).
 *
 * The release keeps this file back (it imports the solution). `clip-mutates-argument` answers with
 * the right values: matched on values alone it never tells itself from the solution, so it names
 * nothing until the kit sees the argument after the call (see README.md).
 */
import * as solution from '../../../solutions/exploding-gradients';
import { mistakesOf } from './mistakes';

/** One classic mistake. */
export interface Mutant {
  /** The hint's id in hints.json. */
  id: string;
  /** The function it imitates. */
  part: string;
  /** The mistaken implementation (its arguments are numbers and arrays of numbers). */
  run: (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Every mutant, by part. The kit hands each a copy of the arguments, so a mutant that writes to
 * its argument changes nothing the kit keeps.
 */
export const MUTANTS: Mutant[] = mistakesOf(solution).map((m) => ({
  id: m.id,
  part: m.part,
  run: m.fn as (...args: any[]) => unknown, // eslint-disable-line @typescript-eslint/no-explicit-any
}));
