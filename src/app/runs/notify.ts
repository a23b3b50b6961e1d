import { EventEmitter } from 'node:events';
import { listenWithReconnect } from '../../db/listen';

/**
 * Fan-out of "run X changed" across API processes. A subscriber on process B must see progress
 * that a runner reported to process A, so on Postgres every change is a NOTIFY on one channel and
 * every process LISTENs; on PGlite there is only one process, and an in-process emitter is enough.
 * The payload is only the run id: subscribers re-read the row, so a missed or coalesced
 * notification never shows stale data.
 */
const RUN_EVENTS_CHANNEL = 'floorplan_run_events';

export interface RunEvents {
  /** Tells every subscriber of the run (in every process) that it changed. Never throws. */
  publish(runId: string): Promise<void>;
  /** Calls `listener` on each change of the run; returns the unsubscribe function. */
  subscribe(runId: string, listener: () => void): () => void;
  /**
   * Calls `listener` on each change of any run, with its id; with null when changes may have been
   * missed (the LISTEN connection came back), so the subscriber re-reads what it follows.
   */
  subscribeAll(listener: (runId: string | null) => void): () => void;
  close(): Promise<void>;
}

/** Subscribers are keyed by run id; a wildcard event tells everyone to re-read (after a reconnect). */
const EVERY_RUN = '*';
/** Listeners to every run's changes get the run id. */
const ANY_RUN = 'any-run';

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
  subscribeAll(listener: (runId: string | null) => void): () => void {
    const onEvery = () => listener(null);
    this.emitter.on(ANY_RUN, listener);
    this.emitter.on(EVERY_RUN, onEvery);
    return () => {
      this.emitter.off(ANY_RUN, listener);
      this.emitter.off(EVERY_RUN, onEvery);
    };
  }
  emit(runId: string): void {
    this.emitter.emit(runId);
    this.emitter.emit(ANY_RUN, runId);
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
    subscribeAll: (listener) => subscribers.subscribeAll(listener),
    close: async () => {},
  };
}

/**
 * On Postgres: every change is a NOTIFY, every process LISTENs. Once a lost connection is back every
 * local subscriber is told to re-read, since notifications sent meanwhile are lost.
 */
export async function listenForRunEvents(
  databaseUrl: string,
  log: (line: string) => void = console.error,
): Promise<RunEvents> {
  const subscribers = new LocalSubscribers();
  const listener = await listenWithReconnect({
    databaseUrl,
    channel: RUN_EVENTS_CHANNEL,
    label: 'run events',
    onNotification: (payload) => {
      if (payload) subscribers.emit(payload);
    },
    onReconnected: () => subscribers.emitToEveryone(),
    log,
  });
  return {
    publish: async (runId) => {
      // The change is committed already; a lost notification only delays subscribers until the
      // reconnect tells them to re-read, so deliver locally at least.
      if (!(await listener.notify(runId))) subscribers.emit(runId);
    },
    subscribe: (runId, onChange) => subscribers.subscribe(runId, onChange),
    subscribeAll: (onChange) => subscribers.subscribeAll(onChange),
    close: () => listener.close(),
  };
}
