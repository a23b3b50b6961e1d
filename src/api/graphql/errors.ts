import { type ExecutionResult, GraphQLError } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { z } from 'zod';
import { type ErrorCode, FloorplanError, NotFoundError, ValidationError } from '../../domain/errors';

/** HTTP status a GraphQL answer carries for a code, where it is not the GraphQL default of 200. */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

/**
 * The one map from floorplan's plain errors to GraphQL errors: the message goes through with the
 * code in `extensions.code` (and the issues, or the kind and key, a client can act on). Anything
 * else stays as it is, and Yoga masks it to "Unexpected error." in production, with no stack and
 * no SQL.
 */
function toGraphQLError(error: GraphQLError): GraphQLError {
  const original = error.originalError;
  if (!(original instanceof FloorplanError)) return error;
  return new GraphQLError(original.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: extensionsOf(original),
  });
}

/**
 * The same mapping for an error that reaches Yoga's masking outside any execution result: thrown
 * by a subscription's event stream between events (a NotFound on its first read, say), which
 * graphql-js passes on as it is instead of as an error in a result. Null when it is not ours.
 */
export function floorplanErrorOf(error: unknown): GraphQLError | null {
  if (error instanceof FloorplanError)
    return new GraphQLError(error.message, { extensions: extensionsOf(error) });
  if (error instanceof GraphQLError && error.originalError instanceof FloorplanError)
    return toGraphQLError(error);
  return null;
}

/** Applies `toGraphQLError` to every answer, queries, mutations and each subscription event alike. */
export function useFloorplanErrors(): Plugin {
  const mapErrors = ({
    result,
    setResult,
  }: {
    result: ExecutionResult;
    setResult(next: ExecutionResult): void;
  }) => {
    if (result.errors?.some((error) => error.originalError instanceof FloorplanError)) {
      setResult({ ...result, errors: result.errors.map(toGraphQLError) });
    }
  };
  return {
    // Last, over every answer (parse and validation errors too): a long value is never echoed whole.
    // Every error carries a code: what reaches here without one was thrown on purpose by graphql-js
    // (a variable that does not coerce) or a plugin (a bad cursor), i.e. the input was wrong.
    onResultProcess: ({ result, setResult }) => {
      if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors) return;
      const needsWork = (error: GraphQLError) =>
        error.message.length > MAX_ECHO || !hasCode(error) || queryLimitMessage(error.message) !== null;
      if (!result.errors.some(needsWork)) return;
      setResult({
        ...result,
        errors: result.errors.map((error) => (needsWork(error) ? rewritten(error) : error)),
      });
    },
    onExecute: () => ({
      onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, mapErrors),
    }),
    onSubscribe: () => ({
      onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, mapErrors),
    }),
  };
}

/** Beyond this many characters a value quoted in an error message is abbreviated. */
const MAX_ECHO = 200;
/** A message longer than this (many issues) is cut. */
const MAX_MESSAGE = 8_000;

/** Abbreviates every long quoted value in an error message (graphql-js quotes the whole input). */
function abbreviateMessage(message: string): string {
  // One pass, no regular expression: a 90 kB value must not cost quadratic backtracking.
  let quoted = '';
  let from = 0;
  while (from < message.length) {
    const open = message.indexOf('"', from);
    if (open < 0) break;
    let close = open + 1;
    while (close < message.length && message[close] !== '"') close += message[close] === '\\' ? 2 : 1;
    const value = message.slice(open + 1, close);
    quoted += message.slice(from, open);
    quoted +=
      value.length > MAX_ECHO
        ? `"${value.slice(0, 40)}…" (${value.length.toLocaleString('en-US')} characters)`
        : message.slice(open, close + 1);
    from = close + 1;
  }
  quoted += message.slice(from);
  return quoted.length > MAX_MESSAGE ? `${quoted.slice(0, MAX_MESSAGE)}… (cut)` : quoted;
}

function hasCode(error: GraphQLError): boolean {
  return typeof error.extensions?.code === 'string';
}

/**
 * graphql-armor's refusals (RELIABILITY promise 8) say "Syntax Error: Query depth limit of 10
 * exceeded, found 12." for a query that parses fine, with no way out, and the token limit comes as a
 * parse failure. Each becomes what was over which limit and how to ask instead; all BAD_USER_INPUT.
 */
const QUERY_LIMIT_ADVICE: [RegExp, (limit: string, found: string | undefined) => string][] = [
  [
    /^Syntax Error: Query depth limit of (\d+) exceeded, found (\d+)\.$/,
    (limit, found) =>
      `Query depth limit of ${limit} exceeded, found ${found}: nest fields at most ${limit} levels deep, or split the query into several requests.`,
  ],
  [
    /^Syntax Error: Aliases limit of (\d+) exceeded, found (\d+)\.$/,
    (limit, found) =>
      `Aliases limit of ${limit} exceeded, found ${found}: use at most ${limit} aliases in one request, or split it into several.`,
  ],
  [
    /^Syntax Error: Directives limit of (\d+) exceeded, found (\d+)\.$/,
    (limit, found) =>
      `Directives limit of ${limit} exceeded, found ${found}: use at most ${limit} directives in one request.`,
  ],
  [
    /^Syntax Error: Token limit of (\d+) exceeded\.$/,
    (limit) =>
      `Token limit of ${limit} exceeded: the query document has more than ${limit} tokens; ask for fewer fields, pass values as variables, or split the query into several requests.`,
  ],
  [
    /^Syntax Error: Query Cost limit of (\d+) exceeded, found (\d+(?:\.\d+)?)\.$/,
    (limit, found) =>
      `Query Cost limit of ${limit} exceeded, found ${Math.ceil(Number(found))}: ask for smaller pages (first/last), fewer nested lists or fewer fields, or split the query into several requests.`,
  ],
];

function queryLimitMessage(message: string): string | null {
  for (const [pattern, advice] of QUERY_LIMIT_ADVICE) {
    const match = pattern.exec(message);
    if (match) return advice(match[1] ?? '', match[2]);
  }
  return null;
}

function rewritten(error: GraphQLError): GraphQLError {
  if (!(error instanceof GraphQLError)) return error;
  const limit = queryLimitMessage(error.message);
  return new GraphQLError(
    limit ?? (error.message.length > MAX_ECHO ? abbreviateMessage(error.message) : error.message),
    {
      ...(error.nodes ? { nodes: error.nodes } : {}),
      ...(error.source ? { source: error.source } : {}),
      ...(error.positions ? { positions: error.positions } : {}),
      ...(error.path ? { path: error.path } : {}),
      ...(error.originalError ? { originalError: error.originalError } : {}),
      extensions:
        limit !== null
          ? { ...error.extensions, code: 'BAD_USER_INPUT' }
          : hasCode(error)
            ? error.extensions
            : { ...error.extensions, code: 'BAD_USER_INPUT' },
    },
  );
}

function extensionsOf(error: FloorplanError): Record<string, unknown> {
  const status = HTTP_STATUS[error.code];
  return {
    code: error.code,
    ...(error instanceof ValidationError ? { issues: error.issues } : {}),
    ...(error instanceof NotFoundError ? { kind: error.kind, key: error.key } : {}),
    ...(status ? { http: { status } } : {}),
  };
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
