import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/domain/engine/catalog';
import { resolveOptions } from '../../../src/domain/engine/evaluate';
import { buildServingOptions, recostedServingOptions } from '../../../src/domain/engine/serving-options';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import {
  baseModelWorkload,
  customRetrievalWorkload,
  MOE_ALTERNATIVE,
  withMoeLora,
} from '../../fixtures/lab/lab-workloads';

const evidence = withMoeLora(labEvidence());
const catalog = buildCatalog(evidence);

describe('recostedServingOptions', () => {
  // It keeps the cost models that read neither the horizon nor the amortization: each option must
  // cost what a fresh build for the changed workload costs, formulas included.
  it.each([
    ['the lab workload', customRetrievalWorkload()],
    ['a base-model workload', baseModelWorkload()],
    ['an amortization set', customRetrievalWorkload({ amortizationMonths: 18 })],
  ])('costs every option as a fresh build does when the horizon moves (%s)', (_, workload) => {
    const slugs = resolveOptions(workload, { alternativeModelSlugs: MOE_ALTERNATIVE }).candidateModelSlugs;
    const prebuilt = buildServingOptions(catalog, workload, slugs);
    for (const horizonMonths of [1, 6, 12, 24, 60]) {
      for (const amortizationMonths of [null, 3, 48]) {
        const changed = { ...workload, horizonMonths, amortizationMonths };
        const fresh = buildServingOptions(catalog, changed, slugs);
        const recosted = recostedServingOptions(prebuilt, catalog, changed);
        expect(recosted.options.map((option) => option.id)).toEqual(fresh.options.map((option) => option.id));
        expect(recosted.excluded).toEqual(fresh.excluded);
        fresh.options.forEach((option, index) => {
          const other = recosted.options[index];
          for (const volume of [1, 1000, 22_000, 1e6, 1e9]) {
            expect(JSON.stringify(other?.costModel.costAt(volume))).toBe(
              JSON.stringify(option.costModel.costAt(volume)),
            );
            expect(other?.costModel.totalAt(volume).toString()).toBe(
              option.costModel.totalAt(volume).toString(),
            );
          }
        });
      }
    }
  });
});
