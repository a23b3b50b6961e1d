import { z } from 'zod';

/**
 * The run spec: what to measure, independent of where the endpoint lives (the runner agent knows
 * its box's endpoint URL). The job queue stores specs in this shape and the runner executes them,
 * so unknown keys are refused rather than ignored: a misspelt field must not silently fall back to
 * a default and measure something else.
 */

const positiveInteger = (max: number) =>
  z
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(max, {
      error: `must be at most ${max}`,
    });

const positiveMilliseconds = z.number({ error: 'must be a number of milliseconds' }).positive({
  error: 'must be greater than 0',
});

const MAX_CONCURRENCY = 10_000;

const concurrencyProfileSchema = z.strictObject({
  kind: z.literal('concurrency'),
  /** One result per level, e.g. [1, 8, 32]. */
  levels: z
    .array(positiveInteger(MAX_CONCURRENCY))
    .min(1, { error: 'must list at least one concurrency level' })
    .max(64, { error: 'must list at most 64 levels' }),
});

const requestRateSchema = z.union([
  z.number().positive({ error: 'must be greater than 0 requests per second' }).max(1_000_000),
  z.literal('inf'),
]);

const rateProfileSchema = z.strictObject({
  kind: z.literal('rate'),
  requestsPerSecond: requestRateSchema,
  /** Gamma shape of the gaps: 1 is Poisson, below 1 burstier, above 1 more regular. */
  burstiness: z.number().positive({ error: 'must be greater than 0' }).max(1000).default(1),
  maxConcurrency: positiveInteger(MAX_CONCURRENCY).nullable().default(null),
});

const sweepProfileSchema = z.strictObject({
  kind: z.literal('sweep'),
  /** Rates measured between the synchronous and the maximum throughput. */
  intermediateRates: positiveInteger(32).default(4),
  burstiness: z.number().positive({ error: 'must be greater than 0' }).max(1000).default(1),
  maxConcurrency: positiveInteger(MAX_CONCURRENCY).nullable().default(null),
});

const sloLimit = positiveMilliseconds.max(86_400_000, { error: 'must be at most a day' }).optional();

/** Latency objectives on a level's statistics (SloTargets in slo-search.ts); at least one. */
const sloTargetsSchema = z
  .strictObject({
    ttftP95Ms: sloLimit,
    ttftP99Ms: sloLimit,
    tpotMeanMs: sloLimit,
    tpotP99Ms: sloLimit,
    itlP99Ms: sloLimit,
    e2elP99Ms: sloLimit,
  })
  .refine((slos) => Object.values(slos).some((limit) => limit !== undefined), {
    error:
      'must give at least one objective (ttftP95Ms, ttftP99Ms, tpotMeanMs, tpotP99Ms, itlP99Ms, e2elP99Ms)',
  });

const sloSearchProfileSchema = z
  .strictObject({
    kind: z.literal('slo-search'),
    slos: sloTargetsSchema,
    /** First concurrency measured. */
    startConcurrency: positiveInteger(MAX_CONCURRENCY).default(1),
    /** Multiplier between climbing levels. */
    growthFactor: z
      .number({ error: 'must be a number' })
      .min(1.1, { error: 'must be at least 1.1' })
      .max(16, { error: 'must be at most 16' })
      .default(2),
    /** Highest concurrency tried. */
    maxConcurrency: positiveInteger(MAX_CONCURRENCY).default(256),
    /** Bisection stops when the passing and failing levels are this many streams apart (1 = exact). */
    precision: positiveInteger(MAX_CONCURRENCY).default(1),
    /** Stop a level as soon as it is certain to miss an objective (saves requests on overloaded levels). */
    stopEarly: z.boolean().default(true),
  })
  .refine((profile) => profile.startConcurrency <= profile.maxConcurrency, {
    error: 'startConcurrency must not exceed maxConcurrency',
    path: ['startConcurrency'],
  });

const datasetSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('synthetic') }),
    z.strictObject({
      kind: z.literal('jsonl'),
      /** A JSONL file on the runner's machine, one object with a prompt string per line. */
      path: z.string({ error: 'must name a file' }).min(1, { error: 'must name a file' }),
      promptField: z.string().min(1).default('prompt'),
    }),
  ],
  { error: 'must be "synthetic" or "jsonl"' },
);

export const benchmarkRunSpecSchema = z.strictObject({
  endpointKind: z.enum(['completions', 'chat'], { error: 'must be "completions" or "chat"' }),
  model: z.string({ error: 'must be the served model name' }).trim().min(1, { error: 'must not be empty' }),
  profile: z.discriminatedUnion(
    'kind',
    [concurrencyProfileSchema, rateProfileSchema, sweepProfileSchema, sloSearchProfileSchema],
    { error: 'must be "concurrency", "rate", "sweep" or "slo-search"' },
  ),
  /**
   * Named server configurations (launch commands the box's runner knows) to measure one after the
   * other: the runner starts each, waits until it is healthy, runs the profile, and stops it. Empty:
   * measure the server already running at the runner's endpoint.
   */
  serverConfigurations: z
    .array(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
        error: 'must be a configuration name (letters, digits, . _ -; at most 64)',
      }),
    )
    .max(16, { error: 'must list at most 16 configurations' })
    .refine((names) => new Set(names).size === names.length, { error: 'must not name a configuration twice' })
    .default([]),
  numPrompts: positiveInteger(1_000_000),
  /** Target prompt length in tokens (synthetic prompts). */
  inputTokens: positiveInteger(2_000_000),
  /** Per-request cap on output tokens (max_tokens). */
  outputTokens: positiveInteger(2_000_000),
  dataset: datasetSchema.default({ kind: 'synthetic' }),
  /** Requests sent before each measured level and left out of its statistics (vLLM sends one). */
  warmupRequests: z
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 or more' })
    .max(10_000)
    .default(1),
  ignoreEos: z.boolean().default(true),
  seed: z
    .int({ error: 'must be a whole number' })
    .min(0)
    .max(2 ** 32 - 1)
    .default(0),
  slos: z
    .strictObject({
      ttftMs: positiveMilliseconds.optional(),
      tpotMs: positiveMilliseconds.optional(),
      e2elMs: positiveMilliseconds.optional(),
    })
    .default({}),
  /**
   * A request with no byte for this long, before its first chunk or between chunks, fails (servers
   * that accept and never answer). vLLM answers with headers at once and streams every step, so a
   * quarter of a minute of silence is a dead server, not a slow one.
   */
  idleTimeoutS: z.number().positive({ error: 'must be greater than 0' }).max(86_400).default(15),
  requestTimeoutS: z.number().positive({ error: 'must be greater than 0' }).max(86_400).default(3600),
});

export type BenchmarkRunSpec = z.output<typeof benchmarkRunSpecSchema>;
export type BenchmarkRunSpecInput = z.input<typeof benchmarkRunSpecSchema>;

export type ParsedRunSpec = { success: true; spec: BenchmarkRunSpec } | { success: false; errors: string[] };

/** Validates a spec; each error names its field, e.g. `profile.levels[1]: must be at least 1`. */
export function parseBenchmarkRunSpec(input: unknown): ParsedRunSpec {
  const result = benchmarkRunSpecSchema.safeParse(input);
  if (result.success) return { success: true, spec: result.data };
  return { success: false, errors: result.error.issues.map(describeIssue) };
}

/**
 * A spec as stored on a run, with the defaults of fields added since filled in. Every stored spec
 * passed this schema when it was queued, so a failure here is a schema change that needs a migration.
 */
export function storedRunSpecOf(value: unknown): BenchmarkRunSpec {
  const parsed = parseBenchmarkRunSpec(value);
  if (parsed.success) return parsed.spec;
  throw new Error(`A stored run spec no longer validates: ${parsed.errors.join('; ')}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const where = path === '' ? 'run spec' : path;
    return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  }
  return `${path === '' ? 'run spec' : path}: ${issue.message}`;
}

function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
