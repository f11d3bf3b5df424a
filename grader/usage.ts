/** A command line the grader cannot act on: exit status 2, with the message and the usage. */
export class UsageError extends Error {}

/**
 * An error of node:util's parseArgs in the kit's words (every command of the kit parses with it):
 * "--out needs a value", "unknown option --x", an unexpected argument.
 */
export function parseArgsMessage(err: unknown, positionalHint?: (arg: string) => string): string {
  const message = err instanceof Error ? err.message : String(err);
  const needs = /Option '(--[\w-]+)(?: <value>)?' argument (?:missing|is ambiguous)/.exec(message);
  if (needs) return `${needs[1]} needs a value`;
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument ${positional[1]}${positionalHint ? ` (${positionalHint(positional[1])})` : ''}`;
  return message.replace(/^\w*Error \[\w+\]: /, '').split('\n')[0];
}

/** Largest seed: the hidden inputs' generator takes 31 bits. */
export const MAX_SEED = 0x7fffffff;

/** `--seed` as typed: a whole number from 1 to MAX_SEED, else a UsageError that says so. */
export function parseSeed(text: string): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1 || Number(text) > MAX_SEED) throw new UsageError(`--seed must be a whole number from 1 to ${MAX_SEED}; got ${text}`);
  return Number(text);
}
