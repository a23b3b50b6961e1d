import { recordAudit } from '../app/audit/record';
import type { RoleName } from '../app/auth/identity';
import { createApiToken } from '../app/auth/tokens';
import { describeTarget, openDatabase } from '../db/connection';
import { applyMigrations, createMigration } from '../db/migrate';
import { seedDatabase } from '../db/seed/load';
import { FloorplanError } from '../domain/errors';
import { type CommandEntry, parseCommandArgs, UsageError, wantsHelp } from './command';
import { lazyCommands } from './commands/registry';
import { setCommandLabel, withDatabase } from './database';

/**
 * `npx floorplan <command>`: one entry point for every command-line job. Each command lives in its
 * own module; this file only dispatches, answers `--help` before anything runs, and turns failures
 * into a message and an exit code.
 */

const USAGE = `floorplan — own the box or rent the floor

Usage: npx floorplan <command> [options]        npx floorplan <command> --help

Database
  migrate                         apply prisma/migrations to PGlite (default) or DATABASE_URL
  seed                            load seeds/ (idempotent upserts on stable slugs)
  migration:create <name>         author a migration from the schema (WASM schema engine)
  token create --role R --name N [--box SLUG]
                                  create an API token (viewer|operator|admin|runner); printed once
  token list [--json]             every token: name, role, box, created, last used, revoked
  token revoke --name N           revoke a token by name (or --id ID)
  schema:print                    write schema/schema.graphql (sorted SDL)
  catalog add|edit FILE.yaml      add or change model variants, boxes, serving paths, price
                                  components, capacity facts (seeds/ shape; audited)

Answers
  decide --workload FILE [--keep fast,available] [--as-of DATE] [--json]
                                  e.g. --workload seeds/workloads/lab-retrieval.json
  decisions watch ID [--channel C] [--json]
                                  re-check a saved decision when its evidence changes (Slack channel id)
  decisions unwatch ID [--channel C] [--json]
  decisions history ID [--json]   the saved answer and every version since, with the verified causes
  chart cost --workload ID|EXAMPLE --out FILE.svg|png [--unit tokens]
  chart history --box SLUG --model VARIANT --profile concurrency=1 --metric DECODE_TOKENS_PER_S --out FILE.png

Evidence
  bench --endpoint URL --model NAME [--concurrency 1,8,32] [--json]
  runner --api URL --token T --box SLUG --endpoint URL
  import FILE... --box SLUG --variant VARIANT [--dry-run]
  prices import FILE --mapping MAP.yaml [--dry-run] [--json]
                                  AWS Price List offer JSON, LiteLLM prices JSON or SkyPilot CSV
  eval --questions set.jsonl --candidate MODEL@URL --judge MODEL@URL --judge MODEL@URL
       [--store --variant VARIANT [--path SLUG]] [--json]
`;

const asItIs = { bringUpToDate: false };

const TOKEN_USAGE = `usage:
  floorplan token create --role viewer|operator|admin|runner --name NAME [--box SLUG]
      prints the new token once (runner tokens are bound to --box)
  floorplan token list [--json]
      every token: name, role, box, created, last used, revoked (never the token itself)
  floorplan token revoke --name NAME | --id ID
      the token stops working at once; revoking twice is harmless`;

const commands: Record<string, CommandEntry> = {
  migrate: {
    usage:
      'usage: floorplan migrate\n  applies prisma/migrations to the embedded database (default) or DATABASE_URL',
    run: async (args) => {
      parseCommandArgs({ args, options: {} });
      return withDatabase(async (database) => {
        const applied = await applyMigrations(database.adapterFactory);
        console.log(
          applied.length
            ? `Applied ${applied.join(', ')} to ${describeTarget(database.target)}`
            : `Up to date: ${describeTarget(database.target)}`,
        );
        return 0;
      }, asItIs);
    },
  },
  seed: {
    usage:
      'usage: floorplan seed\n  loads seeds/ into the database (upserts on stable slugs: safe to repeat)',
    run: async (args) => {
      parseCommandArgs({ args, options: {} });
      return withDatabase(async (database) => {
        const { rows } = await seedDatabase(database.prisma);
        console.log(`Seeded ${rows} rows into ${describeTarget(database.target)} (upserts: safe to repeat).`);
        return 0;
      }, asItIs);
    },
  },
  'migration:create': {
    usage:
      'usage: floorplan migration:create NAME\n  writes prisma/migrations/<stamp>_NAME/migration.sql: the SQL from the existing migrations to prisma/schema.prisma',
    run: async (args) => {
      const { positionals } = parseCommandArgs({ args, options: {}, allowPositionals: true });
      const name = positionals[0];
      if (!name || positionals.length > 1)
        throw new UsageError('give the migration one name, e.g. npx floorplan migration:create add_runs');
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
  },
  token: {
    usage: TOKEN_USAGE,
    run: async (args) => {
      const [subcommand, ...rest] = args;
      if (subcommand === 'create') return createToken(rest);
      if (subcommand === 'list') return listTokens(rest);
      if (subcommand === 'revoke') return revokeToken(rest);
      throw new UsageError(subcommand ? `unknown token command "${subcommand}"` : 'create, list or revoke?');
    },
  },
  'schema:print': {
    usage: 'usage: floorplan schema:print\n  writes schema/schema.graphql, the sorted SDL of the API',
    run: async (args) => {
      parseCommandArgs({ args, options: {} });
      // The whole GraphQL schema (every resolver module) is loaded only for this command.
      const { printSchemaFile } = await import('./print-schema');
      const file = await printSchemaFile();
      console.log(`Wrote ${file}`);
      return 0;
    },
  },
};

async function createToken(args: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: { role: { type: 'string' }, name: { type: 'string' }, box: { type: 'string' } },
  });
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
}

