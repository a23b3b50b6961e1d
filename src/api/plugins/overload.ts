import { GraphQLError, getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Load shedding for the operations that cost real CPU (an answer runs the engine): past the limit
 * the API answers at once with 503, `Retry-After` and code OVERLOADED, instead of queueing without
 * bound until every caller times out. Two bounds:
 * - at most `maxConcurrent` expensive operations execute at once, and at most `maxQueued` wait for
 *   a slot (for at most `maxWaitMs`); a cache miss makes an answer wait on the database, and this
 *   keeps such waits from piling up;
 * - an expensive request that already spent `maxWaitMs` in this process before executing (the
 *   event loop was saturated) is shed: its answer would come too late to be useful, and refusing
 *   it is what lets the backlog drain.
 */
export interface OverloadLimits {
  maxConcurrent: number;
  maxQueued: number;
  maxWaitMs: number;
  retryAfterSeconds: number;
}

export const DEFAULT_OVERLOAD_LIMITS: OverloadLimits = {
  maxConcurrent: 8,
  maxQueued: 64,
  maxWaitMs: 1000,
  retryAfterSeconds: 1,
};

/** Root fields that run the decision engine. */
const EXPENSIVE_FIELDS = new Set(['decide', 'breakEven', 'costCurve', 'saveDecision']);

class OverloadedError extends GraphQLError {
  constructor(reason: string, retryAfterSeconds: number) {
    super(
      `The API is overloaded (${reason}); nothing was computed or saved. Retry after ${retryAfterSeconds} s.`,
      {
        extensions: {
          code: 'OVERLOADED',
          retryAfterSeconds,
          http: { status: 503, headers: { 'Retry-After': String(retryAfterSeconds) } },
        },
      },
    );
  }
}

export function useOverloadProtection(limits: OverloadLimits = DEFAULT_OVERLOAD_LIMITS): Plugin {
  const arrivedAt = new WeakMap<Request, number>();
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  /** Resolves true with a slot held, false when none freed up within maxWaitMs. */
  const acquire = (budgetMs: number): Promise<boolean> | boolean => {
    if (running < limits.maxConcurrent) {
      running++;
      return true;
    }
    if (waiting.length >= limits.maxQueued || budgetMs <= 0) return false;
    return new Promise<boolean>((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const index = waiting.indexOf(grant);
        if (index >= 0) waiting.splice(index, 1);
        resolve(false);
      }, budgetMs);
      waiting.push(grant);
    });
  };

  return {
    onRequest({ request }) {
      arrivedAt.set(request, performance.now());
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      const expensive = operation?.selectionSet.selections.some(
        (selection) => selection.kind === Kind.FIELD && EXPENSIVE_FIELDS.has(selection.name.value),
      );
      if (!expensive) return;
      const request = (args.contextValue as { request?: Request }).request;
      const arrived = request ? arrivedAt.get(request) : undefined;
      const waited = arrived === undefined ? 0 : performance.now() - arrived;
      const refuse = (reason: string) =>
        setResultAndStopExecution({ errors: [new OverloadedError(reason, limits.retryAfterSeconds)] });
      if (waited > limits.maxWaitMs) {
        refuse(`the request waited ${Math.round(waited)} ms before it could start`);
        return;
      }
      const admitted = await acquire(limits.maxWaitMs - waited);
      if (!admitted) {
        refuse(`${limits.maxConcurrent} answers are being computed and ${waiting.length} are waiting`);
        return;
      }
      return { onExecuteDone: release };
    },
  };
}
