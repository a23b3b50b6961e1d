import { createHash } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError, StaleAttemptError } from '../../domain/errors';
import { canonicalJson } from '../../domain/imports/content-fingerprint';
import type { BenchmarkRunSpec } from '../../domain/run-spec';
import type { SweepLevelSummary } from '../../domain/slo-search';
import { type BenchmarkRun, type EndpointKind, Prisma, type RunStatus } from '../../generated/prisma/client';
import { recordAudit } from '../audit/record';
import { storeBenchmarkResult } from '../evidence/store-result';
import { storeSloSweep } from '../evidence/store-sweep';
import { isUniqueViolation } from '../unique-violation';
import { type ReportedLevel, type RunProgress, reportedSummarySchema } from './report';
import type { RunQueue } from './runtime';

/**
 * The benchmark job queue, on the BenchmarkRun table. Runners lease with `FOR UPDATE SKIP LOCKED`
 * (as pg-boss, graphile-worker and River do), so concurrent pollers never get the same run. Every
 * call a runner makes afterwards is fenced on (run, attempt, LEASED): once a lease expires and the
 * run is leased again with a higher attempt, the old runner's heartbeat, report and failure change
 * nothing and get a StaleAttemptError. Times come from the database clock, so API processes with
 * skewed clocks agree on who holds a lease.
 */

/** The database's now, in UTC, matching Prisma's `timestamp(3)` columns (stored without a zone). */
const DATABASE_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

export type AttemptEndKind = 'lease-expired' | 'failed' | 'released' | 'cancelled';

/** One entry of `attemptHistory`: why an attempt ended, oldest first. */
export interface AttemptRecord {
  attempt: number;
  runner: string | null;
  kind: AttemptEndKind;
  reason: string;
  at: string;
}

export const TERMINAL_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export interface CreateRunInput {
  boxSlug: string;
  variantSlug: string;
  endpointKind: EndpointKind;
  spec: BenchmarkRunSpec;
  idempotencyKey: string;
  requestedBy: string;
}

function runSpecHash(
  input: Pick<CreateRunInput, 'boxSlug' | 'variantSlug' | 'endpointKind' | 'spec'>,
): string {
  const identity = {
    box: input.boxSlug,
    variant: input.variantSlug,
    endpointKind: input.endpointKind,
    spec: input.spec,
  };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex');
}

/**
 * Queues a run, idempotently on its key: Slack retries and double clicks send the same key again
 * and get the same run back; the same key with a different request is a conflict. Concurrent
 * identical calls race on the unique index: one insert wins and the others read its row.
 */
