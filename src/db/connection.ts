import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client';
import {
  EmbeddedDatabaseBusyError,
  type Endpoint,
  endpointAnswers,
  type OwnerRole,
  type Ownership,
  readOwner,
  tryTakeOwnership,
} from './embedded/owner';

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface Database {
  target: DatabaseTarget;
  prisma: PrismaClient;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** For an embedded folder: whether this process owns it or uses another process's. */
  embedded?:
    | { role: 'owner'; ownership: Ownership }
    | { role: 'client'; ownerPid: number; ownerLabel: string };
  /** Lets other processes connect (embedded owner only): call once the database is migrated and seeded. */
  markReady(): Promise<void>;
  close(): Promise<void>;
}

export { EmbeddedDatabaseBusyError };

export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return `embedded PGlite at ${target.dataDir}`;
  const url = new URL(target.url);
  return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

export function targetFromConfig(config: {
  DATABASE_URL?: string | undefined;
  FLOORPLAN_DATA_DIR: string;
}): DatabaseTarget {
  return config.DATABASE_URL
    ? { kind: 'postgres', url: config.DATABASE_URL }
    : { kind: 'pglite', dataDir: config.FLOORPLAN_DATA_DIR };
}

export interface OpenOptions {
  /** Who is opening: a server must own an embedded folder; a command may use a running owner. */
  role?: OwnerRole;
  /** Shown to other processes that find this one owning the folder ("npm start", "floorplan import"). */
  label?: string;
  /** Told once when this process has to wait for another one. */
  onWait?: (message: string) => void;
  /** Told every SQL statement Prisma sends (tests snapshot them to catch N+1 queries in review). */
  onQuery?: (sql: string) => void;
}

function prismaClient(
  adapter: SqlDriverAdapterFactory,
  onQuery: ((sql: string) => void) | undefined,
  options: { transactionOptions?: { maxWait: number; timeout: number } } = {},
): PrismaClient {
  if (!onQuery) return new PrismaClient({ ...options, adapter });
  const client = new PrismaClient({ ...options, adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => onQuery(event.query));
  return client as unknown as PrismaClient;
}

const nothingToDo = async () => {};

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === 'postgres') {
    const adapterFactory = new PrismaPg({ connectionString: target.url, max: 10 });
    const prisma = prismaClient(adapterFactory, options.onQuery);
    return { target, prisma, adapterFactory, markReady: nothingToDo, close: () => prisma.$disconnect() };
  }
  if (target.dataDir === 'memory://') {
    // Nothing else can reach an in-memory database: one in-process instance serves Prisma and migrations.
    // PGlite is loaded only here and by the embedded owner: on PostgreSQL it would cost ~50 MB for nothing.
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('pglite-prisma-adapter'),
    ]);
    const pglite = await PGlite.create(target.dataDir);
    const adapterFactory = new PrismaPGlite(pglite);
    const prisma = prismaClient(adapterFactory, options.onQuery);
    return {
      target,
      prisma,
      adapterFactory,
      markReady: nothingToDo,
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
      },
    };
  }
  return openEmbeddedFolder(target, {
    role: options.role ?? 'command',
    label: options.label ?? 'a floorplan command',
    onWait: options.onWait ?? (() => {}),
    onQuery: options.onQuery,
  });
}

function connectTo(endpoint: Endpoint, max: number, onQuery: ((sql: string) => void) | undefined) {
  const adapterFactory = new PrismaPg({
    host: endpoint.host,
    port: endpoint.port,
    user: 'postgres',
    database: 'postgres',
    max,
  });
  // Every connection takes turns on PGlite's one backend, so a transaction may wait behind others
  // much longer than Prisma's 2 s default before it starts: wait, rather than fail the request.
  const prisma = prismaClient(adapterFactory, onQuery, {
    transactionOptions: { maxWait: 30_000, timeout: 30_000 },
  });
  return { adapterFactory, prisma };
}

/** How long a command waits for a starting owner, or a server for a command that owns the folder. */
const WAIT_LIMIT_MS = 10 * 60_000;
const POLL_MS = 150;

async function openEmbeddedFolder(
  target: { kind: 'pglite'; dataDir: string },
  who: {
    role: OwnerRole;
    label: string;
    onWait: (message: string) => void;
    onQuery: ((sql: string) => void) | undefined;
  },
): Promise<Database> {
  const { dataDir } = target;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  const toldAbout = new Set<string>();
  const wait = async (key: string, message: string) => {
    if (!toldAbout.has(key)) who.onWait(message);
    toldAbout.add(key);
    if (Date.now() > deadline) {
      throw new EmbeddedDatabaseBusyError(`Gave up after ${WAIT_LIMIT_MS / 60_000} minutes: ${message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  };
  for (;;) {
    const ownership = await tryTakeOwnership(dataDir, who);
    if (ownership) {
      const { adapterFactory, prisma } = connectTo(ownership.endpoint, 10, who.onQuery);
      return {
        target,
        prisma,
        adapterFactory,
        embedded: { role: 'owner', ownership },
        markReady: () => ownership.markReady(),
        close: async () => {
          await prisma.$disconnect();
          // A command that owns the folder keeps serving until the commands it let in are done.
          const startedWaiting = Date.now();
          let told = false;
          while (ownership.connections() > 0 && who.role === 'command') {
            const waited = Date.now() - startedWaiting;
            if (waited > WAIT_LIMIT_MS) break;
            // Our own pool's sockets close a moment after disconnect: only a real wait is worth a line.
            if (!told && waited > 1_000) {
              who.onWait(`Waiting for other floorplan commands using ${dataDir} to finish…`);
              told = true;
            }
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          }
          await ownership.release();
        },
      };
    }
    const owner = await readOwner(dataDir);
    // Gone between the two reads (its owner exited, or a stale lock was just cleared): try again.
    if (owner === null) continue;
    if (owner === 'unreadable') {
      await wait('unreadable', `Waiting for the lock on ${dataDir} to settle…`);
      continue;
    }
    if (who.role === 'server') {
      if (owner.role === 'server') {
        throw new EmbeddedDatabaseBusyError(
          `Another floorplan server (pid ${owner.pid}, started ${owner.startedAt}) already serves the embedded database at ${dataDir}. ` +
            'Use that one, stop it first, or start this one on its own folder (FLOORPLAN_DATA_DIR=…) or on PostgreSQL (DATABASE_URL=…).',
        );
      }
      await wait(
        `command-${owner.pid}`,
        `Waiting for ${owner.label} (pid ${owner.pid}) to finish with the embedded database at ${dataDir}…`,
      );
      continue;
    }
    if (!owner.ready || !owner.endpoint) {
      await wait(
        `starting-${owner.pid}`,
        `Waiting for ${owner.label} (pid ${owner.pid}) to finish opening the embedded database at ${dataDir}…`,
      );
      continue;
    }
    if (!(await endpointAnswers(owner.endpoint))) {
      // Shutting down, or killed: the next round either finds it gone or clears its stale lock.
      await wait(
        `silent-${owner.pid}`,
        `The owner of ${dataDir} (pid ${owner.pid}) does not answer; checking again…`,
      );
      continue;
    }
    const { adapterFactory, prisma } = connectTo(owner.endpoint, 4, who.onQuery);
    return {
      target,
      prisma,
      adapterFactory,
      embedded: { role: 'client', ownerPid: owner.pid, ownerLabel: owner.label },
      markReady: nothingToDo,
      close: () => prisma.$disconnect(),
    };
  }
}
