import { listenWithReconnect } from '../../db/listen';
import type { EvidenceSnapshot } from '../../domain/engine/evidence';
import type { PrismaClient } from '../../generated/prisma/client';
import { evidenceChangesAfter, loadEvidenceSnapshot } from './load-evidence';

/**
 * The evidence snapshot, loaded once per change instead of once per answer. Every `decide` reads
 * the same evidence until something changes it, so the API keeps one snapshot per database and
 * drops it when evidence changes:
 * - in this process: `evidenceChanged(prisma)` (the GraphQL layer calls it after every mutation
 *   that can write evidence, see api/plugins/evidence-invalidation.ts);
 * - in every process on Postgres: triggers on the evidence tables NOTIFY `floorplan_evidence_changed`
 *   on commit (migration *_evidence_change_notify), whoever wrote (another replica, the CLI, psql),
 *   and `listenForEvidenceChanges` drops the snapshot when one arrives. A lost LISTEN connection
 *   drops it too, since notifications sent meanwhile are lost.
 * A new table the engine reads needs the same trigger.
 *
 * The snapshot is cached without its date: `now` (a day) is stamped on a shallow copy, one per day,
 * so the answer for a date never depends on when the snapshot was loaded. Evidence that changes
 * with time alone (a price value effective from a later day) ends the snapshot's life at that
 * moment. Answers "as of" a past moment do not use the cache (answer.ts reads them afresh).
 */
const EVIDENCE_CHANNEL = 'floorplan_evidence_changed';

type DatedEvidence = Omit<EvidenceSnapshot, 'now'>;

interface CacheEntry {
  /** Bumped by every invalidation; a load that raced one is used once and not kept. */
  generation: number;
  /** `until`: when the evidence known changes by itself (a price taking effect); null = never. */
  loaded: { generation: number; evidence: DatedEvidence; until: number | null } | null;
  inFlight: { generation: number; promise: Promise<DatedEvidence> } | null;
  /** The dated copy last handed out, so repeated answers share one object (and one catalog). */
  dated: { day: string; generation: number; snapshot: EvidenceSnapshot } | null;
  loads: number;
  /** Off until the process wires invalidation (`enableEvidenceCache`): then every call loads. */
  enabled: boolean;
  /** Where no NOTIFY reaches this process (the embedded database): a marker that moves on every write. */
  changeProbe: (() => Promise<string>) | null;
  lastProbe: string | null;
  /** Other reads of evidence tables kept beside the snapshot (`cachedEvidenceRead`), by key. */
  reads: KeptReads;
  /** API tokens found by their hash (`cachedTokenRead`), dropped with the snapshot. */
  tokens: KeptReads;
}

/** Reads kept beside the snapshot, by key, and how many went to the database. */
interface KeptReads {
  values: Map<string, { generation: number; value: Promise<unknown> }>;
  loads: number;
  /** Distinct keys kept at once; one more starts the collection over. */
  max: number;
}

/** Distinct reads kept at once; more (many shapes of one query) start the collection over. */
const MAX_KEPT_READS = 64;
/** Tokens kept at once; more (many callers) start the collection over. */
const MAX_KEPT_TOKENS = 1024;

const caches = new WeakMap<PrismaClient, CacheEntry>();

/**
 * A read kept beside the snapshot until the next invalidation; read afresh wherever the cache is
 * not enabled. Concurrent callers share one read. A failed read, or a value `keep` refuses, is not
 * kept: the next caller reads again.
 */
async function keptRead<T>(
  prisma: PrismaClient,
  which: (entry: CacheEntry) => KeptReads,
  key: string,
  read: () => Promise<T>,
  keep: (value: T) => boolean = () => true,
): Promise<T> {
  const entry = entryFor(prisma);
  const kept = which(entry);
  if (!entry.enabled) {
    kept.loads++;
    return read();
  }
  await probeForChanges(prisma, entry);
  const generation = entry.generation;
  const found = kept.values.get(key);
  if (found?.generation === generation) return found.value as Promise<T>;
  if (kept.values.size >= kept.max) kept.values.clear();
  kept.loads++;
  const value = read();
  kept.values.set(key, { generation, value });
  const forget = () => {
    if (kept.values.get(key)?.value === value) kept.values.delete(key);
  };
  try {
    const result = await value;
    if (!keep(result)) forget();
    return result;
  } catch (error) {
    forget();
    throw error;
  }
}

