import { parseArgs } from 'node:util';
import type { RoleName } from '../app/auth/identity';
import { createApiToken } from '../app/auth/tokens';
import { describeTarget, openDatabase } from '../db/connection';
import { applyMigrations, createMigration } from '../db/migrate';
import { seedDatabase } from '../db/seed/load';
import { type Command, UsageError } from './command';
import { lazyCommands } from './commands/registry';
import { setCommandLabel, withDatabase } from './database';
import { printSchemaFile } from './print-schema';

/**
 * `npx floorplan <command>`: one entry point for every command-line job. Each command lives in its
 * own module; this file only dispatches and turns failures into a message and an exit code.
 */

const USAGE = `floorplan — own the box or rent the floor

Usage: npx floorplan <command> [options]

Database
  migrate                         apply prisma/migrations to PGlite (default) or DATABASE_URL
  seed                            load seeds/ (idempotent upserts on stable slugs)
  migration:create <name>         author a migration from the schema (WASM schema engine)
  token create --role R --name N [--box SLUG]
                                  create an API token (viewer|operator|admin|runner); printed once
  schema:print                    write schema/schema.graphql (sorted SDL)

Answers
  decide --workload FILE [--keep fast,available] [--json]
                                  e.g. --workload seeds/workloads/lab-retrieval.json
  chart cost --workload ID|EXAMPLE --out FILE.svg|png [--unit tokens]
  chart history --box SLUG --model VARIANT --profile concurrency=1 --metric DECODE_TOKENS_PER_S --out FILE.png

Evidence
  bench --endpoint URL --model NAME [--concurrency 1,8,32] [--json]
  runner --api URL --token T --box SLUG --endpoint URL
  import FILE... --box SLUG --variant VARIANT [--dry-run]
  eval --questions set.jsonl --candidate MODEL@URL --judge MODEL@URL --judge MODEL@URL
       [--store --variant VARIANT [--path SLUG]] [--json]
`;

const asItIs = { bringUpToDate: false };

const commands: Record<string, Command> = {
  migrate: () =>
    withDatabase(async (database) => {
      const applied = await applyMigrations(database.adapterFactory);
      console.log(
        applied.length
          ? `Applied ${applied.join(', ')} to ${describeTarget(database.target)}`
          : `Up to date: ${describeTarget(database.target)}`,
      );
      return 0;
    }, asItIs),
  seed: () =>
    withDatabase(async (database) => {
      const { rows } = await seedDatabase(database.prisma);
      console.log(`Seeded ${rows} rows into ${describeTarget(database.target)} (upserts: safe to repeat).`);
      return 0;
    }, asItIs),
  'migration:create': async (args) => {
    const name = args[0];
    if (!name) throw new UsageError('Give the migration a name: npx floorplan migration:create add_runs');
    // Diffing replays the existing migrations on a scratch database: an in-memory one, never the
    // configured data.
    const scratch = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    try {
      const directory = await createMigration(scratch.adapterFactory, name);
      console.log(
        directory
          ? `Wrote ${directory}/migration.sql`
          : 'The schema matches the migrations: nothing to write.',
      );
      return 0;
    } finally {
      await scratch.close();
    }
  },
  token: async (args) => {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: 'string' }, name: { type: 'string' }, box: { type: 'string' } },
    });
    if (positionals[0] !== 'create')
      throw new UsageError('Usage: npx floorplan token create --role viewer --name alice');
    const role = values.role?.toUpperCase();
    if (!role || !['VIEWER', 'OPERATOR', 'ADMIN', 'RUNNER'].includes(role)) {
      throw new UsageError('--role must be one of viewer, operator, admin, runner (e.g. --role operator).');
    }
    if (!values.name)
      throw new UsageError('--name is required: who or what will use this token (e.g. --name slack-bot).');
    return withDatabase(async (database) => {
      const created = await createApiToken(database.prisma, {
        name: values.name as string,
        role: role as RoleName,
        ...(values.box ? { boxSlug: values.box } : {}),
      });
      console.error(
        `Created ${created.role.toLowerCase()} token "${created.name}". It is shown once; store it now:`,
      );
      console.log(created.token);
      return 0;
    });
  },
  'schema:print': async () => {
    const file = await printSchemaFile();
    console.log(`Wrote ${file}`);
    return 0;
  },
};

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const loadCommand = lazyCommands[name];
  const command = commands[name] ?? (loadCommand ? await loadCommand() : undefined);
  setCommandLabel(`floorplan ${name}`);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return command(args);
}

// Exit only once stdout has drained: a large --json answer piped to another process would
// otherwise be cut off mid-document.
const exitAfterFlush = (code: number) => process.stdout.write('', () => process.exit(code));

run(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof UsageError ? message : `floorplan: ${message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
