import { afterEach, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../../runner/load';
import { mean, median } from '../../../src/domain/metrics/statistics';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../fakes/openai-server';
import { emittedInterTokenLatenciesMs, emittedTpotsMs, emittedTtftsMs, runSpec } from './helpers';

// Loose enough for a busy 2-core machine running other suites at once (medians and best cases, not
// means, so one stalled moment does not fail the test); bench/runner.ts holds the tight targets.
const TTFT_BEST_CASE_TOLERANCE_MS = 3;
const TTFT_TOLERANCE_MS = 30;
const GAP_TOLERANCE_MS = 0.6;
const TPOT_TOLERANCE_MS = 0.5;

let fake: FakeOpenAiServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('runner measurements against the fake server schedule', () => {
  it('measures TTFT, ITL and TPOT close to what the server scheduled (completions, several tokens per chunk)', async () => {
    fake = await startFakeOpenAiServer({
      ttftMs: 30,
      tokenGapMs: 2,
      tokensPerChunk: 3,
      jitterMs: 0.3,
      seed: 3,
    });
    const result = await runBenchmark(runSpec({ outputTokens: 30, numPrompts: 12, warmupRequests: 4 }), {
      endpointUrl: fake.url,
    });
    const level = result.levels[0];
    // The first four requests were the warm-up.
    const logs = fake.requests().slice(4);
    expect(logs).toHaveLength(12);
    expect(level?.summary.completed).toBe(12);
    expect(level?.summary.failed).toBe(0);
    // 30 tokens in chunks of 3 is 10 chunks, and the count is still 30.
    expect(level?.records.every((record) => record.chunks.length === 10)).toBe(true);
    expect(level?.summary.totalOutputTokens).toBe(12 * 30);
    expect(level?.summary.serverTokenCounts).toBe(true);
    expect(level?.summary.warnings).toEqual([]);
    expect(level?.summary.totalInputTokens).toBe(12 * 32);

    const records = level?.records ?? [];
    const measuredTtfts = records.map((record) => record.chunks[0]?.atMs ?? Number.NaN);
    const emittedTtfts = emittedTtftsMs(logs);
    // The measured TTFT includes the loopback trip, so it is never below the server's emit time; the
    // fastest request shows the runner's own overhead, the median what a busy machine adds to it.
    expect(Math.min(...measuredTtfts)).toBeGreaterThanOrEqual(Math.min(...emittedTtfts) - 0.05);
    expect(Math.min(...measuredTtfts) - Math.min(...emittedTtfts)).toBeLessThan(TTFT_BEST_CASE_TOLERANCE_MS);
    expect(median(measuredTtfts) - median(emittedTtfts)).toBeLessThan(TTFT_TOLERANCE_MS);
    expect(
      Math.abs((level?.summary.tpotMs?.median ?? Number.NaN) - median(emittedTpotsMs(logs))),
    ).toBeLessThan(TPOT_TOLERANCE_MS);
    // ITL is per message: a message of 3 tokens comes ~3 gaps after the previous one.
    const emittedItls = emittedInterTokenLatenciesMs(logs);
    expect(mean(emittedItls)).toBeGreaterThan(5.5);
    expect(Math.abs((level?.summary.itlMs?.median ?? Number.NaN) - median(emittedItls))).toBeLessThan(
      GAP_TOLERANCE_MS,
    );
  });

  it('takes chat TTFT at the role-only first chunk and counts it as no token', async () => {
    fake = await startFakeOpenAiServer({ ttftMs: 25, tokenGapMs: 3 });
    const result = await runBenchmark(
      runSpec({ endpointKind: 'chat', outputTokens: 16, numPrompts: 8, warmupRequests: 4 }),
      {
        endpointUrl: fake.url,
      },
    );
    const level = result.levels[0];
    const record = level?.records[0];
    expect(record?.chunks[0]).toMatchObject({ tokens: 0, textChars: 0 });
    expect(record?.chunks).toHaveLength(17);
    expect(record?.serverOutputTokens).toBe(16);
    expect(level?.summary.totalOutputTokens).toBe(128);
    const ttft = level?.summary.ttftMs?.p50 ?? Number.NaN;
    const logs = fake.requests().slice(4);
    const emittedTtftP50 = median(emittedTtftsMs(logs));
    expect(emittedTtftP50).toBeGreaterThanOrEqual(25);
    expect(ttft).toBeGreaterThanOrEqual(emittedTtftP50 - 0.05);
    expect(ttft - emittedTtftP50).toBeLessThan(TTFT_TOLERANCE_MS);
    const tpot = level?.summary.tpotMs?.mean ?? Number.NaN;
    expect(Math.abs(tpot - mean(emittedTpotsMs(logs)))).toBeLessThan(TPOT_TOLERANCE_MS);
  });

  it('falls back with a warning when the server sends no usage, and flags the undercount risk', async () => {
    fake = await startFakeOpenAiServer({ ttftMs: 5, tokenGapMs: 1, tokensPerChunk: 2, usage: 'none' });
    const result = await runBenchmark(runSpec({ outputTokens: 10, numPrompts: 3 }), {
      endpointUrl: fake.url,
    });
    const summary = result.levels[0]?.summary;
    expect(summary?.serverTokenCounts).toBe(false);
    // Five chunks of two tokens: the fallback can only see five.
    expect(summary?.totalOutputTokens).toBe(15);
    expect(summary?.warnings.join('\n')).toMatch(/3 requests had no server usage.*lower bound/);
  });

  it('gives one result per concurrency level and keeps warm-up requests out of the statistics', async () => {
    fake = await startFakeOpenAiServer({ ttftMs: 5, tokenGapMs: 2, batchSlowdownPerRequest: 0.5 });
    const result = await runBenchmark(
      runSpec({
        profile: { kind: 'concurrency', levels: [1, 8] },
        numPrompts: 8,
        outputTokens: 12,
        warmupRequests: 2,
      }),
      { endpointUrl: fake.url },
    );
    expect(result.levels.map((level) => level.summary.profile)).toEqual([
      { kind: 'concurrency', maxConcurrency: 1 },
      { kind: 'concurrency', maxConcurrency: 8 },
    ]);
    expect(result.levels.map((level) => level.records.length)).toEqual([8, 8]);
    expect(fake.requests()).toHaveLength(2 * (8 + 2));
    // Batching slowdown: eight streams at once decode much slower than one (2 ms against up to 9 ms).
    const [single, batched] = result.levels.map((level) => level.summary.tpotMs?.mean ?? Number.NaN);
    expect(batched).toBeGreaterThan((single ?? 0) * 2);
  });

  it('paces a request-rate profile to the requested rate', async () => {
    fake = await startFakeOpenAiServer({ ttftMs: 2, tokenGapMs: 1 });
    const result = await runBenchmark(
      runSpec({
        profile: { kind: 'rate', requestsPerSecond: 40, burstiness: 1 },
        numPrompts: 20,
        outputTokens: 4,
      }),
      { endpointUrl: fake.url },
    );
    const records = result.levels[0]?.records ?? [];
    const lastStart = Math.max(...records.map((record) => record.startOffsetMs));
    // vLLM's rescaling puts the last send at n / rate = 500 ms after the run starts; the first goes out after one gap.
    expect(lastStart).toBeGreaterThan(300);
    expect(lastStart).toBeLessThan(520);
  });
});
