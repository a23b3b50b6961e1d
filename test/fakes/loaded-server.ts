import { type FakeOpenAiServer, type FakeOpenAiServerOptions, startFakeOpenAiServer } from './openai-server';

/**
 * A fake vLLM that behaves like a loaded server, so an SLO search has a known answer: with c streams
 * in flight, every decode gap is `tokenGapMs · (1 + slowdown · (c − 1))` (a batched step reads the
 * weights once but does more work per stream), and a request arriving while c − 1 others are in
 * flight waits `ttftPerStreamMs · (c − 1)` more for its first token (prefill queueing). Named
 * configurations stand for launch commands (e.g. vLLM with another --max-num-seqs or quantization):
 * each has its own base latency and slopes, so the best configuration at an SLO is known too.
 */

export interface LoadModel {
  ttftMs: number;
  ttftPerStreamMs: number;
  tokenGapMs: number;
  slowdown: number;
}

/** The configurations the tests and `npm run bench:slo-search` launch. */
export const LOADED_CONFIGURATIONS: Record<string, LoadModel> = {
  /** The default: every stream adds a full gap to each step; TPOT = 3c ms. */
  baseline: { ttftMs: 10, ttftPerStreamMs: 0, tokenGapMs: 3, slowdown: 1 },
  /** Faster decode per stream (think a quantized model): TPOT = 2c ms. */
  quantized: { ttftMs: 10, ttftPerStreamMs: 0, tokenGapMs: 2, slowdown: 1 },
  /** Prefill-bound: TTFT grows 6 ms per stream in flight. */
  'prefill-bound': { ttftMs: 20, ttftPerStreamMs: 6, tokenGapMs: 2, slowdown: 0.05 },
};

/** Steady-state TPOT at c concurrent streams. */
export function expectedTpotMs(model: LoadModel, concurrency: number): number {
  return model.tokenGapMs * (1 + model.slowdown * (concurrency - 1));
}

/** Steady-state TTFT at c concurrent streams (a request arriving when the other c − 1 are in flight). */
export function expectedTtftMs(model: LoadModel, concurrency: number): number {
  return model.ttftMs + model.ttftPerStreamMs * (concurrency - 1);
}

/** The largest c whose steady-state TPOT stays at or under `limitMs` (the crossing the search must find). */
export function largestConcurrencyForTpot(model: LoadModel, limitMs: number): number {
  return Math.floor(1 + (limitMs / model.tokenGapMs - 1) / model.slowdown);
}

export function startLoadedServer(
  model: LoadModel,
  options: Omit<FakeOpenAiServerOptions, keyof LoadModel | 'batchSlowdownPerRequest'> = {},
): Promise<FakeOpenAiServer> {
  return startFakeOpenAiServer({
    ...options,
    ttftMs: model.ttftMs,
    ttftPerStreamMs: model.ttftPerStreamMs,
    tokenGapMs: model.tokenGapMs,
    batchSlowdownPerRequest: model.slowdown,
    anchorDecodeOnFirstMessage: true,
  });
}

/**
 * Goodput as the fake scheduled it (the ground truth): requests whose scheduled TTFT, TPOT and E2EL
 * meet the limits, per second of the schedule's wall time (first arrival to last token).
 */
export function scheduledGoodput(
  server: FakeOpenAiServer,
  indexes: { from: number; to: number },
  limits: { ttftMs?: number; tpotMs?: number },
): { requestsPerSecond: number; outputTokensPerSecond: number; requests: number } {
  const logs = server
    .requests()
    .filter((log) => log.index >= indexes.from && log.index < indexes.to && log.outcome === 'completed');
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let good = 0;
  let goodTokens = 0;
  for (const log of logs) {
    const tokenTimes = log.scheduledMs.filter((_, index) => (log.tokensPerMessage[index] ?? 0) > 0);
    const ttft = log.scheduledMs[0] ?? 0;
    const end = log.scheduledMs[log.scheduledMs.length - 1] ?? 0;
    const tokens = log.tokensPerMessage.reduce((sum, count) => sum + count, 0);
    const tpot = tokens > 1 ? (end - ttft) / (tokens - 1) : 0;
    first = Math.min(first, log.receivedAt);
    last = Math.max(last, log.receivedAt + end);
    const meets =
      (limits.ttftMs === undefined || ttft <= limits.ttftMs) &&
      (limits.tpotMs === undefined || tpot <= limits.tpotMs) &&
      tokenTimes.length > 0;
    if (meets) {
      good++;
      goodTokens += tokens;
    }
  }
  const seconds = (last - first) / 1000;
  return {
    requestsPerSecond: seconds > 0 ? good / seconds : 0,
    outputTokensPerSecond: seconds > 0 ? goodTokens / seconds : 0,
    requests: logs.length,
  };
}
