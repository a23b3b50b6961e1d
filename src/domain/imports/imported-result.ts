import type { BenchmarkSummary } from '../metrics/summary';

export type ImportSourceTool = 'vllm-bench-serve' | 'guidellm';

/** One request as the source file recorded it, in our units (ms, tokens), kept for recomputation. */
export interface ImportedRequestRecord {
  status: 'successful' | 'errored' | 'incomplete';
  /** Seconds since the first request of the result started; null when the file has no start times. */
  startOffsetS: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  ttftMs: number | null;
  e2elMs: number | null;
  /** Canonical TPOT: (E2EL − TTFT) / (output tokens − 1); null for one-token or unknown requests. */
  tpotMs: number | null;
  /** Per-message gaps after the first (vLLM `itls`); null when the source records none. */
  interMessageGapsMs: number[] | null;
  error: string | null;
}

/** What the importer did with each key of the source, so nothing is dropped silently. */
export interface ImportMappingReport {
  /** Source keys that went into the canonical summary (or the model id / date). */
  mappedKeys: string[];
  /** Canonical fields computed rather than read, with where from, e.g. `ttftMs.p90 (from ttfts)`. */
  derivedFields: string[];
  /** Source keys kept beside the summary, in `extraMetrics` or `sourceMetadata`. */
  keptAsExtraKeys: string[];
  /** Source keys not kept at all. */
  ignoredKeys: string[];
}

export interface ImportedBenchmarkResult {
  /** Position of this result in the file (GuideLLM reports hold one per benchmark). */
  index: number;
  /**
   * The key for idempotent import: the run's identity (tool, model, start, profile, request and token
   * counts; `runFingerprint`), so one run imported in two formats is stored once; the sha256 of the
   * canonicalised file content and the index when the file gives no start time.
   */
  fingerprint: string;
  /** The content hash of the file and the index, the key results were stored under before run fingerprints. */
  contentFingerprint: string;
  sourceTool: ImportSourceTool;
  /** The tool's version when the file records it; null otherwise (vLLM files never do). */
  sourceToolVersion: string | null;
  /** The file layout recognised, e.g. `vllm-save-result-detailed`, `guidellm-report-v0.7`. */
  reportFormat: string;
  modelId: string | null;
  startedAt: Date | null;
  summary: BenchmarkSummary;
  /** Numbers the source reports that have no canonical slot (e.g. GuideLLM's TPOT, which includes TTFT). */
  extraMetrics: Record<string, number>;
  /** Scalar descriptive keys of the source (vLLM `--metadata`, label, backend...). */
  sourceMetadata: Record<string, string | number | boolean | null>;
  mapping: ImportMappingReport;
  /** Per-request data when the file carries it (vLLM `--save-detailed`, GuideLLM `requests`). */
  requests: ImportedRequestRecord[] | null;
}

export interface ImportParseResult {
  fileName: string;
  format: ImportSourceTool;
  results: ImportedBenchmarkResult[];
}
