import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/app/auth/tokens';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { type ApiProcess, startApiProcess, waitFor } from '../../support/processes';

/**
 * RELIABILITY promise 6 with real processes on PostgreSQL: the API's database connections are
 * killed (pg_terminate_backend) while its price edits are inside their transactions, waiting on a
 * lock the test holds, and again while the pool is idle. Every request gets a complete answer:
 * success, or 503 DATABASE_UNAVAILABLE with Retry-After, never "Unexpected error."; no edit is
 * half-written (a price value exists exactly when its audit row does, and only for edits that
 * succeeded); and the API recovers by itself. Needs TEST_DATABASE_URL (several processes on one
 * database).
 */

const APPLICATION_NAME = 'floorplan-api-outage-test';
const COMPONENT = 'dgx-spark-purchase';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe.skipIf(!usingPostgres())('database connections killed mid-request (promise 6)', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let token: string;
  let control: pg.Client;
  /** Holds the lock in its own session: pg_stat_activity is read once per transaction, so `control` stays outside one. */
  let locker: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    token = (await createApiToken(database.prisma, { name: 'outage-admin', role: 'ADMIN' })).token;
    const url = new URL(database.url as string);
    url.searchParams.set('application_name', APPLICATION_NAME);
    api = await startApiProcess({ databaseUrl: url.toString() });
    control = new pg.Client({ connectionString: database.url as string });
    await control.connect();
    locker = new pg.Client({ connectionString: database.url as string });
    await locker.connect();
  });
  afterAll(async () => {
    await control?.end().catch(() => {});
    await locker?.end().catch(() => {});
    await api?.kill('SIGTERM');
    await database?.drop();
  });

  const post = async (query: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    }).catch((error: unknown) => {
      // The API process itself went away (seen once in CI): say why, from its own output.
      throw new Error(`The API did not answer (${String(error)}); its output:\n${api.output()}`, {
        cause: error,
      });
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Answer['body'],
    };
  };
  const editPrice = (amount: string) =>
    post(
      'mutation E($slug: String!, $amount: Decimal!) { updatePriceComponent(slug: $slug, input: { amount: $amount, source: "outage test", asOf: "2026-11-30T00:00:00Z" }) { slug } }',
      { slug: COMPONENT, amount },
    );
  const readCatalog = () => post('{ servingPaths { slug priceComponents { slug price { amount } } } }');

  const apiBackends = async (where = ''): Promise<number> =>
    Number(
      (
        await control.query(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 ${where}`,
          [APPLICATION_NAME],
        )
      ).rows[0].n,
    );
  const killApiBackends = async (): Promise<number> =>
    (
      await control.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        [APPLICATION_NAME],
      )
    ).rowCount ?? 0;

  const isCleanFailure = (answer: Answer) =>
    answer.status === 503 &&
    answer.retryAfter === '5' &&
    answer.body.errors?.every((error) => error.extensions?.code === 'DATABASE_UNAVAILABLE') === true;
  const isSuccess = (answer: Answer) => answer.status === 200 && answer.body.errors === undefined;

  async function untilRecovered(): Promise<number> {
    let failures = 0;
    await waitFor(
      'the API to answer from the database again',
      async () => {
        const answer = await readCatalog();
        if (isSuccess(answer)) return true;
        expect(isCleanFailure(answer), JSON.stringify(answer)).toBe(true);
        failures += 1;
        return false;
      },
      { timeoutMs: 20_000 },
    );
    return failures;
  }

  it('answers every request cleanly while its connections are killed inside transactions, writes nothing half, and recovers', async () => {
    const first = await editPrice('4699.00000001');
    expect(isSuccess(first), JSON.stringify(first)).toBe(true);

    // Hold the price table: the edits below enter their transactions and wait on this lock.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "PriceValue" IN SHARE ROW EXCLUSIVE MODE');
    const amounts = Array.from({ length: 6 }, (_, index) => `4700.0000000${index + 1}`);
    const edits = amounts.map((amount) => editPrice(amount));
    const reads = Array.from({ length: 3 }, () => readCatalog());
    let activity = '';
    await waitFor(
      'the edits to wait on the lock',
      async () => {
        const rows = await control.query(
          'SELECT application_name, state, wait_event_type, left(query, 60) AS query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        activity = JSON.stringify(rows.rows);
        return (await apiBackends("AND wait_event_type = 'Lock'")) >= 3;
      },
      { timeoutMs: 20_000, describe: () => activity },
    );
    expect(await killApiBackends()).toBeGreaterThanOrEqual(3);
    await locker.query('ROLLBACK');

    const editAnswers = await Promise.all(edits);
    const readAnswers = await Promise.all(reads);
    for (const answer of [...editAnswers, ...readAnswers]) {
      expect(
        isSuccess(answer) || isCleanFailure(answer),
        `${JSON.stringify(answer)}\n${api
          .output()
          .split('\n')
          .filter((line) => /ERR|Error|error/.test(line))
          .join('\n')}`,
      ).toBe(true);
      expect(JSON.stringify(answer.body)).not.toMatch(
        /Unexpected error|INTERNAL_SERVER_ERROR|terminating connection/,
      );
    }
    // The kill happened mid-request: the edits waiting on the lock were cut.
    expect(editAnswers.filter(isCleanFailure).length).toBeGreaterThanOrEqual(3);

    // Whole or not at all: a value exists exactly when its audit row does, and only for a success.
    const values = await database.prisma.priceValue.findMany({ where: { source: 'outage test' } });
    const audits = await database.prisma.auditEvent.findMany({ where: { action: 'price.update' } });
    const auditedValueIds = new Set(
      audits.map((audit) => (audit.after as { addedValueId?: string } | null)?.addedValueId),
    );
    for (const value of values) expect(auditedValueIds.has(value.id)).toBe(true);
    expect(audits.length).toBe(values.length);
    const stored = new Set(values.map((value) => value.amount.toFixed(8)));
    amounts.forEach((amount, index) => {
      expect(stored.has(amount), `${amount}: ${JSON.stringify(editAnswers[index])}`).toBe(
        isSuccess(editAnswers[index] as Answer),
      );
    });

    await untilRecovered();
    const retried = await editPrice(amounts[0] as string);
    expect(isSuccess(retried), JSON.stringify(retried)).toBe(true);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  }, 90_000);

  it('recovers when its idle connections are killed between requests', async () => {
    expect(isSuccess(await readCatalog())).toBe(true);
    expect(await apiBackends()).toBeGreaterThan(0);
    await killApiBackends();
    const failuresBeforeRecovery = await untilRecovered();
    // At most the requests that drew a dead pooled connection fail, and each said to retry.
    expect(failuresBeforeRecovery).toBeLessThanOrEqual(10);
    const edited = await editPrice('4701.5');
    expect(isSuccess(edited), JSON.stringify(edited)).toBe(true);
    expect(api.process.exitCode).toBeNull();
  }, 60_000);
});
