import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allBreakEvens } from '../../../src/domain/engine/break-even';
import { buildCatalog } from '../../../src/domain/engine/catalog';
import { APPROXIMATE_TOTAL_TOLERANCE } from '../../../src/domain/engine/cost/types';
import { nextDoubleDown, nextDoubleUp, unitStepsFor } from '../../../src/domain/engine/cost/units';
import { costCurves } from '../../../src/domain/engine/curves';
import { resolveOptions } from '../../../src/domain/engine/evaluate';
import { buildServingOptions } from '../../../src/domain/engine/serving-options';
import { unitsNeeded } from '../../../src/domain/engine/throughput';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { customRetrievalWorkload, MOE_ALTERNATIVE, withMoeLora } from '../../fixtures/lab/lab-workloads';

const positiveDouble = fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true });

describe('neighbouring doubles', () => {
  it('steps by one ulp, across the 32-bit word and the binade', () => {
    expect(nextDoubleUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDoubleDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextDoubleUp(0)).toBe(Number.MIN_VALUE);
    // 2^32 + 1 ulps above 1: the low word is all ones, so the step carries into the high word.
    const carry = 1 + Number.EPSILON * (2 ** 32 - 1);
    expect(nextDoubleUp(carry)).toBe(1 + Number.EPSILON * 2 ** 32);
    expect(nextDoubleDown(1 + Number.EPSILON * 2 ** 32)).toBe(carry);
  });

  it('leaves no double between a value and its neighbours', () => {
    fc.assert(
      fc.property(positiveDouble, (value) => {
        const up = nextDoubleUp(value);
        const down = nextDoubleDown(value);
        expect(up).toBeGreaterThan(value);
        expect(down).toBeLessThan(value);
        expect(nextDoubleDown(up)).toBe(value);
        expect(nextDoubleUp(down)).toBe(value);
        // The midpoint rounds to one of the ends when nothing lies between them.
        expect([value, up]).toContain(value + (up - value) / 2);
      }),
    );
  });
});

describe('nextUnitStep', () => {
  const context = fc.record({
    outputTokensPerSecondPerUnit: fc.double({ min: 1e-3, max: 1e5, noNaN: true }),
    peakOutputTokensPerSecondPerMonthlyRequest: fc.double({ min: 1e-12, max: 1e3, noNaN: true }),
  });

  it('is the first double that needs more units: the one before it needs what the volume needs', () => {
    fc.assert(
      fc.property(context, fc.double({ min: 1e-3, max: 1e12, noNaN: true }), (sizing, volume) => {
        const { unitsAt, nextUnitStep } = unitStepsFor(sizing);
        const units = unitsAt(volume);
        // The same arithmetic as the sizing (throughput.ts), not a copy of the fast path's.
        const peakPerRequest = sizing.peakOutputTokensPerSecondPerMonthlyRequest;
        expect(units).toBe(unitsNeeded(volume * peakPerRequest, sizing.outputTokensPerSecondPerUnit));
        const step = nextUnitStep(volume);
        expect(step).toBeGreaterThan(volume);
        expect(unitsAt(step)).toBeGreaterThan(units);
        expect(unitsAt(nextDoubleDown(step))).toBe(units);
      }),
      // Enough runs to reach the bisection behind the closed form (under 1% of cases need it).
      { numRuns: 5000 },
    );
  });

  it('is Infinity where the provider sizes or nothing peaks', () => {
    const provider = unitStepsFor({
      outputTokensPerSecondPerUnit: null,
      peakOutputTokensPerSecondPerMonthlyRequest: 1,
    });
    expect(provider.nextUnitStep(1e6)).toBe(Number.POSITIVE_INFINITY);
    const idle = unitStepsFor({
      outputTokensPerSecondPerUnit: 10,
      peakOutputTokensPerSecondPerMonthlyRequest: 0,
    });
    expect(idle.unitsAt(1e9)).toBe(1);
    expect(idle.nextUnitStep(1e9)).toBe(Number.POSITIVE_INFINITY);
  });

  it('places every step of the lab curves on the exact boundary', () => {
    const workload = customRetrievalWorkload();
    const settings = resolveOptions(workload, { alternativeModelSlugs: MOE_ALTERNATIVE });
    const { options } = buildServingOptions(
      buildCatalog(withMoeLora(labEvidence())),
      workload,
      settings.candidateModelSlugs,
    );
    const curves = costCurves(options, workload, settings.volumeRange, settings.curvePoints);
    let steps = 0;
    curves.forEach((curve, index) => {
      const model = options[index]?.costModel;
      for (const step of curve.steps) {
        steps++;
        expect(model?.unitsAt(nextDoubleDown(step.requestsPerMonth))).toBe(step.fromUnits);
        expect(model?.unitsAt(step.requestsPerMonth)).toBeGreaterThan(step.fromUnits);
      }
    });
    // The lab's boxes reach thousands of units by a billion requests a month.
    expect(steps).toBeGreaterThan(300);
  });
});

