import Decimal from 'decimal.js';
import type { CostSeries } from './schemas';

/**
 * Cost curves as the chart draws them, and the cheapest path along the volume axis derived from
 * them. Costs become numbers here for presentation only (positions of marks and shaded regions);
 * every figure printed on the chart is formatted from the original decimal strings.
 */

export interface PlottedPoint {
  volume: number;
  cost: number;
  /** The decimal string behind `cost`, or the previous point's when the point was carried flat. */
  costText: string;
  stepChange: boolean;
  stepLabel: string | undefined;
}

export interface PlottedCurve {
  pathId: string;
  pathLabel: string;
  /** Only eligible paths can be "cheapest". */
  eligible: boolean;
  shortLabel: string;
  points: PlottedPoint[];
}

export type CostAxisScale = 'log' | 'linear';

/**
 * A step flagged at a larger volume than the previous sample is drawn as "flat, then jump": the
 * previous cost carried to the step volume, then the new cost at the same volume. Line marks join
 * points in order, so two points at one volume draw a vertical riser, not a slope.
 */
export function plottedCurve(series: CostSeries): PlottedCurve {
  const points: PlottedPoint[] = [];
  for (const point of series.points) {
    const previous = points.at(-1);
    if (point.stepChange && previous && previous.volume < point.volume) {
      points.push({ ...previous, volume: point.volume, stepChange: false, stepLabel: undefined });
    }
    points.push({
      volume: point.volume,
      cost: new Decimal(point.cost).toNumber(),
      costText: point.cost,
      stepChange: point.stepChange === true,
      stepLabel: point.stepLabel,
    });
  }
  return {
    pathId: series.pathId,
    pathLabel: series.pathLabel,
    eligible: series.eligible !== false,
    shortLabel: series.shortLabel ?? series.pathLabel,
    points,
  };
}

/**
 * The curve's cost at `volume` along the line the chart draws (straight in log-volume and, on a log
 * cost axis, log-cost), or undefined outside the volumes the path was evaluated at (the path is not
 * a candidate there). At a step's volume the cost after the step counts.
 */
export function costAlongCurve(
  curve: PlottedCurve,
  volume: number,
  costAxis: CostAxisScale,
): number | undefined {
  const { points } = curve;
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || volume < first.volume || volume > last.volume) return undefined;
  let answer: number | undefined;
  for (let index = 0; index < points.length; index++) {
    const left = points[index];
    if (!left || left.volume > volume) break;
    if (left.volume === volume) {
      answer = left.cost; // keeps overwriting, so the last point at this volume (after a step) wins
      continue;
    }
    const right = points[index + 1];
    if (!right || right.volume <= volume) continue;
    const fraction =
      (Math.log(volume) - Math.log(left.volume)) / (Math.log(right.volume) - Math.log(left.volume));
    answer =
      costAxis === 'log' && left.cost > 0 && right.cost > 0
        ? Math.exp(Math.log(left.cost) + fraction * (Math.log(right.cost) - Math.log(left.cost)))
        : left.cost + fraction * (right.cost - left.cost);
    break;
  }
  return answer;
}

export interface CheapestRegion {
  pathId: string;
  pathLabel: string;
  fromVolume: number;
  toVolume: number;
}

const SAMPLES_ACROSS_RANGE = 400;
const BISECTION_STEPS = 40;

/**
 * Which path is cheapest across the plotted volume range, as contiguous regions. Sampled on a log
 * grid, then each boundary bisected to where the cheapest path changes, so crossings and capacity
 * steps land where the lines cross on the chart. Ties go to the path listed first. Only eligible
 * paths compete: a path the workload may not choose is never its cheapest.
 */
export function cheapestRegions(
  allCurves: readonly PlottedCurve[],
  costAxis: CostAxisScale,
): CheapestRegion[] {
  const curves = allCurves.filter((curve) => curve.eligible);
  const volumes = curves.flatMap((curve) => curve.points.map((point) => point.volume));
  if (volumes.length === 0) return [];
  const minVolume = Math.min(...volumes);
  const maxVolume = Math.max(...volumes);

  const cheapestAt = (volume: number): PlottedCurve | undefined => {
    let best: { curve: PlottedCurve; cost: number } | undefined;
    for (const curve of curves) {
      const cost = costAlongCurve(curve, volume, costAxis);
      if (cost !== undefined && (best === undefined || cost < best.cost)) best = { curve, cost };
    }
    return best?.curve;
  };

  const logMin = Math.log(minVolume);
  const logSpan = Math.log(maxVolume) - logMin;
  const sampleVolume = (index: number) =>
    index === SAMPLES_ACROSS_RANGE ? maxVolume : Math.exp(logMin + (logSpan * index) / SAMPLES_ACROSS_RANGE);

  const regions: CheapestRegion[] = [];
  let current: { curve: PlottedCurve | undefined; from: number } = {
    curve: cheapestAt(minVolume),
    from: minVolume,
  };
  let previousVolume = minVolume;
  for (let index = 1; index <= SAMPLES_ACROSS_RANGE; index++) {
    const volume = sampleVolume(index);
    const cheapest = cheapestAt(volume);
    if (cheapest !== current.curve) {
      const boundary = boundaryBetween(previousVolume, volume, current.curve, cheapestAt);
      if (current.curve) regions.push(region(current.curve, current.from, boundary));
      current = { curve: cheapest, from: boundary };
    }
    previousVolume = volume;
  }
  if (current.curve) regions.push(region(current.curve, current.from, maxVolume));
  return regions.filter((candidate) => candidate.toVolume > candidate.fromVolume);
}

function boundaryBetween(
  lowVolume: number,
  highVolume: number,
  lowCheapest: PlottedCurve | undefined,
  cheapestAt: (volume: number) => PlottedCurve | undefined,
): number {
  let low = Math.log(lowVolume);
  let high = Math.log(highVolume);
  for (let step = 0; step < BISECTION_STEPS; step++) {
    const middle = (low + high) / 2;
    if (cheapestAt(Math.exp(middle)) === lowCheapest) low = middle;
    else high = middle;
  }
  return Math.exp(high);
}

function region(curve: PlottedCurve, fromVolume: number, toVolume: number): CheapestRegion {
  return { pathId: curve.pathId, pathLabel: curve.pathLabel, fromVolume, toVolume };
}
