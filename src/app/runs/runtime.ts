import { loadConfig } from '../../config';
import type { PrismaClient } from '../../generated/prisma/client';
import { createInProcessRunEvents, listenForRunEvents, type RunEvents } from './notify';
import type { SweptRun } from './queue';
import { startLeaseSweeper } from './sweeper';

/**
 * What the queue needs besides the database: the lease length, how many lost runners a run
 * survives, and the change fan-out. It is kept per Prisma client (the handle that rides in the
 * GraphQL context), so one process can serve several databases, as the test suite does, without
 * widening the context.
 */
export interface RunQueue {
  prisma: PrismaClient;
  leaseSeconds: number;
  /** Expired leases a new run survives before it fails as "runner lost". */
  maxAttempts: number;
  events: RunEvents;
  /**
   * Aborted when the process drains (SIGTERM): open progress subscriptions send the run as it is
   * now as their final event and end, so clients resubscribe elsewhere instead of being cut.
   */
  draining: AbortSignal;
}

const queues = new WeakMap<PrismaClient, RunQueue>();

export function attachRunQueue(
  prisma: PrismaClient,
  settings: { leaseSeconds: number; maxAttempts?: number; events: RunEvents; draining?: AbortSignal },
): RunQueue {
  const queue = {
    prisma,
    maxAttempts: loadConfig().FLOORPLAN_RUN_MAX_ATTEMPTS,
    draining: new AbortController().signal,
    ...settings,
  };
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
 * LISTEN/NOTIFY; on PGlite (one process) in-process. Every process also sweeps expired leases, so
 * a run whose runner died leaves LEASED within lease + sweep interval. `endSubscriptions` starts
 * the drain of progress subscriptions; `stop` stops sweeping and listening.
 */
export async function startRunQueue(
  prisma: PrismaClient,
  options: {
    databaseUrl: string | null;
    leaseSeconds: number;
    maxAttempts?: number;
    sweepIntervalMs: number;
    log?: (line: string) => void;
    /** Told what each sweep reclaimed (the metrics count it). */
    onSwept?: (runs: SweptRun[]) => void;
  },
): Promise<{ endSubscriptions(): void; stop(): Promise<void> }> {
  const events = options.databaseUrl
    ? await listenForRunEvents(options.databaseUrl)
    : createInProcessRunEvents();
  const draining = new AbortController();
  const queue = attachRunQueue(prisma, {
    leaseSeconds: options.leaseSeconds,
    draining: draining.signal,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    events,
  });
  const sweeper = startLeaseSweeper(queue, {
    intervalMs: options.sweepIntervalMs,
    log: options.log ?? ((line) => console.log(line)),
    ...(options.onSwept ? { onSwept: options.onSwept } : {}),
  });
  return {
    endSubscriptions: () => draining.abort(),
    stop: async () => {
      draining.abort();
      await sweeper.stop();
      await events.close();
    },
  };
}
