import { z } from 'zod';
import type { BenchmarkSummary, DistributionStats, LatencyMetric, LoadProfile } from '../metrics/summary';
import { ImportError } from './import-error';
import type { ImportedBenchmarkResult, ImportedRequestRecord } from './imported-result';
import { type PartialDistribution, reconcileDistribution } from './partial-distribution';
import { distributionOf } from './sample-statistics';
import { validateOrThrow } from './schema-validation';

/**
 * `vllm bench serve --save-result` (and `--save-detailed`) JSON. The summary keys are already in
 * our canonical units and names (milliseconds, vLLM definitions); per-request arrays are seconds.
 * Key sets differ across vLLM versions, so everything but the core counts is optional.
 */

const count = z.number().int().nonnegative();
/** `null` stands for Python's NaN (no successful request to average), read as "not reported". */
const reportedRate = z.number().nonnegative().nullable();

const vllmResultSchema = z.looseObject({
  date: z
    .string()
    .regex(/^\d{8}-\d{6}$/, 'expected a date formatted %Y%m%d-%H%M%S')
    .optional(),
  model_id: z.string().nullable().optional(),
  duration: z.number().positive(),
  completed: count,
  failed: count.optional(),
  num_prompts: count.nullable().optional(),
  total_input_tokens: count,
  total_output_tokens: count,
  request_throughput: reportedRate,
  output_throughput: reportedRate,
  total_token_throughput: reportedRate.optional(),
  request_goodput: reportedRate.optional(),
  'request_goodput:': reportedRate.optional(),
  request_rate: z
    .union([z.number().positive(), z.literal('inf')])
    .nullable()
    .optional(),
  burstiness: z.number().positive().nullable().optional(),
  max_concurrency: z.number().int().positive().nullable().optional(),
});

/**
 * The per-request arrays (`--save-detailed`), after the keys above and in this order. Validated
 * element by element against these schemas, not by zod as whole arrays: zod's output would be a
 * copy of every array (tens of MB for a large file's `itls`). The same checks, paths and messages.
 */
const nonnegative = z.number().nonnegative();
const PER_REQUEST_ELEMENTS = {
  input_lens: count,
  output_lens: count,
  ttfts: nonnegative,
  itls: z.array(nonnegative),
  latencies: nonnegative,
  start_times: z.number(),
  generated_texts: z.string().nullable(),
  errors: z.string().nullable(),
};
type PerRequestKey = keyof typeof PER_REQUEST_ELEMENTS;
type PerRequestArrays = {
  [Key in PerRequestKey]?: z.output<(typeof PER_REQUEST_ELEMENTS)[Key]>[];
};

const isNonnegative = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
/** Plainly valid elements, checked without zod (each a subset of what its schema accepts). */
const PLAINLY_VALID: Record<PerRequestKey, (value: unknown) => boolean> = {
  input_lens: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  output_lens: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  ttfts: isNonnegative,
  itls: (value) => Array.isArray(value) && value.every(isNonnegative),
  latencies: isNonnegative,
  start_times: (value) => typeof value === 'number' && Number.isFinite(value),
  generated_texts: (value) => value === null || typeof value === 'string',
  errors: (value) => value === null || typeof value === 'string',
};
const anArray = z.array(z.unknown());

function validatePerRequestArrays(fileName: string, document: Record<string, unknown>): PerRequestArrays {
  const arrays: PerRequestArrays = {};
  for (const key of Object.keys(PER_REQUEST_ELEMENTS) as PerRequestKey[]) {
    const value = document[key];
    if (value === undefined) continue;
    validateOrThrow(fileName, anArray, value, [key]);
    const plainlyValid = PLAINLY_VALID[key];
    (value as unknown[]).forEach((element, index) => {
      if (!plainlyValid(element)) validateOrThrow(fileName, PER_REQUEST_ELEMENTS[key], element, [key, index]);
    });
    (arrays as Record<PerRequestKey, unknown>)[key] = value;
  }
  return arrays;
}

type VllmResult = z.output<typeof vllmResultSchema> & PerRequestArrays;

