import { z } from 'zod';
import type { BenchmarkSummary, DistributionStats, LoadProfile } from '../metrics/summary';
import { formatJsonPath, ImportError } from './import-error';
import type { ImportedBenchmarkResult, ImportedRequestRecord } from './imported-result';
import { validateOrThrow } from './schema-validation';

/**
 * GuideLLM benchmark reports (JSON or YAML), one result per benchmark. Layouts by version:
 * v0.3 `{benchmarks}`, v0.4 `{args, benchmarks}`, v0.5–0.6 `{metadata: {version: 1}, args,
 * benchmarks}`, v0.7 `{metadata: {version: 2}, config, benchmarks}`.
 *
 * Name mapping (GuideLLM's words mean different things, see MEASUREMENT.md):
 * - GuideLLM "ITL" = (last token − first token) / (N − 1) = our TPOT.
 * - GuideLLM "TPOT" = (last token − start) / N includes TTFT: kept only as an extra metric.
 * - GuideLLM records no per-message gaps, so our ITL stays empty.
 * - `request_latency` is seconds; our E2EL is milliseconds.
 */

/**
 * GuideLLM's "constant" strategy spaces requests evenly: the limit of gamma-distributed gaps as the
 * shape (vLLM's burstiness) grows. A finite stand-in keeps the profile storable as JSON and distinct
 * from Poisson (burstiness 1); at this shape the gaps' coefficient of variation is 0.1%.
 */
export const UNIFORM_ARRIVALS_BURSTINESS = 1_000_000;

const count = z.number().int().nonnegative();
const nonNegative = z.number().nonnegative();

function distributionSummary(value: z.ZodNumber) {
  return z.looseObject({
    mean: value,
    median: value,
    std_dev: nonNegative.optional(),
    count: count.optional(),
    total_sum: value.optional(),
    percentiles: z
      .looseObject({
        p50: value.optional(),
        p90: value.optional(),
        p95: value.optional(),
        p99: value.optional(),
        p999: value.optional(),
      })
      .optional(),
  });
}

function statusDistribution(value: z.ZodNumber) {
  const summary = distributionSummary(value).nullable().optional();
  return z.looseObject({ successful: summary, errored: summary, incomplete: summary, total: summary });
}

type GuideLlmDistribution = z.output<ReturnType<typeof distributionSummary>>;

const statusCounts = z.looseObject({
  successful: count,
  errored: count.optional(),
  incomplete: count.optional(),
  total: count.optional(),
});

const strategySchema = z.looseObject({
  type_: z.string(),
  streams: z.number().int().positive().optional(),
  rate: z.number().positive().optional(),
  max_concurrency: z.number().int().positive().nullable().optional(),
});

const optionalNumber = z.number().nullable().optional();
const requestStatsSchema = z.looseObject({
  prompt_tokens: count.nullable().optional(),
  output_tokens: count.nullable().optional(),
  request_latency: nonNegative.nullable().optional(),
  time_to_first_token_ms: nonNegative.nullable().optional(),
  inter_token_latency_ms: nonNegative.nullable().optional(),
  start_time: optionalNumber,
  request_start_time: optionalNumber,
  error: z.string().nullable().optional(),
});

const benchmarkSchema = z.looseObject({
  start_time: optionalNumber,
  end_time: optionalNumber,
  duration: z.number().positive().optional(),
  config: z.looseObject({ strategy: strategySchema.optional(), backend: z.unknown().optional() }).optional(),
  args: z.looseObject({ strategy: strategySchema.optional() }).optional(),
  worker: z.looseObject({ backend_model: z.string().nullable().optional() }).optional(),
  request_totals: statusCounts.optional(),
  run_stats: z.looseObject({ requests_made: statusCounts.optional() }).optional(),
  scheduler_metrics: z.looseObject({ requests_made: statusCounts.optional() }).optional(),
  metrics: z.looseObject({
    request_totals: statusCounts.optional(),
    time_to_first_token_ms: statusDistribution(nonNegative),
    inter_token_latency_ms: statusDistribution(nonNegative),
    request_latency: statusDistribution(nonNegative),
    prompt_token_count: statusDistribution(nonNegative),
    output_token_count: statusDistribution(nonNegative),
    time_per_output_token_ms: statusDistribution(nonNegative).optional(),
    requests_per_second: statusDistribution(nonNegative).optional(),
    output_tokens_per_second: statusDistribution(nonNegative).optional(),
    tokens_per_second: statusDistribution(nonNegative).optional(),
    request_concurrency: statusDistribution(nonNegative).optional(),
  }),
  requests: z
    .looseObject({
      successful: z.array(requestStatsSchema).nullable().optional(),
      errored: z.array(requestStatsSchema).nullable().optional(),
      incomplete: z.array(requestStatsSchema).nullable().optional(),
    })
    .nullable()
    .optional(),
});

