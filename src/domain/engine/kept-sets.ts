import type Decimal from 'decimal.js';
import { AXES, type Axis, type AxisProfile, axesOfMask, maskOfAxes } from './axes';
import type { MonthlyCost } from './cost/types';
import type { ServingOption } from './serving-options';

export interface EvaluatedOption {
  option: ServingOption;
  cost: MonthlyCost;
  profile: AxisProfile;
}

export interface KeptShortfall {
  axis: Axis;
  shortfall: string;
}

export interface UnlockedOption {
  optionId: string;
  pathSlug: string;
  variantSlug: string;
  monthlyCost: Decimal;
  shortfalls: KeptShortfall[];
}

export interface KeptSet {
  /** The constraints you keep (accept a shortfall on) to make these options feasible. */
  kept: Axis[];
  mask: number;
  /** Options feasible under exactly this set, cheapest first. */
  unlocked: UnlockedOption[];
}

const ALL_SUBSETS = 1 << AXES.length;

/** Feasible under K: passes every axis not in K. */
export function isFeasibleUnder(failMask: number, keptMask: number): boolean {
  return (failMask & ~keptMask) === 0;
}

export function byCostThenId(a: EvaluatedOption, b: EvaluatedOption): number {
  return a.cost.total.comparedTo(b.cost.total) || a.option.id.localeCompare(b.option.id);
}

export function feasibleUnder(evaluated: readonly EvaluatedOption[], keptMask: number): EvaluatedOption[] {
  return evaluated.filter((entry) => isFeasibleUnder(entry.profile.failMask, keptMask)).sort(byCostThenId);
}

function unlockedOf(entry: EvaluatedOption, keptMask: number): UnlockedOption {
  return {
    optionId: entry.option.id,
    pathSlug: entry.option.path.slug,
    variantSlug: entry.option.servedVariant.slug,
    monthlyCost: entry.cost.total,
    shortfalls: axesOfMask(keptMask)
      .map((axis) => ({ axis, shortfall: entry.profile.verdicts[axis].shortfall }))
      .filter((item): item is KeptShortfall => item.shortfall !== null),
  };
}

function popCount(mask: number): number {
  let count = 0;
  for (let rest = mask; rest !== 0; rest &= rest - 1) count++;
  return count;
}

/**
 * All 32 subsets of the five axes, searched in order of size; a subset is kept when some option is
 * feasible under it and no proper subset already is (feasibility only grows with K, so checking
 * the subsets one axis smaller is enough).
 */
export function minimalKeptSets(evaluated: readonly EvaluatedOption[]): KeptSet[] {
  const feasible = new Array<boolean>(ALL_SUBSETS).fill(false);
  for (let mask = 0; mask < ALL_SUBSETS; mask++) {
    feasible[mask] = evaluated.some((entry) => isFeasibleUnder(entry.profile.failMask, mask));
  }
  const sets: KeptSet[] = [];
  const masks = Array.from({ length: ALL_SUBSETS }, (_, mask) => mask).sort(
    (a, b) => popCount(a) - popCount(b) || a - b,
  );
  for (const mask of masks) {
    if (!feasible[mask]) continue;
    let minimal = true;
    for (let rest = mask; rest !== 0; rest &= rest - 1) {
      const withoutOne = mask & ~(rest & -rest);
      if (feasible[withoutOne]) {
        minimal = false;
        break;
      }
    }
    if (!minimal) continue;
    sets.push({
      kept: axesOfMask(mask),
      mask,
      unlocked: feasibleUnder(evaluated, mask).map((entry) => unlockedOf(entry, mask)),
    });
  }
  return sets;
}

export interface Recommendation {
  optionId: string;
  pathSlug: string;
  variantSlug: string;
  kept: Axis[];
  monthlyCost: Decimal;
  reasons: string[];
}

/**
 * With a caller-given kept set: the cheapest option feasible under it. Without: the cheapest
 * option among the smallest minimal kept sets (keep as little as possible, then pay the least).
 *
 * When the workload needs its own weights, an option that can only serve the base model stays in
 * the kept sets (with its shortfall) but is recommended only if nothing serves the requested model:
 * "keep quality" there means not getting the model at all, which no count of axes captures.
 */
export function recommend(
  allEvaluated: readonly EvaluatedOption[],
  keptSets: readonly KeptSet[],
  keep: readonly Axis[] | null,
  needsCustomWeights = false,
): Recommendation | null {
  const servesRequested = allEvaluated.filter((entry) => entry.option.servedAs !== 'BASE_ONLY');
  const evaluated = needsCustomWeights && servesRequested.length > 0 ? servesRequested : allEvaluated;
  const reachable = keptSets.filter((set) => feasibleUnder(evaluated, set.mask).length > 0);
  let chosen: { entry: EvaluatedOption; mask: number } | null = null;
  if (keep) {
    const mask = maskOfAxes(keep);
    const first = feasibleUnder(evaluated, mask)[0] ?? feasibleUnder(allEvaluated, mask)[0];
    if (first) chosen = { entry: first, mask: first.profile.failMask };
  } else {
    const smallest = reachable[0] ? reachable[0].kept.length : null;
    for (const set of reachable) {
      if (set.kept.length !== smallest) continue;
      for (const entry of feasibleUnder(evaluated, set.mask)) {
        if (!chosen || byCostThenId(entry, chosen.entry) < 0) chosen = { entry, mask: set.mask };
      }
    }
  }
  if (!chosen) return null;
  const { entry } = chosen;
  const kept = axesOfMask(entry.profile.failMask);
  const reasons = [
    kept.length === 0
      ? `${entry.option.path.name} with ${entry.option.servedVariant.name} passes all five axes.`
      : `${entry.option.path.name} with ${entry.option.servedVariant.name} keeps ${kept.join(' + ')}: ${kept
          .map((axis) => entry.profile.verdicts[axis].shortfall)
          .join('; ')}.`,
    entry.profile.verdicts.CHEAP.sentence,
    ...(keep
      ? [`Cheapest option feasible when keeping ${keep.length === 0 ? 'nothing' : keep.join(' + ')}.`]
      : ['Cheapest option among the smallest sets of constraints to keep.']),
  ];
  return {
    optionId: entry.option.id,
    pathSlug: entry.option.path.slug,
    variantSlug: entry.option.servedVariant.slug,
    kept,
    monthlyCost: entry.cost.total,
    reasons,
  };
}