const METRIC_KEY_PATTERN = /^(mean|median|std|p(\d+(?:\.\d+)?))_(ttft|tpot|itl|e2el)_ms$/;
const CANONICAL_PERCENTILE_BY_SOURCE: Record<string, 'p50' | 'p90' | 'p95' | 'p99' | 'p999'> = {
  '50': 'p50',
  '90': 'p90',
  '95': 'p95',
  '99': 'p99',
  '99.9': 'p999',
};
const LATENCY_METRICS: readonly LatencyMetric[] = ['ttft', 'tpot', 'itl', 'e2el'];
const PER_REQUEST_KEYS = [
  'input_lens',
  'output_lens',
  'ttfts',
  'itls',
  'latencies',
  'start_times',
  'errors',
] as const;
const EXTRA_NUMERIC_KEYS = ['max_output_tokens_per_s', 'max_concurrent_requests', 'num_prompts'];
const CORE_KEYS = [
  'date',
  'model_id',
  'duration',
  'completed',
  'failed',
  'total_input_tokens',
  'total_output_tokens',
  'request_throughput',
  'output_throughput',
  'total_token_throughput',
  'request_goodput',
  'request_goodput:',
  'request_rate',
  'burstiness',
  'max_concurrency',
];

export function looksLikeVllmBenchServe(document: Record<string, unknown>): boolean {
  const hasMetricKey = Object.keys(document).some((key) => METRIC_KEY_PATTERN.test(key));
  return (
    hasMetricKey || 'request_throughput' in document || ('completed' in document && 'duration' in document)
  );
}

export function parseVllmBenchServe(
  fileName: string,
  document: Record<string, unknown>,
  fingerprint: string,
): ImportedBenchmarkResult {
  const result: VllmResult = {
    ...validateOrThrow(fileName, vllmResultSchema, document),
    ...validatePerRequestArrays(fileName, document),
  };
  const mappedKeys: string[] = [];
  const derivedFields: string[] = [];
  const keptAsExtraKeys: string[] = [];
  const ignoredKeys: string[] = [];
  const warnings: string[] = [];
  const extraMetrics: Record<string, number> = {};
  const sourceMetadata: Record<string, string | number | boolean | null> = {};

  const reportedMetrics = readReportedMetricKeys(
    fileName,
    document,
    mappedKeys,
    keptAsExtraKeys,
    extraMetrics,
  );
  const requests = readPerRequestArrays(fileName, result);
  if (requests !== null) mappedKeys.push(...PER_REQUEST_KEYS.filter((key) => key in document));

  const samples = requests === null ? null : samplesFromRequests(requests);
  const distributions = {} as Record<LatencyMetric, DistributionStats | null>;
  for (const metric of LATENCY_METRICS) {
    const reconciled = reconcileDistribution({
      fieldName: `${metric}Ms`,
      reported: reportedMetrics[metric],
      fromSamples: samples === null ? null : distributionOf(samples[metric]),
      samplesSource: SAMPLE_SOURCE[metric],
    });
    distributions[metric] = reconciled.stats;
    derivedFields.push(...reconciled.derivedFields);
    warnings.push(...reconciled.warnings);
  }

  for (const key of CORE_KEYS) if (key in document) mappedKeys.push(key);
  for (const key of Object.keys(document)) {
    if (mappedKeys.includes(key) || keptAsExtraKeys.includes(key)) continue;
    const value = document[key];
    if (EXTRA_NUMERIC_KEYS.includes(key) && typeof value === 'number' && Number.isFinite(value)) {
      extraMetrics[key] = value;
      keptAsExtraKeys.push(key);
    } else if (isScalar(value) && key !== 'generated_texts') {
      // Top-level scalars other than vLLM's own are the `--metadata key=value` pairs.
      sourceMetadata[key] = value;
      keptAsExtraKeys.push(key);
    } else {
      ignoredKeys.push(key);
    }
  }

  const failed = failedCount(result, warnings, derivedFields);
  const totalTokenThroughput =
    result.total_token_throughput ??
    (result.total_input_tokens + result.total_output_tokens) / result.duration;
  if (result.total_token_throughput == null)
    derivedFields.push('totalTokenThroughput (from token totals / duration)');
  const requestThroughput = result.request_throughput ?? result.completed / result.duration;
  if (result.request_throughput === null) derivedFields.push('requestThroughput (from completed / duration)');
  const outputThroughput = result.output_throughput ?? result.total_output_tokens / result.duration;
  if (result.output_throughput === null)
    derivedFields.push('outputThroughput (from output tokens / duration)');

  const tpot = distributions.tpot;
  warnings.push(
    'imported from vllm bench serve: output tokens come from server usage when the server sent it, else from re-tokenising the text, and the file does not say which',
  );
  const summary: BenchmarkSummary = {
    profile: loadProfileOf(result, derivedFields),
    completed: result.completed,
    failed,
    durationS: result.duration,
    totalInputTokens: result.total_input_tokens,
    totalOutputTokens: result.total_output_tokens,
    requestThroughput,
    outputThroughput,
    totalTokenThroughput,
    requestGoodput: result.request_goodput ?? result['request_goodput:'] ?? null,
    meanDecodeTokensPerSecond: tpot !== null && tpot.mean > 0 ? 1000 / tpot.mean : null,
    ttftMs: distributions.ttft,
    tpotMs: distributions.tpot,
    itlMs: distributions.itl,
    e2elMs: distributions.e2el,
    serverTokenCounts: false,
    warnings,
  };

  return {
    index: 0,
    fingerprint,
    contentFingerprint: fingerprint,
    sourceTool: 'vllm-bench-serve',
    sourceToolVersion: null,
    reportFormat: requests === null ? 'vllm-save-result' : 'vllm-save-result-detailed',
    modelId: result.model_id ?? null,
    startedAt: startedAtOf(result, warnings),
    summary,
    extraMetrics,
    sourceMetadata,
    mapping: { mappedKeys, derivedFields, keptAsExtraKeys, ignoredKeys },
    requests,
  };
}

