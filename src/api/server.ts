import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrismaClient } from '../generated/prisma/client';
import { createFloorplanYoga, type FloorplanYoga } from './yoga';

/** A plain HTTP route beside GraphQL (charts, CSV export); returns false when it does not match. */
export type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

export interface ApiServer {
  server: Server;
  yoga: FloorplanYoga;
  url: string;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  prisma: PrismaClient;
  host: string;
  port: number;
  isProduction: boolean;
  publicCatalog: boolean;
  routes?: Route[];
  yogaPlugins?: Parameters<typeof createFloorplanYoga>[0]['plugins'];
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const yoga = createFloorplanYoga({
    prisma: options.prisma,
    isProduction: options.isProduction,
    publicCatalog: options.publicCatalog,
    plugins: options.yogaPlugins ?? [],
  });
  const routes = options.routes ?? [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz') {
        await options.prisma.$queryRaw`SELECT 1`;
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        return;
      }
      for (const route of routes) {
        if (await route(request, response, url)) return;
      }
      await yoga.handle(request, response);
    } catch (error) {
      if (!response.headersSent) {
        response.writeHead(503, { 'content-type': 'text/plain' });
      }
      response.end(
        options.isProduction
          ? 'Service unavailable.\n'
          : `Service unavailable: ${(error as Error).message}\n`,
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    server,
    yoga,
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would hold the close open; in-flight requests still finish.
        server.closeIdleConnections();
        // Long-lived subscription streams never finish on their own: give in-flight work a grace
        // period, then cut what is left so shutdown cannot hang.
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}
