import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';
import { type ChildHandle, runCli } from '../../support/processes';

/**
 * RELIABILITY promise 12 (secrets at rest) with the real CLI as a child process: a token created by
 * `npx floorplan token create` is printed once, stored only as its sha256 (nowhere in the database
 * in clear, not in the audit either), never printed again by `token list`, and accepted by the API;
 * the same token with one character changed, or cut short, is a 401. Postgres only: the CLI process
 * and this test share the database.
 */

const TOKEN = /fp_[A-Za-z0-9_-]{43}/g;

async function finished(child: ChildHandle): Promise<string> {
  const code = await child.exited;
  expect(code, child.output()).toBe(0);
  return child.output();
}

describe.skipIf(!usingPostgres())('API tokens at rest (Postgres only: set TEST_DATABASE_URL)', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('shows a new token once, stores only its hash, never lists it, and accepts only the exact token', async () => {
    const env = { DATABASE_URL: database.url ?? undefined, FLOORPLAN_DATA_DIR: undefined };
    const created = await finished(runCli(['token', 'create', '--role', 'viewer', '--name', 'at-rest'], env));
    const shown = created.match(TOKEN) ?? [];
    expect(shown, created).toHaveLength(1);
    const token = shown[0] as string;

    // Stored as its sha256 only: no row of any table holds the token's text.
    const row = await database.prisma.apiToken.findFirstOrThrow({ where: { name: 'at-rest' } });
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    const tables = await database.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
    expect(tables.map((table) => table.table_name)).toEqual(
      expect.arrayContaining(['ApiToken', 'AuditEvent']),
    );
    for (const { table_name: table } of tables) {
      const holding = await database.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}" AS t WHERE position($1 in row_to_json(t)::text) > 0`,
        token,
      );
      expect(Number(holding[0]?.n), `rows of ${table} holding the token`).toBe(0);
    }

    // Listed by name and role, never the token.
    const listed = await finished(runCli(['token', 'list'], env));
    expect(listed).toContain('at-rest');
    expect(listed.match(TOKEN)).toBeNull();

    // The exact token is accepted; one character off, or the right prefix cut short, is a 401.
    const accepted = await api.run<{ viewer: { role: string } }>('{ viewer { role } }', {}, { token });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data?.viewer.role).toBe('VIEWER');
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    for (const wrong of [`${token.slice(0, -1)}${last}`, token.slice(0, -1), `${token}x`]) {
      const refused = await api.run('{ viewer { role } }', {}, { token: wrong });
      expect(refused.status).toBe(401);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  }, 60_000);
});
