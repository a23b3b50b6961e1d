import type { DocumentNode, ExecutionResult } from 'graphql';
import { getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { cachedEvidence, evidenceCacheEnabled, keptPerSnapshot } from '../../app/decisions/evidence-cache';
import type { Context } from '../graphql/context';

let servedFromMemory = 0;
/** How many results were handed out without executing (for tests and benches). */
export function resultsServedFromMemory(): number {
  return servedFromMemory;
}

/**
 * Whole results of `decide` queries, remembered per evidence snapshot, so a repeated request (a
 * dashboard polling, the bot asking again) is answered without executing it again: the answer is
 * already remembered (app/decisions/answer.ts), and what remained was GraphQL building the same
 * ~26 kB result again, field by field. A query qualifies when every root field is `decide` without
 * `asOf`; the key is the parsed document (Yoga parses a query text once), the operation name, the
 * variables and the caller's token, so a result is only ever shown to the caller it was built for.
 * Results with errors are not kept. The snapshot is replaced whenever evidence changes or the day
 * turns, and its results go with it; where the process does not keep the snapshot (the cache is off)
 * nothing is remembered.
 */
export function useRememberedResults(): Plugin<Context> {
  // Up to 64 distinct requests per snapshot.
  const results = keptPerSnapshot<ExecutionResult>(64);
  // Parsed documents by identity, as a number for the key.
  const documentIds = new WeakMap<DocumentNode, number>();
  let documentsSeen = 0;
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Context;
      if (!evidenceCacheEnabled(context.prisma)) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query') return;
      const onlyDecide = operation.selectionSet.selections.every(
        (selection) =>
          selection.kind === Kind.FIELD &&
          selection.name.value === 'decide' &&
          !selection.arguments?.some((argument) => argument.name.value === 'asOf'),
      );
      if (!onlyDecide) return;
      const snapshot = await cachedEvidence(context.prisma);
      let documentId = documentIds.get(args.document);
      if (documentId === undefined) {
        documentId = ++documentsSeen;
        documentIds.set(args.document, documentId);
      }
      const key = JSON.stringify([
        documentId,
        args.operationName ?? null,
        context.identity?.tokenId ?? null,
        args.variableValues ?? null,
      ]);
      const remembered = results.get(snapshot, key);
      if (remembered) {
        servedFromMemory++;
        setResultAndStopExecution(remembered);
        return;
      }
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result || result.errors?.length) return;
          results.set(snapshot, key, result);
        },
      };
    },
  };
}
