/**
 * The channel between the grading suites (inside jest's module registry) and the grader (outside
 * it): a probe is announced to whoever listens, as the sidecar will hold it, and nothing the
 * listener does can fail the suites' run.
 */
import { announceProbe, onProbe } from '../../grader/suites/collector';

afterEach(() => onProbe(undefined));

test('a listener hears each probe with its submission id and the JSON text of its data', () => {
  const heard: [string, unknown][] = [];
  onProbe((id, labJson) => heard.push([id, JSON.parse(labJson())]));
  announceProbe('submission-0', () => JSON.stringify({ series: { x: [1, 2] } }));
  announceProbe('submission-1', () => JSON.stringify({ series: { x: [] } }));
  expect(heard).toEqual([['submission-0', { series: { x: [1, 2] } }], ['submission-1', { series: { x: [] } }]]);
});

test('with nobody listening, the probe\'s text is never made', () => {
  let made = 0;
  announceProbe('submission-0', () => { made++; return '{}'; });
  onProbe((id) => void id);
  onProbe(undefined);
  announceProbe('submission-0', () => { made++; return '{}'; });
  expect(made).toBe(0);
});

test('a listener that throws does not fail the suite that announced (the grader then draws after the run)', () => {
  onProbe(() => { throw new Error('the renderer is gone'); });
  expect(() => announceProbe('submission-0', () => '{}')).not.toThrow();
});

test('the listener is shared with another module registry (jest\'s, where the suites run)', () => {
  const heard: string[] = [];
  onProbe((id) => heard.push(id));
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const other = require('../../grader/suites/collector') as typeof import('../../grader/suites/collector');
    other.announceProbe('submission-7', () => '{}');
  });
  expect(heard).toEqual(['submission-7']);
});
