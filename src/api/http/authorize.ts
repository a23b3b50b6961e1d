import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '../../app/auth/identity';
import { authenticate } from '../../app/auth/tokens';
import type { PrismaClient } from '../../generated/prisma/client';

/**
 * The same rule the GraphQL catalog uses, for plain HTTP routes (CSV, charts): any viewer-level
 * token, or nobody when the public catalog is on. Answers 401/403 itself and returns null then.
 */
export async function authorizeCatalogRead(
  prisma: PrismaClient,
  request: IncomingMessage,
  response: ServerResponse,
  publicCatalog: boolean,
): Promise<Identity | 'public' | null> {
  const check = await authenticate(prisma, request.headers.authorization ?? null);
  if (check.kind === 'invalid') {
    response.writeHead(401, { 'content-type': 'text/plain' }).end(`${check.reason}\n`);
    return null;
  }
  if (check.kind === 'ok' && check.identity.role !== 'RUNNER') return check.identity;
  if (check.kind === 'none' && publicCatalog) return 'public';
  response
    .writeHead(check.kind === 'none' ? 401 : 403, { 'content-type': 'text/plain' })
    .end('This needs a viewer, operator or admin token: send "Authorization: Bearer <token>".\n');
  return null;
}

/** A GET-only catalog route: 405 for any other method, then authorizeCatalogRead. False once answered. */
export async function authorizeCatalogGet(
  prisma: PrismaClient,
  request: IncomingMessage,
  response: ServerResponse,
  publicCatalog: boolean,
): Promise<boolean> {
  if (request.method !== 'GET') {
    response.writeHead(405, { allow: 'GET' }).end();
    return false;
  }
  return (await authorizeCatalogRead(prisma, request, response, publicCatalog)) !== null;
}
