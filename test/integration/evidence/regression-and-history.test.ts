import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRegression } from '../../../src/app/evidence/regression-history';
import {
  FingerprintConflictError,
  type StorableSummary,
  type StoreBenchmarkResultInput,
  storeBenchmarkResult,
} from '../../../src/app/evidence/store-result';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

/** ±2% run-to-run noise, fixed so the test is deterministic; one run 30% slow (a bad node). */
const JITTER = [0.012, -0.018, 0.005, 0.02, -0.01, -0.004, 0.016, -0.3, -0.02, 0.008, -0.006];
const BASE_DECODE = 50;
const BASE_TTFT_P99 = 200;
const PROFILE = { kind: 'concurrency', maxConcurrency: 16 } as const;

function summaryOf(decodeTokensPerSecond: number, ttftP99Ms: number): StorableSummary {
  const summary = {
    profile: PROFILE,
    completed: 64,
    failed: 0,
    durationS: 60,
    outputThroughput: decodeTokensPerSecond * 16,
    meanDecodeTokensPerSecond: decodeTokensPerSecond,
    ttftMs: {
      mean: ttftP99Ms / 2,
      median: ttftP99Ms / 2,
      p50: ttftP99Ms / 2,
      p95: ttftP99Ms * 0.9,
      p99: ttftP99Ms,
    },
    warnings: [],
  };
  return summary;
}

