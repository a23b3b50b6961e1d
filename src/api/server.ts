import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer, type Socket } from 'node:net';
import type { PrismaClient } from '../generated/prisma/client';
import { type Logger, requestIdFrom, silentLogger } from './log';
import { createFloorplanYoga, type FloorplanYoga } from './yoga';

/** A plain HTTP route beside GraphQL (charts, CSV export); returns false when it does not match. */
export type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

export interface DrainReport {
  /** Requests still unanswered at the deadline, whose connections were cut. */
  cut: number;
  durationMs: number;
}

export interface ApiServer {
  server: Server;
  yoga: FloorplanYoga;
  url: string;
  /**
   * Graceful drain (RELIABILITY promise 17): readiness turns 503, `onDrain` runs (it ends
   * subscriptions with a final event), every request already sent is answered with
   * `Connection: close`, the listener closes once nothing more arrives (IDLE_LINGER_MS), and
   * whatever is left at the deadline is cut.
   */
  close(options?: { deadlineMs?: number; onDrain?: () => void }): Promise<DrainReport>;
}

export interface ApiServerOptions {
  prisma: PrismaClient;
  host: string;
  port: number;
  isProduction: boolean;
  publicCatalog: boolean;
  routes?: Route[];
  yogaPlugins?: Parameters<typeof createFloorplanYoga>[0]['plugins'];
  /** Browser origins allowed to call the API (CORS); none when empty. */
  corsOrigins?: readonly string[];
  /** How long a client may take to send a request's headers, and its whole request (body included). */
  timeouts?: { headersMs: number; requestMs: number };
  overloadLimits?: Parameters<typeof createFloorplanYoga>[0]['overloadLimits'];
  /** The structured log; every request's lines carry its request id. */
  log?: Logger;
}

const DEFAULT_DRAIN_DEADLINE_MS = 25_000;
const DEFAULT_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000 } as const;

/**
 * How drain tells "nothing more is coming" on a loaded machine. A keep-alive connection idle when
 * the drain starts may already carry a request whose bytes Node has not read yet, and connections
 * a client opened before the signal may still wait in the listen backlog (closing the listener
 * resets them). So idle connections are kept, and the listener open, until nothing has arrived and
 * nothing has been answered for this long; what arrives meanwhile is answered with
 * `Connection: close`, and readiness already says "draining" so balancers send nothing new.
 */
const IDLE_LINGER_MS = 1_000;
const READINESS_PROBE_MS = 2_000;

