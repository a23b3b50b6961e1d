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

/** Views of one double's bits, to step to its neighbours (IEEE 754: the bit order is the value order). */
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

/** The smallest double above a positive finite `value`. */
export function nextDoubleUp(value: number): number {
  bits[0] = value;
  if (words[LOW_WORD] === 0xffffffff) {
    words[LOW_WORD] = 0;
    words[HIGH_WORD] = (words[HIGH_WORD] ?? 0) + 1;
  } else words[LOW_WORD] = (words[LOW_WORD] ?? 0) + 1;
  return bits[0] ?? value;
}

/** The largest double below a positive finite `value` (0 below the smallest denormal). */
export function nextDoubleDown(value: number): number {
  bits[0] = value;
  if (words[LOW_WORD] === 0) {
    words[LOW_WORD] = 0xffffffff;
    words[HIGH_WORD] = (words[HIGH_WORD] ?? 0) - 1;
  } else words[LOW_WORD] = (words[LOW_WORD] ?? 0) - 1;
  return bits[0] ?? value;
}

/** How far around the closed-form step the exact boundary is first looked for (it is a few ulps off). */
const STEP_BRACKET = 1e-12;

/**
 * Units at a volume, and the volume of the next unit step, for one context. `unitsAt` is
 * `unitsAtVolume` with what it reads taken out once, for the hot loops (curves and break-evens ask
 * it thousands of times a decision). Units are `unitsNeeded(volume x peak per request, per unit)`,
 * monotone in volume even in floating point (each operation rounds monotonically), so "more units
 * than at `volume`" starts at one double: `nextUnitStep` returns that double (Infinity when the
 * units never change). Its closed form, volume = (units + 1e-9) x per unit / peak per request, is an
 * ulp or two off after rounding: the double is found by stepping from it, else by bisection on
 * doubles inside a bracket of a relative 1e-12 around it. Two or three `unitsAt` calls where a
 * bisection over the volume interval took forty and stopped a relative 1e-12 short of the boundary.
 */
export function unitStepsFor(
  context: Pick<
    CostModelContext,
    'outputTokensPerSecondPerUnit' | 'peakOutputTokensPerSecondPerMonthlyRequest'
  >,
): UnitSteps {
  const perUnit = context.outputTokensPerSecondPerUnit;
  if (perUnit === null || perUnit <= 0) return SINGLE_UNIT;
  const peakPerRequest = context.peakOutputTokensPerSecondPerMonthlyRequest;
  // Methods, not arrow functions: tsx (esbuild keepNames) names each arrow function a property or
  // constant holds every time it is made, and cost models are built for every decision and scenario.
  return {
    unitsAt(requestsPerMonth) {
      return unitsNeeded(requestsPerMonth * peakPerRequest, perUnit);
    },
    nextUnitStep(requestsPerMonth) {
      return peakPerRequest > 0
        ? nextUnitStepOf(perUnit, peakPerRequest, requestsPerMonth)
        : Number.POSITIVE_INFINITY;
    },
  };
}

export interface UnitSteps {
  unitsAt(requestsPerMonth: number): number;
  nextUnitStep(requestsPerMonth: number): number;
}

/** A path the provider sizes (or with no capacity figure): one unit at any volume. */
const SINGLE_UNIT: UnitSteps = {
  unitsAt() {
    return 1;
  },
  nextUnitStep() {
    return Number.POSITIVE_INFINITY;
  },
};

