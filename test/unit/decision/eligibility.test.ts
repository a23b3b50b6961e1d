import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AXES, type Axis, maskOfAxes } from '../../../src/domain/engine/axes';
import { decide } from '../../../src/domain/engine/decide';
import { isFeasibleUnder } from '../../../src/domain/engine/kept-sets';
import type { Workload } from '../../../src/domain/engine/workload';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { customRetrievalWorkload, MOE_ALTERNATIVE, withMoeLora } from '../../fixtures/lab/lab-workloads';
import { FC_SEED } from '../../support/fast-check-seed';

const quick = { analyses: { curves: false, sensitivity: false, breakEvens: false } } as const;

const workloadArbitrary: fc.Arbitrary<Workload> = fc
  .record({
    requestsPerDay: fc.double({ min: 0.5, max: 200_000, noNaN: true }),
    meanOutputTokens: fc.integer({ min: 1, max: 2000 }),
    activeHoursPerDay: fc.constantFrom(0.5, 1, 8, 10, 24),
    burstiness: fc.constantFrom(0.5, 1, 4),
    minDecodeTokensPerSecond: fc.constantFrom(null, 15, 25, 40),
    maxTtftMsP95: fc.constantFrom(null, 1000, 5000),
    minAcceptedRate: fc.constantFrom(null, 0.4, 0.6, 0.8),
    neededByDays: fc.constantFrom(null, 2, 5, 10, 30),
    monthlyBudget: fc.constantFrom(null, '1', '100', '1500', '50000'),
    mustOwnWeights: fc.boolean(),
    needsCustomWeights: fc.boolean(),
  })
  .map((fields) =>
    customRetrievalWorkload({
      ...fields,
      monthlyBudget: fields.monthlyBudget === null ? null : new Decimal(fields.monthlyBudget),
    }),
  );

function popCount(mask: number): number {
  return AXES.filter((_, index) => (mask & (1 << index)) !== 0).length;
}

describe('one eligibility rule', () => {
  it('lists a base-model stand-in for a custom-weights workload apart, and never recommends it', () => {
    const decision = decide(
      customRetrievalWorkload({ monthlyBudget: new Decimal('100') }),
      labEvidence(),
      quick,
    );
    const onDemand = decision.options.find(
      (option) => option.optionId === 'bedrock-on-demand/llama-3.1-8b-instruct-base',
    );
    expect(onDemand?.eligible).toBe(false);
    expect(decision.notEligible).toEqual([
      {
        optionId: 'bedrock-on-demand/llama-3.1-8b-instruct-base',
        pathSlug: 'bedrock-on-demand',
        variantSlug: 'llama-3.1-8b-instruct-base',
        reason:
          'Amazon Bedrock on-demand tokens serves base models only: llama-3.1-8b-instruct-base would stand in for llama-3.1-8b-lora, and the workload needs its custom weights',
      },
    ]);
    expect(decision.recommendation?.optionId).not.toBe('bedrock-on-demand/llama-3.1-8b-instruct-base');
    expect(decision.pareto).not.toContain('bedrock-on-demand/llama-3.1-8b-instruct-base');
  });

  it('keeps the base model eligible when base is fine', () => {
    const decision = decide(customRetrievalWorkload({ needsCustomWeights: false }), labEvidence(), quick);
    expect(decision.notEligible).toEqual([]);
    expect(decision.options.every((option) => option.eligible)).toBe(true);
  });

  it('says "no eligible path at all" when only base-model stand-ins are on offer', () => {
    const evidence = labEvidence();
    const onlyOnDemand = {
      ...evidence,
      paths: evidence.paths.filter((path) => path.slug === 'bedrock-on-demand'),
    };
    const decision = decide(customRetrievalWorkload(), onlyOnDemand, quick);
    expect(decision.recommendation).toBeNull();
    expect(decision.keptSets).toEqual([]);
    expect(decision.noRecommendation?.code).toBe('NO_ELIGIBLE_PATH');
    expect(decision.noRecommendation?.message).toMatch(
      /^No eligible path at all: every path on offer serves only a base model standing in for llama-3.1-8b-lora/,
    );
  });

  it('recommends whenever a brute force over all 32 kept sets finds a feasible eligible path, and agrees with it', () => {
    fc.assert(
      fc.property(
        workloadArbitrary,
        fc.option(fc.subarray([...AXES] as Axis[]), { nil: null }),
        (workload, keep) => {
          const decision = decide(workload, withMoeLora(labEvidence()), {
            ...quick,
            keep,
            alternativeModelSlugs: MOE_ALTERNATIVE,
          });
          const eligible = decision.options.filter((option) => option.eligible);
          for (const option of decision.options)
            expect(option.eligible).toBe(!(workload.needsCustomWeights && option.servedAs === 'BASE_ONLY'));
          // Brute force: every subset, every eligible option.
          const masks = keep ? [maskOfAxes(keep)] : Array.from({ length: 32 }, (_, mask) => mask);
          const feasible = masks.flatMap((mask) =>
            eligible.filter((option) => isFeasibleUnder(maskOfAxes(option.failedAxes), mask)),
          );
          if (feasible.length === 0) {
            expect(decision.recommendation).toBeNull();
            expect(decision.noRecommendation?.code).toBe(
              eligible.length === 0 ? 'NO_ELIGIBLE_PATH' : 'NO_PATH_MEETS_CONSTRAINTS',
            );
            return;
          }
          expect(decision.noRecommendation).toBeNull();
          const recommended = decision.options.find(
            (option) => option.optionId === decision.recommendation?.optionId,
          );
          expect(recommended?.eligible).toBe(true);
          // Without keep: fewest failed axes, then cheapest. With keep: cheapest feasible.
          const fewest = Math.min(...feasible.map((option) => popCount(maskOfAxes(option.failedAxes))));
          const best = feasible
            .filter((option) => keep !== null || popCount(maskOfAxes(option.failedAxes)) === fewest)
            .reduce((low, option) => (option.cost.total.lessThan(low.cost.total) ? option : low));
          expect(recommended?.cost.total.equals(best.cost.total)).toBe(true);
          // Every kept axis is stated with its shortfall.
          expect(decision.recommendation?.shortfalls.map((item) => item.axis)).toEqual(
            recommended?.failedAxes,
          );
          for (const item of decision.recommendation?.shortfalls ?? []) expect(item.shortfall).not.toBe('');
        },
      ),
      { numRuns: 80, seed: FC_SEED },
    );
  });
});
