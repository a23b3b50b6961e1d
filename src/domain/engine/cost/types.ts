import type Decimal from 'decimal.js';
import type { Catalog } from '../catalog';
import type { Box, ModelVariant, PriceComponent, ServingPath } from '../evidence';
import type { WindowEstimate } from '../windows';
import type { Workload } from '../workload';

export interface CostLine {
  label: string;
  amount: Decimal;
  priceComponentIds: string[];
  /** The arithmetic with its inputs, e.g. "2 CMUs x $1.95 per CMU-month". */
  formula: string;
}

export interface MonthlyCost {
  total: Decimal;
  lines: CostLine[];
  units: number;
  /** Billed windows and the cost under the other billing reading, for window-billed paths. */
  windows: WindowEstimate | null;
  range: { low: Decimal; high: Decimal } | null;
  /** Upfront or locked spend the path demands (commitment term, capacity-block minimum), if any. */
  commitment: Decimal | null;
}

/**
 * How cost moves with monthly volume when the traffic shape is held:
 * FLAT_PER_UNIT = constant between unit steps (box, model units, instances);
 * LINEAR = proportional (tokens); WINDOWED = concave between copy steps (billed windows).
 */
export type VolumeBehavior = 'FLAT_PER_UNIT' | 'LINEAR' | 'WINDOWED';

/**
 * How far `approximateTotalAt` may be from `totalAt`, relative to the total: far below a cent on any
 * total the engine costs, far above the rounding of a few double operations.
 */
export const APPROXIMATE_TOTAL_TOLERANCE = 1e-12;

/**
 * A path's cost for one workload shape, as a function of monthly volume only. Built once per
 * option; `totalAt` is the fast path used by curves and break-evens, `costAt` adds the breakdown.
 */
export interface CostModel {
  behavior: VolumeBehavior;
  unitLabel: string;
  /** Output tokens/s per unit used for sizing; null when the provider sizes (on-demand tokens). */
  outputTokensPerSecondPerUnit: number | null;
  priceComponents: PriceComponent[];
  unitsAt(requestsPerMonth: number): number;
  /**
   * The smallest volume above `requestsPerMonth` that needs more units than it (Infinity when the
   * units never change): unit steps are found from the sizing's closed form, not by search.
   */
  nextUnitStep(requestsPerMonth: number): number;
  totalAt(requestsPerMonth: number): Decimal;
  /**
   * `totalAt` as a double, within a relative `APPROXIMATE_TOTAL_TOLERANCE` of it, without building a
   * Decimal: only to locate crossings, never shown as money. Break-evens compare these and compute
   * the exact totals at a crossing and where the doubles are too close to tell which is cheaper.
   */
  approximateTotalAt(requestsPerMonth: number): number;
  /** With `formulas` false, every amount is the same and every line's formula is left empty. */
  costAt(requestsPerMonth: number, formulas?: boolean): MonthlyCost;
  /**
   * For window-billed paths: monthly cost as a function of billed copy-hours (fixed copies), the
   * utilization axis on which break-evens against flat paths are linear.
   */
  costAtCopyHours?: (copyHoursPerMonth: number) => Decimal;
}

export interface CostModelContext {
  catalog: Catalog;
  path: ServingPath;
  variant: ModelVariant;
  box: Box | null;
  workload: Workload;
  outputTokensPerSecondPerUnit: number | null;
  /** Peak output tokens/s per monthly request, so peak(volume) = volume x this. */
  peakOutputTokensPerSecondPerMonthlyRequest: number;
}

export type CostModelResult = { ok: true; model: CostModel } | { ok: false; reason: string };
