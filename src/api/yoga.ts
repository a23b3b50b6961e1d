import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { authenticate } from '../app/auth/tokens';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/unavailable';
import type { PrismaClient } from '../generated/prisma/client';
import type { Context } from './graphql/context';
import { floorplanErrorOf, useFloorplanErrors } from './graphql/errors';
import { schema } from './graphql/schema';
import { type Logger, silentLogger } from './log';
import { useUnexpectedErrorLog, yogaLogger } from './plugins/error-log';
import { useEvidenceInvalidation } from './plugins/evidence-invalidation';
import { DEFAULT_OVERLOAD_LIMITS, type OverloadLimits, useOverloadProtection } from './plugins/overload';
import { useRememberedResults } from './plugins/remembered-results';

export interface YogaOptions {
  prisma: PrismaClient;
  isProduction: boolean;
  publicCatalog: boolean;
  /** Extra Yoga plugins (the subscription fan-out adds its own). */
  plugins?: Plugin[];
  /** Browser origins allowed to call the API cross-origin (FLOORPLAN_CORS_ORIGINS); none when empty. */
  corsOrigins?: readonly string[];
  /** When answers are refused with 503 OVERLOADED instead of queued (defaults suit 2 cores). */
  overloadLimits?: OverloadLimits;
  /** The structured log for Yoga's own lines; without one, Yoga logs to the console. */
  log?: Logger;
}

export const GRAPHIQL_FIRST_QUERY = `# floorplan: own the box or rent the floor.
# The lab's serving paths, their prices (with sources) and DAPM placements:
query Paths {
  servingPaths {
    slug
    name
    kind
    weightsExportable
    scaleToZero
    quotaWall
    priceComponents { slug kind price { amount currency } unit source asOf confidence isAssumption }
    placements { layer placement rationale }
  }
}
`;

/** Bounds on what one request may ask for (RELIABILITY promise 8). */
export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 50,
  maxCost: 5000,
  maxRequestBodyBytes: 100_000,
} as const;

/** QUERY_LIMITS enforced on every operation (and checked against the clients' operation documents). */
export function useQueryLimits(isProduction: boolean) {
  return EnvelopArmorPlugin({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxTokens: { n: QUERY_LIMITS.maxTokens },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    blockFieldSuggestion: { enabled: isProduction },
  });
}

/**
 * An outage is not the client's fault and not a bug: it is answered as 503 with a code and a
 * Retry-After, so clients retry instead of reporting "Unexpected error.". Everything else is masked
 * as before (no stack, no SQL in production).
 */
function maskDatabaseOutage(error: unknown, message: string, isDev?: boolean): Error {
  if (isDatabaseUnavailable(error)) {
    const base = error instanceof GraphQLError ? error : null;
    return new GraphQLError(
      `The database is unavailable right now. Retry in ${DATABASE_RETRY_AFTER_SECONDS} s; a mutation is applied whole or not at all, and retrying one with the same idempotency key is safe.`,
      {
        ...(base?.nodes ? { nodes: base.nodes } : {}),
        ...(base?.path ? { path: base.path } : {}),
        extensions: {
          code: 'DATABASE_UNAVAILABLE',
          http: { status: 503, headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } },
        },
      },
    );
  }
  return floorplanErrorOf(error) ?? maskError(error, message, isDev);
}

/** What the HTTP server hands Yoga with each request: its id and the log lines carrying it. */
export interface ServerContext {
  requestId?: string;
  log?: Logger;
}

export type FloorplanYoga = YogaServerInstance<ServerContext, Context>;

export function createFloorplanYoga(options: YogaOptions): FloorplanYoga {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Yoga's default reflects any origin, with credentials. Only configured origins get CORS headers;
    // for any other, the browser keeps the answer from the calling page.
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin !== null && (options.corsOrigins ?? []).includes(origin)
        ? { origin: [origin], credentials: true, methods: ['GET', 'POST', 'OPTIONS'] }
        : false;
    },
    maskedErrors: { maskError: maskDatabaseOutage },
    maxRequestBodySize: QUERY_LIMITS.maxRequestBodyBytes,
    batching: false,
    graphiql: options.isProduction ? false : { title: 'floorplan', defaultQuery: GRAPHIQL_FIRST_QUERY },
    // GraphiQL's scripts and styles are served inline from the package, not a CDN: it works offline.
    renderGraphiQL,
    logging: options.log
      ? yogaLogger(options.log, options.isProduction ? 'info' : 'warn')
      : options.isProduction
        ? 'info'
        : 'warn',
    context: async ({ request, log }): Promise<Context> => {
      const check = await authenticate(options.prisma, request.headers.get('authorization'));
      if (check.kind === 'invalid') {
        throw new GraphQLError(check.reason, {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
      return {
        prisma: options.prisma,
        identity: check.kind === 'ok' ? check.identity : null,
        publicCatalog: options.publicCatalog,
        log: log ?? silentLogger,
      };
    },
    plugins: [
      useFloorplanErrors(),
      useUnexpectedErrorLog(),
      useQueryLimits(options.isProduction),
      // Browsers cannot send a custom header cross-site without a preflight: requiring one stops CSRF.
      useCSRFPrevention({
        requestHeaders: ['x-graphql-client', 'authorization', 'apollo-require-preflight'],
      }),
      ...(options.isProduction ? [useDisableIntrospection()] : []),
      // Before the overload limit: a remembered result costs nothing to hand out.
      useRememberedResults(),
      useOverloadProtection(options.overloadLimits ?? DEFAULT_OVERLOAD_LIMITS),
      useEvidenceInvalidation(),
      ...(options.plugins ?? []),
    ],
  });
}
