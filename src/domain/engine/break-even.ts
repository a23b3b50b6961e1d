import Decimal from 'decimal.js';
import type { CostModel } from './cost/types';
import { nextDoubleDown } from './cost/units';
import { formatMoney, formatNumber, ZERO } from './money';
import type { ServingOption } from './serving-options';
import { trafficShapeOf } from './traffic';
import { logVolumeGrid, type VolumeRange } from './volume-grid';
import type { Workload } from './workload';

/** Costs equal within this are a break-even; a sign change wider than it is a unit step. */
const BREAK_EVEN_TOLERANCE = new Decimal('0.005');
const GRID_POINTS = 48;
const MAX_REFINEMENTS = 80;

export const CROSSING_KINDS = ['EQUAL', 'STEP'] as const;
export const CROSSING_METHODS = ['EXACT_LINEAR', 'BISECTION'] as const;

export interface Crossing {
  requestsPerMonth: number;
  tokensPerMonth: number;
  costA: Decimal;
  costB: Decimal;
  /** EQUAL: the costs meet. STEP: one path adds a unit and jumps over the other without meeting. */
  kind: (typeof CROSSING_KINDS)[number];
  method: (typeof CROSSING_METHODS)[number];
  cheaperBelow: string;
  cheaperAbove: string;
}

export interface BreakEven {
  optionA: string;
  optionB: string;
  /** Empty = the costs never cross in the volume range. */
  crossings: Crossing[];
  /**
   * Utilization break-even when exactly one side is window-billed: the billed copy-hours a month at
   * which it costs what the other side costs at the workload's volume; null when not applicable or
   * when it would need more copy-hours than a month holds ("never").
   */
  activeCopyHours: number | null;
  summary: string;
}

/**
 * Both totals at one volume. The difference is taken only when a caller reads it (a crossing's
 * solve, the tolerance test); its sign alone is the sign of `totalA.cmp(totalB)`, which allocates
 * nothing (a non-zero exact difference never rounds to zero at 60 digits, so the signs agree).
 */
class Sample {
  private cachedDifference: Decimal | null = null;
  constructor(
    readonly volume: number,
    readonly totalA: Decimal,
    readonly totalB: Decimal,
    readonly unitsA: number,
    readonly unitsB: number,
  ) {}
  get difference(): Decimal {
    if (this.cachedDifference === null) this.cachedDifference = this.totalA.minus(this.totalB);
    return this.cachedDifference;
  }
  /** Whether cost(a) − cost(b) is negative, without computing it. */
  get negative(): boolean {
    return this.totalA.lessThan(this.totalB);
  }
}

function sampleAt(a: CostModel, b: CostModel, volume: number): Sample {
  return new Sample(volume, a.totalAt(volume), b.totalAt(volume), a.unitsAt(volume), b.unitsAt(volume));
}

function isLinearInVolume(model: CostModel): boolean {
  return model.behavior !== 'WINDOWED';
}

/**
 * The last volume with `low`'s unit counts and the first past it: adjacent doubles, the first being
 * the nearer of the two paths' next unit steps.
 */
function locateUnitStep(a: CostModel, b: CostModel, low: number): { before: number; after: number } {
  const after = Math.min(a.nextUnitStep(low), b.nextUnitStep(low));
  return { before: nextDoubleDown(after), after };
}

/**
 * False position (Illinois) on log volume inside a bracket with constant units, where the window
 * model is smooth and monotone; stops when the costs agree within half a cent.
 */