describe('approximateTotalAt', () => {
  const evidence = withMoeLora(labEvidence());
  const workloads = fc.record({
    requestsPerDay: fc.double({ min: 0.5, max: 200_000, noNaN: true }),
    activeHoursPerDay: fc.constantFrom(0.5, 8, 10, 24),
    burstiness: fc.constantFrom(0.5, 1, 4),
    peakToMean: fc.constantFrom(1, 4),
    meanOutputTokens: fc.integer({ min: 1, max: 2000 }),
  });

  it('is within a relative APPROXIMATE_TOTAL_TOLERANCE of the exact total, on every lab path', () => {
    const behaviors = new Set<string>();
    fc.assert(
      fc.property(
        workloads,
        fc.array(fc.double({ min: 1, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (fields, volumes) => {
          const workload = customRetrievalWorkload(fields);
          const settings = resolveOptions(workload, { alternativeModelSlugs: MOE_ALTERNATIVE });
          const { options } = buildServingOptions(
            buildCatalog(evidence),
            workload,
            settings.candidateModelSlugs,
          );
          for (const option of options) {
            behaviors.add(option.costModel.behavior);
            for (const volume of volumes) {
              const exact = option.costModel.totalAt(volume);
              const approximate = option.costModel.approximateTotalAt(volume);
              expect(
                exact
                  .minus(approximate)
                  .abs()
                  .lessThanOrEqualTo(exact.abs().times(APPROXIMATE_TOTAL_TOLERANCE)),
              ).toBe(true);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
    expect([...behaviors].sort()).toEqual(['FLAT_PER_UNIT', 'LINEAR', 'WINDOWED']);
  });
});

describe('break-evens on the costs’ doubles', () => {
  it('find what exact totals everywhere find', () => {
    const evidence = withMoeLora(labEvidence());
    fc.assert(
      fc.property(
        fc.record({
          requestsPerDay: fc.double({ min: 0.5, max: 200_000, noNaN: true }),
          activeHoursPerDay: fc.constantFrom(0.5, 8, 10, 24),
          burstiness: fc.constantFrom(0.5, 1, 4),
          peakToMean: fc.constantFrom(1, 4),
          meanOutputTokens: fc.integer({ min: 1, max: 2000 }),
        }),
        (fields) => {
          const workload = customRetrievalWorkload(fields);
          const settings = resolveOptions(workload, { alternativeModelSlugs: MOE_ALTERNATIVE });
          const build = () =>
            buildServingOptions(buildCatalog(evidence), workload, settings.candidateModelSlugs).options;
          // A double that tells nothing (NaN) sends every comparison to the exact totals.
          const exactOnly = build().map((option) => ({
            ...option,
            costModel: { ...option.costModel, approximateTotalAt: () => Number.NaN },
          }));
          const fast = allBreakEvens(build(), workload, settings.volumeRange);
          expect(fast.flatMap((breakEven) => breakEven.crossings).length).toBeGreaterThan(0);
          expect(JSON.stringify(fast)).toBe(
            JSON.stringify(allBreakEvens(exactOnly, workload, settings.volumeRange)),
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});
