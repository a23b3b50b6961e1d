import { createServer } from 'node:http';
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
  | { kind: 'stats'; sqlStatements: number; rssBytes: number; heapUsedBytes: number };
export type ParentMessage = { kind: 'stats' };

function answerStats(counter: () => number): void {
  process.on('message', (message: ParentMessage) => {
    if (message.kind !== 'stats') return;
    const memory = process.memoryUsage();
    process.send?.({
      kind: 'stats',
      sqlStatements: counter(),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    } satisfies ServerMessage);
  });
}

/** The API, counting every statement Prisma's pg adapter (and the LISTEN connections) send. */
export async function serveFloorplanApi(): Promise<void> {
  let statements = 0;
  const query = pg.Client.prototype.query;
  // Every pooled connection and every dedicated client goes through Client#query.
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    statements++;
    return (query as (...inner: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  answerStats(() => statements);
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
  answerStats(() => 0);
  process.send?.({ kind: 'ready', url: `http://127.0.0.1:${port}` } satisfies ServerMessage);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
