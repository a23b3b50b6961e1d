/**
 * The errors floorplan's services and domain throw, plain (no GraphQL, HTTP or CLI in them). Each
 * edge maps them its own way: src/api/graphql/errors.ts to GraphQL errors with `extensions.code`,
 * the HTTP routes to a status, the CLI to a message and an exit code. The codes are declared once
 * here and shared with the runner and the bot, which read them from the API's answers.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'STALE_ATTEMPT',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes that mean the API refused the call: retrying the same call cannot change the answer. */
export const REFUSAL_CODES: ReadonlySet<string> = new Set<ErrorCode>(ERROR_CODES);

export abstract class FloorplanError extends Error {
  abstract readonly code: ErrorCode;
}

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. "workload.meanOutputTokens". */
  path: string;
  message: string;
}

/** Input that cannot be accepted, with one issue per offending field. */
export class ValidationError extends FloorplanError {
  override readonly name: string = 'ValidationError';
  readonly code = 'BAD_USER_INPUT';
  constructor(
    readonly issues: ValidationIssue[],
    prefix = 'Invalid input',
  ) {
    super(`${prefix}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  }
}

/** A slug or id that names nothing; the hint says what does exist. */
export class NotFoundError extends FloorplanError {
  override readonly name: string = 'NotFoundError';
  readonly code = 'NOT_FOUND';
  constructor(
    readonly kind: string,
    readonly key: string,
    hint?: string,
    message = `No ${kind} "${key}".${hint ? ` ${hint}` : ''}`,
  ) {
    super(message);
  }
}

/** The request contradicts what is stored (a reused key with other input, a duplicate). */
export class ConflictError extends FloorplanError {
  override readonly name: string = 'ConflictError';
  readonly code = 'CONFLICT';
}

/** The caller is known but not allowed to do this. */
export class ForbiddenError extends FloorplanError {
  override readonly name: string = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
}

/**
 * A runner call for an attempt that no longer holds the run: the lease expired and another runner
 * took it (a higher attempt), or the run already finished. The runner must stop working on the
 * run; nothing was changed. The code lets the runner tell this apart from a transient failure.
 */
export class StaleAttemptError extends FloorplanError {
  override readonly name: string = 'StaleAttemptError';
  readonly code = 'STALE_ATTEMPT';
}
