import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import {
  type ExecutionResult,
  execute,
  type GraphQLError,
  type GraphQLOutputType,
  getNamedType,
  isObjectType,
  isRequiredArgument,
  parse,
} from 'graphql';
import type { Identity } from '../../app/auth/identity';
import type { PrismaClient } from '../../generated/prisma/client';
import { silentLogger } from '../log';
import type { Context } from './context';
import { schema } from './schema';

/**
 * Every field of a type, recursively (fields that need arguments are left out): the selection the
 * CLI's `--json` runs, so its output is the GraphQL answer itself, with GraphQL's names and shape.
 */
export function selectAllOf(typeName: string): string {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type in the schema`);
  const select = (outputType: GraphQLOutputType, seen: ReadonlySet<string>): string => {
    const named = getNamedType(outputType);
    if (!isObjectType(named)) return '';
    const fields = Object.values(named.getFields())
      .filter((field) => !field.args.some(isRequiredArgument))
      .filter((field) => !seen.has(getNamedType(field.type).name))
      .map((field) => `${field.name}${select(field.type, new Set([...seen, named.name]))}`);
    return ` { ${fields.join(' ')} }`;
  };
  return select(type, new Set());
}

export class InProcessGraphQLError extends Error {
  constructor(readonly errors: readonly GraphQLError[]) {
    super(errors.map((error) => error.message).join('\n'));
    this.name = 'InProcessGraphQLError';
  }
}

/**
 * Runs one operation against the API's schema in this process, as `identity`: the CLI answers
 * with the same resolvers, checks and names as the HTTP API, without a server.
 */
export async function executeInProcess<Data, Variables extends Record<string, unknown>>(
  prisma: PrismaClient,
  identity: Identity,
  /** A generated document (clients/graphql/operations.generated.ts), typed by the schema. */
  document: DocumentTypeDecoration<Data, Variables> & { toString(): string },
  variables: Variables,
): Promise<Data>;
/** An ad-hoc selection (the `--json` of a whole answer, built with `selectAllOf`). */
export async function executeInProcess<Data>(
  prisma: PrismaClient,
  identity: Identity,
  document: string,
  variables: Record<string, unknown>,
): Promise<Data>;
export async function executeInProcess<Data>(
  prisma: PrismaClient,
  identity: Identity,
  document: string | { toString(): string },
  variables: Record<string, unknown>,
): Promise<Data> {
  const contextValue: Context = { prisma, identity, publicCatalog: false, log: silentLogger };
  const result = (await execute({
    schema,
    document: parse(document.toString()),
    variableValues: variables,
    contextValue,
  })) as ExecutionResult<Data>;
  if (result.errors?.length) throw new InProcessGraphQLError(result.errors);
  if (!result.data) throw new Error('The operation returned no data');
  return result.data;
}
