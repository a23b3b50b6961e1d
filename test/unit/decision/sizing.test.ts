import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/domain/engine/catalog';
import { decide } from '../../../src/domain/engine/decide';
import { resolveOptions } from '../../../src/domain/engine/evaluate';
import { buildServingOptions } from '../../../src/domain/engine/serving-options';
import type { Workload } from '../../../src/domain/engine/workload';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { customRetrievalWorkload, MOE_ALTERNATIVE, withMoeLora } from '../../fixtures/lab/lab-workloads';

// The lab's evidence with the fine-tuned MoE alternative added (a test variation: see withMoeLora).
const evidence = withMoeLora(labEvidence());
const quick = {
  analyses: { curves: false, sensitivity: false, breakEvens: false },
  alternativeModelSlugs: MOE_ALTERNATIVE,
} as const;

const workloadArbitrary: fc.Arbitrary<Workload> = fc
  .record({
    requestsPerDay: fc.double({ min: 0.5, max: 500_000, noNaN: true }),
    meanOutputTokens: fc.integer({ min: 1, max: 2000 }),
    activeHoursPerDay: fc.constantFrom(0.5, 1, 8, 10, 24),
    burstiness: fc.constantFrom(0.5, 1, 4),
    peakToMean: fc.constantFrom(1, 2, 4),
    minDecodeTokensPerSecond: fc.option(fc.double({ min: 1, max: 200, noNaN: true }), { nil: null }),
    maxTtftMsP95: fc.option(fc.double({ min: 50, max: 200_000, noNaN: true }), { nil: null }),
    minAcceptedRate: fc.constantFrom(null, 0.4, 0.6),
    needsCustomWeights: fc.boolean(),
    monthlyBudget: fc.constantFrom(null, '100', '1500'),
  })
  .map((fields) =>
    customRetrievalWorkload({
      ...fields,
      monthlyBudget: fields.monthlyBudget === null ? null : new Decimal(fields.monthlyBudget),
    }),
  );

/** A looser speed requirement: a lower decode floor or none, a higher TTFT ceiling or none. */
const relaxationArbitrary = fc.record({
  decode: fc.oneof(fc.constant(null), fc.double({ min: 0.01, max: 1, noNaN: true })),
  ttft: fc.oneof(fc.constant(null), fc.double({ min: 1, max: 100, noNaN: true })),
});

function relaxed(workload: Workload, by: { decode: number | null; ttft: number | null }): Workload {
  return {
    ...workload,
    minDecodeTokensPerSecond:
      by.decode === null || workload.minDecodeTokensPerSecond === null
        ? null
        : workload.minDecodeTokensPerSecond * by.decode,
    maxTtftMsP95: by.ttft === null || workload.maxTtftMsP95 === null ? null : workload.maxTtftMsP95 * by.ttft,
  };
}

describe('honest, monotone sizing', () => {
  it('sizes the Spark on its measurement at 12, 15, 17.5 and 18 tok/s alike (its c8 point is an estimate at 17.5 tok/s a stream, meeting all but 18)', () => {
    for (const slo of [12, 15, 17.5, 18]) {
      const decision = decide(customRetrievalWorkload({ minDecodeTokensPerSecond: slo }), evidence, quick);
      const spark = decision.options.find((option) => option.optionId === 'dgx-spark/llama-3.1-8b-lora');
      expect(spark?.verdicts.find((verdict) => verdict.axis === 'FAST')?.evidenceIds).toEqual([
        'seed:spark:llama-3.1-8b:fp8:c1',
      ]);
      expect(spark?.failedAxes).not.toContain('HIGH_CONFIDENCE');
      // 1,000 requests x 250 tokens over 10 h, x2 at peak = 13.9 tok/s: one box at 20.5 tok/s.
      expect(spark?.cost.units).toBe(1);
    }
  });

  it('prefers a measured point to an estimate whenever the option has one', () => {
    fc.assert(
      fc.property(workloadArbitrary, (workload) => {
        const catalog = buildCatalog(evidence);
        const { options } = buildServingOptions(
          catalog,
          workload,
          resolveOptions(workload, quick).candidateModelSlugs,
        );
        for (const option of options) {
          if (option.points.some((point) => point.measured)) {
            expect(option.points.every((point) => point.measured)).toBe(true);
            if (option.sizing) expect(option.sizing.measured).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never lowers confidence or speed, nor raises cost, when a speed requirement is relaxed', () => {
    fc.assert(
      fc.property(workloadArbitrary, relaxationArbitrary, (workload, by) => {
        const strict = decide(workload, evidence, quick);
        const loose = decide(relaxed(workload, by), evidence, quick);
        for (const before of strict.options) {
          const after = loose.options.find((option) => option.optionId === before.optionId);
          expect(after).toBeDefined();
          if (!after) continue;
          expect(after.cost.total.lessThanOrEqualTo(before.cost.total)).toBe(true);
          for (const axis of ['FAST', 'HIGH_CONFIDENCE'] as const) {
            if (!before.failedAxes.includes(axis)) expect(after.failedAxes).not.toContain(axis);
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});
