import { describe, expect, it } from 'vitest';
import { arrivalOffsetsMs } from '../../../runner/arrivals';
import { sweepRates } from '../../../runner/load';
import { mean } from '../../../src/domain/metrics/statistics';

describe('request-rate arrivals', () => {
  it('sends the last request at exactly n / rate, as vLLM rescales its gamma gaps', () => {
    const offsets = arrivalOffsetsMs(200, 4, 1, 42);
    expect(offsets).toHaveLength(200);
    expect(offsets[199]).toBeCloseTo(50_000, 6);
    for (let index = 1; index < offsets.length; index++) {
      expect(offsets[index]).toBeGreaterThanOrEqual(offsets[index - 1] as number);
    }
  });

  it('draws Poisson gaps at burstiness 1 and more regular gaps at higher burstiness', () => {
    const gapsOf = (offsets: number[]) => offsets.map((offset, index) => offset - (offsets[index - 1] ?? 0));
    const coefficientOfVariation = (gaps: number[]) => {
      const average = mean(gaps);
      return Math.sqrt(mean(gaps.map((gap) => (gap - average) ** 2))) / average;
    };
    // Exponential gaps have CV 1; gamma with shape k has CV 1 / sqrt(k).
    expect(coefficientOfVariation(gapsOf(arrivalOffsetsMs(20_000, 10, 1, 1)))).toBeCloseTo(1, 1);
    expect(coefficientOfVariation(gapsOf(arrivalOffsetsMs(20_000, 10, 4, 1)))).toBeCloseTo(0.5, 1);
    expect(coefficientOfVariation(gapsOf(arrivalOffsetsMs(20_000, 10, 0.25, 1)))).toBeCloseTo(2, 0);
  });

  it('is reproducible from its seed, and sends everything at once at rate inf', () => {
    expect(arrivalOffsetsMs(50, 3, 1, 9)).toEqual(arrivalOffsetsMs(50, 3, 1, 9));
    expect(arrivalOffsetsMs(50, 3, 1, 9)).not.toEqual(arrivalOffsetsMs(50, 3, 1, 10));
    expect(arrivalOffsetsMs(3, 'inf', 1, 9)).toEqual([0, 0, 0]);
  });

  it('sweeps rates strictly between the synchronous and maximum throughputs', () => {
    expect(sweepRates(2, 10, 3)).toEqual([4, 6, 8]);
    expect(sweepRates(0, 0, 3)).toEqual([]);
  });
});
