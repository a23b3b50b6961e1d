import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Listener, listenWithReconnect } from '../../../src/db/listen';
import { createPostgresTestDatabase, usingPostgres } from '../../support/database';

/**
 * The one LISTEN connection helper behind the evidence cache and the run events: when Postgres
 * kills the connection, the listener says notifications were missed and hears later ones again.
 */
describe.skipIf(!usingPostgres())('LISTEN with reconnect (Postgres only: set TEST_DATABASE_URL)', () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    database = await createPostgresTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  const waitFor = async (check: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  it('hears notifications, survives pg_terminate_backend, and says what it may have missed', async () => {
    const heard: string[] = [];
    let disconnected = 0;
    let reconnected = 0;
    const logs: string[] = [];
    const listener: Listener = await listenWithReconnect({
      databaseUrl: database.url,
      channel: 'floorplan_test_channel',
      label: 'test listener',
      onNotification: (payload) => heard.push(payload ?? ''),
      onDisconnected: () => {
        disconnected += 1;
      },
      onReconnected: () => {
        reconnected += 1;
      },
      log: (line) => logs.push(line),
    });
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      expect(await listener.notify('first')).toBe(true);
      await waitFor(() => heard.includes('first'), 'the first notification');

      await other.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      await waitFor(() => reconnected >= 1, 'the reconnect');
      expect(disconnected).toBe(1);
      expect(logs.some((line) => line.startsWith('test listener: lost the LISTEN connection'))).toBe(true);

      await other.query(`SELECT pg_notify('floorplan_test_channel', 'after')`);
      await waitFor(() => heard.includes('after'), 'a notification after the reconnect');
    } finally {
      await other.end();
      await listener.close();
    }
    expect(await listener.notify('closed')).toBe(false);
  });
});
