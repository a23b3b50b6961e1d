import { GraphQLError } from 'graphql';
import type { z } from 'zod';

/**
 * Expected errors are GraphQLErrors with a code, so Yoga's masking lets their message through;
 * anything else is masked to "Unexpected error." in production, with no stack and no SQL.
 */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(kind: string, key: string, hint?: string) {
    super(`No ${kind} "${key}".${hint ? ` ${hint}` : ''}`, { extensions: { code: 'NOT_FOUND', kind, key } });
  }
}

export interface ValidationIssue {
  path: string;
  message: string;
}

export class ValidationError extends GraphQLError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], prefix = 'Invalid input') {
    super(`${prefix}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, {
      extensions: { code: 'BAD_USER_INPUT', issues },
    });
    this.issues = issues;
  }
}

export class ConflictError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'CONFLICT' } });
  }
}

/** Parses a GraphQL input with zod, turning issues into a field-named ValidationError. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  root = 'input',
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    parsed.error.issues.map((issue) => ({
      path: [root, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}