interface ConnectionState {
  active: number;
  idleSince: number;
  /** The drain check that last saw it idle, and its idleSince then. */
  idleAtCheck?: number;
  idleAtSince?: number;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const log = options.log ?? silentLogger;
  const yoga = createFloorplanYoga({
    prisma: options.prisma,
    isProduction: options.isProduction,
    publicCatalog: options.publicCatalog,
    plugins: options.yogaPlugins ?? [],
    corsOrigins: options.corsOrigins ?? [],
    ...(options.overloadLimits ? { overloadLimits: options.overloadLimits } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const routes = options.routes ?? [];
  const requested = options.timeouts ?? DEFAULT_TIMEOUTS;
  // Node refuses a headers timeout longer than the whole-request timeout.
  const timeouts = {
    headersMs: Math.min(requested.headersMs, requested.requestMs),
    requestMs: requested.requestMs,
  };
  const connections = new Map<Socket, ConnectionState>();
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let lastConnectionAt = 0;
  let lastResponseAt = 0;

  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
      // Longer than a load balancer's idle timeout (60 s on the common ones): the side that closes an
      // idle keep-alive connection first races a request being sent on it, and that must not be us.
      keepAliveTimeout: 65_000,
    },
    async (request, response) => {
      // Every request has an id: the caller's x-request-id when it sent one, returned either way,
      // and on every log line about the request.
      const requestId = requestIdFrom(request.headers['x-request-id']);
      response.setHeader('x-request-id', requestId);
      const requestLog = log.child({ requestId });
      const receivedAt = process.hrtime.bigint();
      const url = new URL(request.url ?? '/', 'http://localhost');
      const connection = connections.get(request.socket);
      if (connection) connection.active++;
      inFlight.add(response);
      response.once('close', () => {
        // The path only: query strings and headers can carry credentials and are never logged.
        requestLog.info(
          {
            method: request.method,
            path: url.pathname,
            status: response.statusCode,
            durationMs: Math.round(Number(process.hrtime.bigint() - receivedAt) / 1e4) / 100,
            ...(response.writableFinished ? {} : { aborted: true }),
          },
          'request',
        );
        lastResponseAt = Date.now();
        inFlight.delete(response);
        if (connection) {
          connection.active--;
          connection.idleSince = Date.now();
        }
      });
      // A request that arrives while draining is answered, and the client told not to reuse the connection.
      if (draining) response.setHeader('connection', 'close');
      try {
        if (url.pathname === '/healthz') {
          await options.prisma.$queryRaw`SELECT 1`;
          response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
          return;
        }
        if (url.pathname === '/readyz') {
          await answerReadiness(options.prisma, response, draining);
          return;
        }
        for (const route of routes) {
          if (await route(request, response, url)) return;
        }
        await yoga.handle(request, response, { requestId, log: requestLog });
      } catch (error) {
        requestLog.error({ err: error }, 'request failed outside GraphQL');
        if (!response.headersSent) {
          response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' });
        }
        response.end(
          options.isProduction
            ? 'Service unavailable.\n'
            : `Service unavailable: ${(error as Error).message}\n`,
        );
      }
    },
  );
  server.on('connection', (socket: Socket) => {
    lastConnectionAt = Date.now();
    connections.set(socket, { active: 0, idleSince: lastConnectionAt });
    socket.once('close', () => connections.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;

  let closing: Promise<DrainReport> | null = null;
  const drain = async (deadlineMs: number, onDrain?: () => void): Promise<DrainReport> => {
    const started = Date.now();
    draining = true;
    for (const response of inFlight) {
      if (!response.headersSent) response.setHeader('connection', 'close');
    }
    onDrain?.();
    let listenerClosed: Promise<void> | null = null;
    let checks = 0;
    for (;;) {
      // Checked right after a poll phase: connections and bytes that arrived meanwhile were taken
      // in, so a connection carrying a request is active by now, never taken for idle.
      await sleep(25);
      await nextCheckPhase();
      const now = Date.now();
      const quietSince = Math.max(started, lastConnectionAt, lastResponseAt);
      if (!listenerClosed && inFlight.size === 0 && now - quietSince >= IDLE_LINGER_MS) {
        // Stop listening, but leave idle keep-alive connections to the linger below: http.Server's
        // own close() would destroy them at once.
        listenerClosed = new Promise<void>((resolve) =>
          NetServer.prototype.close.call(server, () => resolve()),
        );
      }
      checks++;
      for (const [socket, state] of connections) {
        if (state.active > 0 || now - Math.max(state.idleSince, started) < IDLE_LINGER_MS) continue;
        // Idle at two checks in a row with no request between them: a whole poll phase, in which
        // this socket's pending bytes would have been read, found nothing.
        if (state.idleAtCheck === checks - 1 && state.idleAtSince === state.idleSince) socket.destroy();
        else {
          state.idleAtCheck = checks;
          state.idleAtSince = state.idleSince;
        }
      }
      if (listenerClosed && connections.size === 0) break;
      if (now - started >= deadlineMs) {
        const cut = inFlight.size;
        listenerClosed ??= new Promise<void>((resolve) =>
          NetServer.prototype.close.call(server, () => resolve()),
        );
        for (const socket of connections.keys()) socket.destroy();
        await listenerClosed;
        return { cut, durationMs: Date.now() - started };
      }
    }
    await listenerClosed;
    return { cut: 0, durationMs: Date.now() - started };
  };

  return {
    server,
    yoga,
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${address.port}`,
    close: (closeOptions = {}) => {
      closing ??= drain(closeOptions.deadlineMs ?? DEFAULT_DRAIN_DEADLINE_MS, closeOptions.onDrain);
      return closing;
    },
  };
}

function nextCheckPhase(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Readiness for a load balancer: 200 only when this process takes new work and its database
 * answers; 503 with Retry-After while draining or while the database is away.
 */
async function answerReadiness(
  prisma: PrismaClient,
  response: ServerResponse,
  draining: boolean,
): Promise<void> {
  const unavailable = (status: string) =>
    response
      .writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' })
      .end(`${JSON.stringify({ status })}\n`);
  if (draining) {
    unavailable('draining');
    return;
  }
  try {
    // A database that does not answer within the probe's budget is as unavailable as one that refuses.
    await Promise.race([
      prisma.$queryRaw`SELECT 1`,
      sleep(READINESS_PROBE_MS).then(() => Promise.reject(new Error('timed out'))),
    ]);
  } catch {
    unavailable('database unavailable');
    return;
  }
  response
    .writeHead(200, { 'content-type': 'application/json' })
    .end(`${JSON.stringify({ status: 'ready' })}\n`);
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
