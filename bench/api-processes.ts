import { AsyncLocalStorage } from 'node:async_hooks';
import http, { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/**
 * The two servers `bench/api.ts` drives, each in its own process so the load generator does not
 * share their event loop: the floorplan API exactly as `npm start` runs it (src/api/main.ts), with
 * a counter of the SQL statements it sends, and a bare graphql-yoga `{ hello }` server of the same
 * version as the baseline.
 */

export type ServerMessage =
  | { kind: 'ready'; url: string }
  | {
      kind: 'stats';
      /** Every statement the process sent, background work included (the decision watcher polls). */
      sqlStatements: number;
      /** Statements sent while serving an HTTP request: what requests cost, without the background. */
      requestSqlStatements: number;
      rssBytes: number;
      heapUsedBytes: number;
    };
export type ParentMessage = { kind: 'stats' };

function answerStats(counter: () => { all: number; inRequests: number }): void {
  process.on('message', (message: ParentMessage) => {
    if (message.kind !== 'stats') return;
    const memory = process.memoryUsage();
    const counted = counter();
    process.send?.({
      kind: 'stats',
      sqlStatements: counted.all,
      requestSqlStatements: counted.inRequests,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    } satisfies ServerMessage);
  });
}

/**
 * The API, counting every statement Prisma's pg adapter (and the LISTEN connections) send, and
 * apart those sent while serving a request: each HTTP request is handled inside an async context,
 * which follows its resolvers down to `Client#query`; the watcher's timer-driven polls run outside.
 */
export async function serveFloorplanApi(): Promise<void> {
  let statements = 0;
  let requestStatements = 0;
  const inRequest = new AsyncLocalStorage<true>();
  const emit = http.Server.prototype.emit as (
    this: http.Server,
    event: string,
    ...args: unknown[]
  ) => boolean;
  http.Server.prototype.emit = function emitInRequest(this: http.Server, event: string, ...args: unknown[]) {
    if (event === 'request') return inRequest.run(true, () => emit.call(this, event, ...args));
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
  const query = pg.Client.prototype.query;
  // Every pooled connection and every dedicated client goes through Client#query.
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    statements++;
    if (inRequest.getStore()) requestStatements++;
    return (query as (...inner: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  answerStats(() => ({ all: statements, inRequests: requestStatements }));
  // main.ts announces its URL on stderr (with the first admin token, in one write); pass it to the
  // parent instead of parsing the stream.
  const announce = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    const ready = /API ready: (\S+)\/graphql/.exec(line);
    if (ready?.[1]) process.send?.({ kind: 'ready', url: ready[1] } satisfies ServerMessage);
  };
  console.log = announce;
  console.error = announce;
  await import('../src/api/main');
}

/** graphql-yoga, same version, one field: the ceiling any GraphQL server on this machine has. */
export async function serveBareYoga(): Promise<void> {
  const { createSchema, createYoga } = await import('graphql-yoga');
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { hello: String! }',
      resolvers: { Query: { hello: () => 'world' } },
    }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: false,
  });
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  answerStats(() => ({ all: 0, inRequests: 0 }));
  process.send?.({ kind: 'ready', url: `http://127.0.0.1:${port}` } satisfies ServerMessage);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
