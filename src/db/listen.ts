import pg from 'pg';

const RECONNECT_DELAY_MS = 500;

export interface ListenOptions {
  databaseUrl: string;
  channel: string;
  /** Names the listener in log lines ("run events", "evidence cache"). */
  label: string;
  onNotification(payload: string | undefined): void;
  /** Called when the connection drops (a cache may drop what it can no longer keep current). */
  onDisconnected?(): void;
  /** Called once the connection is back: notifications sent meanwhile are lost, so re-read. */
  onReconnected(): void;
  log?: (line: string) => void;
}

export interface Listener {
  /** NOTIFY on the listening connection; false when it is down (the caller falls back locally). */
  notify(payload: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * LISTENs on a dedicated connection (a pooled one could be handed to a query mid-notification),
 * and reconnects when it drops (database restart, pg_terminate_backend).
 */
export async function listenWithReconnect(options: ListenOptions): Promise<Listener> {
  const log = options.log ?? console.error;
  let client: pg.Client | null = null;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === options.channel) options.onNotification(message.payload);
    });
    next.on('error', (error) => {
      if (closed) return;
      log(`${options.label}: lost the LISTEN connection (${error.message}); reconnecting`);
      scheduleReconnect();
    });
    next.on('end', () => {
      if (!closed && client === next) scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${options.channel}`);
    client = next;
  };

  const scheduleReconnect = (): void => {
    if (closed || reconnectTimer) return;
    options.onDisconnected?.();
    const previous = client;
    client = null;
    void previous?.end().catch(() => {});
    reconnectTimer = setTimeout(async () => {
      reconnectTimer = undefined;
      try {
        await connect();
        options.onReconnected();
      } catch (error) {
        log(`${options.label}: reconnect failed (${(error as Error).message}); retrying`);
        scheduleReconnect();
      }
    }, RECONNECT_DELAY_MS);
  };

  await connect();
  return {
    notify: async (payload) => {
      if (!client) return false;
      try {
        await client.query('SELECT pg_notify($1, $2)', [options.channel, payload]);
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      closed = true;
      clearTimeout(reconnectTimer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}
