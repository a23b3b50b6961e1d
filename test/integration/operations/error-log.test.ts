import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/api/log';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { createApiToken } from '../../../src/app/auth/tokens';
import { createTestDatabase, type TestDatabase } from '../../support/database';

/**
 * An error no edge maps reaches the caller as "Unexpected error." (production) and the log with its
 * stack under the request's id, so an operator can find it from the id the caller was given.
 */

describe('unexpected errors are logged under the request id', () => {
  let database: TestDatabase;
  let server: ApiServer;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    server = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: true,
      publicCatalog: false,
      log: createLogger('info', capture),
    });
  });
  afterAll(async () => {
    await server.close({ deadlineMs: 1000 });
    await database.drop();
  });

  it('masks it for the caller and logs it, with its stack, on a line carrying the request id', async () => {
    const { token } = await createApiToken(database.prisma, { name: 'viewer', role: 'VIEWER' });
    // A table gone from under the API: Prisma's error is no floorplan error.
    await database.prisma.$executeRawUnsafe('ALTER TABLE "LabFinding" RENAME TO "LabFindingGone"');
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-request-id': 'err-42',
      },
      body: JSON.stringify({ query: 'query Findings { labFindings { slug } }' }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    await database.prisma.$executeRawUnsafe('ALTER TABLE "LabFindingGone" RENAME TO "LabFinding"');
    expect(body.errors?.[0]?.message).toBe('Unexpected error.');
    expect(response.headers.get('x-request-id')).toBe('err-42');
    const logged = lines.find((line) => line.msg === 'unexpected error in a resolver');
    expect(logged).toEqual(
      expect.objectContaining({ requestId: 'err-42', operation: 'Findings', path: 'labFindings', level: 50 }),
    );
    expect(String((logged?.err as { stack?: string })?.stack)).toMatch(/LabFinding/);
    expect(JSON.stringify(lines)).not.toContain(token);
    // Logged once, with its id: Yoga's own report of the same error is not repeated without one.
    expect(lines.filter((line) => JSON.stringify(line).includes('does not exist'))).toHaveLength(1);
  });
});
