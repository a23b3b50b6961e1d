import type { RequestRecord } from './request-record';

/** Where a request's output token count came from, most trustworthy first. */
export type OutputTokenSource =
  /** `usage.completion_tokens` from the server. */
  | 'server-usage'
  /** The sum of per-chunk counts from `continuous_usage_stats`, when no final count arrived. */
  | 'chunk-usage'
  /** No usage at all: one token per non-empty chunk, a lower bound when chunks carry several tokens. */
  | 'chunk-count-fallback';

/** One successful request's metrics under vLLM's definitions (see MEASUREMENT.md). */
export interface RequestMetrics {
  ttftMs: number;
  /** One gap per SSE message after the first. */
  interTokenLatenciesMs: number[];
  e2elMs: number;
  outputTokens: number;
  outputTokenSource: OutputTokenSource;
  /** (E2EL − TTFT) / (outputTokens − 1); null when outputTokens ≤ 1 (excluded from TPOT statistics). */
  tpotMs: number | null;
  inputTokens: number;
  inputTokensFromServer: boolean;
  /** Set when the server's count and the sum of per-chunk counts disagree (the larger is used). */
  tokenCountMismatch: { server: number; client: number } | null;
  /**
   * Set when the server's usage counts fewer tokens than the token-bearing chunks it sent (each
   * carries at least one): it under-reports, and the chunk count is used instead.
   */
  usageBelowChunks: { server: number; chunks: number } | null;
}

function isSuccessful(record: RequestRecord): boolean {
  return record.error === null && record.chunks.length > 0;
}

/** Metrics of a successful request; null for a failed one (failures only count toward `failed`). */
export function requestMetrics(record: RequestRecord): RequestMetrics | null {
  if (!isSuccessful(record)) return null;
  const firstChunk = record.chunks[0];
  const lastChunk = record.chunks[record.chunks.length - 1];
  if (firstChunk === undefined || lastChunk === undefined) return null;

  const interTokenLatenciesMs: number[] = [];
  for (let index = 1; index < record.chunks.length; index++) {
    const current = record.chunks[index] as (typeof record.chunks)[number];
    const previous = record.chunks[index - 1] as (typeof record.chunks)[number];
    interTokenLatenciesMs.push(current.atMs - previous.atMs);
  }

  const { outputTokens, outputTokenSource, usageBelowChunks } = countOutputTokens(record);
  const ttftMs = firstChunk.atMs;
  // The trailing usage-only chunk and [DONE] are not recorded as chunks, so the last recorded
  // chunk is the last token-bearing one.
  const e2elMs = lastChunk.atMs;
  const tpotMs = outputTokens > 1 ? (e2elMs - ttftMs) / (outputTokens - 1) : null;

  const tokenCountMismatch =
    record.serverOutputTokens !== null &&
    record.clientOutputTokens !== null &&
    record.serverOutputTokens !== record.clientOutputTokens
      ? { server: record.serverOutputTokens, client: record.clientOutputTokens }
      : null;

  return {
    ttftMs,
    interTokenLatenciesMs,
    e2elMs,
    outputTokens,
    outputTokenSource,
    tpotMs,
    inputTokens: record.serverInputTokens ?? record.intendedInputTokens,
    inputTokensFromServer: record.serverInputTokens !== null,
    tokenCountMismatch,
    usageBelowChunks,
  };
}

function countOutputTokens(record: RequestRecord): {
  outputTokens: number;
  outputTokenSource: OutputTokenSource;
  usageBelowChunks: { server: number; chunks: number } | null;
} {
  const nonEmptyChunks = record.chunks.filter((chunk) => chunk.textChars > 0).length;
  // The server's final count, or the sum of its per-chunk counts; where both exist and disagree, the larger.
  const usage =
    record.serverOutputTokens !== null
      ? {
          tokens: Math.max(record.serverOutputTokens, record.clientOutputTokens ?? 0),
          source: 'server-usage' as const,
        }
      : record.clientOutputTokens !== null
        ? { tokens: record.clientOutputTokens, source: 'chunk-usage' as const }
        : null;
  if (usage === null) {
    return {
      outputTokens: nonEmptyChunks,
      outputTokenSource: 'chunk-count-fallback',
      usageBelowChunks: null,
    };
  }
  if (usage.tokens < nonEmptyChunks) {
    return {
      outputTokens: nonEmptyChunks,
      outputTokenSource: usage.source,
      usageBelowChunks: { server: usage.tokens, chunks: nonEmptyChunks },
    };
  }
  return { outputTokens: usage.tokens, outputTokenSource: usage.source, usageBelowChunks: null };
}