/** See `unitStepsFor`: the first double above the volume that needs more units. */
function nextUnitStepOf(perUnit: number, peakPerRequest: number, requestsPerMonth: number): number {
  const units = unitsNeeded(requestsPerMonth * peakPerRequest, perUnit);
  const estimate = ((units + 1e-9) * perUnit) / peakPerRequest;
  // The estimate is usually within an ulp or two of the boundary: step to it.
  let candidate = estimate;
  for (let nudge = 0; nudge < 4 && candidate > requestsPerMonth && Number.isFinite(candidate); nudge++) {
    if (unitsNeeded(candidate * peakPerRequest, perUnit) <= units) candidate = nextDoubleUp(candidate);
    else {
      const previous = nextDoubleDown(candidate);
      if (previous <= requestsPerMonth || unitsNeeded(previous * peakPerRequest, perUnit) <= units)
        return candidate;
      candidate = previous;
    }
  }
  if (!Number.isFinite(estimate) && unitsNeeded(Number.MAX_VALUE * peakPerRequest, perUnit) <= units)
    return Number.POSITIVE_INFINITY;
  // The bracket: `below` keeps the units, `above` has more.
  let below = requestsPerMonth;
  let above = Number.isFinite(estimate) ? estimate * (1 + STEP_BRACKET) : Number.MAX_VALUE;
  const under = estimate * (1 - STEP_BRACKET);
  if (under > below && unitsNeeded(under * peakPerRequest, perUnit) <= units) below = under;
  for (let widen = 2; unitsNeeded(above * peakPerRequest, perUnit) <= units; widen *= 2) {
    below = above;
    above = Math.min(Number.MAX_VALUE, estimate * (1 + STEP_BRACKET * widen));
    if (above === Number.MAX_VALUE && unitsNeeded(above * peakPerRequest, perUnit) <= units)
      return Number.POSITIVE_INFINITY;
  }
  while (nextDoubleUp(below) < above) {
    // Strictly between whenever a double is (the bracket is narrow, so the difference is exact).
    const middle = below + (above - below) / 2;
    if (middle <= below || middle >= above) break;
    if (unitsNeeded(middle * peakPerRequest, perUnit) > units) above = middle;
    else below = middle;
  }
  return above;
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
  // Adding a zero would only copy the product (already rounded to the working precision).
  const withoutFixed = fixed.isZero();
  return (units) => {
    let total = cache.get(units);
    if (!total) {
      total = withoutFixed ? perUnit.times(units) : fixed.plus(perUnit.times(units));
      cache.set(units, total);
    }
    return total;
  };
}

/**
 * `perUnitTotals` as doubles (see CostModel.approximateTotalAt): fixed + per unit x units in floating
 * point, a few ulps from the exact total when neither is negative (a sum of non-negative terms has
 * no cancellation to magnify them); the exact total's double otherwise.
 */
export function approximatePerUnitTotals(
  perUnit: Decimal,
  fixed: Decimal,
  exact: (units: number) => Decimal,
): (units: number) => number {
  if (perUnit.isNegative() || fixed.isNegative()) return (units) => exact(units).toNumber();
  const perUnitValue = perUnit.toNumber();
  const fixedValue = fixed.toNumber();
  return (units) => fixedValue + perUnitValue * units;
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
 * A path billed per unit held (boxes, model units, instances): `fixed` plus `perUnit` per unit, the units
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
  const { unitsAt, nextUnitStep } = unitStepsFor(context);
  const fixed = billing.fixed ?? new Decimal(0);
  const totalFor = perUnitTotals(billing.perUnit, fixed);
  const approximateTotalFor = approximatePerUnitTotals(billing.perUnit, fixed, totalFor);
  // Written out, not spread and extended: V8 takes a slow path (~2 µs) for a spread followed by
  // properties the spread object lacks, and sensitivity costs hundreds of unit counts a decision.
  // The keys in MonthlyCost's order, as every other cost model writes them (the answer's JSON).
  const costFor = plainCostsByUnits((units, formulas): MonthlyCost => {
    const { total, lines, commitment } = billing.breakdown(units, formulas);
    return { total, lines, units, windows: null, range: null, commitment };
  });
  return {
    ok: true,
    model: {
      behavior: 'FLAT_PER_UNIT',
      unitLabel: billing.unitLabel,
      outputTokensPerSecondPerUnit: context.outputTokensPerSecondPerUnit,
      priceComponents: billing.priceComponents,
      unitsAt,
      nextUnitStep,
      // Methods, not arrow functions (see unitStepsFor): no name is set on each when a model is built.
      totalAt(requestsPerMonth) {
        return totalFor(unitsAt(requestsPerMonth));
      },
      approximateTotalAt(requestsPerMonth) {
        return approximateTotalFor(unitsAt(requestsPerMonth));
      },
      costAt(requestsPerMonth, formulas = true) {
        return costFor(unitsAt(requestsPerMonth), formulas);
      },
    },
  };
}
