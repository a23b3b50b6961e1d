import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { createSchemaEngine } from './schema-engine';

const projectRoot = path.resolve(import.meta.dirname, '..', '..');
export const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');
const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');
const noFilter = { externalTables: [], externalEnums: [] };

/** Reads `prisma/migrations/*\/migration.sql` in the layout `prisma migrate` itself uses. */
async function loadMigrationList(baseDir = migrationsDir): Promise<MigrationList> {
  const entries = existsSync(baseDir) ? await readdir(baseDir, { withFileTypes: true }) : [];
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockfilePath = path.join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockfilePath) ? await readFile(lockfilePath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (name) => {
        const file = path.join(baseDir, name, 'migration.sql');
        const content = existsSync(file)
          ? ({ tag: 'ok', value: await readFile(file, 'utf8') } as const)
          : ({ tag: 'error', value: `missing ${file}` } as const);
        return { path: name, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

const LOCK_RETRIES = 6;

/**
 * Applies every migration not yet recorded in `_prisma_migrations`; returns the names applied.
 * Prisma takes an advisory lock for this and gives up after 10 s; replicas booting together (or a
 * busy machine) can hit that, so a lock timeout is retried: the winner migrates, the others then
 * find nothing left to apply.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyMigrationsOnce(adapterFactory);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= LOCK_RETRIES || !/advisory lock|timed out|timeout/i.test(message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

async function applyMigrationsOnce(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string[]> {
  const migrationsList = await loadMigrationList();
  if (await nothingToApply(adapterFactory, migrationsList)) return [];
  const { engine, free } = await createSchemaEngine(schemaPath, adapterFactory);
  try {
    const output = await engine.applyMigrations({ migrationsList, filters: noFilter });
    return output.appliedMigrationNames;
  } finally {
    await free();
  }
}

/**
 * True when the database already records every migration here as finished, with the checksum of
 * the file as it is now, and no migration failed or rolled back: the schema engine would apply
 * nothing. Checked with one query so that a command does not instantiate the engine (WebAssembly,
 * about 40 MB that stays resident) only to learn that; anything else, or any doubt, is false and
 * the engine decides (and reports) as before.
 */
async function nothingToApply(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  migrationsList: MigrationList,
): Promise<boolean> {
  const expected = new Map<string, string>();
  for (const directory of migrationsList.migrationDirectories) {
    const { content } = directory.migrationFile;
    if (content.tag !== 'ok') return false;
    expected.set(directory.path, createHash('sha256').update(content.value).digest('hex'));
  }
  let adapter: SqlDriverAdapter | undefined;
  try {
    adapter = await adapterFactory.connect();
    const schema = adapter.getConnectionInfo?.().schemaName ?? 'public';
    const table = await adapter.queryRaw({
      sql: "SELECT to_regclass(format('%I._prisma_migrations', $1::text)) IS NOT NULL",
      args: [schema],
      argTypes: [{ scalarType: 'string', arity: 'scalar' }],
    });
    if (table.rows[0]?.[0] !== true) return false;
    const recorded = await adapter.queryRaw({
      sql: `SELECT migration_name, checksum, finished_at IS NOT NULL, rolled_back_at IS NOT NULL FROM "${schema.replaceAll('"', '""')}"._prisma_migrations`,
      args: [],
      argTypes: [],
    });
    const applied = new Map<string, string>();
    for (const [name, checksum, finished, rolledBack] of recorded.rows) {
      if (rolledBack === true) continue;
      if (finished !== true) return false;
      applied.set(String(name), String(checksum));
    }
    return [...expected].every(([name, checksum]) => applied.get(name) === checksum);
  } catch {
    return false;
  } finally {
    await adapter?.dispose();
  }
}

/**
 * Authors a new migration: the SQL that takes the existing migrations to the current schema.
 * Returns null when the schema has no changes.
 */
export async function createMigration(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  name: string,
): Promise<string | null> {
  const { engine, free } = await createSchemaEngine(schemaPath, adapterFactory);
  try {
    const migrationsList = await loadMigrationList();
    const datamodel = await readFile(schemaPath, 'utf8');
    const from =
      migrationsList.migrationDirectories.length === 0
        ? ({ tag: 'empty' } as const)
        : ({ tag: 'migrations', ...migrationsList } as const);
    const diff = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: datamodel }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    const sql = diff.stdout ?? '';
    if (sql.trim() === '' || sql.includes('This is an empty migration')) return null;
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const directory = path.join(migrationsDir, `${stamp}_${name.replace(/[^a-z0-9_]+/gi, '_')}`);
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, 'migration.sql'), sql);
    await writeFile(
      path.join(migrationsDir, 'migration_lock.toml'),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
    return directory;
  } finally {
    await free();
  }
}
