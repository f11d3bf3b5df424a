/** What this lab's suites receive: the core's context, typed with the lab's functions and reference. */
import type { SuiteContext as Core } from '../../../suites/context';
import type { ExplodingGradients } from '../functions';
import type { ExplodingReference } from '../reference';

export type SuiteContext = Core<ExplodingGradients, ExplodingReference>;
