import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { type Database, openDatabase } from '../../../src/db/connection';
import { freePort } from '../../support/processes';

/**
 * RELIABILITY promise 6, the client's side: with the database away (here a server that is not
 * there at all), GraphQL answers 503 with `extensions.code: DATABASE_UNAVAILABLE` and Retry-After
 * instead of "Unexpected error.", and /readyz says so. Recovery after a real connection kill is
 * proven with Postgres in test/e2e/api/database-outage.test.ts.
 */
describe('database outage at the edge', () => {
  let database: Database;
  let api: ApiServer;

  beforeAll(async () => {
    database = await openDatabase({
      kind: 'postgres',
      url: `postgresql://postgres@127.0.0.1:${await freePort()}/gone`,
    });
    api = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: true,
      // Anonymous catalog reads reach the database in a resolver, a token in the context.
      publicCatalog: true,
    });
  });
  afterAll(async () => {
    await api?.close({ deadlineMs: 2_000 });
    await database?.close();
  });

  const post = (query: string, token?: string) =>
    fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });

  it.each([
    ['a token to look up', `fp_${'a'.repeat(43)}`],
    ['no token', undefined],
  ])('answers 503 DATABASE_UNAVAILABLE with Retry-After with %s', async (_case, token) => {
    const response = await post('{ servingPaths { slug } }', token);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('DATABASE_UNAVAILABLE');
    expect(body.errors[0]?.message).toMatch(/database is unavailable right now\. Retry in 5 s/);
    expect(JSON.stringify(body)).not.toMatch(/Unexpected error|ECONNREFUSED|127\.0\.0\.1|prisma/i);
  });

  it('is not ready while the database is away', async () => {
    const response = await fetch(`${api.url}/readyz`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ status: 'database unavailable' });
  });
});
