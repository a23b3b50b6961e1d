/**
 * The benchmark metrics tracked over time: one list, one case (the GraphQL enum's), shared by the
 * history query, the history chart, its HTTP route and the CLI. Names follow MEASUREMENT.md.
 */
export const HISTORY_METRICS = {
  DECODE_TOKENS_PER_S: { label: 'Decode speed per stream', unit: 'tokens/s', higherIsBetter: true },
  OUTPUT_THROUGHPUT: { label: 'Output throughput', unit: 'tokens/s', higherIsBetter: true },
  TOTAL_TOKEN_THROUGHPUT: { label: 'Total token throughput', unit: 'tokens/s', higherIsBetter: true },
  REQUEST_THROUGHPUT: { label: 'Request throughput', unit: 'requests/s', higherIsBetter: true },
  REQUEST_GOODPUT: { label: 'Goodput', unit: 'requests/s', higherIsBetter: true },
  TTFT_P50_MS: { label: 'TTFT p50', unit: 'ms', higherIsBetter: false },
  TTFT_P95_MS: { label: 'TTFT p95', unit: 'ms', higherIsBetter: false },
  TTFT_P99_MS: { label: 'TTFT p99', unit: 'ms', higherIsBetter: false },
  TPOT_P50_MS: { label: 'TPOT p50', unit: 'ms', higherIsBetter: false },
  TPOT_P99_MS: { label: 'TPOT p99', unit: 'ms', higherIsBetter: false },
  ITL_P99_MS: { label: 'ITL p99', unit: 'ms', higherIsBetter: false },
  E2EL_P99_MS: { label: 'End-to-end latency p99', unit: 'ms', higherIsBetter: false },
} as const;

export type HistoryMetric = keyof typeof HISTORY_METRICS;
export const HISTORY_METRIC_NAMES = Object.keys(HISTORY_METRICS) as [HistoryMetric, ...HistoryMetric[]];
