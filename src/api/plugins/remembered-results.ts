import type { DocumentNode, ExecutionResult } from 'graphql';
import { getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { cachedEvidence, evidenceCacheEnabled } from '../../app/decisions/evidence-cache';
import type { EvidenceSnapshot } from '../../domain/engine/evidence';
import type { Context } from '../graphql/context';

/** Distinct requests remembered per snapshot; one more starts the collection over. */
const MAX_REMEMBERED_RESULTS = 64;

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
  const bySnapshot = new WeakMap<EvidenceSnapshot, WeakMap<DocumentNode, Map<string, ExecutionResult>>>();
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
      let byDocument = bySnapshot.get(snapshot);
      if (!byDocument) {
        byDocument = new WeakMap();
        bySnapshot.set(snapshot, byDocument);
      }
      let results = byDocument.get(args.document);
      if (!results) {
        results = new Map();
        byDocument.set(args.document, results);
      }
      const key = JSON.stringify([
        args.operationName ?? null,
        context.identity?.tokenId ?? null,
        args.variableValues ?? null,
      ]);
      const remembered = results.get(key);
      if (remembered) {
        servedFromMemory++;
        setResultAndStopExecution(remembered);
        return;
      }
      const kept = results;
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result || result.errors?.length) return;
          if (kept.size >= MAX_REMEMBERED_RESULTS) kept.clear();
          kept.set(key, result);
        },
      };
    },
  };
}
