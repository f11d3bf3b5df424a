/** A command line the grader cannot act on: exit status 2, with the message and the usage. */
export class UsageError extends Error {}
