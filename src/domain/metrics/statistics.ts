import type { DistributionStats } from './summary';

/**
 * Descriptive statistics exactly as `vllm bench serve` computes them with numpy: arithmetic mean,
 * median, population standard deviation (`np.std`, ddof 0) and percentiles with numpy's default
 * "linear" interpolation. Matching numpy matters: a result measured here is compared with results
 * imported from vLLM's own JSON files.
 */

export function mean(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('mean of an empty sample');
  let sum = 0;
  for (const sample of samples) sum += sample;
  return sum / samples.length;
}

/** Population standard deviation (divides by n, as numpy's `std` does by default). */
export function populationStd(samples: readonly number[]): number {
  const average = mean(samples);
  let squaredDeviations = 0;
  for (const sample of samples) squaredDeviations += (sample - average) ** 2;
  return Math.sqrt(squaredDeviations / samples.length);
}

/**
 * numpy's default percentile: the value at fractional rank (p / 100) * (n - 1) of the sorted sample,
 * interpolated linearly between the two neighbouring order statistics.
 */
function percentileOfSorted(sortedSamples: readonly number[], percent: number): number {
  if (sortedSamples.length === 0) throw new RangeError('percentile of an empty sample');
  if (!(percent >= 0 && percent <= 100))
    throw new RangeError(`percentile must be in [0, 100], got ${percent}`);
  const rank = (percent / 100) * (sortedSamples.length - 1);
  const lowerIndex = Math.floor(rank);
  const upperIndex = Math.min(lowerIndex + 1, sortedSamples.length - 1);
  const lower = sortedSamples[lowerIndex] as number;
  const upper = sortedSamples[upperIndex] as number;
  const fraction = rank - lowerIndex;
  // numpy's _lerp interpolates from the nearer neighbour, which changes the last bits of the result.
  return fraction >= 0.5 ? upper - (upper - lower) * (1 - fraction) : lower + (upper - lower) * fraction;
}

export function percentile(samples: readonly number[], percent: number): number {
  return percentileOfSorted(sortedAscending(samples), percent);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** The full distribution summary; null for an empty sample (vLLM would print 0, which reads as a measurement). */
export function distributionStats(samples: readonly number[]): DistributionStats | null {
  if (samples.length === 0) return null;
  const sorted = sortedAscending(samples);
  const p50 = percentileOfSorted(sorted, 50);
  return {
    mean: mean(sorted),
    median: p50,
    std: populationStd(sorted),
    p50,
    p90: percentileOfSorted(sorted, 90),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    p999: percentileOfSorted(sorted, 99.9),
  };
}

function sortedAscending(samples: readonly number[]): number[] {
  for (const sample of samples) {
    if (!Number.isFinite(sample)) throw new RangeError(`sample is not a finite number: ${sample}`);
  }
  return [...samples].sort((a, b) => a - b);
}