type GuideLlmBenchmark = z.output<typeof benchmarkSchema>;

const modelHolder = z.looseObject({ model: z.string().nullable().optional() });
const reportSchema = z.looseObject({
  metadata: z.looseObject({ version: z.number().int(), guidellm_version: z.string().optional() }).optional(),
  args: modelHolder.optional(),
  config: modelHolder.optional(),
  benchmarks: z.array(z.unknown()).min(1),
});

const MAPPED_METRIC_KEYS = [
  'request_totals',
  'time_to_first_token_ms',
  'inter_token_latency_ms',
  'request_latency',
  'prompt_token_count',
  'output_token_count',
];
const EXTRA_METRIC_KEYS = [
  'time_per_output_token_ms',
  'requests_per_second',
  'output_tokens_per_second',
  'tokens_per_second',
  'request_concurrency',
];
const MAPPED_BENCHMARK_KEYS = [
  'start_time',
  'end_time',
  'duration',
  'config',
  'args',
  'worker',
  'request_totals',
  'run_stats',
  'scheduler_metrics',
  'requests',
];

export function looksLikeGuideLlmReport(document: Record<string, unknown>): boolean {
  return Array.isArray(document.benchmarks);
}

export function parseGuideLlmReport(
  fileName: string,
  document: Record<string, unknown>,
  fingerprintOf: (index: number) => string,
): ImportedBenchmarkResult[] {
  const report = validateOrThrow(fileName, reportSchema, document);
  const reportFormat = reportFormatOf(fileName, report);
  const reportModel =
    (reportFormat === 'guidellm-report-v0.7' ? report.config?.model : report.args?.model) ?? null;

  return report.benchmarks.map((rawBenchmark, index) => {
    const pathPrefix = ['benchmarks', index];
    const benchmark = validateOrThrow(fileName, benchmarkSchema, rawBenchmark, pathPrefix);
    const converted = convertBenchmark(
      fileName,
      benchmark,
      rawBenchmark as Record<string, unknown>,
      pathPrefix,
    );
    return {
      index,
      fingerprint: fingerprintOf(index),
      contentFingerprint: fingerprintOf(index),
      sourceTool: 'guidellm',
      sourceToolVersion: report.metadata?.guidellm_version ?? null,
      reportFormat,
      modelId: reportModel ?? benchmarkModel(benchmark),
      ...converted,
    } satisfies ImportedBenchmarkResult;
  });
}

function reportFormatOf(fileName: string, report: z.output<typeof reportSchema>): string {
  if (report.metadata === undefined)
    return report.args === undefined ? 'guidellm-report-v0.3' : 'guidellm-report-v0.4';
  if (report.metadata.version === 1) return 'guidellm-report-v0.5';
  if (report.metadata.version === 2) return 'guidellm-report-v0.7';
  throw new ImportError(
    fileName,
    'metadata.version',
    `expected report metadata version 1 (GuideLLM 0.5–0.6) or 2 (0.7), got ${report.metadata.version}`,
  );
}

function benchmarkModel(benchmark: GuideLlmBenchmark): string | null {
  const backend = benchmark.config?.backend;
  if (
    backend !== null &&
    typeof backend === 'object' &&
    typeof (backend as { model?: unknown }).model === 'string'
  ) {
    return (backend as { model: string }).model;
  }
  return benchmark.worker?.backend_model ?? null;
}

function convertBenchmark(
  fileName: string,
  benchmark: GuideLlmBenchmark,
  rawBenchmark: Record<string, unknown>,
  pathPrefix: PropertyKey[],
): Pick<
  ImportedBenchmarkResult,
  'startedAt' | 'summary' | 'extraMetrics' | 'sourceMetadata' | 'mapping' | 'requests'