function falsePosition(a: CostModel, b: CostModel, low: Sample, high: Sample): Sample {
  let left = low;
  let right = high;
  let leftValue = left.difference.toNumber();
  let rightValue = right.difference.toNumber();
  let side = 0;
  for (let iteration = 0; iteration < MAX_REFINEMENTS; iteration++) {
    const logLeft = Math.log(left.volume);
    const logRight = Math.log(right.volume);
    let logMiddle = (logLeft * rightValue - logRight * leftValue) / (rightValue - leftValue);
    if (!Number.isFinite(logMiddle) || logMiddle <= logLeft || logMiddle >= logRight)
      logMiddle = (logLeft + logRight) / 2;
    const middle = sampleAt(a, b, Math.exp(logMiddle));
    if (middle.difference.abs().lessThanOrEqualTo(BREAK_EVEN_TOLERANCE)) return middle;
    const middleValue = middle.difference.toNumber();
    if (Math.sign(middleValue) === Math.sign(leftValue)) {
      left = middle;
      leftValue = middleValue;
      if (side === -1) rightValue /= 2;
      side = -1;
    } else {
      right = middle;
      rightValue = middleValue;
      if (side === 1) leftValue /= 2;
      side = 1;
    }
    if (logRight - logLeft < 1e-13) break;
  }
  return left.difference.abs().lessThan(right.difference.abs()) ? left : right;
}

/**
 * Finds where the sign of cost(a) − cost(b) changes inside [low, high]. Unit steps are located
 * first (on unit counts alone, which is cheap), so each remaining piece has constant units: there
 * both costs are affine in volume unless one is window-billed, and the crossing is solved exactly
 * from the piece's ends; otherwise by false position. A sign change across a step itself is a
 * STEP: one path adds a unit and jumps over the other without the costs ever meeting.
 */
function refineBracket(
  a: CostModel,
  b: CostModel,
  low: Sample,
  high: Sample,
  depth = 0,
): { sample: Sample; method: Crossing['method'] } {
  const constantUnits = low.unitsA === high.unitsA && low.unitsB === high.unitsB;
  if (!constantUnits && depth < 64) {
    const step = locateUnitStep(a, b, low.volume);
    const before = sampleAt(a, b, step.before);
    const after = sampleAt(a, b, step.after);
    if (before.negative !== low.negative) return refineBracket(a, b, low, before, depth + 1);
    if (after.negative !== before.negative) {
      return {
        sample: after.difference.abs().lessThan(before.difference.abs()) ? after : before,
        method: 'BISECTION',
      };
    }
    return refineBracket(a, b, after, high, depth + 1);
  }
  if (isLinearInVolume(a) && isLinearInVolume(b)) {
    const span = new Decimal(high.volume).minus(low.volume);
    const fraction = low.difference.dividedBy(low.difference.minus(high.difference));
    const volume = new Decimal(low.volume).plus(span.times(fraction)).toNumber();
    return { sample: sampleAt(a, b, volume), method: 'EXACT_LINEAR' };
  }
  return { sample: falsePosition(a, b, low, high), method: 'BISECTION' };
}

function utilizationBreakEven(windowed: CostModel, flat: CostModel, volume: number): number | null {
  if (!windowed.costAtCopyHours) return null;
  const target = flat.totalAt(volume);
  const atZero = windowed.costAtCopyHours(0);
  const perHour = windowed.costAtCopyHours(1).minus(atZero);
  if (perHour.lessThanOrEqualTo(0)) return null;
  const hours = target.minus(atZero).dividedBy(perHour).toNumber();
  const copies = windowed.unitsAt(volume);
  return hours >= 0 && hours <= 730 * copies ? hours : null;
}

/** One option's cost and units on the shared volume grid, computed once for all its pairs. */
export interface GridCosts {
  totals: Decimal[];
  /** The same totals as doubles, only to spot sign changes cheaply; never used as money. */
  approximateTotals: number[];
  units: number[];
}

function gridCosts(option: ServingOption, grid: readonly number[]): GridCosts {
  const totals = grid.map((volume) => option.costModel.totalAt(volume));
  // A flat-per-unit path gives the same total object for every volume with the same units.
  let previous: Decimal | null = null;
  let previousNumber = 0;
  return {
    totals,
    approximateTotals: totals.map((total) => {
      if (total !== previous) {
        previous = total;
        previousNumber = total.toNumber();
      }
      return previousNumber;
    }),
    units: grid.map((volume) => option.costModel.unitsAt(volume)),
  };
}

