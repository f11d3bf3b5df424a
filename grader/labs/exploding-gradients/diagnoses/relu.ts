/** relu(x) and reluGradient(x): the gradient at exactly 0, values a ReLU or its gradient never take. */
import { type Diagnosis, type Verdict } from '../../../feedback/evidence';
import { holdsOnEvery, holdsOnSome, type Call } from './read';

/** Wrong at exactly 0 with a gradient of 1, and only there. */
function oneAtZero(e: Call): Verdict {
  return e.args[0] === 0 && e.got === 1;
}

/** The diagnoses of reluGradient, most specific first. */
export const RELU_GRADIENT: Diagnosis<unknown[]>[] = [
  {
    id: 'relu-gradient-one-at-zero', strength: 'mistake', checks: 'the only wrong answers are a gradient of 1 at exactly 0',
    find: (calls) => (holdsOnEvery(calls, oneAtZero) ? { id: 'relu-gradient-one-at-zero' } : undefined),
  },
  {
    id: 'relu-gradient-not-step', strength: 'observation', checks: 'an answer other than 0 and 1',
    find: (calls) => (holdsOnSome(calls, (e) => typeof e.got === 'number' && e.got !== 0 && e.got !== 1) ? { id: 'relu-gradient-not-step' } : undefined),
  },
];

/** The diagnoses of relu. */
export const RELU: Diagnosis<unknown[]>[] = [
  {
    id: 'relu-negative', strength: 'observation', checks: 'a negative answer',
    find: (calls) => (holdsOnSome(calls, (e) => typeof e.got === 'number' && e.got < 0) ? { id: 'relu-negative' } : undefined),
  },
];
