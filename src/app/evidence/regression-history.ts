import {
  assessRegression,
  DEFAULT_REGRESSION_POLICY,
  type MetricDirection,
  type RegressionAssessment,
  type RegressionPolicy,
  type RegressionVerdict,
} from '../../domain/regression';
import type { Prisma } from '../../generated/prisma/client';

/** The result columns a verdict is computed for, and which way is good for each. */
export const REGRESSION_METRICS = {
  decodeTokensPerSecond: 'higher-is-better',
  ttftP99Ms: 'lower-is-better',
} as const satisfies Record<string, MetricDirection>;

export type RegressionMetricName = keyof typeof REGRESSION_METRICS;

export interface MetricRegression extends RegressionAssessment {
  /** The results the window was drawn from, oldest first, so a reader can check the numbers. */
  historyResultIds: string[];
}

/** What `BenchmarkResult.regression` holds (JSON): the verdict per metric with the numbers behind it. */
export interface StoredRegression {
  /** REGRESSED when any metric regressed, else IMPROVED when any improved, else UNCHANGED, else NOT_ENOUGH_HISTORY. */
  verdict: RegressionVerdict;
  comparedWith: {
    boxId: string | null;
    pathId: string | null;
    variantId: string;
    profileKey: string;
    quantization: string | null;
    /** Only results measured strictly before this instant count as history. */
    measuredBefore: string;
  };
  /** null where this result does not carry the metric. */
  metrics: Record<RegressionMetricName, MetricRegression | null>;
}

export interface RegressionSubject {
  boxId: string | null;
  pathId: string | null;
  variantId: string;
  profileKey: string;
  quantization: string | null;
  measuredAt: Date;
  values: Record<RegressionMetricName, number | null>;
}

/**
 * Assesses a new result against the lookback window of its own history: the same box (or path, for
 * results without a box), model variant, load profile and quantization, measured earlier, and our
 * own measurements only (estimates are not a baseline to alert against).
 */
export async function assessAgainstHistory(
  tx: Prisma.TransactionClient,
  subject: RegressionSubject,
  policyOverrides: Partial<RegressionPolicy> = {},
): Promise<StoredRegression> {
  const policy = { ...DEFAULT_REGRESSION_POLICY, ...policyOverrides };
  const metrics = {} as Record<RegressionMetricName, MetricRegression | null>;
  for (const [metric, direction] of Object.entries(REGRESSION_METRICS) as [
    RegressionMetricName,
    MetricDirection,
  ][]) {
    const newValue = subject.values[metric];
    if (newValue === null || !Number.isFinite(newValue)) {
      metrics[metric] = null;
      continue;
    }
    // Newest first to take the window, then reversed: assessRegression wants oldest first.
    const window = (
      await tx.benchmarkResult.findMany({
        where: {
          ...historyKey(subject),
          measuredAt: { lt: subject.measuredAt },
          [metric]: { not: null },
        },
        orderBy: [{ measuredAt: 'desc' }, { id: 'desc' }],
        take: policy.lookback,
        select: { id: true, decodeTokensPerSecond: true, ttftP99Ms: true },
      })
    ).reverse();
    const points = window.flatMap((row) => {
      const value = row[metric];
      return value === null || !Number.isFinite(value) ? [] : [{ id: row.id, value }];
    });
    metrics[metric] = {
      ...assessRegression({ newValue, history: points.map((point) => point.value), direction, policy }),
      historyResultIds: points.map((point) => point.id),
    };
  }
  return {
    verdict: overallVerdict(Object.values(metrics)),
    comparedWith: {
      boxId: subject.boxId,
      pathId: subject.boxId === null ? subject.pathId : null,
      variantId: subject.variantId,
      profileKey: subject.profileKey,
      quantization: subject.quantization,
      measuredBefore: subject.measuredAt.toISOString(),
    },
    metrics,
  };
}

function historyKey(subject: RegressionSubject): Prisma.BenchmarkResultWhereInput {
  return {
    ...(subject.boxId === null ? { boxId: null, pathId: subject.pathId } : { boxId: subject.boxId }),
    variantId: subject.variantId,
    profileKey: subject.profileKey,
    quantization: subject.quantization,
    isEstimate: false,
  };
}

function overallVerdict(assessments: readonly (MetricRegression | null)[]): RegressionVerdict {
  const verdicts = new Set(assessments.flatMap((assessment) => (assessment ? [assessment.verdict] : [])));
  for (const verdict of ['REGRESSED', 'IMPROVED', 'UNCHANGED'] as const) {
    if (verdicts.has(verdict)) return verdict;
  }
  return 'NOT_ENOUGH_HISTORY';
}
