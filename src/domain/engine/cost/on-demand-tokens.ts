import { selectPrice } from '../catalog';
import type { PriceComponent } from '../evidence';
import { approximateQuantity, formatNumber, quantity, volumeQuantity } from '../money';
import type { CostLine, CostModelContext, CostModelResult } from './types';
import { missingPrice } from './units';

/** A month's requests' input or output tokens at their per-1M-token price. */
function tokenLine(
  label: 'Input tokens' | 'Output tokens',
  price: PriceComponent,
  tokensPerRequest: number,
  requestsPerMonth: number,
  formulas: boolean,
): CostLine {
  return {
    label,
    amount: price.amount.times(tokensPerRequest).times(quantity(requestsPerMonth)).dividedBy(1_000_000),
    priceComponentIds: [price.id],
    formula: formulas
      ? `${formatNumber(requestsPerMonth, 0)} requests x ${tokensPerRequest} tokens x ${price.amount.toString()} $/1M`
      : '',
  };
}

/** On-demand tokens: requests x (in x $in + out x $out) / 1e6. Base models only; never sized. */
export function onDemandTokensCostModel(context: CostModelContext): CostModelResult {
  const { path, variant, workload } = context;
  const slugs = [variant.slug];
  const input = selectPrice(path, {
    kind: 'INPUT_PER_1M_TOKENS',
    modelSlugs: slugs,
    region: workload.region,
  });
  const output = selectPrice(path, {
    kind: 'OUTPUT_PER_1M_TOKENS',
    modelSlugs: slugs,
    region: workload.region,
  });
  if (!input || !output) return missingPrice(path, 'per-token', variant.slug);
  const perRequest = input.amount
    .times(workload.meanInputTokens)
    .plus(output.amount.times(workload.meanOutputTokens))
    .dividedBy(1_000_000);
  const perRequestValue = perRequest.toNumber();
  const lines = (requestsPerMonth: number, formulas: boolean): CostLine[] => [
    tokenLine('Input tokens', input, workload.meanInputTokens, requestsPerMonth, formulas),
    tokenLine('Output tokens', output, workload.meanOutputTokens, requestsPerMonth, formulas),
  ];
  return {
    ok: true,
    model: {
      behavior: 'LINEAR',
      unitLabel: 'provider capacity',
      outputTokensPerSecondPerUnit: null,
      priceComponents: [input, output],
      // Methods, not arrow functions (see unitStepsFor): no name is set on each when a model is built.
      unitsAt() {
        return 1;
      },
      nextUnitStep() {
        return Number.POSITIVE_INFINITY;
      },
      totalAt(requestsPerMonth) {
        return perRequest.times(volumeQuantity(requestsPerMonth));
      },
      approximateTotalAt(requestsPerMonth) {
        // A non-negative price keeps the product's few ulps a few ulps of the total.
        return perRequestValue >= 0
          ? perRequestValue * approximateQuantity(requestsPerMonth)
          : perRequest.times(volumeQuantity(requestsPerMonth)).toNumber();
      },
      costAt(requestsPerMonth, formulas = true) {
        const breakdown = lines(requestsPerMonth, formulas);
        const total = perRequest.times(quantity(requestsPerMonth));
        return { total, lines: breakdown, units: 1, windows: null, range: null, commitment: null };
      },
    },
  };
}
