import { handleChartRequest } from '../../charts/chart-url';
import { ChartDataError, createChartLoaders } from '../../charts/data';
import { ChartInputError } from '../../charts/schemas';
import { FloorplanError } from '../../domain/errors';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Route } from '../server';
import { authorizeCatalogGet } from './authorize';
import { sendBadRequest, sendError } from './errors';

/** `GET /charts/cost.svg|png?workloadId=…` and `/charts/history.svg|png?box=…&model=…&profile=…&metric=…`. */
export function chartRoute(prisma: PrismaClient, publicCatalog: boolean): Route {
  const loaders = createChartLoaders(prisma);
  return async (request, response, url) => {
    if (!url.pathname.startsWith('/charts/')) return false;
    if (!(await authorizeCatalogGet(prisma, request, response, publicCatalog))) return true;
    try {
      const answer = await handleChartRequest(
        new Request(new URL(url.pathname + url.search, 'http://localhost')),
        loaders,
      );
      response.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
      response.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      if (error instanceof FloorplanError) {
        sendError(response, error);
        return true;
      }
      if (error instanceof ChartDataError || error instanceof ChartInputError) {
        sendBadRequest(response, error.message);
        return true;
      }
      throw error;
    }
    return true;
  };
}
