/** What this lab's suites receive: the core's context, typed with the lab's functions and reference. */
import type { SuiteContext as Core } from '../../../suites/context';
import type { LabFunctions, Reference } from '../types';

export type SuiteContext = Core<LabFunctions, Reference>;
