import { loadConfig } from '../../config';
import type { PrismaClient } from '../../generated/prisma/client';
import { createInProcessRunEvents, listenForRunEvents, type RunEvents } from './notify';

/**
 * What the queue needs besides the database: the lease length and the change fan-out. It is kept
 * per Prisma client (the handle that rides in the GraphQL context), so one process can serve
 * several databases, as the test suite does, without widening the context.
 */
export interface RunQueue {
  prisma: PrismaClient;
  leaseSeconds: number;
  events: RunEvents;
}

const queues = new WeakMap<PrismaClient, RunQueue>();

export function attachRunQueue(
  prisma: PrismaClient,
  settings: { leaseSeconds: number; events: RunEvents },
): RunQueue {
  const queue = { prisma, ...settings };
  queues.set(prisma, queue);
  return queue;
}

/** The queue for this client; without an explicit attach, the configured lease and in-process events. */
export function runQueueFor(prisma: PrismaClient): RunQueue {
  const existing = queues.get(prisma);
  if (existing) return existing;
  return attachRunQueue(prisma, {
    leaseSeconds: loadConfig().FLOORPLAN_LEASE_SECONDS,
    events: createInProcessRunEvents(),
  });
}

/**
 * Wires an API process's queue: on Postgres, changes are fanned out to every API process through
 * LISTEN/NOTIFY; on PGlite (one process) in-process. Returns the function that stops listening.
 */
export async function startRunQueue(
  prisma: PrismaClient,
  options: { databaseUrl: string | null; leaseSeconds: number },
): Promise<() => Promise<void>> {
  const events = options.databaseUrl
    ? await listenForRunEvents(options.databaseUrl)
    : createInProcessRunEvents();
  attachRunQueue(prisma, { leaseSeconds: options.leaseSeconds, events });
  return () => events.close();
}
