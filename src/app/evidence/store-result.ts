import type Decimal from 'decimal.js';
import { ConflictError } from '../../domain/errors';
import type { LoadProfile } from '../../domain/metrics/summary';
import type { RegressionPolicy } from '../../domain/regression';
import type { BenchmarkResult, Prisma, ResultSource } from '../../generated/prisma/client';
import { recordEvidenceChange } from '../decisions/watch';
import { concurrencyOf, profileKeyOf } from './profile-key';
import { assessAgainstHistory, type StoredRegression } from './regression-history';

/**
 * The fields of a canonical summary (src/domain/metrics/summary.ts) the result's columns are filled
 * from. A full BenchmarkSummary fits, and so does the runner's validated report summary.
 */
export interface StorableSummary {
  profile: LoadProfile;
  outputThroughput: number;
  /** 1000 / mean TPOT. */
  meanDecodeTokensPerSecond: number | null;
  ttftMs: { p95: number | null; p99: number | null } | null;
}

export interface StoreBenchmarkResultInput {
  /** Stable identity: a file fingerprint, or the runner's `run:<id>:<reportKey>:<level>`. */
  fingerprint: string;
  boxId: string | null;
  pathId?: string | null;
  variantId: string;
  runId?: string | null;
  source: ResultSource;
  /** e.g. `vllm-bench-serve`, `guidellm 0.7.1`, `floorplan-runner`. */
  sourceTool: string;
  summary: StorableSummary;
  /** Anything kept beside the summary (import mapping, extra metrics); merged into the summary JSON. */
  summaryExtras?: Record<string, unknown>;
  /** Per-request records, when the writer has them: stored apart in BenchmarkRawData. */
  rawRecords?: readonly unknown[] | null;
  measuredAt: Date;
  quantization?: string | null;
  bytesPerParam?: Decimal | string | null;
  contextTokens?: number | null;
  isEstimate?: boolean;
  note?: string | null;
  /** The named server configuration the result ran under (runner-launched servers). */
  serverConfiguration?: string | null;
  regressionPolicy?: Partial<RegressionPolicy>;
}

export interface StoreBenchmarkResultOutcome {
  result: BenchmarkResult;
  /** True when a result with this fingerprint was already stored: nothing was written. */
  alreadyStored: boolean;
}

/** The same fingerprint arriving for another box or variant: one of the two is labelled wrongly. */
export class FingerprintConflictError extends ConflictError {
  override readonly name = 'FingerprintConflictError';
  constructor(
    readonly fingerprint: string,
    readonly existingResultId: string,
  ) {
    super(
      `result ${fingerprint.slice(0, 16)}… is already stored (id ${existingResultId}) for another box or model variant; ` +
        'the same measurement cannot belong to two. Delete the wrong one before importing it again.',
    );
  }
}

/**
 * The one way a benchmark result enters the database (imports, the runner's report, anything
 * later). Idempotent on the fingerprint without an upsert: a result already stored is returned as
 * it is (never overwritten, so its regression verdict stays the one computed against the history
 * of its time). A new one gets its columns filled from the summary, its raw records stored apart,
 * and its regression verdict computed against the history of the same box, variant and profile.
 *
 * Runs inside the caller's transaction, so a batch of results lands together or not at all.
 */
export async function storeBenchmarkResult(
  tx: Prisma.TransactionClient,
  input: StoreBenchmarkResultInput,
): Promise<StoreBenchmarkResultOutcome> {
  const existing = await tx.benchmarkResult.findUnique({ where: { fingerprint: input.fingerprint } });
  if (existing) return { result: sameSubjectOrThrow(existing, input), alreadyStored: true };

  const { summary } = input;
  const profileKey = profileKeyOf(summary.profile);
  const quantization = input.quantization ?? null;
  const columns = {
    decodeTokensPerSecond: finiteOrNull(summary.meanDecodeTokensPerSecond),
    outputTokensPerSecond: finiteOrNull(summary.outputThroughput),
    ttftP95Ms: finiteOrNull(summary.ttftMs?.p95 ?? null),
    ttftP99Ms: finiteOrNull(summary.ttftMs?.p99 ?? null),
  };
  const regression: StoredRegression = await assessAgainstHistory(
    tx,
    {
      boxId: input.boxId,
      pathId: input.pathId ?? null,
      variantId: input.variantId,
      profileKey,
      quantization,
      measuredAt: input.measuredAt,
      values: { decodeTokensPerSecond: columns.decodeTokensPerSecond, ttftP99Ms: columns.ttftP99Ms },
    },
    input.regressionPolicy,
  );

  // ON CONFLICT DO NOTHING: a concurrent writer of the same fingerprint does not abort this
  // transaction (a unique violation would, on PostgreSQL); the loser reads the winner's row.
  const [created] = await tx.benchmarkResult.createManyAndReturn({
    skipDuplicates: true,
    data: [
      {
        fingerprint: input.fingerprint,
        boxId: input.boxId,
        pathId: input.pathId ?? null,
        variantId: input.variantId,
        runId: input.runId ?? null,
        source: input.source,
        sourceTool: input.sourceTool,
        profileKey,
        concurrency: concurrencyOf(summary.profile),
        quantization,
        bytesPerParam: input.bytesPerParam ?? null,
        contextTokens: input.contextTokens ?? null,
        ...columns,
        summary: toJsonValue({ ...summary, ...input.summaryExtras }),
        regression: toJsonValue(regression),
        isEstimate: input.isEstimate ?? false,
        note: input.note ?? null,
        serverConfiguration: input.serverConfiguration ?? null,
        measuredAt: input.measuredAt,
      },
    ],
  });
  if (!created) {
    const winner = await tx.benchmarkResult.findUniqueOrThrow({ where: { fingerprint: input.fingerprint } });
    return { result: sameSubjectOrThrow(winner, input), alreadyStored: true };
  }
  if (input.rawRecords && input.rawRecords.length > 0)
    await storeRawRecords(tx, created.id, input.rawRecords);
  // Watched decisions re-check themselves when a new measurement arrives (app/decisions/watch.ts).
  await recordEvidenceChange(tx, {
    kind: 'BENCHMARK_RESULT',
    subjectId: created.id,
    summary: `benchmark result ${created.id} (${profileKey}${created.decodeTokensPerSecond === null ? '' : `, ${created.decodeTokensPerSecond} tok/s decode`})`,
  });
  return { result: created, alreadyStored: false };
}

