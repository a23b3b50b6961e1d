/**
 * Whether an error means the database is away (unreachable, restarting, connections cut or
 * exhausted) rather than that the request was wrong: the first is worth retrying, and clients are
 * told so (503, DATABASE_UNAVAILABLE, Retry-After) instead of "Unexpected error.".
 */

/** Prisma's codes for a database it cannot reach, lost, or could not get a connection to in time. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** Driver adapter error kinds with the same meaning. */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionStartTimeout',
]);
/** Postgres SQLSTATEs: connection exceptions (08…), admin/crash shutdown, cannot connect now. */
const SQLSTATE = /^(08\d{3}|57P0[1-3]|53300)$/;
const MESSAGES =
  /ECONNREFUSED|ECONNRESET|Connection terminated|Client has encountered a connection error|Can't reach database server|terminating connection|the database system is (starting up|shutting down)|Unable to start a transaction in the given time/i;

interface Inspectable {
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
  cause?: unknown;
  originalError?: unknown;
}

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  const inspected = error as Inspectable;
  if (
    typeof inspected.code === 'string' &&
    (PRISMA_CODES.has(inspected.code) || SQLSTATE.test(inspected.code))
  ) {
    return true;
  }
  const cause = inspected.meta?.driverAdapterError?.cause;
  if (typeof cause?.kind === 'string' && ADAPTER_KINDS.has(cause.kind)) return true;
  if (typeof cause?.originalCode === 'string' && SQLSTATE.test(cause.originalCode)) return true;
  if (typeof inspected.message === 'string' && MESSAGES.test(inspected.message)) return true;
  return (
    isDatabaseUnavailable(inspected.originalError, depth + 1) ||
    isDatabaseUnavailable(inspected.cause, depth + 1)
  );
}

/** Seconds a client is asked to wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