const SAMPLE_SOURCE: Record<LatencyMetric, string> = {
  ttft: 'ttfts',
  tpot: 'latencies, ttfts and output_lens',
  itl: 'itls',
  e2el: 'latencies',
};

function readReportedMetricKeys(
  fileName: string,
  document: Record<string, unknown>,
  mappedKeys: string[],
  keptAsExtraKeys: string[],
  extraMetrics: Record<string, number>,
): Record<LatencyMetric, PartialDistribution> {
  const reported: Record<LatencyMetric, PartialDistribution> = { ttft: {}, tpot: {}, itl: {}, e2el: {} };
  for (const [key, value] of Object.entries(document)) {
    const match = METRIC_KEY_PATTERN.exec(key);
    if (match === null) continue;
    const statistic = match[1] as string;
    const percentile = match[2];
    const metric = match[3] as LatencyMetric;
    const number = validateOrThrow(fileName, z.number().nonnegative().nullable(), value, [key]);
    if (number === null) {
      mappedKeys.push(key);
      continue;
    }
    if (percentile === undefined) {
      reported[metric][statistic as 'mean' | 'median' | 'std'] = number;
      mappedKeys.push(key);
      continue;
    }
    const canonical = CANONICAL_PERCENTILE_BY_SOURCE[percentile];
    if (canonical === undefined) {
      extraMetrics[key] = number;
      keptAsExtraKeys.push(key);
    } else {
      reported[metric][canonical] = number;
      mappedKeys.push(key);
    }
  }
  return reported;
}

function readPerRequestArrays(fileName: string, result: VllmResult): ImportedRequestRecord[] | null {
  const present = PER_REQUEST_KEYS.filter((key) => result[key] !== undefined);
  if (present.length === 0) return null;
  const firstKey = present[0] as (typeof PER_REQUEST_KEYS)[number];
  const requestCount = (result[firstKey] as unknown[]).length;
  for (const key of present) {
    const length = (result[key] as unknown[]).length;
    if (length !== requestCount) {
      throw new ImportError(
        fileName,
        key,
        `expected ${requestCount} items (as many as ${firstKey}), got ${length}`,
      );
    }
  }
  // reduce, not Math.min(...spread): detailed files can hold more requests than the call stack allows.
  const firstStart =
    result.start_times?.reduce((earliest, start) => Math.min(earliest, start), Number.POSITIVE_INFINITY) ??
    null;
  const records: ImportedRequestRecord[] = [];
  for (let index = 0; index < requestCount; index += 1) {
    const errorText = result.errors?.[index] ?? null;
    const ttftS = result.ttfts?.[index];
    const latencyS = result.latencies?.[index];
    const outputTokens = result.output_lens?.[index] ?? null;
    const startTime = result.start_times?.[index];
    const tpotMs =
      ttftS !== undefined && latencyS !== undefined && outputTokens !== null && outputTokens > 1
        ? ((latencyS - ttftS) * 1000) / (outputTokens - 1)
        : null;
    records.push({
      status: errorText !== null && errorText !== '' ? 'errored' : 'successful',
      startOffsetS: startTime === undefined || firstStart === null ? null : startTime - firstStart,
      inputTokens: result.input_lens?.[index] ?? null,
      outputTokens,
      ttftMs: ttftS === undefined ? null : ttftS * 1000,
      e2elMs: latencyS === undefined ? null : latencyS * 1000,
      tpotMs,
      interMessageGapsMs: result.itls?.[index]?.map((gapS) => gapS * 1000) ?? null,
      error: errorText === '' ? null : errorText,
    });
  }
  return records;
}

