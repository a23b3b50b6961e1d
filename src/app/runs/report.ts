import { z } from 'zod';

/**
 * What a runner sends back, validated at the API boundary: the runner is another machine, and a
 * half-valid report must be refused whole rather than stored in part.
 */

/** A server configuration's name, as the run spec's serverConfigurations lists them. */
const configurationNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'must be a configuration name' });

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
  std: z.number().nullable().optional(),
  p50: z.number(),
  p90: z.number().nullable().optional(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  p999: z.number().nullable().optional(),
});

/** The canonical summary (src/domain/metrics/summary.ts); the fields stored in columns are checked. */
export const reportedSummarySchema = z.looseObject({
  profile: loadProfileSchema,
  completed: z.int().min(0),
  failed: z.int().min(0),
  durationS: z.number().min(0),
  outputThroughput: z.number().min(0),
  requestThroughput: z.number().min(0).default(0),
  requestGoodput: z.number().min(0).nullable().default(null),
  outputGoodput: z.number().min(0).nullable().optional(),
  meanDecodeTokensPerSecond: z.number().min(0).nullable(),
  ttftMs: distributionSchema.nullable(),
  tpotMs: distributionSchema.nullable().default(null),
  itlMs: distributionSchema.nullable().default(null),
  e2elMs: distributionSchema.nullable().default(null),
  stoppedEarly: z.boolean().optional(),
  serverConfiguration: configurationNameSchema.nullable().optional(),
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

/** As a caller may build it; the API fills the defaults when it parses. */
export type ReportedLevel = z.input<typeof reportedLevelSchema>;
export type ReportedSummary = z.output<typeof reportedSummarySchema>;

/** Partial progress a runner sends with each heartbeat (BenchmarkProgress from the load runner). */
export const runProgressSchema = z.strictObject({
  levelIndex: z.int().min(0),
  levelCount: z.int().min(0),
  phase: z.enum(['WARMUP', 'MEASURE']),
  completed: z.int().min(0),
  failed: z.int().min(0),
  total: z.int().min(0),
  outputTokens: z.int().min(0),
  searchPhase: z.enum(['CLIMB', 'BISECT']).nullish(),
  searchSteps: z
    .array(z.strictObject({ concurrency: z.int().min(1), meetsSlo: z.boolean() }))
    .max(1000)
    .nullish(),
  serverConfiguration: configurationNameSchema.nullish(),
});

export type RunProgress = z.output<typeof runProgressSchema>;

/**
 * The stored `progress` column as the API shows it. Progress stored before the phase was an enum
 * said `warmup`/`measure` and carried the level's profile; those read as the same progress.
 */
const storedProgressSchema = z
  .looseObject({
    ...runProgressSchema.shape,
    phase: z
      .string()
      .transform((phase): RunProgress['phase'] => (phase.toUpperCase() === 'WARMUP' ? 'WARMUP' : 'MEASURE')),
  })
  .transform(({ levelIndex, levelCount, phase, completed, failed, total, outputTokens, ...rest }) => ({
    levelIndex,
    levelCount,
    phase,
    completed,
    failed,
    total,
    outputTokens,
    searchPhase: rest.searchPhase ?? null,
    searchSteps: rest.searchSteps ?? null,
    serverConfiguration: rest.serverConfiguration ?? null,
  }));

export function storedProgressOf(value: unknown): RunProgress | null {
  const parsed = storedProgressSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