function gridSample(grid: readonly number[], costsA: GridCosts, costsB: GridCosts, index: number): Sample {
  return new Sample(
    grid[index] ?? 0,
    costsA.totals[index] ?? ZERO,
    costsB.totals[index] ?? ZERO,
    costsA.units[index] ?? 1,
    costsB.units[index] ?? 1,
  );
}

export function breakEvenBetween(
  a: ServingOption,
  b: ServingOption,
  workload: Workload,
  range: VolumeRange,
  grid: readonly number[] = logVolumeGrid(range, GRID_POINTS),
  precomputed?: { a: GridCosts; b: GridCosts },
): BreakEven {
  const modelA = a.costModel;
  const modelB = b.costModel;
  const costsA = precomputed?.a ?? gridCosts(a, grid);
  const costsB = precomputed?.b ?? gridCosts(b, grid);
  const tokensPerRequest = workload.meanInputTokens + workload.meanOutputTokens;
  const crossings: Crossing[] = [];
  let previousIndex = -1;
  grid.forEach((_, index) => {
    const gap = (costsA.approximateTotals[index] ?? 0) - (costsB.approximateTotals[index] ?? 0);
    if (previousIndex >= 0) {
      const previousGap =
        (costsA.approximateTotals[previousIndex] ?? 0) - (costsB.approximateTotals[previousIndex] ?? 0);
      if (previousGap !== 0 && previousGap < 0 !== gap < 0) {
        const low = gridSample(grid, costsA, costsB, previousIndex);
        const high = gridSample(grid, costsA, costsB, index);
        const { sample: found, method } = refineBracket(modelA, modelB, low, high);
        const equal = found.difference.abs().lessThanOrEqualTo(BREAK_EVEN_TOLERANCE);
        const aCheaperBelow = low.negative;
        crossings.push({
          requestsPerMonth: found.volume,
          tokensPerMonth: found.volume * tokensPerRequest,
          costA: found.totalA,
          costB: found.totalB,
          kind: equal ? 'EQUAL' : 'STEP',
          method,
          cheaperBelow: aCheaperBelow ? a.id : b.id,
          cheaperAbove: aCheaperBelow ? b.id : a.id,
        });
      }
    }
    previousIndex = index;
  });
  const volume = trafficShapeOf(workload).requestsPerMonth;
  let activeCopyHours: number | null = null;
  if (modelA.behavior === 'WINDOWED' && modelB.behavior === 'FLAT_PER_UNIT')
    activeCopyHours = utilizationBreakEven(modelA, modelB, volume);
  if (modelB.behavior === 'WINDOWED' && modelA.behavior === 'FLAT_PER_UNIT')
    activeCopyHours = utilizationBreakEven(modelB, modelA, volume);
  const summary =
    crossings.length === 0
      ? `${a.id} and ${b.id} never cross between ${formatNumber(range.minRequestsPerMonth, 0)} and ${formatNumber(range.maxRequestsPerMonth, 0)} requests/month.`
      : crossings
          .map(
            (crossing) =>
              `${crossing.kind === 'EQUAL' ? 'costs cross' : 'a unit step jumps over'} at ~${formatNumber(crossing.requestsPerMonth, 0)} requests/month (${(crossing.tokensPerMonth / 1e6).toFixed(1)}M tokens), ${formatMoney(crossing.costA)}: ${crossing.cheaperBelow} cheaper below, ${crossing.cheaperAbove} above`,
          )
          .join('; ');
  return { optionA: a.id, optionB: b.id, crossings, activeCopyHours, summary };
}

export function allBreakEvens(
  options: readonly ServingOption[],
  workload: Workload,
  range: VolumeRange,
): BreakEven[] {
  const grid = logVolumeGrid(range, GRID_POINTS);
  const costs = options.map((option) => gridCosts(option, grid));
  const results: BreakEven[] = [];
  for (let first = 0; first < options.length; first++) {
    for (let second = first + 1; second < options.length; second++) {
      const a = options[first];
      const b = options[second];
      const costsA = costs[first];
      const costsB = costs[second];
      if (a && b && costsA && costsB)
        results.push(breakEvenBetween(a, b, workload, range, grid, { a: costsA, b: costsB }));
    }
  }
  return results;
}