async function listTokens(args: string[]): Promise<number> {
  const { values } = parseCommandArgs({ args, options: { json: { type: 'boolean', default: false } } });
  return withDatabase(async (database) => {
    const tokens = await database.prisma.apiToken.findMany({
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        name: true,
        role: true,
        createdAt: true,
        lastUsedAt: true,
        revokedAt: true,
        box: { select: { slug: true } },
      },
    });
    const rows = tokens.map(({ box, ...token }) => ({ ...token, box: box?.slug ?? null }));
    if (values.json) {
      console.log(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (rows.length === 0) {
      console.log('No tokens yet: npx floorplan token create --role admin --name you');
      return 0;
    }
    const when = (date: Date | null) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '-');
    const table = [
      ['NAME', 'ROLE', 'BOX', 'CREATED', 'LAST USED', 'REVOKED', 'ID'],
      ...rows.map((row) => [
        row.name,
        row.role,
        row.box ?? '-',
        when(row.createdAt),
        when(row.lastUsedAt),
        when(row.revokedAt),
        row.id,
      ]),
    ];
    const widths =
      table[0]?.map((_, column) => Math.max(...table.map((line) => line[column]?.length ?? 0))) ?? [];
    for (const line of table)
      console.log(
        line
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd(),
      );
    return 0;
  });
}

async function revokeToken(args: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: { name: { type: 'string' }, id: { type: 'string' } },
  });
  if ((values.name === undefined) === (values.id === undefined))
    throw new UsageError('give either --name NAME or --id ID (see npx floorplan token list)');
  return withDatabase(async (database) => {
    const where = values.id !== undefined ? { id: values.id } : { name: values.name as string };
    const matching = await database.prisma.apiToken.findMany({
      where,
      select: { id: true, revokedAt: true },
    });
    if (matching.length === 0) {
      console.error(
        `No token ${values.id !== undefined ? `with id ${values.id}` : `named "${values.name}"`}: see npx floorplan token list`,
      );
      return 1;
    }
    if (matching.length > 1) {
      console.error(
        `${matching.length} tokens are named "${values.name}": revoke one by --id (npx floorplan token list shows the ids).`,
      );
      return 1;
    }
    const [token] = matching;
    if (!token) return 1;
    if (token.revokedAt) {
      console.log(`Already revoked at ${token.revokedAt.toISOString()}.`);
      return 0;
    }
    await database.prisma.$transaction(async (tx) => {
      const revoked = await tx.apiToken.update({
        where: { id: token.id },
        data: { revokedAt: new Date() },
        select: { id: true, name: true, role: true, revokedAt: true },
      });
      await recordAudit(tx, {
        actor: `cli:${process.env.USER ?? 'unknown'}`,
        action: 'token.revoke',
        entityType: 'ApiToken',
        entityId: token.id,
        after: revoked,
      });
    });
    console.log(`Revoked ${values.id ?? `"${values.name}"`}: it is refused from now on.`);
    return 0;
  });
}

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic) return run([topic, '--help']);
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const loadCommand = lazyCommands[name];
  const command = commands[name] ?? (loadCommand ? await loadCommand() : undefined);
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  // Asked for help, a command prints its usage and does nothing else.
  if (wantsHelp(args)) {
    console.log(command.usage);
    return 0;
  }
  setCommandLabel(`floorplan ${name}`);
  try {
    return await command.run(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`floorplan ${name}: ${error.message}\n\n${command.usage}`);
    return 2;
  }
}

// Exit only once stdout has drained: a large --json answer piped to another process would
// otherwise be cut off mid-document.
const exitAfterFlush = (code: number) => process.stdout.write('', () => process.exit(code));

run(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    // floorplan's own errors say what was wrong and how to fix it: shown as they are.
    const message = error instanceof Error ? error.message : String(error);
    const plain = error instanceof FloorplanError;
    console.error(plain ? message : `floorplan: ${message}`);
    process.exit(error instanceof FloorplanError && error.code === 'BAD_USER_INPUT' ? 2 : 1);
  },
);
