import { describe, expect, it } from 'vitest';
import {
  distributionStats,
  mean,
  median,
  percentile,
  populationStd,
} from '../../../src/domain/metrics/statistics';

// Expected values computed with numpy (np.percentile default "linear", np.std ddof=0).
describe('statistics match numpy as vLLM uses it', () => {
  it('interpolates percentiles linearly between order statistics', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 90)).toBeCloseTo(3.7, 12);
    expect(percentile([1, 2, 3, 4], 99)).toBeCloseTo(3.97, 12);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99.9)).toBe(9.991000000000001);
    expect(percentile([7], 99)).toBe(7);
  });

  it('uses the population standard deviation', () => {
    expect(populationStd([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
  });

  it('summarises a distribution, and returns null rather than zeros for no samples', () => {
    const stats = distributionStats([10, 20, 30, 40, 50]);
    expect(stats).toEqual({
      mean: 30,
      median: 30,
      std: Math.sqrt(200),
      p50: 30,
      p90: 46,
      p95: 48,
      p99: 49.6,
      p999: 49.96000000000001,
    });
    expect(distributionStats([])).toBeNull();
  });

  it('refuses non-finite samples instead of returning NaN statistics', () => {
    expect(() => distributionStats([1, Number.NaN])).toThrow(/not a finite number/);
    expect(() => percentile([1, 2], 101)).toThrow(/\[0, 100\]/);
  });
});
