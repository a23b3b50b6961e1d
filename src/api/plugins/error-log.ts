import { type ExecutionResult, GraphQLError, getOperationAST } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { FloorplanError } from '../../domain/errors';
import type { Context } from '../graphql/context';

/**
 * Logs what the caller never sees: an error no edge mapped (the answer says "Unexpected error." in
 * production), with its stack, under the request's id, so an operator can find it from the id the
 * caller was given. Expected errors (floorplan's own, validation) are the caller's business.
 */
export function useUnexpectedErrorLog(): Plugin<Context> {
  return {
    onExecute({ args }) {
      const { log } = args.contextValue as Context;
      const operation = getOperationAST(args.document, args.operationName);
      const report = ({ result }: { result: ExecutionResult }) => {
        for (const error of result.errors ?? []) {
          const original = (error as GraphQLError).originalError;
          if (!original || original instanceof FloorplanError || original instanceof GraphQLError) continue;
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
