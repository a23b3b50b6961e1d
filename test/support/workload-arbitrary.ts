import fc from 'fast-check';
import { type NumericRange, WORKLOAD_RANGES } from '../../src/domain/engine/workload';

/** Any value in the range, with its ends (and the smallest step past an exclusive end) favoured. */
export function inRange(range: NumericRange): fc.Arbitrary<number> {
  const low = range.minExclusive ? (range.integer ? range.min + 1 : range.min + 1e-9) : range.min;
  const values = range.integer
    ? fc.integer({ min: low, max: range.max })
    : fc.double({ min: low, max: range.max, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(values, fc.constantFrom(low, range.max));
}

const R = WORKLOAD_RANGES;

/**
 * Workload inputs with every field anywhere in WORKLOAD_RANGES (the optional limits sometimes
 * absent), for one of `models`. `minDecodeTokensPerSecond` replaces that field's values (e.g. to aim
 * at the range where the lab's paths differ); `extra` adds fields.
 */
export function inRangeWorkload<Extra extends Record<string, fc.Arbitrary<unknown>>>(options: {
  models: readonly [string, ...string[]];
  minDecodeTokensPerSecond?: fc.Arbitrary<number>;
  extra?: Extra;
}) {
  return fc.record({
    requestsPerDay: inRange(R.requestsPerDay),
    meanInputTokens: inRange(R.meanInputTokens),
    meanOutputTokens: inRange(R.meanOutputTokens),
    activeHoursPerDay: inRange(R.activeHoursPerDay),
    activeDaysPerMonth: inRange(R.activeDaysPerMonth),
    burstiness: inRange(R.burstiness),
    peakToMean: inRange(R.peakToMean),
    model: fc.constantFrom(...options.models),
    needsCustomWeights: fc.boolean(),
    mustOwnWeights: fc.boolean(),
    minDecodeTokensPerSecond: fc.option(
      options.minDecodeTokensPerSecond ?? inRange(R.minDecodeTokensPerSecond),
      { nil: null },
    ),
    maxTtftMsP95: fc.option(inRange(R.maxTtftMsP95), { nil: null }),
    minAcceptedRate: fc.option(inRange(R.minAcceptedRate), { nil: null }),
    horizonMonths: inRange(R.horizonMonths),
    ...((options.extra ?? {}) as Extra),
  });
}
