/**
 * The run stage's preparation of the grader process for jest (stages/run.ts).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const RUN = JSON.stringify(path.join(__dirname, '..', '..', 'build', 'grader', 'stages', 'run.js'));

/** What a fresh Node process says after `script` (its last line of output, as JSON). */
function inFreshProcess(script: string): unknown {
  const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..', '..') });
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout.trim().split('\n').pop()!);
}

describe('jest loaded by the grader', () => {
  test('its node environment, loaded and created, does not load the fetch implementation (undici): the fetch classes are gone, fetch itself stays', () => {
    const said = inFreshProcess(`
require(${RUN}).loadJest();
const { TestEnvironment } = require(require.resolve('jest-environment-node', { paths: [require.resolve('jest')] }));
const env = new TestEnvironment({ globalConfig: {}, projectConfig: { testEnvironmentOptions: {}, globals: {}, fakeTimers: {} } }, { console, docblockPragmas: {}, testPath: 'x.test.js' });
console.log(JSON.stringify({
  undici: process.moduleLoadList.some((m) => m.includes('undici')),
  formData: typeof globalThis.FormData,
  fetch: typeof globalThis.fetch,
  inTheSuites: typeof env.global.setTimeout,
}));`);
    expect(said).toEqual({ undici: false, formData: 'undefined', fetch: 'function', inTheSuites: 'function' });
  });

  test('without that, Node 22 and later load it when jest reads their globals (the cost the stage avoids); Node 20 did not', () => {
    const said = inFreshProcess(`
for (const name of Object.getOwnPropertyNames(globalThis)) Object.getOwnPropertyDescriptor(globalThis, name);
console.log(JSON.stringify({ undici: process.moduleLoadList.some((m) => m.includes('undici')), major: Number(process.versions.node.split('.')[0]) }));`) as { undici: boolean; major: number };
    // Node 22 and 24 create their fetch classes when their descriptors are read.
    expect(said.undici).toBe(said.major >= 22);
  });
});
