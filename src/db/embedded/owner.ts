import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import type { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { SessionScheduler } from './scheduler';

/**
 * One owner per embedded data folder.
 *
 * PGlite is a whole Postgres in one process: two processes opening the same folder each believe
 * they own its files, and writes vanish or the folder breaks. So the first floorplan process to
 * open the folder takes a lock file in it, opens PGlite, and serves it over the Postgres wire
 * protocol (pglite-socket) on a unix socket in the folder. Every other floorplan process, and the
 * owner itself, connects there with the ordinary `pg` driver, exactly as to a PostgreSQL server.
 *
 * The lock records the owner's pid. A lock whose pid is gone (kill -9, a crash) is stale and is
 * taken over; PGlite then recovers the folder from its write-ahead log as Postgres would.
 */

export type OwnerRole = 'server' | 'command';

export interface OwnerRecord {
  pid: number;
  role: OwnerRole;
  /** What the owner is, for messages: "npm start", "floorplan import". */
  label: string;
  startedAt: string;
  /** Set once the database is migrated and seeded and others may connect. */
  ready: boolean;
  endpoint: Endpoint | null;
}

/** Where the owner listens: a unix socket directory (pg's `host`) and port, or loopback TCP. */
export type Endpoint = { host: string; port: number };

export class EmbeddedDatabaseBusyError extends Error {}

const LOCK_FILE = 'floorplan-owner.json';
const SOCKET_PORT = 5432;
/** Unix socket paths are limited to about 107 bytes; longer folders use a loopback port instead. */
const MAX_SOCKET_PATH = 100;

function lockPath(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE);
}

export async function readOwner(dataDir: string): Promise<OwnerRecord | 'unreadable' | null> {
  let text: string;
  try {
    text = await readFile(lockPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return JSON.parse(text) as OwnerRecord;
  } catch {
    return 'unreadable';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function endpointAnswers(endpoint: Endpoint): Promise<boolean> {
  return new Promise((resolve) => {
    const socket: Socket = endpoint.host.startsWith('/')
      ? createConnection(path.join(endpoint.host, `.s.PGSQL.${endpoint.port}`))
      : createConnection(endpoint.port, endpoint.host);
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(2_000, () => done(false));
  });
}

export interface Ownership {
  endpoint: Endpoint;
  /** Other processes connected now (the owner's own pool excluded by the caller). */
  connections(): number;
  queueLength(): number;
  release(): Promise<void>;
  markReady(): Promise<void>;
}

/**
 * Tries to become the owner. Returns null when another live process owns the folder (the caller
 * then connects to it); clears a stale lock first.
 */
export async function tryTakeOwnership(
  dataDir: string,
  who: { role: OwnerRole; label: string },
): Promise<Ownership | null> {
  mkdirSync(dataDir, { recursive: true });
  const record: OwnerRecord = {
    pid: process.pid,
    role: who.role,
    label: who.label,
    startedAt: new Date().toISOString(),
    ready: false,
    endpoint: null,
  };
  try {
    await writeFile(lockPath(dataDir), JSON.stringify(record), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await clearIfStale(dataDir);
    return null;
  }
  try {
    return await serve(dataDir, record);
  } catch (error) {
    await removeOwnLock(dataDir);
    throw error;
  }
}

async function serve(dataDir: string, record: OwnerRecord): Promise<Ownership> {
  // Loaded here, not at the top: a process on PostgreSQL never needs PGlite (about 50 MB resident).
  const [{ PGlite }, { PGLiteSocketHandler }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-socket'),
  ]);
  const db = await PGlite.create(dataDir);
  const scheduler = new SessionScheduler(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket) => {
    const handler = new PGLiteSocketHandler({
      // The handler only calls enqueue / clearQueueForHandler / clearTransactionIfNeeded.
      queryQueue: scheduler as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  const socketPath = path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`);
  let endpoint: Endpoint;
  if (socketPath.length <= MAX_SOCKET_PATH) {
    // A socket file left by a killed owner would make listen fail with EADDRINUSE.
    await unlink(socketPath).catch(() => {});
    await listen(server, socketPath);
    endpoint = { host: dataDir, port: SOCKET_PORT };
  } else {
    await listen(server, 0, '127.0.0.1');
    const address = server.address();
    endpoint = { host: '127.0.0.1', port: typeof address === 'object' && address ? address.port : 0 };
  }
  record.endpoint = endpoint;
  await writeRecord(dataDir, record);
  let released = false;
  return {
    endpoint,
    connections: () => handlers.size,
    queueLength: () => scheduler.queueLength,
    markReady: async () => {
      record.ready = true;
      await writeRecord(dataDir, record);
    },
    release: async () => {
      if (released) return;
      released = true;
      for (const handler of handlers) await handler.detach(true);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
      if (endpoint.host.startsWith('/')) await unlink(socketPath).catch(() => {});
      await removeOwnLock(dataDir);
    },
  };
}

function listen(server: Server, where: string | number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const ready = () => {
      server.off('error', reject);
      resolve();
    };
    if (typeof where === 'string') server.listen(where, ready);
    else server.listen(where, host, ready);
  });
}

/** Replaces the lock's content in one step (write a temporary file, rename): readers never see half. */
async function writeRecord(dataDir: string, record: OwnerRecord): Promise<void> {
  const temporary = `${lockPath(dataDir)}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(record));
  await rename(temporary, lockPath(dataDir));
}

async function removeOwnLock(dataDir: string): Promise<void> {
  const current = await readOwner(dataDir).catch(() => null);
  if (current && current !== 'unreadable' && current.pid === process.pid) {
    await unlink(lockPath(dataDir)).catch(() => {});
  }
}

/** How long an owner may take to open, migrate and seed before a silent live pid counts as stale. */
const STARTUP_GRACE_MS = 5 * 60_000;

export async function isStale(dataDir: string, owner: OwnerRecord | 'unreadable'): Promise<boolean> {
  if (owner === 'unreadable') {
    // A lock is written in one call; one still unreadable after a few seconds was cut off by a crash.
    const info = await stat(lockPath(dataDir)).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > 5_000;
  }
  if (!processAlive(owner.pid)) return true;
  if (owner.pid === process.pid) return false;
  // A live pid may be a new process that reused a dead owner's number: its socket would not answer.
  if (owner.ready && owner.endpoint) return !(await endpointAnswers(owner.endpoint));
  return Date.now() - Date.parse(owner.startedAt) > STARTUP_GRACE_MS;
}

/**
 * Removes a stale lock. Two processes may find the same stale lock at once: a short-lived takeover
 * directory (mkdir is atomic) lets one of them check again and remove it, so neither can delete the
 * fresh lock the other has just written.
 */
async function clearIfStale(dataDir: string): Promise<void> {
  const owner = await readOwner(dataDir);
  if (owner === null || !(await isStale(dataDir, owner))) return;
  const takeover = `${lockPath(dataDir)}.takeover`;
  try {
    await mkdir(takeover);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const info = await stat(takeover).catch(() => null);
    // Left behind by a process killed between mkdir and rmdir.
    if (info && Date.now() - info.mtimeMs > 10_000) await rmdir(takeover).catch(() => {});
    return;
  }
  try {
    const again = await readOwner(dataDir);
    if (
      again !== null &&
      JSON.stringify(again) === JSON.stringify(owner) &&
      (await isStale(dataDir, again))
    ) {
      const aside = `${lockPath(dataDir)}.stale-${randomBytes(4).toString('hex')}`;
      await rename(lockPath(dataDir), aside);
      await unlink(aside).catch(() => {});
    }
  } finally {
    await rmdir(takeover).catch(() => {});
  }
}
