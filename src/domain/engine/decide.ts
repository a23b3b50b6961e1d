import { AXES, type Axis, type AxisVerdict, maskOfAxes, type OptionMetrics } from './axes';
import { allBreakEvens, type BreakEven } from './break-even';
import { buildCatalog } from './catalog';
import type { MonthlyCost } from './cost/types';
import { type CostCurve, costCurves } from './curves';
import type { NoRecommendation, NotEligibleOption } from './eligibility';
import type { DecideOptions } from './evaluate';
import { evaluateCore, resolveOptions } from './evaluate';
import type { EvidenceSnapshot, PathKind } from './evidence';
import { feasibleUnder, type KeptSet, type Recommendation, type UnlockedOption } from './kept-sets';
import { paretoFrontier } from './pareto';
import { type SensitivityFinding, sensitivityOf } from './sensitivity';
import type { ExcludedOption, ServedAs } from './serving-options';
import { trafficShapeOf } from './traffic';
import { collectWarnings, type DecisionWarning } from './warnings';
import { BILLING_RULE_TEXT, type BillingReading, STATED_BILLING_READING } from './windows';
import { checkWorkloadAgainstEvidence, type Workload, WorkloadError } from './workload';

export type { DecideOptions } from './evaluate';

export interface OptionResult {
  optionId: string;
  pathSlug: string;
  pathName: string;
  pathKind: PathKind;
  requestedVariantSlug: string;
  servedVariantSlug: string;
  servedAs: ServedAs;
  /** False for a base-model stand-in when the workload needs custom weights (see `notEligible`). */
  eligible: boolean;
  cost: MonthlyCost;
  /** In `AXES` order. */
  verdicts: AxisVerdict[];
  failedAxes: Axis[];
  metrics: OptionMetrics;
}

export interface Decision {
  now: string;
  billingReading: BillingReading;
  billingRule: string;
  roundingRule: string;
  requestsPerMonth: number;
  tokensPerMonth: number;
  options: OptionResult[];
  excluded: ExcludedOption[];
  /**
   * Options that can be costed but may not be recommended (a base model standing in for required
   * custom weights), with why; they stay in `options` for comparison, marked `eligible: false`.
   */
  notEligible: NotEligibleOption[];
  /** Minimal sets of constraints to keep, smallest first. */
  keptSets: KeptSet[];
  /** When the caller gave `keep`: the options feasible under it, cheapest first. */
  feasibleUnderKeep: UnlockedOption[] | null;
  /** Option ids no other option beats on (cost, decode, accepted rate, lead time, control). */
  pareto: string[];
  recommendation: Recommendation | null;
  /** Why there is no recommendation: no eligible path at all, or none meets the constraints not kept. */
  noRecommendation: NoRecommendation | null;
  breakEvens: BreakEven[];
  curves: CostCurve[];
  sensitivity: SensitivityFinding[];
  warnings: DecisionWarning[];
}

const ROUNDING_RULE_TEXT =
  'Money is exact decimal throughout; it is rounded half-even to cents only when shown (formatMoney).';

/**
 * The decision engine's one entry point: pure and deterministic (the snapshot carries `now`).
 * Throws `WorkloadError` when the workload names a model the snapshot lacks; parse untrusted input
 * with `parseWorkload` first to get field-named errors instead.
 */
export function decide(
  workload: Workload,
  evidence: EvidenceSnapshot,
  options: DecideOptions = {},
): Decision {
  const issues = checkWorkloadAgainstEvidence(workload, evidence);
  if (issues.length > 0) throw new WorkloadError(issues);
  const catalog = buildCatalog(evidence);
  const settings = resolveOptions(workload, options);
  const core = evaluateCore(catalog, workload, settings);
  const servingOptions = core.evaluated.map((entry) => entry.option);
  const shape = trafficShapeOf(workload);
  return {
    now: evidence.now,
    billingReading: STATED_BILLING_READING,
    billingRule: BILLING_RULE_TEXT,
    roundingRule: ROUNDING_RULE_TEXT,
    requestsPerMonth: shape.requestsPerMonth,
    tokensPerMonth: shape.tokensPerMonth,
    options: core.evaluated.map(({ option, cost, profile }) => ({
      optionId: option.id,
      pathSlug: option.path.slug,
      pathName: option.path.name,
      pathKind: option.path.kind,
      requestedVariantSlug: option.requestedVariant.slug,
      servedVariantSlug: option.servedVariant.slug,
      servedAs: option.servedAs,
      eligible: option.notEligibleReason === null,
      cost,
      verdicts: AXES.map((axis) => profile.verdicts[axis]),
      failedAxes: AXES.filter((axis) => !profile.verdicts[axis].pass),
      metrics: profile.metrics,
    })),
    excluded: core.excluded,
    notEligible: core.evaluated.flatMap(({ option }) =>
      option.notEligibleReason === null
        ? []
        : [
            {
              optionId: option.id,
              pathSlug: option.path.slug,
              variantSlug: option.servedVariant.slug,
              reason: option.notEligibleReason,
            },
          ],
    ),
    keptSets: core.keptSets,
    feasibleUnderKeep: settings.keep
      ? feasibleUnder(core.eligible, maskOfAxes(settings.keep)).map((entry) => ({
          optionId: entry.option.id,
          pathSlug: entry.option.path.slug,
          variantSlug: entry.option.servedVariant.slug,
          monthlyCost: entry.cost.total,
          shortfalls: (settings.keep ?? [])
            .map((axis) => ({ axis, shortfall: entry.profile.verdicts[axis].shortfall }))
            .filter((item): item is { axis: Axis; shortfall: string } => item.shortfall !== null),
        }))
      : null,
    pareto: paretoFrontier(core.eligible),
    recommendation: core.recommendation,
    noRecommendation: core.noRecommendation,
    breakEvens: settings.analyses.breakEvens
      ? allBreakEvens(servingOptions, workload, settings.volumeRange)
      : [],
    curves: settings.analyses.curves
      ? costCurves(servingOptions, workload, settings.volumeRange, settings.curvePoints)
      : [],
    sensitivity: settings.analyses.sensitivity ? sensitivityOf(core, catalog, workload, settings) : [],
    warnings: collectWarnings(catalog, core.evaluated, core.recommendation?.optionId ?? null, workload),
  };
}
