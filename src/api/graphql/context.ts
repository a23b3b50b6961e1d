import type { PrismaClient } from '../../generated/prisma/client';

export type RoleName = 'VIEWER' | 'OPERATOR' | 'ADMIN' | 'RUNNER';

export interface Identity {
  tokenId: string;
  name: string;
  role: RoleName;
  /** Runner tokens are scoped to one box; null for every other role. */
  boxId: string | null;
}

/**
 * Per-request context: who is calling, and the database handle. The handle rides in the context
 * (rather than a module-level client) because one process can serve several databases: the test
 * suite starts an API per freshly created database.
 */
export interface Context {
  identity: Identity | null;
  prisma: PrismaClient;
  /** Whether anonymous callers may read the public catalog (facts with public sources). */
  publicCatalog: boolean;
}

/** How an actor is named in audit rows: by token name, never by anything the caller claims. */
export function actorOf(identity: Identity | null): string {
  return identity ? `token:${identity.name}` : 'anonymous';
}
