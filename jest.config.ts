/**
 * `npm test`: the kit's own tests (test/). The hidden grading suites are not run from here: the
 * grader runs them with its own config (grader/stages/run.ts), one submission at a time.
 */
import * as os from 'node:os';
import type { Config } from 'jest';

const config: Config = {
  rootDir: '.',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testPathIgnorePatterns: ['/node_modules/', '/test/fixtures/', '/test/mistakes/'],
  modulePathIgnorePatterns: ['<rootDir>/build/'],
  testTimeout: 120_000,
  // Fixture tests each start a grader with two sandboxes: four at a time keep a 2-core machine
  // busy without starving the sandboxes past their (CPU-time) limits.
  maxConcurrency: 4,
  // jest's default is one worker fewer than the cores: on a 2-core machine one, and the files ran
  // one after another with the second core mostly idle, since most tests wait on the graders and
  // sandboxes they start. Two there (the tests hold beside another run: sandbox limits count CPU
  // time, not wall-clock time): the whole suite 268 s instead of 400 s, measured one run after
  // the other.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
};

export default config;
