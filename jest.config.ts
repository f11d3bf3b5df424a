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
  testPathIgnorePatterns: ['/node_modules/', '/test/fixtures/'],
  modulePathIgnorePatterns: ['<rootDir>/build/'],
  testTimeout: 120_000,
};

export default config;
