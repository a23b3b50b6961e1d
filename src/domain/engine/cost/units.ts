import Decimal from 'decimal.js';
import { selectPrice } from '../catalog';
import type { PriceComponent, PriceComponentKind, ServingPath } from '../evidence';
import { unitsNeeded } from '../throughput';
import type { CostModelContext, CostModelResult, MonthlyCost } from './types';

/** Units (boxes, copies, model units, instances) needed at a monthly volume for this context. */
export function unitsAtVolume(context: CostModelContext, requestsPerMonth: number): number {
  const perUnit = context.outputTokensPerSecondPerUnit;
  if (perUnit === null || perUnit <= 0) return 1;
  return unitsNeeded(requestsPerMonth * context.peakOutputTokensPerSecondPerMonthlyRequest, perUnit);
}

/**
 * `unitsAtVolume` for one context, with what it reads taken out once: the same arithmetic, for the
 * hot loops (curve steps and break-even brackets ask it tens of thousands of times a decision).
 */
export function unitsAtVolumeFor(context: CostModelContext): (requestsPerMonth: number) => number {
  const perUnit = context.outputTokensPerSecondPerUnit;
  if (perUnit === null || perUnit <= 0) return () => 1;
  const peakPerRequest = context.peakOutputTokensPerSecondPerMonthlyRequest;
  return (requestsPerMonth) => unitsNeeded(requestsPerMonth * peakPerRequest, perUnit);
}

/** "1 box", "2 boxes", "2 copies", "3 instances". */
export function plural(count: number, noun: string): string {
  if (count === 1) return `${count} ${noun}`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${count} ${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${count} ${noun.slice(0, -1)}ies`;
  return `${count} ${noun}s`;
}

/** The context's price of one kind: for its variant, else the variant's base model, in its region. */
export function priceOf(context: CostModelContext, kind: PriceComponentKind): PriceComponent | null {
  const { path, variant, workload } = context;
  const modelSlugs = [variant.slug, variant.baseModelSlug];
  return selectPrice(path, { kind, modelSlugs, region: workload.region });
}

export function missingPrice(path: ServingPath, what: string, modelSlug: string): CostModelResult {
  return { ok: false, reason: `${path.name} has no ${what} price for ${modelSlug} in the evidence` };
}

/**
 * Cost of `units` whole units, memoized: flat-per-unit paths take only a handful of unit counts
 * over a whole curve, so each product is computed once.
 */
export function perUnitTotals(perUnit: Decimal, fixed: Decimal = new Decimal(0)): (units: number) => Decimal {
  const cache = new Map<number, Decimal>();
  return (units) => {
    let total = cache.get(units);
    if (!total) {
      total = fixed.plus(perUnit.times(units));
      cache.set(units, total);
    }
    return total;
  };
}

/**
 * A flat-per-unit path's costs without formulas, memoized by unit count: sensitivity's scenarios ask
 * for the same handful of unit counts again and again, and nothing in a cost is ever changed by its
 * reader. With formulas, a cost is built fresh each time (it is read once, by the answer).
 */
export function plainCostsByUnits(
  build: (units: number, formulas: boolean) => MonthlyCost,
): (units: number, formulas: boolean) => MonthlyCost {
  const plain = new Map<number, MonthlyCost>();
  return (units, formulas) => {
    if (formulas) return build(units, true);
    let cost = plain.get(units);
    if (!cost) {
      cost = build(units, false);
      plain.set(units, cost);
    }
    return cost;
  };
}

/**
 * A path billed per unit held (model units, instances): `fixed` plus `perUnit` per unit, the units
 * sized from the workload's peak at each volume. `breakdown` gives the lines for a unit count.
 */
export function flatPerUnitModel(
  context: CostModelContext,
  billing: {
    unitLabel: string;
    priceComponents: PriceComponent[];
    perUnit: Decimal;
    fixed?: Decimal;
    breakdown: (units: number, formulas: boolean) => Omit<MonthlyCost, 'units' | 'windows' | 'range'>;
  },
): CostModelResult {
  const unitsAt = unitsAtVolumeFor(context);
  const totalFor = perUnitTotals(billing.perUnit, billing.fixed);
  const costFor = plainCostsByUnits((units, formulas) => ({
    ...billing.breakdown(units, formulas),
    units,
    windows: null,
    range: null,
  }));
  return {
    ok: true,
    model: {
      behavior: 'FLAT_PER_UNIT',
      unitLabel: billing.unitLabel,
      outputTokensPerSecondPerUnit: context.outputTokensPerSecondPerUnit,
      priceComponents: billing.priceComponents,
      unitsAt,
      totalAt: (requestsPerMonth) => totalFor(unitsAt(requestsPerMonth)),
      costAt: (requestsPerMonth, formulas = true) => costFor(unitsAt(requestsPerMonth), formulas),
    },
  };
}
