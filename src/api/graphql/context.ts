import type { Identity } from '../../app/auth/identity';
import type { PrismaClient } from '../../generated/prisma/client';
import type { Logger } from '../log';

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
  /** This request's log (lines carry its request id). */
  log: Logger;
}
