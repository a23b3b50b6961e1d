import { parseArgs } from 'node:util';

/** A CLI command: takes its arguments, returns the process exit code. */
export type Command = (args: string[]) => Promise<number>;

/** A command as the dispatcher knows it: how to run it and the usage `--help` prints. */
export interface CommandEntry {
  usage: string;
  run: Command;
}

/** A mistake in how a command was called: printed with the command's usage, no stack, exit code 2. */
export class UsageError extends Error {}

/**
 * True when the arguments ask for help (`--help` or `-h` before a `--`). The dispatcher checks this
 * before any command runs, so asking for help never migrates, writes or connects.
 */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * `node:util` parseArgs, strict, with its errors turned into UsageErrors that name the option in
 * plain words (Node's own text advises about `--` separators). Every command parses through this.
 */
export const parseCommandArgs = ((config: Parameters<typeof parseArgs>[0]) => {
  try {
    return parseArgs({ strict: true, ...config });
  } catch (error) {
    throw usageErrorFrom(error);
  }
}) as typeof parseArgs;

function usageErrorFrom(error: unknown): Error {
  if (!(error instanceof Error)) return new UsageError(String(error));
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const option = error.message.match(/'(-{0,2}[^' ]+)/)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${option ?? error.message}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        /argument missing/.test(error.message)
          ? `${option ?? 'an option'} needs a value`
          : `${option ?? 'an option'} takes no value`,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${option ?? error.message}`);
    default:
      return error;
  }
}