export async function createRun(
  queue: RunQueue,
  input: CreateRunInput,
): Promise<{ run: BenchmarkRun; created: boolean }> {
  const { prisma } = queue;
  const specHash = runSpecHash(input);
  const existingRun = async (): Promise<BenchmarkRun | null> => {
    const existing = await prisma.benchmarkRun.findUnique({
      where: { idempotencyKey: input.idempotencyKey },
    });
    if (existing && existing.specHash !== specHash) {
      throw new ConflictError(
        `The idempotency key "${input.idempotencyKey}" was already used for a different run (${existing.id}). ` +
          'Send a new key for a new request.',
      );
    }
    return existing;
  };
  // The common retry case answers without touching the box or variant tables.
  const earlier = await existingRun();
  if (earlier) return { run: earlier, created: false };

  const [box, variant] = await Promise.all([
    prisma.box.findUnique({ where: { slug: input.boxSlug } }),
    prisma.modelVariant.findUnique({ where: { slug: input.variantSlug } }),
  ]);
  if (!box) throw new NotFoundError('box', input.boxSlug, 'List them with { boxes { slug } }.');
  if (!variant)
    throw new NotFoundError('model variant', input.variantSlug, 'List them with { modelVariants { slug } }.');

  try {
    const run = await prisma.$transaction(async (tx) => {
      const created = await tx.benchmarkRun.create({
        data: {
          boxId: box.id,
          variantId: variant.id,
          endpointKind: input.endpointKind,
          spec: input.spec as unknown as Prisma.InputJsonObject,
          specHash,
          idempotencyKey: input.idempotencyKey,
          requestedBy: input.requestedBy,
          maxAttempts: queue.maxAttempts,
        },
      });
      await recordAudit(tx, {
        actor: input.requestedBy,
        action: 'benchmark-run.trigger',
        entityType: 'BenchmarkRun',
        entityId: created.id,
        after: {
          box: input.boxSlug,
          variant: input.variantSlug,
          endpointKind: input.endpointKind,
          spec: input.spec,
        },
      });
      return created;
    });
    await queue.events.publish(run.id);
    return { run, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await existingRun();
    if (!winner) throw error;
    return { run: winner, created: false };
  }
}

interface LeaseCandidate {
  id: string;
  status: RunStatus;
  attempt: number;
  maxAttempts: number;
  leasedBy: string | null;
  leaseExpiresAt: Date | null;
  cancelRequested: boolean;
  attemptHistory: unknown;
}

/** How many candidate rows one lease call locks and inspects at a time. */
const LEASE_BATCH = 10;

/** The stored `attemptHistory` column, oldest first. */
export function historyOf(value: unknown): AttemptRecord[] {
  return Array.isArray(value) ? (value as AttemptRecord[]) : [];
}

function historyEntry(
  attempt: number,
  runner: string | null,
  kind: AttemptEndKind,
  reason: string,
): AttemptRecord {
  return { attempt, runner, kind, reason, at: new Date().toISOString() };
}

type ExpiryOutcome = 'QUEUED' | 'FAILED' | 'CANCELLED';

/**
 * Ends an attempt whose lease expired (its runner stopped heartbeating), on a row the caller has
 * locked: the expiry goes into the history and the run is queued again for the next attempt, or
 * FAILED as "runner lost" once its leases expired `maxAttempts` times, or CANCELLED when a cancel
 * was waiting for that runner. The next lease takes the attempt number up by one, which fences the
 * lost runner should it come back.
 */
async function endExpiredLease(
  tx: Prisma.TransactionClient,
  candidate: LeaseCandidate,
): Promise<ExpiryOutcome> {
  const history = historyOf(candidate.attemptHistory);
  const expiredAt = candidate.leaseExpiresAt?.toISOString() ?? 'unknown';
  const expiry = historyEntry(
    candidate.attempt,
    candidate.leasedBy,
    'lease-expired',
    `lease expired at ${expiredAt}: runner ${candidate.leasedBy ?? '?'} stopped heartbeating`,
  );
  history.push(expiry);
  const expiries = history.filter((entry) => entry.kind === 'lease-expired').length;
  if (candidate.cancelRequested || expiries >= candidate.maxAttempts) {
    const status: ExpiryOutcome = candidate.cancelRequested ? 'CANCELLED' : 'FAILED';
    const reason = candidate.cancelRequested
      ? `cancelled; the runner holding attempt ${candidate.attempt} stopped heartbeating`
      : `runner lost: gave up after ${expiries} expired leases (maxAttempts ${candidate.maxAttempts}); last: ${expiry.reason}`;
    await tx.$executeRaw`
      UPDATE "BenchmarkRun"
      SET "status" = ${status}::"RunStatus", "failureReason" = ${reason}, "finishedAt" = ${DATABASE_NOW},
          "leaseExpiresAt" = NULL, "attemptHistory" = ${JSON.stringify(history)}::jsonb
      WHERE "id" = ${candidate.id}`;
    return status;
  }
  await tx.$executeRaw`
    UPDATE "BenchmarkRun"
    SET "status" = 'QUEUED', "leasedBy" = NULL, "leaseExpiresAt" = NULL, "progress" = NULL,
        "attemptHistory" = ${JSON.stringify(history)}::jsonb
    WHERE "id" = ${candidate.id}`;
  return 'QUEUED';
}

const CANDIDATE_COLUMNS = Prisma.sql`"id", "status", "attempt", "maxAttempts", "leasedBy", "leaseExpiresAt", "cancelRequested", "attemptHistory"`;

/**
 * Leases the oldest queued run of the box, or one whose lease expired and that no sweeper has
 * reclaimed yet (see endExpiredLease). Returns null when there is nothing to do.
 */
export async function leaseNextRun(
  queue: RunQueue,
  boxId: string,
  runnerName: string,
): Promise<BenchmarkRun | null> {
  const { prisma } = queue;
  const changed: string[] = [];
  let leasedId: string | null = null;
  await prisma.$transaction(async (tx) => {
    for (;;) {
      const candidates = await tx.$queryRaw<LeaseCandidate[]>`
        SELECT ${CANDIDATE_COLUMNS}
        FROM "BenchmarkRun"
        WHERE "boxId" = ${boxId}
          AND ("status" = 'QUEUED' OR ("status" = 'LEASED' AND "leaseExpiresAt" < ${DATABASE_NOW}))
        ORDER BY "createdAt", "id"
        LIMIT ${LEASE_BATCH}
        FOR UPDATE SKIP LOCKED`;
      for (const candidate of candidates) {
        if (candidate.status === 'LEASED') {
          changed.push(candidate.id);
          if ((await endExpiredLease(tx, candidate)) !== 'QUEUED') continue;
        }
        await tx.$executeRaw`
          UPDATE "BenchmarkRun"
          SET "status" = 'LEASED', "attempt" = "attempt" + 1, "leasedBy" = ${runnerName},
              "leaseExpiresAt" = ${DATABASE_NOW} + ${queue.leaseSeconds}::int * interval '1 second',
              "heartbeatAt" = ${DATABASE_NOW}, "startedAt" = COALESCE("startedAt", ${DATABASE_NOW}),
              "progress" = NULL
          WHERE "id" = ${candidate.id}`;
        leasedId = candidate.id;
        changed.push(candidate.id);
        return;
      }
      if (candidates.length < LEASE_BATCH) return;
    }
  });
  for (const id of new Set(changed)) await queue.events.publish(id);
  return leasedId === null ? null : prisma.benchmarkRun.findUniqueOrThrow({ where: { id: leasedId } });
}

export interface SweptRun {
  id: string;
  attempt: number;
  status: ExpiryOutcome;
}

/** How many expired leases one sweep transaction reclaims; the next sweep takes the rest. */
const SWEEP_BATCH = 100;

/**
 * Reclaims every expired lease, on any box: a run whose runner died and that no runner of its box
 * polls for again would otherwise show LEASED forever. Every API replica may sweep at once:
 * `FOR UPDATE SKIP LOCKED` hands each expired row to exactly one sweeper (or leaser), and the row
 * it locked no longer matches once that transaction commits.
 */
export async function sweepExpiredLeases(queue: RunQueue): Promise<SweptRun[]> {
  const swept = await queue.prisma.$transaction(async (tx) => {
    const candidates = await tx.$queryRaw<LeaseCandidate[]>`
      SELECT ${CANDIDATE_COLUMNS}
      FROM "BenchmarkRun"
      WHERE "status" = 'LEASED' AND "leaseExpiresAt" < ${DATABASE_NOW}
      ORDER BY "leaseExpiresAt", "id"
      LIMIT ${SWEEP_BATCH}
      FOR UPDATE SKIP LOCKED`;
    const outcomes: SweptRun[] = [];
    for (const candidate of candidates) {
      outcomes.push({
        id: candidate.id,
        attempt: candidate.attempt,
        status: await endExpiredLease(tx, candidate),
      });
    }
    return outcomes;
  });
  for (const run of swept) await queue.events.publish(run.id);
  return swept;
}

/** A one-entry history array built in SQL, naming the runner that held the lease ("leasedBy"). */
function attemptEndSql(attempt: number, kind: AttemptEndKind, reason: string): Prisma.Sql {
  return Prisma.sql`jsonb_build_array(jsonb_build_object(
    'attempt', ${attempt}::int, 'runner', "leasedBy", 'kind', ${kind}::text, 'reason', ${reason}::text,
    'at', ${new Date().toISOString()}::text))`;
}

export interface FencedCall {
  runId: string;
  attempt: number;
  /** The box of the runner's token: a runner acts only on its own box's runs. */
  boxId: string;
}

/** Explains why a fenced update changed no row, as the error the runner gets. */
async function refusal(queue: RunQueue, call: FencedCall, action: string): Promise<Error> {
  const run = await queue.prisma.benchmarkRun.findUnique({
    where: { id: call.runId },
    include: { box: true },
  });
  if (!run) return new NotFoundError('benchmark run', call.runId);
  if (run.boxId !== call.boxId) {
    return new ForbiddenError(
      `Run ${run.id} is for box ${run.box.slug}; this runner token is for another box.`,
    );
  }
  const holder = run.status === 'LEASED' ? `, leased by ${run.leasedBy ?? '?'}` : '';
  return new StaleAttemptError(
    `Cannot ${action} run ${run.id} as attempt ${call.attempt}: the run is ${run.status} at attempt ${run.attempt}${holder}. ` +
      'This attempt is stale; stop working on it.',
  );
}

/**
 * Extends the lease and stores partial progress. Returns whether cancellation was requested, so the
 * runner can abort. An expired lease that nobody has taken over yet is still this attempt's.
 */
export async function heartbeat(
  queue: RunQueue,
  call: FencedCall,
  progress: RunProgress | null,
): Promise<{ cancelRequested: boolean }> {
  const rows = await queue.prisma.$queryRaw<{ cancelRequested: boolean }[]>`
    UPDATE "BenchmarkRun"
    SET "heartbeatAt" = ${DATABASE_NOW},
        "leaseExpiresAt" = ${DATABASE_NOW} + ${queue.leaseSeconds}::int * interval '1 second',
        "progress" = COALESCE(${progress === null ? null : JSON.stringify(progress)}::jsonb, "progress")
    WHERE "id" = ${call.runId} AND "attempt" = ${call.attempt} AND "status" = 'LEASED' AND "boxId" = ${call.boxId}
    RETURNING "cancelRequested"`;
  const row = rows[0];
  if (!row) throw await refusal(queue, call, 'heartbeat');
  await queue.events.publish(call.runId);
  return { cancelRequested: row.cancelRequested };
}

export interface ReportInput extends FencedCall {
  /** Chosen by the runner once per attempt; a retried report sends the same key. */
  reportKey: string;
  levels: ReportedLevel[];
}

export function resultFingerprint(runId: string, reportKey: string, level: number): string {
  return `run:${runId}:${reportKey}:${level}`;
}

/**
 * Stores one result per load level and marks the run SUCCEEDED, in one transaction. A repeated
 * report (the runner retrying after a lost response, or after the API restarted mid-request) finds
 * its own results already stored and is answered as accepted, storing nothing more.
 */
export async function reportResult(
  queue: RunQueue,
  input: ReportInput,
): Promise<{ run: BenchmarkRun; replayed: boolean }> {
  const { prisma } = queue;
  const outcome = await prisma.$transaction(async (tx) => {
    // Serializes a report with a concurrent re-lease, cancel or duplicate report of the same run.
    await tx.$queryRaw`SELECT "id" FROM "BenchmarkRun" WHERE "id" = ${input.runId} FOR UPDATE`;
    const run = await tx.benchmarkRun.findUnique({ where: { id: input.runId }, include: { variant: true } });
    if (!run || run.boxId !== input.boxId || run.attempt !== input.attempt)
      return { kind: 'refused' as const };
    if (run.status === 'SUCCEEDED') {
      const stored = await tx.benchmarkResult.count({
        where: { runId: run.id, fingerprint: { startsWith: `run:${run.id}:${input.reportKey}:` } },
      });
      return stored > 0 ? { kind: 'replayed' as const } : { kind: 'refused' as const };
    }
    if (run.status !== 'LEASED') return { kind: 'refused' as const };

    const spec = run.spec as unknown as Partial<BenchmarkRunSpec>;
    const contextTokens =
      typeof spec.inputTokens === 'number' && typeof spec.outputTokens === 'number'
        ? spec.inputTokens + spec.outputTokens
        : null;
    const measuredAt = new Date();
    const stored: { resultId: string; summary: SweepLevelSummary; serverConfiguration: string | null }[] = [];
    for (const [level, { summary, records }] of input.levels.entries()) {
      const serverConfiguration =
        typeof summary.serverConfiguration === 'string' ? summary.serverConfiguration : null;
      // The shared writer: the same idempotent insert and regression verdict as imported results.
      const { result } = await storeBenchmarkResult(tx, {
        fingerprint: resultFingerprint(run.id, input.reportKey, level),
        boxId: run.boxId,
        variantId: run.variantId,
        runId: run.id,
        source: 'RUNNER',
        sourceTool: 'floorplan-runner',
        summary,
        rawRecords: records ?? null,
        measuredAt,
        quantization: run.variant.quantization,
        bytesPerParam: run.variant.bytesPerParam?.toString() ?? null,
        contextTokens,
        serverConfiguration,
      });
      stored.push({
        resultId: result.id,
        // Parsed again for the defaults of fields older runners did not send.
        summary: reportedSummarySchema.parse(summary) as unknown as SweepLevelSummary,
        serverConfiguration,
      });
    }
    const profile = spec.profile;
    if (profile?.kind === 'slo-search') {
      // One sweep per server configuration, each from its own levels in the order measured.
      const configurations = [...new Set(stored.map((level) => level.serverConfiguration))];
      for (const serverConfiguration of configurations) {
        await storeSloSweep(tx, {
          runId: run.id,
          boxId: run.boxId,
          variantId: run.variantId,
          serverConfiguration,
          slos: profile.slos,
          settings: profile,
          levels: stored.filter((level) => level.serverConfiguration === serverConfiguration),
          measuredAt,
        });
      }
    }
    await tx.$executeRaw`
      UPDATE "BenchmarkRun"
      SET "status" = 'SUCCEEDED', "finishedAt" = ${DATABASE_NOW}, "leaseExpiresAt" = NULL, "failureReason" = NULL
      WHERE "id" = ${run.id}`;
    return { kind: 'stored' as const };
  });
  if (outcome.kind === 'refused') throw await refusal(queue, input, 'report results for');
  if (outcome.kind === 'stored') await queue.events.publish(input.runId);
  return {
    run: await prisma.benchmarkRun.findUniqueOrThrow({ where: { id: input.runId } }),
    replayed: outcome.kind === 'replayed',
  };
}

/**
 * Ends the attempt as failed (bad endpoint, invalid spec, every request failing): the run is
 * FAILED with the reason, or CANCELLED when the runner stopped because cancellation was requested.
 * Failures are not retried: a second attempt against the same endpoint would fail the same way.
 */
export async function failRun(queue: RunQueue, call: FencedCall, reason: string): Promise<BenchmarkRun> {
  const changed = await queue.prisma.$executeRaw`
    UPDATE "BenchmarkRun"
    SET "status" = CASE WHEN "cancelRequested" THEN 'CANCELLED'::"RunStatus" ELSE 'FAILED'::"RunStatus" END,
        "failureReason" = ${reason}, "finishedAt" = ${DATABASE_NOW}, "leaseExpiresAt" = NULL,
        "attemptHistory" = "attemptHistory" || ${attemptEndSql(call.attempt, 'failed', reason)}
    WHERE "id" = ${call.runId} AND "attempt" = ${call.attempt} AND "status" = 'LEASED' AND "boxId" = ${call.boxId}`;
  return afterFencedChange(queue, call, changed, 'fail');
}

/**
 * After an UPDATE fenced on the caller's attempt: refused when it changed nothing (the attempt no
 * longer holds the run), otherwise every subscriber is told and the run returned as it is now.
 */
async function afterFencedChange(
  queue: RunQueue,
  call: FencedCall,
  changed: number,
  verb: Parameters<typeof refusal>[2],
): Promise<BenchmarkRun> {
  if (changed === 0) throw await refusal(queue, call, verb);
  await queue.events.publish(call.runId);
  return queue.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: call.runId } });
}

