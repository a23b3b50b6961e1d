import { HISTORY_METRICS, type HistoryMetric } from '../../domain/metrics/history-metrics';
import type { RegressionVerdict } from '../../domain/regression';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import { unknownSlug, verdictOf } from './import-results';
import type { RegressionMetricName } from './regression-history';
import { RESULT_ROOFLINE_SELECT, rooflineOfResult } from './roofline-inputs';

interface MetricSource {
  /** A result column when the metric has one (indexed, and filled for every writer). */
  column?: 'decodeTokensPerSecond' | 'outputTokensPerSecond' | 'ttftP95Ms' | 'ttftP99Ms';
  /** Otherwise the path into the canonical summary JSON. */
  summaryPath?: readonly string[];
  /** The metric whose stored regression verdict the points carry, if it is one that is assessed. */
  assessedAs?: RegressionMetricName;
}

const METRIC_SOURCES: Record<HistoryMetric, MetricSource> = {
  DECODE_TOKENS_PER_S: {
    column: 'decodeTokensPerSecond',
    assessedAs: 'decodeTokensPerSecond',
  },
  OUTPUT_THROUGHPUT: { column: 'outputTokensPerSecond' },
  TOTAL_TOKEN_THROUGHPUT: { summaryPath: ['totalTokenThroughput'] },
  REQUEST_THROUGHPUT: { summaryPath: ['requestThroughput'] },
  REQUEST_GOODPUT: { summaryPath: ['requestGoodput'] },
  TTFT_P50_MS: { summaryPath: ['ttftMs', 'p50'] },
  TTFT_P95_MS: { column: 'ttftP95Ms' },
  TTFT_P99_MS: { column: 'ttftP99Ms', assessedAs: 'ttftP99Ms' },
  TPOT_P50_MS: { summaryPath: ['tpotMs', 'p50'] },
  TPOT_P99_MS: { summaryPath: ['tpotMs', 'p99'] },
  ITL_P99_MS: { summaryPath: ['itlMs', 'p99'] },
  E2EL_P99_MS: { summaryPath: ['e2elMs', 'p99'] },
};

export interface BenchmarkHistoryPoint {
  resultId: string;
  measuredAt: Date;
  value: number;
  verdict: RegressionVerdict | null;
  percentChange: number | null;
  zScore: number | null;
}

export interface BenchmarkHistory {
  box: string;
  variant: string;
  profileKey: string;
  metric: HistoryMetric;
  higherIsBetter: boolean;
  /** Oldest first. */
  points: BenchmarkHistoryPoint[];
  rooflineCeilingTokensPerSecond: number | null;
  rooflineAssumptions: string[];
}

export interface BenchmarkHistoryQuery {
  boxSlug: string;
  variantSlug: string;
  profileKey: string;
  metric: HistoryMetric;
  since: Date | null;
  /** The newest this many results are returned (then put oldest first). */
  limit: number;
}

export async function loadBenchmarkHistory(
  prisma: PrismaClient,
  query: BenchmarkHistoryQuery,
): Promise<BenchmarkHistory> {
  const [box, variant] = await Promise.all([
    prisma.box.findUnique({ where: { slug: query.boxSlug }, select: { id: true } }),
    prisma.modelVariant.findUnique({ where: { slug: query.variantSlug }, select: { id: true } }),
  ]);
  if (!box) throw await unknownSlug(prisma, 'box', query.boxSlug);
  if (!variant) throw await unknownSlug(prisma, 'model variant', query.variantSlug);
  const source = METRIC_SOURCES[query.metric];
  const rows = await prisma.benchmarkResult.findMany({
    where: {
      boxId: box.id,
      variantId: variant.id,
      profileKey: query.profileKey,
      ...(query.since ? { measuredAt: { gte: query.since } } : {}),
      ...(source.column ? { [source.column]: { not: null } } : {}),
    },
    orderBy: [{ measuredAt: 'desc' }, { id: 'desc' }],
    take: query.limit,
    select: {
      id: true,
      measuredAt: true,
      outputTokensPerSecond: true,
      ttftP95Ms: true,
      ttftP99Ms: true,
      regression: true,
      ...(source.summaryPath ? { summary: true } : {}),
      ...RESULT_ROOFLINE_SELECT,
    },
  });
  const oldestFirst = rows.reverse();
  const points = oldestFirst.flatMap((row): BenchmarkHistoryPoint[] => {
    const value = source.column
      ? row[source.column]
      : numberAt((row as { summary?: Prisma.JsonValue }).summary ?? null, source.summaryPath ?? []);
    if (value === null || !Number.isFinite(value)) return [];
    const assessment = source.assessedAs ? metricAssessmentOf(row.regression, source.assessedAs) : null;
    return [
      {
        resultId: row.id,
        measuredAt: row.measuredAt,
        value,
        verdict: assessment?.verdict ?? null,
        percentChange: assessment?.percentChange ?? null,
        zScore: assessment?.zScore ?? null,
      },
    ];
  });

  const newest = oldestFirst.at(-1);
  const roofline =
    query.metric === 'DECODE_TOKENS_PER_S' && newest
      ? rooflineOfResult({ ...newest, decodeTokensPerSecond: null })
      : null;
  return {
    box: query.boxSlug,
    variant: query.variantSlug,
    profileKey: query.profileKey,
    metric: query.metric,
    higherIsBetter: HISTORY_METRICS[query.metric].higherIsBetter,
    points,
    rooflineCeilingTokensPerSecond: roofline?.ceilingTokensPerSecond ?? null,
    rooflineAssumptions: roofline
      ? roofline.unavailableReason
        ? [roofline.unavailableReason]
        : roofline.assumptions
      : [],
  };
}

function numberAt(value: Prisma.JsonValue | null, path: readonly string[]): number | null {
  let current: Prisma.JsonValue | null = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return null;
    current = current[key] ?? null;
  }
  return typeof current === 'number' ? current : null;
}

function metricAssessmentOf(
  regression: Prisma.JsonValue | null,
  metric: RegressionMetricName,
): { verdict: RegressionVerdict | null; percentChange: number | null; zScore: number | null } | null {
  if (regression === null || typeof regression !== 'object' || Array.isArray(regression)) return null;
  const metrics = regression.metrics;
  if (metrics === null || metrics === undefined || typeof metrics !== 'object' || Array.isArray(metrics))
    return null;
  const assessment = metrics[metric];
  if (
    assessment === null ||
    assessment === undefined ||
    typeof assessment !== 'object' ||
    Array.isArray(assessment)
  )
    return null;
  return {
    verdict: verdictOf(assessment),
    percentChange: typeof assessment.percentChange === 'number' ? assessment.percentChange : null,
    zScore: typeof assessment.zScore === 'number' ? assessment.zScore : null,
  };
}
