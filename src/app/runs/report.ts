import { z } from 'zod';

/**
 * What a runner sends back, validated at the API boundary: the runner is another machine, and a
 * half-valid report must be refused whole rather than stored in part.
 */

const loadProfileSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('concurrency'), maxConcurrency: z.int().min(1) }),
  z.strictObject({
    kind: z.literal('rate'),
    requestsPerSecond: z.union([z.number().positive(), z.literal('inf')]),
    burstiness: z.number().positive(),
    maxConcurrency: z.int().min(1).nullable(),
  }),
]);

const distributionSchema = z.looseObject({
  mean: z.number(),
  median: z.number(),
  p50: z.number(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
});

/** The canonical summary (src/domain/metrics/summary.ts); the fields stored in columns are checked. */
export const reportedSummarySchema = z.looseObject({
  profile: loadProfileSchema,
  completed: z.int().min(0),
  failed: z.int().min(0),
  durationS: z.number().min(0),
  outputThroughput: z.number().min(0),
  meanDecodeTokensPerSecond: z.number().min(0).nullable(),
  ttftMs: distributionSchema.nullable(),
  warnings: z.array(z.string()),
});

export const reportedLevelSchema = z.strictObject({
  summary: reportedSummarySchema,
  /** Raw per-request records (start offsets, chunk timings, token counts); absent when too large to send. */
  records: z.array(z.unknown()).nullable().optional(),
});

export const reportedLevelsSchema = z
  .array(reportedLevelSchema)
  .min(1, { error: 'must hold at least one load level' })
  .max(64, { error: 'must hold at most 64 load levels' });

export type ReportedLevel = z.output<typeof reportedLevelSchema>;
export type ReportedSummary = z.output<typeof reportedSummarySchema>;

/** Partial progress a runner sends with each heartbeat (BenchmarkProgress from the load runner). */
export const runProgressSchema = z.looseObject({
  levelIndex: z.int().min(0),
  levelCount: z.int().min(0),
  phase: z.enum(['warmup', 'measure']),
  completed: z.int().min(0),
  failed: z.int().min(0),
  total: z.int().min(0),
  outputTokens: z.int().min(0),
});

export type RunProgress = z.output<typeof runProgressSchema>;
