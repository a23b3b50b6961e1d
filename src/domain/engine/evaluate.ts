import type Decimal from 'decimal.js';
import {
  type Axis,
  type AxisPolicy,
  cheapReference,
  completeProfile,
  DEFAULT_CHEAP_RATIO,
  profileWithoutCheap,
} from './axes';
import type { Catalog } from './catalog';
import type { CostModel, MonthlyCost } from './cost/types';
import type { NoRecommendation } from './eligibility';
import {
  type EvaluatedOption,
  type KeptSet,
  minimalKeptSets,
  type Recommendation,
  recommend,
  recommendedIndex,
} from './kept-sets';
import { buildServingOptions, type ExcludedOption, type OptionSet } from './serving-options';
import { trafficShapeOf } from './traffic';
import { DEFAULT_VOLUME_RANGE, type VolumeRange } from './volume-grid';
import type { Workload } from './workload';

export interface DecideOptions {
  /** Constraints the caller is willing to keep; null = find the minimal sets instead. */
  keep?: Axis[] | null;
  /** Other variants that would do the job (e.g. a faster fine-tune at the same task ceiling). */
  alternativeModelSlugs?: string[];
  requireRuntimeRetained?: boolean;
  /** Largest upfront or locked commitment acceptable on AVAILABLE; null = any. */
  maxCommitment?: Decimal | null;
  /** With no budget, CHEAP passes within this multiple of the cheapest option (default 2). */
  cheapRatio?: number;
  volumeRange?: VolumeRange;
  /** Points per cost curve (default 120; ask for more for a large chart). */
  curvePoints?: number;
  /**
   * Whether a stale (> 180 days) price under the main cost line fails HIGH_CONFIDENCE (default
   * false: it is always warned about). Public prices age faster than anyone re-checks them; failing
   * every path on age alone would hide the differences that matter, such as a base model standing
   * in for a custom one.
   */
  stalePricesFailConfidence?: boolean;
  /** Price change tried in each direction by sensitivity, percent (default 25). */
  sensitivityPercent?: number;
  analyses?: { breakEvens?: boolean; curves?: boolean; sensitivity?: boolean };
}

export interface ResolvedOptions {
  keep: Axis[] | null;
  candidateModelSlugs: string[];
  policy: AxisPolicy;
  volumeRange: VolumeRange;
  curvePoints: number;
  sensitivityPercent: number;
  analyses: { breakEvens: boolean; curves: boolean; sensitivity: boolean };
}

export function resolveOptions(workload: Workload, options: DecideOptions): ResolvedOptions {
  return {
    keep: options.keep ?? null,
    candidateModelSlugs: [workload.model, ...(options.alternativeModelSlugs ?? [])],
    policy: {
      cheapRatio: options.cheapRatio ?? DEFAULT_CHEAP_RATIO,
      requireRuntimeRetained: options.requireRuntimeRetained ?? false,
      maxCommitment: options.maxCommitment ?? null,
      stalePricesFailConfidence: options.stalePricesFailConfidence ?? false,
    },
    volumeRange: options.volumeRange ?? DEFAULT_VOLUME_RANGE,
    curvePoints: options.curvePoints ?? 120,
    sensitivityPercent: options.sensitivityPercent ?? 25,
    analyses: {
      breakEvens: options.analyses?.breakEvens ?? true,
      curves: options.analyses?.curves ?? true,
      sensitivity: options.analyses?.sensitivity ?? true,
    },
  };
}

export interface CoreEvaluation {
  optionSet: OptionSet;
  /** Every option, eligible or not, with its cost and axes. */
  evaluated: EvaluatedOption[];
  /** The options the recommendation, kept sets, sensitivity and Pareto frontier choose among. */
  eligible: EvaluatedOption[];
  excluded: ExcludedOption[];
  keptSets: KeptSet[];
  recommendation: Recommendation | null;
  /** Why there is no recommendation; null when there is one. */
  noRecommendation: NoRecommendation | null;
}

function noRecommendationOf(
  eligible: readonly EvaluatedOption[],
  evaluated: readonly EvaluatedOption[],
  workload: Workload,
  keep: readonly Axis[] | null,
): NoRecommendation {
  if (eligible.length === 0) {
    const standIns = evaluated.filter((entry) => entry.option.notEligibleReason !== null);
    return {
      code: 'NO_ELIGIBLE_PATH',
      message:
        standIns.length > 0
          ? `No eligible path at all: every path on offer serves only a base model standing in for ${workload.model}, which needs its custom weights.`
          : `No eligible path at all: nothing in the evidence can serve ${workload.model}.`,
    };
  }
  const kept = keep && keep.length > 0 ? keep.join(' + ') : 'nothing';
  return {
    code: 'NO_PATH_MEETS_CONSTRAINTS',
    message: `No path meets every constraint you did not keep (you keep ${kept}); keep more constraints, that is, accept a shortfall on more axes, to see what is on offer.`,
  };
}

