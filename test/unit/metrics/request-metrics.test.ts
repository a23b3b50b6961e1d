import { describe, expect, it } from 'vitest';
import { summarizeBenchmark } from '../../../src/domain/metrics/benchmark-summary';
import { requestMetrics } from '../../../src/domain/metrics/request-metrics';
import type { RequestRecord, StreamChunkRecord } from '../../../src/domain/metrics/request-record';
import type { LoadProfile } from '../../../src/domain/metrics/summary';

const profile: LoadProfile = { kind: 'concurrency', maxConcurrency: 4 };

/** A hand-made stream: [arrival ms, tokens carried (null: no usage), text characters]. */
function record(
  chunks: ReadonlyArray<readonly [number, number | null, number]>,
  overrides: Partial<RequestRecord> = {},
): RequestRecord {
  const chunkRecords: StreamChunkRecord[] = chunks.map(([atMs, tokens, textChars]) => ({
    atMs,
    tokens,
    textChars,
  }));
  const counted = chunkRecords.every((chunk) => chunk.tokens !== null);
  const clientOutputTokens = counted
    ? chunkRecords.reduce((sum, chunk) => sum + (chunk.tokens ?? 0), 0)
    : null;
  const last = chunkRecords[chunkRecords.length - 1];
  return {
    index: 0,
    startOffsetMs: 0,
    endMs: (last?.atMs ?? 0) + 1,
    chunks: chunkRecords,
    serverOutputTokens: clientOutputTokens,
    serverInputTokens: 100,
    clientOutputTokens,
    intendedInputTokens: 100,
    error: null,
    ...overrides,
  };
}

describe('per-request metrics under vLLM definitions', () => {
  it('counts a chunk carrying several tokens as several tokens, for TPOT and throughput', () => {
    // Three chunks carrying 4 + 4 + 2 tokens: 10 tokens, not 3.
    const stream = record([
      [50, 4, 12],
      [70, 4, 12],
      [90, 2, 6],
    ]);
    const metrics = requestMetrics(stream);
    expect(metrics?.outputTokens).toBe(10);
    expect(metrics?.tpotMs).toBeCloseTo((90 - 50) / 9, 12);
    // ITL stays per message: two gaps of 20 ms.
    expect(metrics?.interTokenLatenciesMs).toEqual([20, 20]);
    const summary = summarizeBenchmark([stream], { profile });
    expect(summary.totalOutputTokens).toBe(10);
    expect(summary.outputThroughput).toBeCloseTo(10 / 0.091, 9);
  });

  it('takes TTFT at a role-only first chunk, as vLLM does', () => {
    const chat = record([
      [30, 0, 0],
      [30.2, 1, 5],
      [35, 1, 5],
    ]);
    const metrics = requestMetrics(chat);
    expect(metrics?.ttftMs).toBe(30);
    expect(metrics?.interTokenLatenciesMs[0]).toBeCloseTo(0.2, 12);
    expect(metrics?.outputTokens).toBe(2);
    expect(metrics?.e2elMs).toBe(35);
  });

  it('leaves single-token outputs out of TPOT statistics but counts them as TPOT 0 for goodput', () => {
    const single = record([[40, 1, 3]]);
    const long = record(
      [
        [20, 1, 3],
        [30, 1, 3],
        [40, 1, 3],
      ],
      { index: 1 },
    );
    expect(requestMetrics(single)?.tpotMs).toBeNull();
    const summary = summarizeBenchmark([single, long], { profile, objectives: { tpotMs: 1 } });
    expect(summary.tpotMs?.mean).toBe(10);
    expect(summary.tpotMs?.p99).toBe(10);
    // Only the single-token request meets a 1 ms TPOT objective.
    expect(summary.requestGoodput).toBeCloseTo(1 / summary.durationS, 9);
    expect(summary.completed).toBe(2);
  });

  it('falls back explicitly, with a warning, when the server sent no usage', () => {
    const noUsage = record(
      [
        [10, null, 0],
        [12, null, 8],
        [14, null, 8],
      ],
      { serverOutputTokens: null, clientOutputTokens: null, serverInputTokens: null },
    );
    const metrics = requestMetrics(noUsage);
    expect(metrics?.outputTokenSource).toBe('chunk-count-fallback');
    // The empty (role-only) chunk is not a token.
    expect(metrics?.outputTokens).toBe(2);
    const summary = summarizeBenchmark([noUsage], { profile });
    expect(summary.serverTokenCounts).toBe(false);
    expect(summary.warnings.join('\n')).toMatch(
      /no server usage; output tokens fall back to one per non-empty chunk/,
    );
    expect(summary.warnings.join('\n')).toMatch(/no usage.prompt_tokens/);
  });

  it('flags a disagreement between the server count and the per-chunk counts', () => {
    const mismatched = record(
      [
        [10, 1, 3],
        [20, 1, 3],
      ],
      { serverOutputTokens: 3, clientOutputTokens: 2 },
    );
    expect(requestMetrics(mismatched)?.tokenCountMismatch).toEqual({ server: 3, client: 2 });
    expect(requestMetrics(mismatched)?.outputTokens).toBe(3);
    const summary = summarizeBenchmark([mismatched], { profile });
    expect(summary.warnings.join('\n')).toMatch(/server 3, chunks 2/);
    expect(summary.serverTokenCounts).toBe(true);
  });

  it('measures throughput from the first dispatch to the last completion and keeps failures out of latency', () => {
    const first = record(
      [
        [10, 1, 1],
        [20, 1, 1],
      ],
      { startOffsetMs: 0, endMs: 21 },
    );
    const second = record(
      [
        [10, 1, 1],
        [20, 1, 1],
      ],
      { index: 1, startOffsetMs: 479, endMs: 21 },
    );
    const failed = record([], { index: 2, startOffsetMs: 5, endMs: 3, error: 'HTTP 429 Too Many Requests' });
    const summary = summarizeBenchmark([first, second, failed], { profile });
    expect(summary.durationS).toBeCloseTo(0.5, 12);
    expect(summary.requestThroughput).toBeCloseTo(4, 9);
    expect(summary.outputThroughput).toBeCloseTo(8, 9);
    expect(summary.totalTokenThroughput).toBeCloseTo(408, 9);
    expect(summary.failed).toBe(1);
    expect(summary.ttftMs?.mean).toBe(10);
    expect(summary.requestGoodput).toBeNull();
    expect(summary.meanDecodeTokensPerSecond).toBeCloseTo(100, 9);
    expect(summary.warnings).toContain('failure x1: HTTP 429 Too Many Requests');
  });
});
