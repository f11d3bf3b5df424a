/**
 * `npm test`: the kit's own tests (test/). The hidden grading suites are not run from here: the
 * grader runs them with its own config (grader/stages/run.ts), one submission at a time.
 */
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
};

export default config;
