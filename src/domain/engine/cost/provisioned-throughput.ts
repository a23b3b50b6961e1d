import type Decimal from 'decimal.js';
import { selectPrices } from '../catalog';
import type { PriceComponent, ServingPath } from '../evidence';
import { formatMoney, HOURS_PER_MONTH } from '../money';
import type { Workload } from '../workload';
import type { CostLine, CostModelContext, CostModelResult } from './types';
import { flatPerUnitModel, missingPrice, plural } from './units';

/**
 * The model-unit rate for a workload: the cheapest term whose commitment fits inside the horizon
 * (no commitment always fits). A committed term locks units x rate x 730 x months of spend.
 */
export function modelUnitRate(
  path: ServingPath,
  modelSlugs: readonly string[],
  workload: Workload,
): PriceComponent | null {
  const terms = selectPrices(path, {
    kind: 'MODEL_UNIT_HOUR',
    modelSlugs,
    region: workload.region,
    accept(component) {
      return (component.commitmentMonths ?? 0) <= workload.horizonMonths;
    },
  });
  let cheapest: PriceComponent | null = null;
  for (const term of terms) {
    if (!cheapest || term.amount.lessThan(cheapest.amount)) cheapest = term;
  }
  return cheapest;
}

export function modelUnitLine(units: number, rate: PriceComponent, label: string, formulas = true): CostLine {
  const months = rate.commitmentMonths ?? 0;
  return {
    label,
    amount: rate.amount.times(HOURS_PER_MONTH).times(units),
    priceComponentIds: [rate.id],
    formula: !formulas
      ? ''
      : `${plural(units, 'model unit')} x ${formatMoney(rate.amount)} per MU-hour (${months === 0 ? 'no commitment' : `${months}-month term`}) x ${HOURS_PER_MONTH} h, billed whatever the traffic`,
  };
}

export function commitmentOf(units: number, rate: PriceComponent): Decimal | null {
  const months = rate.commitmentMonths ?? 0;
  if (months === 0) return null;
  return rate.amount.times(HOURS_PER_MONTH).times(units).times(months);
}

/** Provisioned throughput: model units x hourly rate(term) x 730, whatever the traffic. */
export function provisionedThroughputCostModel(context: CostModelContext): CostModelResult {
  const { path, variant, workload } = context;
  const rate = modelUnitRate(path, [variant.slug, variant.baseModelSlug], workload);
  if (!rate) return missingPrice(path, 'model-unit', variant.slug);
  return flatPerUnitModel(context, {
    unitLabel: 'model unit',
    priceComponents: [rate],
    perUnit: rate.amount.times(HOURS_PER_MONTH),
    breakdown(units, formulas) {
      const line = modelUnitLine(units, rate, 'Provisioned throughput', formulas);
      return { total: line.amount, lines: [line], commitment: commitmentOf(units, rate) };
    },
  });
}
