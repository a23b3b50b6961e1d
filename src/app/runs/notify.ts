import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * Fan-out of "run X changed" across API processes. A subscriber on process B must see progress
 * that a runner reported to process A, so on Postgres every change is a NOTIFY on one channel and
 * every process LISTENs; on PGlite there is only one process, and an in-process emitter is enough.
 * The payload is only the run id: subscribers re-read the row, so a missed or coalesced
 * notification never shows stale data.
 */
export const RUN_EVENTS_CHANNEL = 'floorplan_run_events';

export interface RunEvents {
  /** Tells every subscriber of the run (in every process) that it changed. Never throws. */
  publish(runId: string): Promise<void>;
  /** Calls `listener` on each change of the run; returns the unsubscribe function. */
  subscribe(runId: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** Subscribers are keyed by run id; a wildcard event tells everyone to re-read (after a reconnect). */
const EVERY_RUN = '*';

class LocalSubscribers {
  private readonly emitter = new EventEmitter();
  constructor() {
    // One listener per open subscription: many are expected.
    this.emitter.setMaxListeners(0);
  }
  subscribe(runId: string, listener: () => void): () => void {
    this.emitter.on(runId, listener);
    this.emitter.on(EVERY_RUN, listener);
    return () => {
      this.emitter.off(runId, listener);
      this.emitter.off(EVERY_RUN, listener);
    };
  }
  emit(runId: string): void {
    this.emitter.emit(runId);
  }
  emitToEveryone(): void {
    this.emitter.emit(EVERY_RUN);
  }
}

export function createInProcessRunEvents(): RunEvents {
  const subscribers = new LocalSubscribers();
  return {
    publish: async (runId) => subscribers.emit(runId),
    subscribe: (runId, listener) => subscribers.subscribe(runId, listener),
    close: async () => {},
  };
}

const RECONNECT_DELAY_MS = 500;

/**
 * LISTENs on a dedicated connection (a pooled one could be handed to a query mid-notification).
 * When the connection drops (database restart, pg_terminate_backend) it reconnects, and tells every
 * local subscriber to re-read, since notifications sent meanwhile are lost.
 */
export async function listenForRunEvents(
  databaseUrl: string,
  log: (line: string) => void = console.error,
): Promise<RunEvents> {
  const subscribers = new LocalSubscribers();
  let client: pg.Client | null = null;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === RUN_EVENTS_CHANNEL && message.payload) subscribers.emit(message.payload);
    });
    next.on('error', (error) => {
      if (closed) return;
      log(`run events: lost the LISTEN connection (${error.message}); reconnecting`);
      scheduleReconnect();
    });
    next.on('end', () => {
      if (!closed && client === next) scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
    client = next;
  };

  const scheduleReconnect = (): void => {
    if (closed || reconnectTimer) return;
    const previous = client;
    client = null;
    void previous?.end().catch(() => {});
    reconnectTimer = setTimeout(async () => {
      reconnectTimer = undefined;
      try {
        await connect();
        subscribers.emitToEveryone();
      } catch (error) {
        log(`run events: reconnect failed (${(error as Error).message}); retrying`);
        scheduleReconnect();
      }
    }, RECONNECT_DELAY_MS);
  };

  await connect();
  return {
    publish: async (runId) => {
      try {
        if (client) {
          await client.query('SELECT pg_notify($1, $2)', [RUN_EVENTS_CHANNEL, runId]);
          return;
        }
      } catch {
        // The change is committed already; a lost notification only delays subscribers until the
        // reconnect tells them to re-read.
      }
      subscribers.emit(runId);
    },
    subscribe: (runId, listener) => subscribers.subscribe(runId, listener),
    close: async () => {
      closed = true;
      clearTimeout(reconnectTimer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
