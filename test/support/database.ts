import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, type DatabaseTarget, openDatabase } from '../../src/db/connection';
import { applyMigrations } from '../../src/db/migrate';
import { seedDatabase } from '../../src/db/seed/load';

/**
 * A database that exists only for one test file. With TEST_DATABASE_URL set (a server the suite may
 * use), a fresh database named `floorplan_test_<random>` is created on that server and dropped
 * afterwards; otherwise an in-memory PGlite. The guard refuses to touch any database whose name
 * does not carry the test prefix, so a test can never be pointed at real data.
 */
const TEST_PREFIX = 'floorplan_test_';

export interface TestDatabase extends Database {
  /** The connection URL of the created database (Postgres only), for child processes. */
  url: string | null;
  drop(): Promise<void>;
}

function assertTestDatabaseName(name: string): void {
  if (!name.startsWith(TEST_PREFIX)) {
    throw new Error(`Refusing to use database "${name}": test databases must be named ${TEST_PREFIX}*.`);
  }
}

export function usingPostgres(): boolean {
  return Boolean(process.env.TEST_DATABASE_URL);
}

/** Creates a fresh, empty Postgres database and returns its URL (Postgres mode only). */
export async function createPostgresTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${TEST_PREFIX}${randomBytes(6).toString('hex')}`;
  assertTestDatabaseName(name);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      assertTestDatabaseName(name);
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function createTestDatabase(
  options: { migrate?: boolean; seed?: boolean; onQuery?: (sql: string) => void } = {},
): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const seed = options.seed ?? migrate;
  let target: DatabaseTarget;
  let dropServerDatabase: () => Promise<void> = async () => {};
  let url: string | null = null;
  if (usingPostgres()) {
    const created = await createPostgresTestDatabase();
    url = created.url;
    dropServerDatabase = created.drop;
    target = { kind: 'postgres', url };
  } else {
    target = { kind: 'pglite', dataDir: 'memory://' };
  }
  const database = await openDatabase(target, options.onQuery ? { onQuery: options.onQuery } : {});
  if (migrate) await applyMigrations(database.adapterFactory);
  if (seed) await seedDatabase(database.prisma);
  return {
    ...database,
    url,
    drop: async () => {
      await database.close();
      await dropServerDatabase();
    },
  };
}