> {
  const warnings: string[] = [];
  const derivedFields: string[] = [];
  const extraMetrics: Record<string, number> = {};
  const metrics = benchmark.metrics;

  const durationS = durationOf(fileName, benchmark, pathPrefix, derivedFields);
  const totals = metrics.request_totals ??
    benchmark.request_totals ??
    benchmark.scheduler_metrics?.requests_made ??
    benchmark.run_stats?.requests_made ?? {
      successful: metrics.request_latency.successful?.count ?? 0,
      errored: metrics.request_latency.errored?.count ?? 0,
      incomplete: metrics.request_latency.incomplete?.count ?? 0,
    };
  const incomplete = totals.incomplete ?? 0;
  if (incomplete > 0) {
    extraMetrics['guidellm.incomplete_requests'] = incomplete;
    warnings.push(
      `${incomplete} requests were cut off at the end of the benchmark (GuideLLM "incomplete"); not counted as failed`,
    );
  }

  const totalInputTokens = tokenTotal(metrics.prompt_token_count.successful);
  const totalOutputTokens = tokenTotal(metrics.output_token_count.successful);
  derivedFields.push(
    'requestThroughput (successful requests / duration)',
    'outputThroughput (successful output tokens / duration)',
    'totalTokenThroughput (successful input+output tokens / duration)',
  );

  const tpot = statsOf(metrics.inter_token_latency_ms.successful, 1);
  const e2el = statsOf(metrics.request_latency.successful, 1000);
  warnings.push(
    'GuideLLM records no per-message gaps: ITL is empty; its "ITL" is our TPOT and its "TPOT" (which includes TTFT) is kept as an extra',
    'imported from GuideLLM: token counts come from server usage when present, else from its own tokenizer; the report does not say which',
  );
  collectExtras(metrics, extraMetrics);

  const summary: BenchmarkSummary = {
    profile: loadProfileOf(fileName, benchmark, pathPrefix, warnings),
    completed: totals.successful,
    failed: totals.errored ?? 0,
    durationS,
    totalInputTokens,
    totalOutputTokens,
    requestThroughput: totals.successful / durationS,
    outputThroughput: totalOutputTokens / durationS,
    totalTokenThroughput: (totalInputTokens + totalOutputTokens) / durationS,
    requestGoodput: null,
    meanDecodeTokensPerSecond: tpot !== null && tpot.mean > 0 ? 1000 / tpot.mean : null,
    ttftMs: statsOf(metrics.time_to_first_token_ms.successful, 1),
    tpotMs: tpot,
    itlMs: null,
    e2elMs: e2el,
    serverTokenCounts: false,
    warnings,
  };

  const metricKeys = Object.keys((rawBenchmark.metrics ?? {}) as Record<string, unknown>);
  const benchmarkKeys = Object.keys(rawBenchmark).filter((key) => key !== 'metrics');
  const mapping = {
    mappedKeys: [
      ...benchmarkKeys.filter((key) => MAPPED_BENCHMARK_KEYS.includes(key)),
      ...metricKeys.filter((key) => MAPPED_METRIC_KEYS.includes(key)).map((key) => `metrics.${key}`),
    ],
    derivedFields,
    keptAsExtraKeys: metricKeys
      .filter((key) => EXTRA_METRIC_KEYS.includes(key))
      .map((key) => `metrics.${key}`),
    ignoredKeys: [
      ...benchmarkKeys.filter((key) => !MAPPED_BENCHMARK_KEYS.includes(key)),
      ...metricKeys
        .filter((key) => !MAPPED_METRIC_KEYS.includes(key) && !EXTRA_METRIC_KEYS.includes(key))
        .map((key) => `metrics.${key}`),
    ],
  };

  const startTime = benchmark.start_time;
  return {
    startedAt: startTime != null && startTime > 0 ? new Date(startTime * 1000) : null,
    summary,
    extraMetrics,
    sourceMetadata: { strategy: strategyOf(benchmark)?.type_ ?? null },
    mapping,
    requests: requestsOf(benchmark),
  };
}

function durationOf(
  fileName: string,
  benchmark: GuideLlmBenchmark,
  pathPrefix: PropertyKey[],
  derivedFields: string[],
): number {
  if (benchmark.duration !== undefined) return benchmark.duration;
  if (benchmark.start_time != null && benchmark.end_time != null) {
    const duration = benchmark.end_time - benchmark.start_time;
    if (duration > 0) {
      derivedFields.push('durationS (end_time − start_time)');
      return duration;
    }
    throw new ImportError(
      fileName,
      formatJsonPath([...pathPrefix, 'end_time']),
      `expected end_time after start_time, got a duration of ${duration} s`,
    );
  }
  throw new ImportError(
    fileName,
    formatJsonPath([...pathPrefix, 'duration']),
    'expected a duration in seconds > 0',
  );
}

function tokenTotal(distribution: GuideLlmDistribution | null | undefined): number {
  if (distribution == null) return 0;
  return Math.round(distribution.total_sum ?? distribution.mean * (distribution.count ?? 0));
}

/** A distribution over zero requests is reported by GuideLLM as zeros; that is "not measured". */
function statsOf(
  distribution: GuideLlmDistribution | null | undefined,
  scale: number,
): DistributionStats | null {
  if (distribution == null || distribution.count === 0) return null;
  const percentiles = distribution.percentiles ?? {};
  const scaled = (value: number | undefined) => (value === undefined ? null : value * scale);
  return {
    mean: distribution.mean * scale,
    median: distribution.median * scale,
    std: scaled(distribution.std_dev),
    p50: scaled(percentiles.p50) ?? distribution.median * scale,
    p90: scaled(percentiles.p90),
    p95: scaled(percentiles.p95),
    p99: scaled(percentiles.p99),
    p999: scaled(percentiles.p999),
  };
}

