/**
 * The canonical shape of one benchmark result, shared by the runner (which measures it), the
 * importers (which map vLLM and GuideLLM files onto it) and the API (which stores and shows it).
 * Names and definitions follow `vllm bench serve` (see shared/design/MEASUREMENT.md); latencies are
 * milliseconds, throughputs per second. These are measurements, not money, so plain numbers are
 * right here.
 */

const PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'p999'] as const;
export type PercentileKey = (typeof PERCENTILES)[number];

/**
 * Our own runner fills every field. Imported files may lack some: `vllm bench serve` writes only the
 * percentiles asked for with `--metric-percentiles` (default 99) and older versions wrote no `std`,
 * so those are null when the source did not report them (never invented). p50 is the median, which
 * every source reports.
 */
export interface DistributionStats {
  mean: number;
  median: number;
  /** Population standard deviation, as vLLM's numpy `std` computes it; null when not reported. */
  std: number | null;
  p50: number;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  p999: number | null;
}

export type LatencyMetric = 'ttft' | 'tpot' | 'itl' | 'e2el';

export type LoadProfile =
  | { kind: 'concurrency'; maxConcurrency: number }
  | { kind: 'rate'; requestsPerSecond: number | 'inf'; burstiness: number; maxConcurrency: number | null };

export interface BenchmarkSummary {
  profile: LoadProfile;
  completed: number;
  failed: number;
  /** Wall duration from first dispatch to last completion, seconds. */
  durationS: number;
  totalInputTokens: number;
  totalOutputTokens: number;
  requestThroughput: number;
  outputThroughput: number;
  totalTokenThroughput: number;
  /** Requests per second meeting every SLO given; null when no SLO was given. */
  requestGoodput: number | null;
  /** Output tokens per second of the requests meeting every SLO (vLLM's goodput, in tokens); null when no SLO was given or the source did not report it. */
  outputGoodput?: number | null | undefined;
  /** True when the level stopped before sending all its requests because it was already clearly over its SLO (an SLO search). */
  stoppedEarly?: boolean | undefined;
  /** The named server configuration (launch command) the level ran under; absent when the runner did not launch the server. */
  serverConfiguration?: string | null | undefined;
  /** Per-stream decode rate implied by TPOT (1000 / mean TPOT); null when TPOT is unknown. */
  meanDecodeTokensPerSecond: number | null;
  ttftMs: DistributionStats | null;
  tpotMs: DistributionStats | null;
  itlMs: DistributionStats | null;
  e2elMs: DistributionStats | null;
  /** True when output token counts came from the server's usage; false when a fallback was used. */
  serverTokenCounts: boolean;
  warnings: string[];
}
