import type { ServingOption } from './serving-options';
import type { Workload } from './workload';

/**
 * The one eligibility rule, read by the recommendation, the kept-set search, the CHEAP reference,
 * sensitivity, the Pareto frontier, the charts' "cheapest" label and the bot: a path that can only
 * serve the base model is *not eligible* for a workload that needs its own weights. Keeping
 * HIGH_CONFIDENCE would "unlock" it, but the user would not get their model at all, which no count
 * of kept axes captures; so it is listed apart with this reason and never hides an eligible answer.
 * Returns null when the option is eligible.
 */
export function notEligibleReason(
  option: Pick<ServingOption, 'servedAs' | 'servedVariant' | 'requestedVariant' | 'path'>,
  workload: Pick<Workload, 'needsCustomWeights'>,
): string | null {
  if (workload.needsCustomWeights && option.servedAs === 'BASE_ONLY')
    return `${option.path.name} serves base models only: ${option.servedVariant.slug} would stand in for ${option.requestedVariant.slug}, and the workload needs its custom weights`;
  return null;
}

export interface NotEligibleOption {
  optionId: string;
  pathSlug: string;
  variantSlug: string;
  reason: string;
}

/** Why there is no recommendation, when there is none. */
export type NoRecommendationCode =
  /** Nothing on offer can serve the workload's model at all (only base-model stand-ins, or nothing). */
  | 'NO_ELIGIBLE_PATH'
  /** Eligible paths exist, but none meets every constraint the caller did not keep. */
  | 'NO_PATH_MEETS_CONSTRAINTS';

export interface NoRecommendation {
  code: NoRecommendationCode;
  message: string;
}
