import { hasAnyObjective, meetsObjectives, type ServiceLevelObjectives } from './goodput';
import { type RequestMetrics, requestMetrics } from './request-metrics';
import type { RequestRecord } from './request-record';
import { distributionStats } from './statistics';
import type { BenchmarkSummary, LoadProfile } from './summary';

export interface SummarizeOptions {
  profile: LoadProfile;
  objectives?: ServiceLevelObjectives | undefined;
  /**
   * Output tokens every request must yield: max_tokens when ignore_eos was asked for. A request
   * that yields fewer is flagged (the server stopped early or ignores ignore_eos).
   */
  expectedOutputTokens?: number | undefined;
}

/** How many example failure reasons a summary's warnings name. */
const FAILURE_REASONS_SHOWN = 3;

/**
 * Computes the canonical summary of one load level from its raw request records, under vLLM's
 * definitions. Failed requests count toward `failed` only; warnings say where a number is weaker
 * than it looks (token counts not from the server, count mismatches, failures).
 */
export function summarizeBenchmark(
  records: readonly RequestRecord[],
  options: SummarizeOptions,
): BenchmarkSummary {
  const succeeded: RequestMetrics[] = [];
  const failureReasons = new Map<string, number>();
  for (const record of records) {
    const metrics = requestMetrics(record);
    if (metrics !== null) {
      succeeded.push(metrics);
    } else {
      const reason = record.error ?? 'stream ended without any token-bearing chunk';
      failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
    }
  }

  const durationS = runDurationMs(records) / 1000;
  const perSecond = (count: number): number => (durationS > 0 ? count / durationS : 0);
  const totalOutputTokens = sum(succeeded.map((request) => request.outputTokens));
  const totalInputTokens = sum(succeeded.map((request) => request.inputTokens));
  const tpotSamples = succeeded.flatMap((request) => (request.tpotMs === null ? [] : [request.tpotMs]));
  const tpotMs = distributionStats(tpotSamples);

  const objectives = options.objectives;
  const good =
    objectives !== undefined && hasAnyObjective(objectives)
      ? succeeded.filter((request) => meetsObjectives(request, objectives))
      : null;
  const requestGoodput = good === null ? null : perSecond(good.length);
  const outputGoodput = good === null ? null : perSecond(sum(good.map((request) => request.outputTokens)));

  return {
    profile: options.profile,
    completed: succeeded.length,
    failed: records.length - succeeded.length,
    durationS,
    totalInputTokens,
    totalOutputTokens,
    requestThroughput: perSecond(succeeded.length),
    outputThroughput: perSecond(totalOutputTokens),
    totalTokenThroughput: perSecond(totalInputTokens + totalOutputTokens),
    requestGoodput,
    outputGoodput,
    meanDecodeTokensPerSecond: tpotMs !== null && tpotMs.mean > 0 ? 1000 / tpotMs.mean : null,
    ttftMs: distributionStats(succeeded.map((request) => request.ttftMs)),
    tpotMs,
    itlMs: distributionStats(succeeded.flatMap((request) => request.interTokenLatenciesMs)),
    e2elMs: distributionStats(succeeded.map((request) => request.e2elMs)),
    serverTokenCounts: succeeded.every((request) => request.outputTokenSource === 'server-usage'),
    warnings: summaryWarnings(records.length, succeeded, failureReasons, options.expectedOutputTokens),
  };
}

/** First dispatch to last completion, as the canonical throughputs define the wall duration. */
function runDurationMs(records: readonly RequestRecord[]): number {
  if (records.length === 0) return 0;
  let firstDispatch = Number.POSITIVE_INFINITY;
  let lastCompletion = Number.NEGATIVE_INFINITY;
  for (const record of records) {
    firstDispatch = Math.min(firstDispatch, record.startOffsetMs);
    const endedAt = record.startOffsetMs + (record.endMs ?? 0);
    lastCompletion = Math.max(lastCompletion, endedAt);
  }
  return Math.max(0, lastCompletion - firstDispatch);
}

function summaryWarnings(
  total: number,
  succeeded: readonly RequestMetrics[],
  failureReasons: ReadonlyMap<string, number>,
  expectedOutputTokens: number | undefined,
): string[] {
  const warnings: string[] = [];
  const failed = total - succeeded.length;
  if (total > 0 && succeeded.length === 0) warnings.push(`no request succeeded (${total} failed)`);
  else if (failed > 0) warnings.push(`${failed} of ${total} requests failed`);
  const reasons = [...failureReasons.entries()].sort((a, b) => b[1] - a[1]);
  for (const [reason, count] of reasons.slice(0, FAILURE_REASONS_SHOWN)) {
    warnings.push(`failure x${count}: ${reason}`);
  }
  if (reasons.length > FAILURE_REASONS_SHOWN) {
    warnings.push(`...and ${reasons.length - FAILURE_REASONS_SHOWN} other failure reasons`);
  }

  const chunkUsageCounted = succeeded.filter((request) => request.outputTokenSource === 'chunk-usage').length;
  if (chunkUsageCounted > 0) {
    warnings.push(
      `${chunkUsageCounted} requests had no final usage.completion_tokens; output tokens are the sum of per-chunk usage counts`,
    );
  }
  const chunkCounted = succeeded.filter(
    (request) => request.outputTokenSource === 'chunk-count-fallback',
  ).length;
  if (chunkCounted > 0) {
    warnings.push(
      `${chunkCounted} requests had no server usage; output tokens fall back to one per non-empty chunk, ` +
        'a lower bound when a chunk carries several tokens (enable stream_options.include_usage on the server)',
    );
  }

  const mismatched = succeeded.flatMap((request) =>
    request.tokenCountMismatch === null ? [] : [request.tokenCountMismatch],
  );
  const firstMismatch = mismatched[0];
  if (firstMismatch !== undefined) {
    warnings.push(
      `${mismatched.length} requests: server usage.completion_tokens disagrees with the per-chunk counts ` +
        `(e.g. server ${firstMismatch.server}, chunks ${firstMismatch.client}); the larger count is used`,
    );
  }
  const underReported = succeeded.flatMap((request) =>
    request.usageBelowChunks === null ? [] : [request.usageBelowChunks],
  );
  const firstUnderReport = underReported[0];
  if (firstUnderReport !== undefined) {
    warnings.push(
      `${underReported.length} requests: the server's usage counts fewer output tokens than the token-bearing chunks it sent ` +
        `(e.g. usage ${firstUnderReport.server}, ${firstUnderReport.chunks} chunks); the chunk count is used (TPOT and throughput from it)`,
    );
  }
  if (expectedOutputTokens !== undefined) {
    const short = succeeded.filter((request) => request.outputTokens < expectedOutputTokens);
    const firstShort = short[0];
    if (firstShort !== undefined) {
      warnings.push(
        `${short.length} requests ended before max_tokens although ignore_eos was asked for ` +
          `(e.g. ${firstShort.outputTokens} of ${expectedOutputTokens} tokens): the server stopped early or ignores ignore_eos`,
      );
    }
  }

  const inputEstimated = succeeded.filter((request) => !request.inputTokensFromServer).length;
  if (inputEstimated > 0) {
    warnings.push(
      `${inputEstimated} requests had no usage.prompt_tokens; their input tokens are the intended prompt lengths`,
    );
  }
  return warnings;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
