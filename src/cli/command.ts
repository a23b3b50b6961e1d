/** A CLI command: takes its arguments, returns the process exit code. */
export type Command = (args: string[]) => Promise<number>;

/** A mistake in how a command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {}
