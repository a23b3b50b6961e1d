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
  /**
   * A subscription over GraphQL-over-SSE, read up to its first event. A refusal or a bad argument
   * arrives at once, as the first event; a subscription that sends nothing on subscribe (one that
   * waits for the next change) has admitted the caller, so reading stops after `quietMs` of
   * silence and the body is `{}`.
   */
  firstEvent<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { as?: RoleName | 'ANONYMOUS'; quietMs?: number },
  ): Promise<{ status: number; body: ExecutionResult<Data> | Record<string, never> }>;
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
    async firstEvent(query, variables, eventOptions = {}) {
      const as = eventOptions.as ?? 'ADMIN';
      const token = as === 'ANONYMOUS' ? null : tokens[as];
      const response = await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream'))
        return { status: response.status, body: (await response.json()) as never };
      const reader = response.body?.getReader();
      let text = '';
      let quiet: NodeJS.Timeout | undefined;
      const quietPeriod = new Promise<'quiet'>((resolve) => {
        quiet = setTimeout(() => resolve('quiet'), eventOptions.quietMs ?? 1_000);
      });
      try {
        while (reader && !/\ndata: .*\n/.test(`\n${text}`)) {
          const next = await Promise.race([reader.read(), quietPeriod]);
          if (next === 'quiet' || next.done) break;
          text += new TextDecoder().decode(next.value);
        }
      } finally {
        clearTimeout(quiet);
        await reader?.cancel();
      }
      const data = /(?:^|\n)data: (.*)\n/.exec(text)?.[1];
      return { status: response.status, body: data ? (JSON.parse(data) as never) : {} };
    },
  };
}
