import type Decimal from 'decimal.js';
import type { ServingOption } from './serving-options';
import { logVolumeGrid, type VolumeRange } from './volume-grid';
import type { Workload } from './workload';

export interface CurvePoint {
  requestsPerMonth: number;
  tokensPerMonth: number;
  monthlyCost: Decimal;
  units: number;
}

export interface UnitStep {
  /** The first volume that needs `toUnits`. */
  requestsPerMonth: number;
  fromUnits: number;
  toUnits: number;
}

export interface CostCurve {
  optionId: string;
  points: CurvePoint[];
  steps: UnitStep[];
}

/** Cost over a log-spaced volume range for one option, marking where another unit is needed. */
export function costCurve(
  option: ServingOption,
  workload: Workload,
  range: VolumeRange,
  pointCount: number,
  /** The volumes, when the caller has them already (`costCurves` builds them once for all options). */
  grid: readonly number[] = logVolumeGrid(range, pointCount),
): CostCurve {
  const tokensPerRequest = workload.meanInputTokens + workload.meanOutputTokens;
  const points: CurvePoint[] = [];
  const steps: UnitStep[] = [];
  let previous: CurvePoint | null = null;
  for (const volume of grid) {
    const point: CurvePoint = {
      requestsPerMonth: volume,
      tokensPerMonth: volume * tokensPerRequest,
      monthlyCost: option.costModel.totalAt(volume),
      units: option.costModel.unitsAt(volume),
    };
    if (previous && point.units !== previous.units) {
      steps.push({
        // The smallest volume whose unit count exceeds the previous point's (at most `volume`).
        requestsPerMonth: option.costModel.nextUnitStep(previous.requestsPerMonth),
        fromUnits: previous.units,
        toUnits: point.units,
      });
    }
    points.push(point);
    previous = point;
  }
  return { optionId: option.id, points, steps };
}

export function costCurves(
  options: readonly ServingOption[],
  workload: Workload,
  range: VolumeRange,
  pointCount: number,
): CostCurve[] {
  const grid = logVolumeGrid(range, pointCount);
  return options.map((option) => costCurve(option, workload, range, pointCount, grid));
}
