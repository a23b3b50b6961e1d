import { GraphQLError } from 'graphql';

/**
 * A runner call for an attempt that no longer holds the run: the lease expired and another runner
 * took it (a higher attempt), or the run already finished. The runner must stop working on the run;
 * nothing was changed. The code lets the runner tell this apart from a transient failure it should
 * retry.
 */
export class StaleAttemptError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'STALE_ATTEMPT' } });
  }
}

export const STALE_ATTEMPT_CODE = 'STALE_ATTEMPT';
