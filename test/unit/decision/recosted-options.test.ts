import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/domain/engine/catalog';
import { resolveOptions } from '../../../src/domain/engine/evaluate';
import type { EvidenceSnapshot } from '../../../src/domain/engine/evidence';
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

/**
 * The lab's evidence with 6- and 12-month model-unit terms beside each no-commitment rate (a test
 * variation, cheaper the longer the term): which rate a horizon allows then moves with it. With
 * `termsOnly`, the no-commitment rates are gone: under 6 months no model-unit rate fits, and the
 * provisioned-throughput and fine-tune options cannot be costed.
 */
function withCommitmentTerms(snapshot: EvidenceSnapshot, termsOnly = false): EvidenceSnapshot {
  return {
    ...snapshot,
    paths: snapshot.paths.map((path) => ({
      ...path,
      priceComponents: path.priceComponents.flatMap((component) =>
        component.kind === 'MODEL_UNIT_HOUR' && !component.commitmentMonths
          ? [
              ...(termsOnly ? [] : [component]),
              ...[6, 12].map((months) => ({
                ...component,
                id: `${component.id}-${months}-month`,
                amount: component.amount.times(1 - months / 100),
                commitmentMonths: months,
              })),
            ]
          : [component],
      ),
    })),
  };
}

describe('recostedServingOptions', () => {
  // It keeps the cost models that read neither the horizon nor the amortization: each option must
  // cost what a fresh build for the changed workload costs, formulas included.
  it.each([
    ['the lab workload', customRetrievalWorkload(), catalog],
    ['a base-model workload', baseModelWorkload(), catalog],
    ['an amortization set', customRetrievalWorkload({ amortizationMonths: 18 }), catalog],
    ['model-unit terms', customRetrievalWorkload(), buildCatalog(withCommitmentTerms(evidence))],
    [
      'terms only, built for 36 months',
      customRetrievalWorkload(),
      buildCatalog(withCommitmentTerms(evidence, true)),
    ],
    [
      'terms only, built for 1 month',
      customRetrievalWorkload({ horizonMonths: 1 }),
      buildCatalog(withCommitmentTerms(evidence, true)),
    ],
  ])('costs every option as a fresh build does when the horizon moves (%s)', (_, workload, catalog) => {
    const slugs = resolveOptions(workload, { alternativeModelSlugs: MOE_ALTERNATIVE }).candidateModelSlugs;
    const prebuilt = buildServingOptions(catalog, workload, slugs);
    for (const horizonMonths of [1, 6, 12, 24, 36, 60]) {
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