function collectExtras(metrics: GuideLlmBenchmark['metrics'], extraMetrics: Record<string, number>): void {
  const tpotIncludingTtft = metrics.time_per_output_token_ms?.successful;
  if (tpotIncludingTtft != null && tpotIncludingTtft.count !== 0) {
    extraMetrics['guidellm.tpot_including_ttft_ms.mean'] = tpotIncludingTtft.mean;
    extraMetrics['guidellm.tpot_including_ttft_ms.median'] = tpotIncludingTtft.median;
    const p99 = tpotIncludingTtft.percentiles?.p99;
    if (p99 !== undefined) extraMetrics['guidellm.tpot_including_ttft_ms.p99'] = p99;
  }
  for (const key of [
    'requests_per_second',
    'output_tokens_per_second',
    'tokens_per_second',
    'request_concurrency',
  ] as const) {
    const mean = metrics[key]?.successful?.mean;
    if (mean !== undefined) extraMetrics[`guidellm.${key}.mean`] = mean;
  }
}

function strategyOf(benchmark: GuideLlmBenchmark): z.output<typeof strategySchema> | undefined {
  return benchmark.config?.strategy ?? benchmark.args?.strategy;
}

function loadProfileOf(
  fileName: string,
  benchmark: GuideLlmBenchmark,
  pathPrefix: PropertyKey[],
  warnings: string[],
): LoadProfile {
  const strategy = strategyOf(benchmark);
  const strategyPath = [
    ...pathPrefix,
    benchmark.config?.strategy !== undefined ? 'config' : 'args',
    'strategy',
  ];
  if (strategy === undefined) {
    throw new ImportError(
      fileName,
      formatJsonPath([...pathPrefix, 'config', 'strategy']),
      'expected the scheduling strategy',
    );
  }
  const missing = (field: string, what: string): never => {
    throw new ImportError(
      fileName,
      formatJsonPath([...strategyPath, field]),
      `expected ${what} for a ${strategy.type_} strategy`,
    );
  };
  switch (strategy.type_) {
    case 'synchronous':
      return { kind: 'concurrency', maxConcurrency: 1 };
    case 'concurrent':
      return {
        kind: 'concurrency',
        maxConcurrency: strategy.streams ?? missing('streams', 'a positive stream count'),
      };
    case 'throughput':
      return strategy.max_concurrency != null
        ? { kind: 'concurrency', maxConcurrency: strategy.max_concurrency }
        : { kind: 'rate', requestsPerSecond: 'inf', burstiness: 1, maxConcurrency: null };
    case 'poisson':
      return {
        kind: 'rate',
        requestsPerSecond: strategy.rate ?? missing('rate', 'a positive rate'),
        burstiness: 1,
        maxConcurrency: strategy.max_concurrency ?? null,
      };
    case 'constant':
      warnings.push(
        `GuideLLM "constant" spaces requests evenly; stored as burstiness ${UNIFORM_ARRIVALS_BURSTINESS} (the gamma limit of even gaps)`,
      );
      return {
        kind: 'rate',
        requestsPerSecond: strategy.rate ?? missing('rate', 'a positive rate'),
        burstiness: UNIFORM_ARRIVALS_BURSTINESS,
        maxConcurrency: strategy.max_concurrency ?? null,
      };
    default:
      throw new ImportError(
        fileName,
        formatJsonPath([...strategyPath, 'type_']),
        `expected one of "synchronous", "concurrent", "throughput", "poisson", "constant", got ${JSON.stringify(strategy.type_)}`,
      );
  }
}

function requestsOf(benchmark: GuideLlmBenchmark): ImportedRequestRecord[] | null {
  const groups = benchmark.requests;
  if (groups == null) return null;
  const statuses = ['successful', 'errored', 'incomplete'] as const;
  const all = statuses.flatMap((status) => (groups[status] ?? []).map((request) => ({ status, request })));
  if (all.length === 0) return null;
  const starts = all.flatMap(({ request }) => {
    const start = request.start_time ?? request.request_start_time;
    return start == null ? [] : [start];
  });
  const firstStart =
    starts.length === 0 ? null : starts.reduce((earliest, start) => Math.min(earliest, start));
  return all.map(({ status, request }) => {
    const start = request.start_time ?? request.request_start_time;
    const outputTokens = request.output_tokens ?? null;
    return {
      status,
      startOffsetS: start == null || firstStart === null ? null : start - firstStart,
      inputTokens: request.prompt_tokens ?? null,
      outputTokens,
      ttftMs: request.time_to_first_token_ms ?? null,
      e2elMs: request.request_latency == null ? null : request.request_latency * 1000,
      // GuideLLM's per-request ITL is our TPOT; undefined for single-token outputs.
      tpotMs: outputTokens !== null && outputTokens > 1 ? (request.inter_token_latency_ms ?? null) : null,
      interMessageGapsMs: null,
      error: request.error ?? null,
    };
  });
}
