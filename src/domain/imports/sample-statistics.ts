import type { DistributionStats } from '../metrics/summary';

/** numpy's default ("linear") percentile, which is what vLLM and GuideLLM both use. */
function linearPercentile(sortedValues: ArrayLike<number>, percent: number): number {
  if (sortedValues.length === 0) throw new RangeError('percentile of no values');
  const position = (percent / 100) * (sortedValues.length - 1);
  const lowerIndex = Math.floor(position);
  const upperIndex = Math.min(lowerIndex + 1, sortedValues.length - 1);
  const lower = sortedValues[lowerIndex] as number;
  const upper = sortedValues[upperIndex] as number;
  return lower + (upper - lower) * (position - lowerIndex);
}

/** Full statistics of samples; null for no samples (a metric nobody measured is not zero). */
export function distributionOf(samples: ArrayLike<number>): DistributionStats | null {
  if (samples.length === 0) return null;
  // Sorted as a typed copy: 8 bytes a sample (an array of millions of boxed numbers, and its
  // sorted copy, cost ten times that), in the same ascending order as (a, b) => a - b for the
  // NaN-free samples an import gives, so every statistic below comes out the same.
  const sorted = Float64Array.from(samples).sort();
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const variance = sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / sorted.length;
  const median = linearPercentile(sorted, 50);
  return {
    mean,
    median,
    std: Math.sqrt(variance),
    p50: median,
    p90: linearPercentile(sorted, 90),
    p95: linearPercentile(sorted, 95),
    p99: linearPercentile(sorted, 99),
    p999: linearPercentile(sorted, 99.9),
  };
}
