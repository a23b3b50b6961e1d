import { type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin, type YogaLogger } from 'graphql-yoga';
import { FloorplanError } from '../../domain/errors';
import type { Context } from '../graphql/context';
import type { Logger } from '../log';

/**
 * Logs what the caller never sees: an error no edge mapped (the answer says "Unexpected error." in
 * production), with its stack, under the request's id, so an operator can find it from the id the
 * caller was given. Expected errors (floorplan's own, validation) are the caller's business.
 */
/** Errors already logged with their request id: Yoga's own report of them would repeat them without it. */
const reported = new WeakSet<object>();

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Yoga's logger as pino lines (component "graphql-yoga"), at most as chatty as `minimum`. */
export function yogaLogger(log: Logger, minimum: (typeof LEVELS)[number]): YogaLogger {
  const child = log.child({ component: 'graphql-yoga' });
  const allowed = (level: (typeof LEVELS)[number]) => LEVELS.indexOf(level) >= LEVELS.indexOf(minimum);
  const write =
    (level: (typeof LEVELS)[number]) =>
    (...args: unknown[]): void => {
      if (!allowed(level)) return;
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const original = (error as GraphQLError | undefined)?.originalError ?? error;
      if (original && reported.has(original)) return;
      const message = args.filter((arg) => typeof arg === 'string').join(' ') || (error?.message ?? '');
      child[level](error ? { err: error } : {}, message);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export function useUnexpectedErrorLog(): Plugin<Context> {
  return {
    onExecute({ args }) {
      const { log } = args.contextValue as Context;
      const operation = getOperationAST(args.document, args.operationName);
      const report = ({ result }: { result: ExecutionResult }) => {
        for (const error of result.errors ?? []) {
          const original = (error as GraphQLError).originalError;
          if (!original || original instanceof FloorplanError || original instanceof GraphQLError) continue;
          reported.add(original);
          log.error(
            { err: original, operation: operation?.name?.value ?? null, path: error.path?.join('.') ?? null },
            'unexpected error in a resolver',
          );
        }
      };
      return { onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, report) };
    },
  };
}