/**
 * Costs without formulas, by model and monthly volume: a scenario that moves no cost input (a
 * deadline, an SLO that keeps the sizing point, a horizon that keeps the model) asks each model for
 * the same volume again, and nothing in a cost is ever changed by its reader. The same cost object
 * also lets what is worked out per cost (`dominantPrices`) be found again.
 */
const plainCosts = new WeakMap<CostModel, Map<number, MonthlyCost>>();
/** Costs without formulas kept per model, by volume, before its memo starts over. */
const PLAIN_COSTS_KEPT = 256;

function plainCostAt(model: CostModel, volume: number): MonthlyCost {
  let byVolume = plainCosts.get(model);
  if (!byVolume) {
    byVolume = new Map();
    plainCosts.set(model, byVolume);
  }
  let cost = byVolume.get(volume);
  if (!cost) {
    if (byVolume.size >= PLAIN_COSTS_KEPT) byVolume.clear();
    cost = model.costAt(volume, false);
    byVolume.set(volume, cost);
  }
  return cost;
}

/** Every option with its cost and five axes, and the eligible ones: what every answer reads. */
function evaluateOptions(
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
  optionSet: OptionSet,
  /** False: the same costs and verdicts without formulas and sentences (nobody reads them). */
  words: boolean,
  /**
   * True: the eligible options only, and none at all when nothing is eligible (then nothing can be
   * recommended); the eligible ones come out exactly as they would among all of them.
   */
  eligibleOnly = false,
): { evaluated: EvaluatedOption[]; eligible: EvaluatedOption[] } {
  const volume = trafficShapeOf(workload).requestsPerMonth;
  const options = eligibleOnly
    ? optionSet.options.filter((option) => option.notEligibleReason === null)
    : optionSet.options;
  const partials = options.map((option) => {
    const cost = words ? option.costModel.costAt(volume, true) : plainCostAt(option.costModel, volume);
    const { verdicts, metrics } = profileWithoutCheap(
      catalog,
      option,
      cost,
      workload,
      settings.policy,
      words,
    );
    return { option, cost, verdicts, metrics };
  });
  // An option that is not eligible is not a price anyone can pay for this workload, so it does not
  // set what "cheap" means (unless nothing eligible is on offer, so its own verdicts still read).
  const eligiblePartials = partials.filter((partial) => partial.option.notEligibleReason === null);
  const reference = cheapReference(eligiblePartials.length > 0 ? eligiblePartials : partials);
  const evaluated: EvaluatedOption[] = reference
    ? partials.map((partial) => ({
        option: partial.option,
        cost: partial.cost,
        profile: completeProfile(
          partial.option,
          partial.cost,
          workload,
          partial,
          reference,
          settings.policy,
          words,
        ),
      }))
    : [];
  const eligible = eligibleOnly
    ? evaluated
    : evaluated.filter((entry) => entry.option.notEligibleReason === null);
  return { evaluated, eligible };
}

/** Options, costs, the five axes, the minimal kept sets and the recommendation for one workload. */
export function evaluateCore(
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
  /** Options built for the same shape, SLOs, horizon and model; reused when only volume or deadline moves. */
  prebuilt?: OptionSet,
): CoreEvaluation {
  const optionSet = prebuilt ?? buildServingOptions(catalog, workload, settings.candidateModelSlugs);
  const { evaluated, eligible } = evaluateOptions(catalog, workload, settings, optionSet, true);
  const keptSets = minimalKeptSets(eligible);
  const recommendation = recommend(eligible, settings.keep);
  return {
    optionSet,
    evaluated,
    eligible,
    excluded: optionSet.excluded,
    keptSets,
    recommendation,
    noRecommendation: recommendation
      ? null
      : noRecommendationOf(eligible, evaluated, workload, settings.keep),
  };
}

/**
 * The id `evaluateCore(...).recommendation` would have, by the same evaluation and the same rule,
 * without the kept sets and the reasons' sentences: what sensitivity re-runs for each scenario.
 */
export function recommendedOptionId(
  catalog: Catalog,
  workload: Workload,
  settings: ResolvedOptions,
  prebuilt?: OptionSet,
): string | null {
  const optionSet = prebuilt ?? buildServingOptions(catalog, workload, settings.candidateModelSlugs);
  // Only the eligible are picked from, and they alone set CHEAP's reference when any is eligible.
  const { eligible } = evaluateOptions(catalog, workload, settings, optionSet, false, true);
  return eligible[recommendedIndex(eligible, settings.keep)]?.option.id ?? null;
}
