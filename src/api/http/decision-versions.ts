import type { PrismaClient } from '../../generated/prisma/client';
import type { Route } from '../server';
import { authorizeCatalogRead } from './authorize';

const PATH = /^\/decisions\/([\w-]+)\/versions\/([\w-]+)\.json$/;

/** `GET /decisions/:id/versions/:version.json`: the answer before, the answer after, and why. */
export function decisionVersionRoute(prisma: PrismaClient, publicCatalog: boolean): Route {
  return async (request, response, url) => {
    const match = PATH.exec(url.pathname);
    if (!match) return false;
    if (!(await authorizeCatalogRead(prisma, request, response, publicCatalog))) return true;
    const [, decisionId, versionId] = match;
    const version = await prisma.decisionVersion.findFirst({ where: { id: versionId, decisionId } });
    if (!version) {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`No version ${versionId} of decision ${decisionId}.\n`);
      return true;
    }
    const previous = await prisma.decisionVersion.findFirst({
      where: { decisionId, createdAt: { lt: version.createdAt } },
      orderBy: { createdAt: 'desc' },
    });
    const decision = await prisma.decision.findUniqueOrThrow({ where: { id: decisionId } });
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(
      JSON.stringify({
        decisionId,
        versionId,
        summary: version.summary,
        explanation: version.explanation,
        before: { at: (previous ?? decision).createdAt, answer: (previous ?? decision).answer },
        after: { at: version.createdAt, answer: version.answer },
      }),
    );
    return true;
  };
}
