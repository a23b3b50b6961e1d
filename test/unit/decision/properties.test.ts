import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AXES, type Axis, axisBit, maskOfAxes } from '../../../src/domain/engine/axes';
import { breakEvenBetween } from '../../../src/domain/engine/break-even';
import { buildCatalog } from '../../../src/domain/engine/catalog';
import { decide } from '../../../src/domain/engine/decide';
import { resolveOptions } from '../../../src/domain/engine/evaluate';
import { isFeasibleUnder } from '../../../src/domain/engine/kept-sets';
import { buildServingOptions } from '../../../src/domain/engine/serving-options';
import type { Workload } from '../../../src/domain/engine/workload';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { customRetrievalWorkload, MOE_ALTERNATIVE, withMoeLora } from '../../fixtures/lab/lab-workloads';

const workloadArbitrary: fc.Arbitrary<Workload> = fc
  .record({
    requestsPerDay: fc.double({ min: 0.5, max: 200_000, noNaN: true }),
    meanInputTokens: fc.integer({ min: 0, max: 8000 }),
    meanOutputTokens: fc.integer({ min: 1, max: 2000 }),
    activeHoursPerDay: fc.constantFrom(0.5, 1, 8, 10, 16, 24),
    activeDaysPerMonth: fc.constantFrom(5, 22, 30),
    burstiness: fc.constantFrom(0.5, 1, 2, 4),
    peakToMean: fc.constantFrom(1, 2, 4),
    minDecodeTokensPerSecond: fc.constantFrom(null, 15, 25, 40),
    maxTtftMsP95: fc.constantFrom(null, 1000, 5000),
    minAcceptedRate: fc.constantFrom(null, 0.4, 0.6, 0.8),
    neededByDays: fc.constantFrom(null, 2, 10, 30),
    horizonMonths: fc.constantFrom(3, 12, 36),
    monthlyBudget: fc.constantFrom(null, '100', '1500', '50000'),
    mustOwnWeights: fc.boolean(),
  })
  .map((fields) =>
    customRetrievalWorkload({
      ...fields,
      monthlyBudget: fields.monthlyBudget === null ? null : new Decimal(fields.monthlyBudget),
    }),
  );

// The lab's evidence with the fine-tuned MoE alternative added (a test variation: see withMoeLora).
const evidence = withMoeLora(labEvidence());
const quick = {
  analyses: { curves: false, sensitivity: false, breakEvens: false },
  alternativeModelSlugs: MOE_ALTERNATIVE,
} as const;

function allOptions(workload: Workload) {
  return buildServingOptions(
    buildCatalog(evidence),
    workload,
    resolveOptions(workload, quick).candidateModelSlugs,
  ).options;
}

describe('engine properties', () => {
  it('never lowers the cost of a usage-billed path as volume rises', () => {
    fc.assert(
      fc.property(
        workloadArbitrary,
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 1, max: 50, noNaN: true }),
        (workload, volume, factor) => {
          for (const option of allOptions(workload)) {
            const lower = option.costModel.totalAt(volume);
            const higher = option.costModel.totalAt(volume * factor);
            expect(higher.greaterThanOrEqualTo(lower)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('returns break-evens where both costs agree within a cent', () => {
    fc.assert(
      fc.property(workloadArbitrary, (workload) => {
        const options = allOptions(workload);
        for (let first = 0; first < options.length; first++) {
          for (let second = first + 1; second < options.length; second++) {
            const a = options[first];
            const b = options[second];
            if (!a || !b) continue;
            const result = breakEvenBetween(a, b, workload, {
              minRequestsPerMonth: 1,
              maxRequestsPerMonth: 1e8,
            });
            for (const crossing of result.crossings.filter((candidate) => candidate.kind === 'EQUAL')) {
              const costA = a.costModel.totalAt(crossing.requestsPerMonth);
              const costB = b.costModel.totalAt(crossing.requestsPerMonth);
              expect(costA.minus(costB).abs().toNumber()).toBeLessThanOrEqual(0.01);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('returns minimal kept sets that are feasible and whose proper subsets are not', () => {
    fc.assert(
      fc.property(workloadArbitrary, (workload) => {
        const decision = decide(workload, evidence, quick);
        const failMasks = decision.options
          .filter((option) => option.eligible)
          .map((option) => maskOfAxes(option.failedAxes));
        const feasible = (mask: number) => failMasks.some((failMask) => isFeasibleUnder(failMask, mask));
        expect(decision.keptSets.length).toBeGreaterThan(0);
        for (const set of decision.keptSets) {
          expect(feasible(set.mask)).toBe(true);
          expect(set.unlocked.length).toBeGreaterThan(0);
          for (let subset = (set.mask - 1) & set.mask; ; subset = (subset - 1) & set.mask) {
            if (subset !== set.mask) expect(feasible(subset)).toBe(false);
            if (subset === 0) break;
          }
        }
        // Every feasible subset contains some minimal set: none was missed.
        for (let mask = 0; mask < 32; mask++) {
          if (!feasible(mask)) continue;
          expect(decision.keptSets.some((set) => (set.mask & ~mask) === 0)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never removes a feasible path when a kept axis is added', () => {
    const axisArbitrary = fc.subarray([...AXES] as Axis[]);
    fc.assert(
      fc.property(workloadArbitrary, axisArbitrary, fc.constantFrom(...AXES), (workload, kept, extra) => {
        const decision = decide(workload, evidence, quick);
        const entries = decision.options
          .filter((option) => option.eligible)
          .map((option) => ({
            id: option.optionId,
            failMask: maskOfAxes(option.failedAxes),
          }));
        const mask = maskOfAxes(kept);
        const before = entries
          .filter((entry) => isFeasibleUnder(entry.failMask, mask))
          .map((entry) => entry.id);
        const after = new Set(
          entries
            .filter((entry) => isFeasibleUnder(entry.failMask, mask | axisBit(extra)))
            .map((entry) => entry.id),
        );
        for (const id of before) expect(after.has(id)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('ranks feasible paths by cost for any kept set', () => {
    fc.assert(
      fc.property(workloadArbitrary, fc.subarray([...AXES] as Axis[]), (workload, kept) => {
        const decision = decide(workload, evidence, { ...quick, keep: kept });
        const costs = decision.feasibleUnderKeep?.map((entry) => entry.monthlyCost) ?? [];
        for (let index = 1; index < costs.length; index++) {
          expect(costs[index]?.greaterThanOrEqualTo(costs[index - 1] ?? 0)).toBe(true);
        }
        // The cheapest feasible option: only eligible options are ever listed as feasible.
        for (const entry of decision.feasibleUnderKeep ?? []) {
          const option = decision.options.find((candidate) => candidate.optionId === entry.optionId);
          expect(option?.eligible).toBe(true);
        }
        const expected = costs[0];
        if (expected) expect(decision.recommendation?.monthlyCost.equals(expected)).toBe(true);
        else expect(decision.recommendation).toBeNull();
      }),
      { numRuns: 40 },
    );
  });
});
