import { getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { evidenceChanged } from '../../app/decisions/evidence-cache';
import type { Context } from '../graphql/context';

/**
 * Mutations that never write a table the decision engine reads (runs and their leases, saved
 * answers). Every other mutation, including any added later, drops the cached evidence when it
 * finishes: a needless reload costs one snapshot read, a missed one a wrong answer.
 */
const LEAVES_EVIDENCE_ALONE = new Set([
  'createBenchmarkRun',
  'cancelBenchmarkRun',
  'leaseBenchmarkRun',
  'heartbeatBenchmarkRun',
  'releaseBenchmarkRun',
  'failBenchmarkRun',
  'saveDecision',
]);

/**
 * Read-your-writes in this process: after a mutation that may have written evidence (committed by
 * the time execution is done), the next answer reloads. Other processes learn of it through the
 * Postgres triggers (see app/decisions/evidence-cache.ts).
 */
export function useEvidenceInvalidation(): Plugin<Context> {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const writesEvidence = operation.selectionSet.selections.some(
        (selection) => selection.kind !== Kind.FIELD || !LEAVES_EVIDENCE_ALONE.has(selection.name.value),
      );
      if (!writesEvidence) return;
      const { prisma } = args.contextValue as Context;
      return { onExecuteDone: () => evidenceChanged(prisma) };
    },
  };
}
