import type { AddressInfo } from 'node:net';
import { createServer, type Server, Socket } from 'node:net';
import { accessCsvRoute } from '../../src/api/http/access-csv';
import { chartRoute } from '../../src/api/http/charts';
import { metricsRoute } from '../../src/api/http/metrics';
import { createApiMetrics } from '../../src/api/metrics';
import { type ApiServer, startApiServer } from '../../src/api/server';
import { createApiToken } from '../../src/app/auth/tokens';
import { startRunQueue } from '../../src/app/runs/runtime';
import { createTestDatabase, type TestDatabase } from './database';

/**
 * The real floorplan API for a test file, in this process: a fresh seeded database (PGlite, or a
 * `floorplan_test_*` Postgres database with TEST_DATABASE_URL), the run queue with its progress
 * fan-out, and the HTTP server (GraphQL, SSE subscriptions, charts) on a loopback port. Clients
 * reach it over real HTTP, through a `NetworkGate` a test can close to play "the API is down".
 */
export interface TestApi {
  database: TestDatabase;
  server: ApiServer;
  /** The origin clients use (through the gate), e.g. http://127.0.0.1:54321. */
  url: string;
  graphqlUrl: string;
  gate: NetworkGate;
  tokens: { operator: string; runner: string; admin: string };
  close(): Promise<void>;
}

export async function startTestApi(options: { leaseSeconds?: number } = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  // Wired as src/api/main.ts wires it: GET /metrics, GraphQL counters, the sweeper's counts.
  const metrics = createApiMetrics(database.prisma);
  const runQueue = await startRunQueue(database.prisma, {
    onSwept: (runs) => metrics.recordSweep(runs),
    databaseUrl: database.url,
    leaseSeconds: options.leaseSeconds ?? 30,
    sweepIntervalMs: 1000,
    log: () => undefined,
  });
  const server = await startApiServer({
    prisma: database.prisma,
    host: '127.0.0.1',
    port: 0,
    isProduction: false,
    publicCatalog: false,
    yogaPlugins: [metrics.graphqlPlugin()],
    routes: [
      metricsRoute(metrics),
      accessCsvRoute(database.prisma, false),
      chartRoute(database.prisma, false),
    ],
  });
  const apiPort = Number(new URL(server.url).port);
  const gate = await startNetworkGate(apiPort);
  const token = async (name: string, role: 'OPERATOR' | 'RUNNER' | 'ADMIN') =>
    (
      await createApiToken(database.prisma, {
        name,
        role,
        ...(role === 'RUNNER' ? { boxSlug: 'dgx-spark' } : {}),
      })
    ).token;
  const tokens = {
    operator: await token('slack-bot', 'OPERATOR'),
    runner: await token('spark-runner', 'RUNNER'),
    admin: await token('test-admin', 'ADMIN'),
  };
  const url = `http://127.0.0.1:${gate.port}`;
  return {
    database,
    server,
    url,
    graphqlUrl: `${url}/graphql`,
    gate,
    tokens,
    close: async () => {
      await gate.close();
      await server.close({ deadlineMs: 2000, onDrain: () => runQueue.endSubscriptions() });
      await runQueue.stop();
      await database.drop();
    },
  };
}

/**
 * A TCP relay on loopback in front of the API. `down()` cuts every open connection and refuses new
 * ones (the client sees the socket close, as when the API process dies); `delayMs` holds every
 * request's bytes that long before relaying them (a slow API). Nothing in the bytes is touched.
 */
export interface NetworkGate {
  port: number;
  delayMs: number;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startNetworkGate(targetPort: number): Promise<NetworkGate> {
  const sockets = new Set<Socket>();
  let open = true;
  const gate: NetworkGate = {
    port: 0,
    delayMs: 0,
    down: () => {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    up: () => {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.once('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', cut);
    upstream.on('error', cut);
    // Requests reach the API `delayMs` late (kept-alive connections included), in order.
    let forwarded = Promise.resolve();
    client.on('data', (chunk) => {
      const delayMs = gate.delayMs;
      forwarded = forwarded
        .then(() => (delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : undefined))
        .then(() => {
          if (!upstream.destroyed) upstream.write(chunk);
        });
    });
    upstream.pipe(client);
    upstream.connect(targetPort, '127.0.0.1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  gate.port = (server.address() as AddressInfo).port;
  return gate;
}
