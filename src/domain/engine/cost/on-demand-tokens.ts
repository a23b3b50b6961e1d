import { selectPrice } from '../catalog';
import { formatNumber, quantity } from '../money';
import type { CostLine, CostModelContext, CostModelResult } from './types';
import { missingPrice } from './units';

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
  const lines = (requestsPerMonth: number, formulas: boolean): CostLine[] => {
    const requests = quantity(requestsPerMonth);
    return [
      {
        label: 'Input tokens',
        amount: input.amount.times(workload.meanInputTokens).times(requests).dividedBy(1_000_000),
        priceComponentIds: [input.id],
        formula: formulas
          ? `${formatNumber(requestsPerMonth, 0)} requests x ${workload.meanInputTokens} tokens x ${input.amount.toString()} $/1M`
          : '',
      },
      {
        label: 'Output tokens',
        amount: output.amount.times(workload.meanOutputTokens).times(requests).dividedBy(1_000_000),
        priceComponentIds: [output.id],
        formula: formulas
          ? `${formatNumber(requestsPerMonth, 0)} requests x ${workload.meanOutputTokens} tokens x ${output.amount.toString()} $/1M`
          : '',
      },
    ];
  };
  return {
    ok: true,
    model: {
      behavior: 'LINEAR',
      unitLabel: 'provider capacity',
      outputTokensPerSecondPerUnit: null,
      priceComponents: [input, output],
      unitsAt: () => 1,
      totalAt: (requestsPerMonth) => perRequest.times(quantity(requestsPerMonth)),
      costAt: (requestsPerMonth, formulas = true) => {
        const breakdown = lines(requestsPerMonth, formulas);
        const total = perRequest.times(quantity(requestsPerMonth));
        return { total, lines: breakdown, units: 1, windows: null, range: null, commitment: null };
      },
    },
  };
}