describe('regression verdicts stored with each result', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  let boxId: string;
  let variantId: string;
  const day = (index: number) => new Date(Date.UTC(2026, 5, 1 + index, 12));

  const store = (
    input: Partial<StoreBenchmarkResultInput> &
      Pick<StoreBenchmarkResultInput, 'fingerprint' | 'summary' | 'measuredAt'>,
  ) =>
    database.prisma.$transaction((tx) =>
      storeBenchmarkResult(tx, { boxId, variantId, source: 'RUNNER', sourceTool: 'test', ...input }),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
    boxId = (await database.prisma.box.findUniqueOrThrow({ where: { slug: 'dgx-spark' } })).id;
    variantId = (
      await database.prisma.modelVariant.findUniqueOrThrow({ where: { slug: 'llama-3.1-8b-lora' } })
    ).id;
    for (const [index, jitter] of JITTER.entries()) {
      const outcome = await store({
        fingerprint: `test:history:${index}`,
        summary: summaryOf(BASE_DECODE * (1 + jitter), BASE_TTFT_P99 * (1 - jitter)),
        measuredAt: day(index),
        quantization: 'FP8',
        contextTokens: 1024,
      });
      const regression = outcome.result.regression as unknown as StoredRegression;
      // Five runs of history before any alert.
      if (index < 5) expect(regression.verdict).toBe('NOT_ENOUGH_HISTORY');
    }
  });
  afterAll(async () => {
    await database.drop();
  });

  it('calls a run within 2% noise UNCHANGED, with the numbers behind it', async () => {
    const { result, alreadyStored } = await store({
      fingerprint: 'test:new:jitter',
      summary: summaryOf(BASE_DECODE * 1.02, BASE_TTFT_P99 * 0.99),
      measuredAt: day(20),
      quantization: 'FP8',
    });
    expect(alreadyStored).toBe(false);
    const regression = result.regression as unknown as StoredRegression;
    expect(regression.verdict).toBe('UNCHANGED');
    const decode = regression.metrics.decodeTokensPerSecond;
    expect(decode?.verdict).toBe('UNCHANGED');
    expect(decode?.historyConsidered).toBe(JITTER.length);
    // The 30%-slow run is dropped from the baseline as an outlier.
    expect(decode?.outliersDropped).toEqual([BASE_DECODE * 0.7]);
    expect(decode?.historyResultIds).toHaveLength(JITTER.length);
    expect(decode?.baselineMean).toBeCloseTo(BASE_DECODE, -0.5);
    expect(Math.abs(decode?.zScore ?? 99)).toBeLessThan(4);
    expect(regression.metrics.ttftP99Ms?.verdict).toBe('UNCHANGED');
    expect(regression.comparedWith).toMatchObject({
      boxId,
      variantId,
      profileKey: 'concurrency=16',
      quantization: 'FP8',
    });
  });

  it('calls a 15% decode drop REGRESSED (and a 15% TTFT rise too)', async () => {
    const { result } = await store({
      fingerprint: 'test:new:drop',
      summary: summaryOf(BASE_DECODE * 0.85, BASE_TTFT_P99 * 1.15),
      measuredAt: day(21),
      quantization: 'FP8',
    });
    const regression = result.regression as unknown as StoredRegression;
    expect(regression.verdict).toBe('REGRESSED');
    expect(regression.metrics.decodeTokensPerSecond?.verdict).toBe('REGRESSED');
    expect(regression.metrics.decodeTokensPerSecond?.percentChange).toBeLessThan(-10);
    expect(regression.metrics.decodeTokensPerSecond?.zScore).toBeLessThan(-4);
    expect(regression.metrics.ttftP99Ms?.verdict).toBe('REGRESSED');
  });

  it('returns the stored row for a fingerprint seen before, without recomputing', async () => {
    const again = await store({
      fingerprint: 'test:new:drop',
      summary: summaryOf(BASE_DECODE, BASE_TTFT_P99),
      measuredAt: day(30),
      quantization: 'FP8',
    });
    expect(again.alreadyStored).toBe(true);
    expect(again.result.decodeTokensPerSecond).toBeCloseTo(BASE_DECODE * 0.85);
    expect((again.result.regression as unknown as StoredRegression).verdict).toBe('REGRESSED');
  });

  it('refuses the same fingerprint for another variant', async () => {
    const otherVariant = await database.prisma.modelVariant.findUniqueOrThrow({
      where: { slug: 'llama-3.1-8b-instruct-base' },
    });
    await expect(
      store({
        fingerprint: 'test:new:drop',
        variantId: otherVariant.id,
        summary: summaryOf(BASE_DECODE, BASE_TTFT_P99),
        measuredAt: day(30),
      }),
    ).rejects.toBeInstanceOf(FingerprintConflictError);
  });

  it('serves the history oldest first with verdicts and the decode roofline ceiling', async () => {
    const { body } = await api.run<{
      benchmarkHistory: {
        points: { value: number; verdict: string | null; percentChange: number | null; measuredAt: string }[];
        rooflineCeilingTokensPerSecond: number | null;
        higherIsBetter: boolean;
      };
    }>(
      /* GraphQL */ `
        query History($metric: HistoryMetric!) {
          benchmarkHistory(box: "dgx-spark", variant: "llama-3.1-8b-lora", profileKey: "concurrency=16", metric: $metric) {
            higherIsBetter
            rooflineCeilingTokensPerSecond
            points { measuredAt value verdict percentChange zScore resultId }
          }
        }
      `,
      { metric: 'DECODE_TOKENS_PER_S' },
      { as: 'VIEWER' },
    );
    expect(body.errors).toBeUndefined();
    const history = body.data?.benchmarkHistory;
    expect(history?.points).toHaveLength(JITTER.length + 2);
    const times = history?.points.map((point) => Date.parse(point.measuredAt)) ?? [];
    expect(times).toEqual([...times].sort((left, right) => left - right));
    expect(history?.points.at(-1)).toMatchObject({ verdict: 'REGRESSED', value: BASE_DECODE * 0.85 });
    expect(history?.points[0]?.verdict).toBe('NOT_ENOUGH_HISTORY');
    expect(history?.higherIsBetter).toBe(true);
    // Llama 3.1 8B at 1 byte/param on 273 GB/s: about 34 tok/s single-stream.
    expect(history?.rooflineCeilingTokensPerSecond).toBeGreaterThan(30);
    expect(history?.rooflineCeilingTokensPerSecond).toBeLessThan(35);

    const capped = await api.run<{ benchmarkHistory: { points: { verdict: string | null }[] } }>(
      /* GraphQL */ `
        { benchmarkHistory(box: "dgx-spark", variant: "llama-3.1-8b-lora", profileKey: "concurrency=16", metric: TTFT_P50_MS, limit: 3) {
          points { value verdict } } }
      `,
      {},
      { as: 'VIEWER' },
    );
    expect(capped.body.data?.benchmarkHistory.points).toHaveLength(3);
    // TTFT p50 is read from the summary and carries no verdict (only decode and TTFT p99 are assessed).
    expect(capped.body.data?.benchmarkHistory.points.every((point) => point.verdict === null)).toBe(true);

    const tooMany = await api.run(
      /* GraphQL */ `{ benchmarkHistory(box: "dgx-spark", variant: "llama-3.1-8b-lora", profileKey: "concurrency=16", metric: TTFT_P99_MS, limit: 5000) { box } }`,
      {},
      { as: 'VIEWER' },
    );
    expect(tooMany.body.errors?.[0]?.message).toContain('at most 1000 points');
  });
});