function entryFor(prisma: PrismaClient): CacheEntry {
  let entry = caches.get(prisma);
  if (!entry) {
    entry = {
      generation: 0,
      loaded: null,
      inFlight: null,
      dated: null,
      loads: 0,
      enabled: false,
      changeProbe: null,
      lastProbe: null,
      reads: { values: new Map(), loads: 0, max: MAX_KEPT_READS },
      tokens: { values: new Map(), loads: 0, max: MAX_KEPT_TOKENS },
    };
    caches.set(prisma, entry);
  }
  return entry;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Where no NOTIFY reaches this process: drops what is cached when the change marker moved. */
async function probeForChanges(prisma: PrismaClient, entry: CacheEntry): Promise<void> {
  if (!entry.changeProbe) return;
  // Read before the cached value: a write landing meanwhile moves the marker again, and the next answer reloads.
  const marker = await entry.changeProbe();
  if (marker !== entry.lastProbe) evidenceChanged(prisma);
  entry.lastProbe = marker;
}

async function undated(prisma: PrismaClient, entry: CacheEntry, now: Date): Promise<DatedEvidence> {
  if (!entry.enabled) {
    entry.loads++;
    const { now: _now, ...evidence } = await loadEvidenceSnapshot(prisma, now);
    return evidence;
  }
  await probeForChanges(prisma, entry);
  const until = entry.loaded?.until;
  if (until !== undefined && until !== null && now.getTime() >= until) evidenceChanged(prisma);
  const generation = entry.generation;
  if (entry.loaded?.generation === generation) return entry.loaded.evidence;
  if (entry.inFlight?.generation === generation) return entry.inFlight.promise;
  entry.loads++;
  const promise = Promise.all([loadEvidenceSnapshot(prisma, now), evidenceChangesAfter(prisma, now)]).then(
    ([{ now: _now, ...evidence }, changesAt]) => {
      // Kept only if nothing changed while it loaded; otherwise the next caller loads again.
      if (entry.generation === generation)
        entry.loaded = { generation, evidence, until: changesAt ? changesAt.getTime() : null };
      return evidence;
    },
  );
  entry.inFlight = { generation, promise };
  try {
    return await promise;
  } finally {
    if (entry.inFlight?.promise === promise) entry.inFlight = null;
  }
}

/** The current evidence, dated `now`: from the cache when nothing changed since it was loaded. */
export async function cachedEvidence(
  prisma: PrismaClient,
  now: Date = new Date(),
): Promise<EvidenceSnapshot> {
  const entry = entryFor(prisma);
  const evidence = await undated(prisma, entry, now);
  const day = isoDay(now);
  const dated = entry.dated;
  if (
    dated &&
    dated.day === day &&
    dated.generation === entry.loaded?.generation &&
    entry.loaded.evidence === evidence
  ) {
    return dated.snapshot;
  }
  const snapshot: EvidenceSnapshot = { now: day, ...evidence };
  if (entry.loaded?.evidence === evidence) {
    entry.dated = { day, generation: entry.loaded.generation, snapshot };
  }
  return snapshot;
}

/**
 * A read of tables that only evidence writes change (the catalog: paths, vendors, boxes, prices),
 * kept beside the snapshot and dropped with it, by the same invalidation. `key` names the read
 * (its query, including what is selected). Read afresh wherever the cache is not enabled. The
 * value is shared by every caller until the next change: callers must not modify it.
 */
export async function cachedEvidenceRead<T>(
  prisma: PrismaClient,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  return keptRead(prisma, (entry) => entry.reads, key, read);
}

/**
 * An API token's row by its hash, kept beside the snapshot and dropped by the same invalidation:
 * the ApiToken table notifies like the evidence tables when a token is created, revoked or changed
 * (migration *_api_token_change_notify; not when only its last use is written), so a revocation by
 * `floorplan token revoke` reaches every API process as soon as its notification arrives, and on
 * the embedded database before the next request (the change probe). Only a found row is kept: an
 * unknown token is looked up every time, so a flood of made-up tokens cannot push the real ones
 * out, and a token created meanwhile is found at once. Read afresh wherever the cache is off.
 */
export async function cachedTokenRead<Row>(
  prisma: PrismaClient,
  tokenHash: string,
  read: () => Promise<Row | null>,
): Promise<Row | null> {
  return keptRead(
    prisma,
    (entry) => entry.tokens,
    tokenHash,
    read,
    (row) => row !== null,
  );
}

/**
 * Keeps the snapshot between answers for this client. Only for a process that invalidates it on
 * every evidence write it can see: the API (mutations in process; on Postgres also
 * `listenForEvidenceChanges`). Elsewhere (the CLI, tests writing rows directly) every answer reads
 * the database, as it always did.
 */
export function enableEvidenceCache(
  prisma: PrismaClient,
  options: { changeProbe?: () => Promise<string> } = {},
): void {
  const entry = entryFor(prisma);
  entry.enabled = true;
  entry.changeProbe = options.changeProbe ?? null;
}

/**
 * The embedded database's change marker: its write-ahead log position, which every committed write
 * moves (reads do not). The owner serves other processes over pglite-socket, whose NOTIFYs never
 * reach it, so the API compares this before each cached answer: a command's write beside the server
 * (an import, `catalog add`) is seen by the next answer.
 */
export async function walPosition(prisma: PrismaClient): Promise<string> {
  const [row] = await prisma.$queryRaw<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`;
  return row?.lsn ?? '';
}

/** Drops this process's snapshot of the database behind `prisma`; the next answer reloads it. */
export function evidenceChanged(prisma: PrismaClient): void {
  const entry = entryFor(prisma);
  entry.generation++;
  entry.loaded = null;
  entry.dated = null;
  entry.reads.values.clear();
  entry.tokens.values.clear();
}

/** Values worked out from one snapshot, by key; they go with the snapshot. */
export interface PerSnapshot<Value> {
  get(snapshot: EvidenceSnapshot, key: string): Value | undefined;
  set(snapshot: EvidenceSnapshot, key: string, value: Value): void;
}

/**
 * Keeps values worked out from a snapshot (an answer, a whole result) for as long as the snapshot
 * lives: it is replaced whenever evidence changes or the day turns, and what was kept for it is
 * collected with it. More than `max` keys for one snapshot start its collection over.
 */
export function keptPerSnapshot<Value>(max: number): PerSnapshot<Value> {
  const bySnapshot = new WeakMap<EvidenceSnapshot, Map<string, Value>>();
  return {
    get: (snapshot, key) => bySnapshot.get(snapshot)?.get(key),
    set: (snapshot, key, value) => {
      let kept = bySnapshot.get(snapshot);
      if (!kept) {
        kept = new Map();
        bySnapshot.set(snapshot, kept);
      }
      if (kept.size >= max) kept.clear();
      kept.set(key, value);
    },
  };
}

/** Whether this client keeps the snapshot between answers (`enableEvidenceCache`). */
export function evidenceCacheEnabled(prisma: PrismaClient): boolean {
  return entryFor(prisma).enabled;
}

/** How many times the snapshot was read from the database (for tests and the benchmark). */
export function evidenceLoads(prisma: PrismaClient): number {
  return entryFor(prisma).loads;
}

/** How many `cachedEvidenceRead`s went to the database (for tests and the benchmark). */
export function evidenceReadLoads(prisma: PrismaClient): number {
  return entryFor(prisma).reads.loads;
}

/**
 * LISTENs for evidence changes from every process writing to this Postgres database, on a
 * dedicated connection. Returns the function that stops listening.
 */
export async function listenForEvidenceChanges(
  prisma: PrismaClient,
  databaseUrl: string,
  log: (line: string) => void = console.error,
): Promise<() => Promise<void>> {
  const listener = await listenWithReconnect({
    databaseUrl,
    channel: EVIDENCE_CHANNEL,
    label: 'evidence cache',
    onNotification: () => evidenceChanged(prisma),
    // Changes made while nobody listened would be missed: start from the database again.
    onDisconnected: () => evidenceChanged(prisma),
    onReconnected: () => evidenceChanged(prisma),
    log,
  });
  // Anything cached before the LISTEN began may predate a change nobody heard about.
  evidenceChanged(prisma);
  return () => listener.close();
}
