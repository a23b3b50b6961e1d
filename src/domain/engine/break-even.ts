import Decimal from 'decimal.js';
import { APPROXIMATE_TOTAL_TOLERANCE, type CostModel } from './cost/types';
import { nextDoubleDown } from './cost/units';
import { formatMoney, formatNumber } from './money';
import type { ServingOption } from './serving-options';
import { trafficShapeOf } from './traffic';
import { logVolumeGrid, type VolumeRange } from './volume-grid';
import type { Workload } from './workload';

/** Costs equal within this are a break-even; a sign change wider than it is a unit step. */
const BREAK_EVEN_TOLERANCE = new Decimal('0.005');
/** The same, as a double: with a margin of a billionth each way, it tells most distances apart. */
const BREAK_EVEN_LIMIT = 0.005;
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
 * Two costs' doubles (CostModel.approximateTotalAt) tell which is cheaper when they differ by more
 * than this share of their sum: each is within a relative APPROXIMATE_TOTAL_TOLERANCE of its exact
 * total, so the exact difference, and the difference of the exact totals' doubles, have that sign.
 */
const CLEAR_GAP = 3 * APPROXIMATE_TOTAL_TOLERANCE;

function clearGap(approximateA: number, approximateB: number): boolean {
  return (
    Math.abs(approximateA - approximateB) > CLEAR_GAP * (Math.abs(approximateA) + Math.abs(approximateB))
  );
}

/**
 * Both costs at one volume: their doubles at once, the exact totals only when read (a crossing's
 * costs and solve, the tolerance test, a sign the doubles leave open). Walking a bracket's unit
 * steps reads signs alone, so it builds no Decimal away from near ties. The difference's sign is
 * that of `totalA.cmp(totalB)`, which allocates nothing (a non-zero exact difference never rounds
 * to zero at 60 digits, so the signs agree).
 */
class Sample {
  private exactA: Decimal | null = null;
  private exactB: Decimal | null = null;
  private cachedDifference: Decimal | null = null;
  private cachedNegative: boolean | null = null;
  constructor(
    readonly volume: number,
    readonly unitsA: number,
    readonly unitsB: number,
    private readonly approximateA: number,
    private readonly approximateB: number,
    private readonly exactTotalA: () => Decimal,
    private readonly exactTotalB: () => Decimal,
  ) {}
  get totalA(): Decimal {
    if (this.exactA === null) this.exactA = this.exactTotalA();
    return this.exactA;
  }
  get totalB(): Decimal {
    if (this.exactB === null) this.exactB = this.exactTotalB();
    return this.exactB;
  }
  get difference(): Decimal {
    if (this.cachedDifference === null) this.cachedDifference = this.totalA.minus(this.totalB);
    return this.cachedDifference;
  }
  /**
   * Bounds on |cost(a) − cost(b)| from the doubles: each is within a relative
   * APPROXIMATE_TOTAL_TOLERANCE of its exact total (the half is margin for the subtraction's rounding).
   */
  get distanceBounds(): { low: number; high: number } {
    const distance = Math.abs(this.approximateA - this.approximateB);
    const error =
      1.5 * APPROXIMATE_TOTAL_TOLERANCE * (Math.abs(this.approximateA) + Math.abs(this.approximateB));
    return { low: distance - error, high: distance + error };
  }
  /** Whether |cost(a) − cost(b)| is within the break-even tolerance: a crossing where the costs meet. */
  get meets(): boolean {
    const { low, high } = this.distanceBounds;
    if (low > BREAK_EVEN_LIMIT * (1 + 1e-9)) return false;
    if (high < BREAK_EVEN_LIMIT * (1 - 1e-9)) return true;
    return this.difference.abs().lessThanOrEqualTo(BREAK_EVEN_TOLERANCE);
  }
  /** Whether cost(a) − cost(b) is negative, from the doubles unless they are too close to tell. */
  get negative(): boolean {
    if (this.cachedNegative === null) {
      this.cachedNegative = clearGap(this.approximateA, this.approximateB)
        ? this.approximateA < this.approximateB
        : this.totalA.lessThan(this.totalB);
    }
    return this.cachedNegative;
  }
}