/** Up to this many records go in one Prisma create; more go in pieces (storeRawRecords). */
export const RAW_RECORDS_PER_CHUNK = 500;
/**
 * JSON text per piece. Small enough that each piece, and every copy of it on the way to the
 * database, is a short-lived young-generation object rather than a large one that stays until the
 * next full collection (V8 allocates objects over 128 KB apart).
 */
const RAW_CHUNK_CHARACTERS = 60_000;

/**
 * Stores the per-request records as one JSON array in BenchmarkRawData. Up to RAW_RECORDS_PER_CHUNK
 * records go in one Prisma create. More (a `--save-detailed` file of tens of megabytes) would have
 * Prisma hold the array, its JSON text and its own copies at once (hundreds of MB), so the JSON text
 * goes in pieces of about RAW_CHUNK_CHARACTERS into a temporary table of this transaction, and the
 * database joins them into the row's array itself: the same JSON value, element for element, in
 * the same order (each element's text made as JSON.stringify of the whole array makes it, read by
 * the same jsonb input). Inside the caller's transaction, so a failure leaves neither the row nor
 * the pieces.
 */
async function storeRawRecords(
  tx: Prisma.TransactionClient,
  resultId: string,
  records: readonly unknown[],
): Promise<void> {
  if (records.length <= RAW_RECORDS_PER_CHUNK) {
    await tx.benchmarkRawData.create({
      data: { resultId, records: toJsonValue([...records]) as Prisma.InputJsonArray },
    });
    return;
  }
  const { id } = await tx.benchmarkRawData.create({ data: { resultId, records: [] }, select: { id: true } });
  await tx.$executeRaw`CREATE TEMPORARY TABLE IF NOT EXISTS floorplan_raw_record_chunks (position integer PRIMARY KEY, chunk jsonb NOT NULL) ON COMMIT DROP`;
  let position = 0;
  let elements: string[] = [];
  let characters = 0;
  const send = async () => {
    const chunk = `[${elements.join(',')}]`;
    elements = [];
    characters = 0;
    await tx.$executeRaw`INSERT INTO floorplan_raw_record_chunks (position, chunk) VALUES (${position++}, ${chunk}::jsonb)`;
  };
  for (const record of records) {
    // In an array JSON.stringify writes `null` for what it would leave out on its own (undefined).
    const text = jsonText(record) ?? 'null';
    if (elements.length > 0 && characters + text.length > RAW_CHUNK_CHARACTERS) await send();
    elements.push(text);
    characters += text.length + 1;
  }
  if (elements.length > 0) await send();
  await tx.$executeRaw`
    UPDATE "BenchmarkRawData"
    SET records = (
      SELECT jsonb_agg(element ORDER BY chunks.position, elements.ordinality)
      FROM floorplan_raw_record_chunks AS chunks
      CROSS JOIN LATERAL jsonb_array_elements(chunks.chunk) WITH ORDINALITY AS elements(element, ordinality)
    )
    WHERE id = ${id}`;
  // Another result of the same transaction starts from an empty table.
  await tx.$executeRaw`DROP TABLE floorplan_raw_record_chunks`;
}

function sameSubjectOrThrow(existing: BenchmarkResult, input: StoreBenchmarkResultInput): BenchmarkResult {
  if (existing.boxId !== input.boxId || existing.variantId !== input.variantId) {
    throw new FingerprintConflictError(input.fingerprint, existing.id);
  }
  return existing;
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/**
 * JSON columns take JSON: NaN and ±Infinity (an all-failed vLLM run writes NaN) become null, Dates
 * ISO strings, Decimals their exact strings.
 */
function toJsonValue(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(jsonText(value) as string) as Prisma.InputJsonValue;
}

/** JSON text with NaN and ±Infinity as null; undefined for what JSON.stringify leaves out. */
function jsonText(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, entry: unknown) =>
    typeof entry === 'number' && !Number.isFinite(entry) ? null : entry,
  );
}