/**
 * The samples vLLM's own statistics are computed from: successful requests only, in request order.
 * Typed arrays: a detailed file holds millions of inter-token gaps.
 */
function samplesFromRequests(
  requests: readonly ImportedRequestRecord[],
): Record<LatencyMetric, Float64Array> {
  const successful = requests.filter((request) => request.status === 'successful');
  const collect = (valuesOf: (request: ImportedRequestRecord) => readonly number[] | number | null) => {
    let length = 0;
    for (const request of successful) {
      const values = valuesOf(request);
      if (values !== null) length += typeof values === 'number' ? 1 : values.length;
    }
    const samples = new Float64Array(length);
    let index = 0;
    for (const request of successful) {
      const values = valuesOf(request);
      if (values === null) continue;
      if (typeof values === 'number') samples[index++] = values;
      else for (const value of values) samples[index++] = value;
    }
    return samples;
  };
  return {
    ttft: collect((request) => request.ttftMs),
    tpot: collect((request) => request.tpotMs),
    itl: collect((request) => request.interMessageGapsMs),
    e2el: collect((request) => request.e2elMs),
  };
}

function failedCount(result: VllmResult, warnings: string[], derivedFields: string[]): number {
  if (result.failed !== undefined) return result.failed;
  if (result.num_prompts != null) {
    derivedFields.push('failed (from num_prompts − completed)');
    return Math.max(0, result.num_prompts - result.completed);
  }
  warnings.push('the file reports no failed count; recorded as 0');
  return 0;
}

/**
 * vLLM's documented way to run at a fixed concurrency is `--request-rate inf --max-concurrency N`,
 * so that pair is our concurrency profile; a finite rate stays a rate profile.
 */
function loadProfileOf(result: VllmResult, derivedFields: string[]): LoadProfile {
  const rate = result.request_rate ?? 'inf';
  if (result.request_rate == null)
    derivedFields.push('profile.requestsPerSecond (missing: vLLM default inf)');
  const maxConcurrency = result.max_concurrency ?? null;
  if (rate === 'inf' && maxConcurrency !== null) return { kind: 'concurrency', maxConcurrency };
  if (result.burstiness == null) derivedFields.push('profile.burstiness (missing: vLLM default 1)');
  return { kind: 'rate', requestsPerSecond: rate, burstiness: result.burstiness ?? 1, maxConcurrency };
}

/**
 * vLLM stamps `date` (local time, no zone) after the run finishes, so the start is date − duration.
 * The zone is unknown; we read it as UTC and say so.
 */
function startedAtOf(result: VllmResult, warnings: string[]): Date | null {
  if (result.date === undefined) return null;
  const match = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/.exec(result.date);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const finishedAtMs = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
  // Date.UTC rolls 20250231 over into March; a date that does not round-trip is not a real one.
  if (new Date(finishedAtMs).getUTCDate() !== day || new Date(finishedAtMs).getUTCHours() !== hour) {
    warnings.push(`date ${result.date} is not a real calendar time; started-at left empty`);
    return null;
  }
  warnings.push('vLLM writes its date without a zone; read as UTC, started-at = date − duration');
  return new Date(finishedAtMs - Math.round(result.duration * 1000));
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}