function sampleAt(a: CostModel, b: CostModel, volume: number): Sample {
  return new Sample(
    volume,
    a.unitsAt(volume),
    b.unitsAt(volume),
    a.approximateTotalAt(volume),
    b.approximateTotalAt(volume),
    () => a.totalAt(volume),
    () => b.totalAt(volume),
  );
}

function isLinearInVolume(model: CostModel): boolean {
  return model.behavior !== 'WINDOWED';
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
 * Finds where the sign of cost(a) − cost(b) changes inside [low, high]. Unit steps are walked first
 * (each is the nearer of the two paths' next unit steps, and the double before it), so the piece
 * where the sign changes has constant units: there both costs are affine in volume unless one is
 * window-billed, and the crossing is solved exactly from the piece's ends; otherwise by false
 * position. A sign change across a step itself is a STEP: one path adds a unit and jumps over the
 * other without the costs ever meeting. After 64 steps the rest is solved as one piece.
 */
function refineBracket(
  a: CostModel,
  b: CostModel,
  bracketLow: Sample,
  high: Sample,
): { sample: Sample; method: Crossing['method'] } {
  let low = bracketLow;
  // Each path's next unit step above `low`, kept until the walk reaches it.
  let nextStepA = Number.NaN;
  let nextStepB = Number.NaN;
  // Flat-per-unit costs just before a step are those at `low` (the same units): nothing to sample.
  const bothFlat = a.behavior === 'FLAT_PER_UNIT' && b.behavior === 'FLAT_PER_UNIT';
  for (let depth = 0; depth < 64; depth++) {
    if (low.unitsA === high.unitsA && low.unitsB === high.unitsB) break;
    if (!(nextStepA > low.volume)) nextStepA = a.nextUnitStep(low.volume);
    if (!(nextStepB > low.volume)) nextStepB = b.nextUnitStep(low.volume);
    const afterVolume = Math.min(nextStepA, nextStepB);
    const after = sampleAt(a, b, afterVolume);
    if (bothFlat && after.negative === low.negative) {
      low = after;
      continue;
    }
    const before = sampleAt(a, b, nextDoubleDown(afterVolume));
    if (before.negative !== low.negative) return solvePiece(a, b, low, before);
    if (after.negative !== before.negative) return { sample: nearer(after, before), method: 'BISECTION' };
    low = after;
  }
  return solvePiece(a, b, low, high);
}

/** The sample where the costs are closer (the second when they are as close), exactly. */
function nearer(first: Sample, second: Sample): Sample {
  const boundsFirst = first.distanceBounds;
  const boundsSecond = second.distanceBounds;
  if (boundsFirst.high < boundsSecond.low) return first;
  if (boundsFirst.low > boundsSecond.high) return second;
  return first.difference.abs().lessThan(second.difference.abs()) ? first : second;
}

/** The crossing inside [low, high], taken as one piece of constant units. */
function solvePiece(
  a: CostModel,
  b: CostModel,
  low: Sample,
  high: Sample,
): { sample: Sample; method: Crossing['method'] } {
  if (isLinearInVolume(a) && isLinearInVolume(b)) {
    const span = new Decimal(high.volume).minus(low.volume);
    const fraction = low.difference.dividedBy(low.difference.minus(high.difference));
    const volume = new Decimal(low.volume).plus(span.times(fraction)).toNumber();
    return { sample: sampleAt(a, b, volume), method: 'EXACT_LINEAR' };
  }
  return { sample: falsePosition(a, b, low, high), method: 'BISECTION' };
}

/** A window-billed model's cost at no copy-hours and per copy-hour: the same for all its pairs. */
const copyHourLines = new WeakMap<CostModel, { atZero: Decimal; perHour: Decimal }>();

function utilizationBreakEven(windowed: CostModel, flat: CostModel, volume: number): number | null {
  if (!windowed.costAtCopyHours) return null;
  let line = copyHourLines.get(windowed);
  if (!line) {
    const atZero = windowed.costAtCopyHours(0);
    line = { atZero, perHour: windowed.costAtCopyHours(1).minus(atZero) };
    copyHourLines.set(windowed, line);
  }
  const { atZero, perHour } = line;
  const target = flat.totalAt(volume);
  if (perHour.lessThanOrEqualTo(0)) return null;
  const hours = target.minus(atZero).dividedBy(perHour).toNumber();
  const copies = windowed.unitsAt(volume);
  return hours >= 0 && hours <= 730 * copies ? hours : null;
}

/** One option's cost and units on the shared volume grid, computed once for all its pairs. */
export interface GridCosts {
  /** The totals as doubles (CostModel.approximateTotalAt), to spot sign changes; never money. */
  approximateTotals: number[];
  units: number[];
  /** The exact total at a grid point, computed when first read (a bracket's end, a near tie). */
  totalAt(index: number): Decimal;
}

function gridCosts(option: ServingOption, grid: readonly number[]): GridCosts {
  const model = option.costModel;
  const totals: (Decimal | undefined)[] = [];
  return {
    approximateTotals: grid.map((volume) => model.approximateTotalAt(volume)),
    units: grid.map((volume) => model.unitsAt(volume)),
    totalAt: (index) => {
      let total = totals[index];
      if (!total) {
        total = model.totalAt(grid[index] ?? 0);
        totals[index] = total;
      }
      return total;
    },
  };
}

function gridSample(grid: readonly number[], costsA: GridCosts, costsB: GridCosts, index: number): Sample {
  return new Sample(
    grid[index] ?? 0,
    costsA.units[index] ?? 1,
    costsB.units[index] ?? 1,
    costsA.approximateTotals[index] ?? 0,
    costsB.approximateTotals[index] ?? 0,
    () => costsA.totalAt(index),
    () => costsB.totalAt(index),
  );
}

/**
 * cost(a) − cost(b) at a grid point as the exact totals' doubles give it: a sign change between
 * neighbours brackets a crossing (a zero gap brackets none). From the costs' doubles alone when
 * their gap is clear, which has the same sign.
 */
function gridGap(costsA: GridCosts, costsB: GridCosts, index: number): number {
  const approximateA = costsA.approximateTotals[index] ?? 0;
  const approximateB = costsB.approximateTotals[index] ?? 0;
  if (clearGap(approximateA, approximateB)) return approximateA - approximateB;
  // Equal costs (the same price and units on two variants) are common: no doubles to take then.
  const totalA = costsA.totalAt(index);
  const totalB = costsB.totalAt(index);
  return totalA.equals(totalB) ? 0 : totalA.toNumber() - totalB.toNumber();
}

let lastRangeText = { min: Number.NaN, max: Number.NaN, text: '' };

/** "1 and 1,000,000,000": the same for every pair that never crosses, so formatted once. */
function rangeText(range: VolumeRange): string {
  const { minRequestsPerMonth: min, maxRequestsPerMonth: max } = range;
  if (lastRangeText.min !== min || lastRangeText.max !== max)
    lastRangeText = { min, max, text: `${formatNumber(min, 0)} and ${formatNumber(max, 0)}` };
  return lastRangeText.text;
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
  // Flat-per-unit costs change only with units: where neither path's units change between grid
  // points, neither does the gap (two variants on one path tie at every point, each a near tie).
  const bothFlat = modelA.behavior === 'FLAT_PER_UNIT' && modelB.behavior === 'FLAT_PER_UNIT';
  let previousGap = 0;
  grid.forEach((_, index) => {
    const unitsUnchanged =
      index > 0 &&
      costsA.units[index] === costsA.units[index - 1] &&
      costsB.units[index] === costsB.units[index - 1];
    const gap = bothFlat && unitsUnchanged ? previousGap : gridGap(costsA, costsB, index);
    if (index > 0) {
      if (previousGap !== 0 && previousGap < 0 !== gap < 0) {
        const low = gridSample(grid, costsA, costsB, index - 1);
        const high = gridSample(grid, costsA, costsB, index);
        const { sample: found, method } = refineBracket(modelA, modelB, low, high);
        const equal = found.meets;
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
    previousGap = gap;
  });
  const volume = trafficShapeOf(workload).requestsPerMonth;
  let activeCopyHours: number | null = null;
  if (modelA.behavior === 'WINDOWED' && modelB.behavior === 'FLAT_PER_UNIT')
    activeCopyHours = utilizationBreakEven(modelA, modelB, volume);
  if (modelB.behavior === 'WINDOWED' && modelA.behavior === 'FLAT_PER_UNIT')
    activeCopyHours = utilizationBreakEven(modelB, modelA, volume);
  const summary =
    crossings.length === 0
      ? `${a.id} and ${b.id} never cross between ${rangeText(range)} requests/month.`
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
