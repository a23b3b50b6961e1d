import type { ExecutionResult } from 'graphql';
import { createFloorplanYoga, type FloorplanYoga } from '../../src/api/yoga';
import type { RoleName } from '../../src/app/auth/identity';
import { createApiToken } from '../../src/app/auth/tokens';
import type { PrismaClient } from '../../src/generated/prisma/client';

/** Executes GraphQL through `yoga.fetch`: the real HTTP pipeline, no socket. */
export interface GraphQLCaller {
  yoga: FloorplanYoga;
  tokens: Record<RoleName, string>;
  run<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null; as?: RoleName | 'ANONYMOUS' },
  ): Promise<{ status: number; body: ExecutionResult<Data> }>;
}

export async function createGraphQLCaller(
  prisma: PrismaClient,
  options: { isProduction?: boolean; publicCatalog?: boolean } = {},
): Promise<GraphQLCaller> {
  const yoga = createFloorplanYoga({
    prisma,
    isProduction: options.isProduction ?? false,
    publicCatalog: options.publicCatalog ?? false,
  });
  const roles: RoleName[] = ['VIEWER', 'OPERATOR', 'ADMIN', 'RUNNER'];
  const tokens = {} as Record<RoleName, string>;
  for (const role of roles) {
    const created = await createApiToken(prisma, {
      name: `test-${role.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`,
      role,
      ...(role === 'RUNNER' ? { boxSlug: 'dgx-spark' } : {}),
    });
    tokens[role] = created.token;
  }
  return {
    yoga,
    tokens,
    async run(query, variables, runOptions = {}) {
      const as = runOptions.as ?? 'ADMIN';
      const token =
        runOptions.token !== undefined ? runOptions.token : as === 'ANONYMOUS' ? null : tokens[as];
      const response = await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
  };
}