/**
 * Hands a run back to the queue (the runner is shutting down): it is queued again for the next
 * lease, or cancelled if cancellation was requested meanwhile. A release does not count toward
 * maxAttempts, which only bounds runners that vanish.
 */
export async function releaseRun(queue: RunQueue, call: FencedCall, reason: string): Promise<BenchmarkRun> {
  const changed = await queue.prisma.$executeRaw`
    UPDATE "BenchmarkRun"
    SET "status" = CASE WHEN "cancelRequested" THEN 'CANCELLED'::"RunStatus" ELSE 'QUEUED'::"RunStatus" END,
        "finishedAt" = CASE WHEN "cancelRequested" THEN ${DATABASE_NOW} ELSE NULL END,
        "failureReason" = CASE WHEN "cancelRequested" THEN 'cancelled while the runner was shutting down' ELSE NULL END,
        "leasedBy" = NULL, "leaseExpiresAt" = NULL, "progress" = NULL,
        "attemptHistory" = "attemptHistory" || ${attemptEndSql(call.attempt, 'released', reason)}
    WHERE "id" = ${call.runId} AND "attempt" = ${call.attempt} AND "status" = 'LEASED' AND "boxId" = ${call.boxId}`;
  return afterFencedChange(queue, call, changed, 'release');
}

