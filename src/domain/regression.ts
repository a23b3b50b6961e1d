import { median } from './metrics/statistics';
/**
 * Regression detection for one metric of one box / model variant / load profile, conbench-style:
 * the new value against a lookback window of earlier results, with outliers dropped from the window.
 *
 * Noisy alerts are what every peer gets complained about, so an alert needs two things at once: a
 * z-score past the threshold (the change is large against the run-to-run noise) AND a percent change
 * past a floor (the change is large enough to matter). Either alone is not enough: a quiet history
 * turns a 0.5% wobble into a huge z-score; a noisy one makes a 10% swing ordinary.
 */

export type MetricDirection = 'higher-is-better' | 'lower-is-better';
export type RegressionVerdict = 'REGRESSED' | 'IMPROVED' | 'UNCHANGED' | 'NOT_ENOUGH_HISTORY';

export interface RegressionPolicy {
  /** |z| at or above this counts as a significant change (conbench's default is 5). */
  zScoreThreshold: number;
  /** |percent change| at or above this counts as a material change. */
  minPercentChange: number;
  /** No alert before this many history points survive outlier removal. */
  minHistory: number;
  /** Most recent history points used. */
  lookback: number;
  /** History points farther than this many robust sigmas (1.4826 × MAD) from the median are dropped. */
  outlierMadThreshold: number | null;
  /**
   * Noise floor as a fraction of the baseline mean: a history of near-identical numbers would
   * otherwise make any change look infinitely significant. Benchmarks rarely repeat within 0.5%.
   */
  minRelativeSpread: number;
}

const MIN_KEPT_AFTER_OUTLIERS = 3;
/**
 * The MAD of a handful of points is itself so noisy that the rule drops ordinary points from about
 * one in five five-run Gaussian histories (measured); below this size nothing is called an outlier.
 */
const MIN_POINTS_FOR_OUTLIER_RULE = 8;

export const DEFAULT_REGRESSION_POLICY: RegressionPolicy = {
  zScoreThreshold: 4,
  minPercentChange: 5,
  minHistory: 5,
  lookback: 20,
  outlierMadThreshold: 3.5,
  minRelativeSpread: 0.005,
};

export interface RegressionAssessment {
  verdict: RegressionVerdict;
  direction: MetricDirection;
  newValue: number;
  /** Mean of the history kept after dropping outliers; null with no history. */
  baselineMean: number | null;
  /** Sample standard deviation of the kept history (before the noise floor). */
  baselineStd: number | null;
  /** The spread the z-score divides by: max(std, floor × |mean|). */
  spreadUsed: number | null;
  percentChange: number | null;
  zScore: number | null;
  historyConsidered: number;
  historyUsed: number;
  outliersDropped: number[];
  policy: RegressionPolicy;
  reason: string;
}

/**
 * @param history earlier values, oldest first (the last `lookback` are used).
 */
export function assessRegression(input: {
  newValue: number;
  history: readonly number[];
  direction: MetricDirection;
  policy?: Partial<RegressionPolicy>;
}): RegressionAssessment {
  const policy = { ...DEFAULT_REGRESSION_POLICY, ...input.policy };
  const { newValue, direction } = input;
  if (!Number.isFinite(newValue)) throw new RangeError(`new value must be a finite number, got ${newValue}`);
  const window = input.history.filter(Number.isFinite).slice(-policy.lookback);
  const { kept, dropped } = dropOutliers(window, policy.outlierMadThreshold);
  const base = {
    direction,
    newValue,
    historyConsidered: window.length,
    historyUsed: kept.length,
    outliersDropped: dropped,
    policy,
  };

  // The minimum counts runs of history; outlier removal may thin them, but never below three.
  if (window.length < policy.minHistory || kept.length < MIN_KEPT_AFTER_OUTLIERS) {
    const mean = kept.length === 0 ? null : meanOf(kept);
    return {
      ...base,
      verdict: 'NOT_ENOUGH_HISTORY',
      baselineMean: mean,
      baselineStd: null,
      spreadUsed: null,
      percentChange: mean === null || mean === 0 ? null : ((newValue - mean) / Math.abs(mean)) * 100,
      zScore: null,
      reason:
        window.length < policy.minHistory
          ? `${window.length} runs of history; at least ${policy.minHistory} needed before any alert`
          : `${kept.length} runs left after dropping ${dropped.length} outliers; at least ${MIN_KEPT_AFTER_OUTLIERS} needed`,
    };
  }

  const mean = meanOf(kept);
  const std = sampleStdOf(kept, mean);
  const spreadUsed = Math.max(std, policy.minRelativeSpread * Math.abs(mean));
  const zScore = spreadUsed === 0 ? 0 : (newValue - mean) / spreadUsed;
  const percentChange = mean === 0 ? null : ((newValue - mean) / Math.abs(mean)) * 100;

  const significant = Math.abs(zScore) >= policy.zScoreThreshold;
  const material = percentChange !== null && Math.abs(percentChange) >= policy.minPercentChange;
  const better = direction === 'higher-is-better' ? newValue > mean : newValue < mean;
  const verdict: RegressionVerdict =
    significant && material ? (better ? 'IMPROVED' : 'REGRESSED') : 'UNCHANGED';
  const numbers = `change ${formatSigned(percentChange)}% (floor ${policy.minPercentChange}%), z ${formatSigned(zScore)} (threshold ${policy.zScoreThreshold}) against ${kept.length} runs`;
  const reason =
    verdict === 'UNCHANGED'
      ? `${numbers}: ${!significant && !material ? 'neither significant nor material' : !significant ? 'within run-to-run noise' : 'too small to matter'}`
      : `${numbers}: ${verdict === 'REGRESSED' ? 'worse' : 'better'} for a ${direction} metric`;
  return {
    ...base,
    verdict,
    baselineMean: mean,
    baselineStd: std,
    spreadUsed,
    percentChange,
    zScore,
    reason,
  };
}

/**
 * Median/MAD outlier rule (modified z-score, Iglewicz & Hoaglin): robust to the very outliers it
 * looks for, unlike mean ± k·std. When more than half the history is identical the MAD is zero and
 * the rule cannot tell noise from outliers, so nothing is dropped.
 */
export function dropOutliers(
  values: readonly number[],
  madThreshold: number | null,
): { kept: number[]; dropped: number[] } {
  if (madThreshold === null || values.length < MIN_POINTS_FOR_OUTLIER_RULE)
    return { kept: [...values], dropped: [] };
  const center = median(values);
  const mad = median(values.map((value) => Math.abs(value - center)));
  if (mad === 0) return { kept: [...values], dropped: [] };
  const robustSigma = 1.4826 * mad;
  const kept: number[] = [];
  const dropped: number[] = [];
  for (const value of values) {
    if (Math.abs(value - center) / robustSigma > madThreshold) dropped.push(value);
    else kept.push(value);
  }
  return { kept, dropped };
}

/** Which way is good for the canonical summary metrics. */
export function directionOfMetric(metricName: string): MetricDirection {
  return /throughput|goodput|tokenspersecond|decode/i.test(metricName)
    ? 'higher-is-better'
    : 'lower-is-better';
}

function meanOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function sampleStdOf(values: readonly number[], mean: number): number {
  if (values.length < 2) return 0;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
}

function formatSigned(value: number | null): string {
  if (value === null) return 'n/a';
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}
