import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';

/**
 * Past its limit the API refuses answers at once (503, Retry-After, code OVERLOADED) instead of
 * queueing them without bound. One answer at a time and no waiting room: with evidence read from
 * the database for every answer (no cache here), a burst finds the slot taken.
 * Postgres only: on in-process PGlite every query resolves without yielding to the event loop, so
 * requests never overlap and there is nothing to shed.
 */

const repository = path.resolve(import.meta.dirname, '..', '..', '..');
const {
  name: _name,

  ...rest
} = JSON.parse(
  readFileSync(path.join(repository, 'seeds', 'workloads', 'lab-retrieval.json'), 'utf8'),
) as Record<string, unknown>;
const DECIDE = JSON.stringify({
  query:
    'query Decide($workload: WorkloadInput!) { decide(workload: $workload) { recommendation { optionId } } }',
  variables: { workload: rest },
});

describe.skipIf(!usingPostgres())('overload', () => {
  let database: TestDatabase;
  let api: ApiServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: true,
      // Anonymous answers: no token lookup before execution, so the burst reaches the limit together.
      publicCatalog: true,
      overloadLimits: { maxConcurrent: 1, maxQueued: 0, maxWaitMs: 5000, retryAfterSeconds: 2 },
    });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  const send = (body: string) =>
    fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-client': 'overload-test' },
      body,
    });

  it('answers a burst beyond the limit with 503, Retry-After and OVERLOADED, and serves the rest', async () => {
    const responses = await Promise.all(Array.from({ length: 12 }, () => send(DECIDE)));
    const replies = await Promise.all(
      responses.map(async (response) => ({
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as {
          data?: { decide: { recommendation: { optionId: string } | null } } | null;
          errors?: { message: string; extensions?: { code?: string } }[];
        },
      })),
    );
    const refused = replies.filter((reply) => reply.status === 503);
    const served = replies.filter((reply) => reply.status === 200);
    expect(refused.length + served.length).toBe(replies.length);
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of served) {
      expect(reply.body.errors).toBeUndefined();
      expect(reply.body.data?.decide.recommendation?.optionId).toBeTruthy();
    }
    for (const reply of refused) {
      expect(reply.retryAfter).toBe('2');
      expect(reply.body.errors?.[0]?.extensions?.code).toBe('OVERLOADED');
      expect(reply.body.errors?.[0]?.message).toMatch(/overloaded .*Retry after 2 s/);
    }
    // Cheap operations are not limited: the catalog still answers during a burst of answers.
    const [catalog] = await Promise.all([
      send(JSON.stringify({ query: '{ servingPaths { slug } }' })),
      ...Array.from({ length: 6 }, () => send(DECIDE)),
    ]);
    expect(catalog?.status).toBe(200);
    // Once the burst is over the API answers again.
    const after = await send(DECIDE);
    expect(after.status).toBe(200);
  });
});
