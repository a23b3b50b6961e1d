import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AXES, type Axis } from '../../../src/domain/engine/axes';
import { buildCatalog } from '../../../src/domain/engine/catalog';
import {
  type DecideOptions,
  evaluateCore,
  recommendedOptionId,
  resolveOptions,
} from '../../../src/domain/engine/evaluate';
import { buildServingOptions } from '../../../src/domain/engine/serving-options';
import type { Workload } from '../../../src/domain/engine/workload';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { customRetrievalWorkload, MOE_ALTERNATIVE, withMoeLora } from '../../fixtures/lab/lab-workloads';

// The lab's evidence with the fine-tuned MoE alternative added (a test variation: see withMoeLora).
const catalog = buildCatalog(withMoeLora(labEvidence()));

/** What a sensitivity scenario changes without rebuilding the options (one built set serves all). */
const changeArbitrary: fc.Arbitrary<Partial<Workload>> = fc.record(
  {
    // Factors that land on the same unit counts again, and ones that do not.
    requestsPerDay: fc.constantFrom(1, 10, 999, 1000, 1001, 1e4, 1e5, 1e6),
    neededByDays: fc.constantFrom(null, 1, 7, 30),
    minAcceptedRate: fc.constantFrom(null, 0.6, 0.9),
    mustOwnWeights: fc.boolean(),
    maxTtftMsP95: fc.constantFrom(null, 500),
    monthlyBudget: fc.constantFrom(null, new Decimal('150'), new Decimal('1500')),
  },
  { requiredKeys: [] },
);

const optionsArbitrary: fc.Arbitrary<DecideOptions> = fc.record({
  keep: fc.option(fc.subarray([...AXES] as Axis[]), { nil: null, freq: 3 }),
  stalePricesFailConfidence: fc.boolean(),
  maxCommitment: fc.constantFrom(null, new Decimal('5000')),
  cheapRatio: fc.constantFrom(1.5, 2),
});

describe('scenario evaluations (recommendedOptionId)', () => {
  // Scenarios share costs without formulas (per model and volume), dominant prices (per cost) and
  // access records (per catalog and path) across evaluations: none of them may carry a verdict
  // from one scenario into another that changes what the verdict reads.
  it('pick what the full evaluation picks, one built option set for a run of scenarios in any order', () => {
    fc.assert(
      fc.property(
        fc.array(changeArbitrary, { minLength: 2, maxLength: 12 }),
        optionsArbitrary,
        (changes, options) => {
          const workload = customRetrievalWorkload();
          const settings = resolveOptions(workload, { ...options, alternativeModelSlugs: MOE_ALTERNATIVE });
          const prebuilt = buildServingOptions(catalog, workload, settings.candidateModelSlugs);
          for (const change of changes) {
            const changed = { ...workload, ...change };
            expect(recommendedOptionId(catalog, changed, settings, prebuilt)).toBe(
              evaluateCore(catalog, changed, settings, prebuilt).recommendation?.optionId ?? null,
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('see a deadline, an accepted rate and a staleness policy change on costs already evaluated', () => {
    // Keeping nothing, the pick must pass every axis: each of these changes fails one for the Spark.
    const workload = customRetrievalWorkload();
    const settings = resolveOptions(workload, { alternativeModelSlugs: MOE_ALTERNATIVE, keep: [] });
    const strict = { ...settings, policy: { ...settings.policy, stalePricesFailConfidence: true } };
    const prebuilt = buildServingOptions(catalog, workload, settings.candidateModelSlugs);
    const scenarios: [Workload, typeof settings][] = [
      [workload, settings],
      [{ ...workload, neededByDays: 1 }, settings],
      [workload, settings],
      [workload, strict],
      [{ ...workload, minAcceptedRate: 0.95 }, settings],
      [{ ...workload, requestsPerDay: 1001 }, settings],
    ];
    const picks = scenarios.map(([changed, resolved]) =>
      recommendedOptionId(catalog, changed, resolved, prebuilt),
    );
    expect(picks).toEqual([
      'dgx-spark/moe-26b-a4b-lora',
      null,
      'dgx-spark/moe-26b-a4b-lora',
      null,
      null,
      'dgx-spark/moe-26b-a4b-lora',
    ]);
    for (const [index, [changed, resolved]] of scenarios.entries())
      expect(picks[index]).toBe(
        evaluateCore(catalog, changed, resolved, prebuilt).recommendation?.optionId ?? null,
      );
  });
});

describe('CHEAP without a budget', () => {
  // "Within the ratio" is total <= cheapest x ratio, exactly: the verdict and sensitivity's price
  // search make the same test. A ratio total / cheapest rounded to a double could pass a total that
  // is a hair over the line, and the two would disagree right at it.
  it('fails a total just over cheapest x ratio even when the ratio rounds down onto the line', () => {
    // The lab workload without its budget, so CHEAP compares with the cheapest option.
    const workload = { ...customRetrievalWorkload(), monthlyBudget: null };
    const core = evaluateCore(
      catalog,
      workload,
      resolveOptions(workload, { alternativeModelSlugs: MOE_ALTERNATIVE }),
    );
    // CHEAP's reference is the cheapest eligible option passing every other axis (or the cheapest).
    const passesOthers = (entry: (typeof core.eligible)[number]) =>
      (['FAST', 'HIGH_CONFIDENCE', 'CONTROLLED', 'AVAILABLE'] as const).every(
        (axis) => entry.profile.verdicts[axis].pass,
      );
    const feasible = core.eligible.filter(passesOthers);
    const reference = (feasible.length > 0 ? feasible : core.eligible)
      .map((entry) => entry.cost.total)
      .reduce((low, total) => (total.lessThan(low) ? total : low));
    // An option whose exact ratio lies strictly above the double nearest to it.
    const edge = core.evaluated.find((entry) => {
      const exact = entry.cost.total.dividedBy(reference);
      return exact.greaterThan(1) && new Decimal(exact.toNumber()).lessThan(exact);
    });
    if (!edge) throw new Error('the lab has no option whose cost ratio rounds down as a double');
    const roundedDown = edge.cost.total.dividedBy(reference).toNumber();
    const cheapAt = (cheapRatio: number) =>
      evaluateCore(
        catalog,
        workload,
        resolveOptions(workload, { alternativeModelSlugs: MOE_ALTERNATIVE, cheapRatio }),
      ).evaluated.find((entry) => entry.option.id === edge.option.id)?.profile.verdicts.CHEAP.pass;
    expect(cheapAt(roundedDown)).toBe(false);
    // The next double up is over the exact ratio: the same total passes.
    expect(cheapAt(roundedDown * (1 + Number.EPSILON))).toBe(true);
  });
});