/** The cancel itself, the run locked: the run before and after (cancelRun audits the two). */
async function cancelLocked(
  tx: Prisma.TransactionClient,
  runId: string,
  actor: string,
): Promise<{ before: BenchmarkRun; after: BenchmarkRun }> {
  const [locked] = await tx.$queryRaw<LeaseCandidate[]>`
      SELECT ${CANDIDATE_COLUMNS} FROM "BenchmarkRun"
      WHERE "id" = ${runId} AND "status" = 'LEASED' AND "leaseExpiresAt" < ${DATABASE_NOW}
      FOR UPDATE`;
  if (locked) {
    // Abandoned: no runner will ever read the flag, so the cancel completes now.
    const before = await tx.benchmarkRun.findUniqueOrThrow({ where: { id: runId } });
    await endExpiredLease(tx, { ...locked, cancelRequested: true });
    const after = await tx.benchmarkRun.update({
      where: { id: runId },
      data: { cancelRequested: true, failureReason: `cancelled by ${actor}; its runner was gone` },
    });
    return { before, after };
  }
  await tx.$queryRaw`SELECT "id" FROM "BenchmarkRun" WHERE "id" = ${runId} FOR UPDATE`;
  const before = await tx.benchmarkRun.findUnique({ where: { id: runId } });
  if (!before)
    throw new NotFoundError(
      'benchmark run',
      runId,
      'List them with { benchmarkRuns { edges { node { id status } } } }.',
    );
  if (TERMINAL_STATUSES.includes(before.status)) {
    throw new ConflictError(
      `Run ${runId} has already finished (${before.status}); there is nothing to cancel.`,
    );
  }
  const after =
    before.status === 'QUEUED'
      ? await tx.benchmarkRun.update({
          where: { id: runId },
          data: {
            status: 'CANCELLED',
            cancelRequested: true,
            finishedAt: new Date(),
            failureReason: `cancelled by ${actor}`,
          },
        })
      : await tx.benchmarkRun.update({ where: { id: runId }, data: { cancelRequested: true } });
  return { before, after };
}

/**
 * Cancels a run: a queued one at once, and so one whose runner is gone (its lease expired); a
 * leased one is flagged, and its runner aborts on its next heartbeat and reports the cancellation
 * (or, if that runner dies, the sweeper completes the cancel when the lease expires). Audited.
 */
export async function cancelRun(queue: RunQueue, runId: string, actor: string): Promise<BenchmarkRun> {
  const run = await queue.prisma.$transaction(async (tx) => {
    const { before, after } = await cancelLocked(tx, runId, actor);
    await recordAudit(tx, {
      actor,
      action: 'benchmark-run.cancel',
      entityType: 'BenchmarkRun',
      entityId: runId,
      before: { status: before.status, cancelRequested: before.cancelRequested },
      after: { status: after.status, cancelRequested: after.cancelRequested },
    });
    return after;
  });
  await queue.events.publish(runId);
  return run;
}
