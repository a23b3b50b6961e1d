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
  /**
   * The constraints you keep to make these options feasible: to keep an axis is to accept a
   * shortfall on it ("keep FAST" = live with slower decode than asked).
   */
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

function byCostThenId(a: EvaluatedOption, b: EvaluatedOption): number {
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
  /** The axes this path falls short on: keeping them means accepting these shortfalls. */
  kept: Axis[];
  /** The shortfall accepted on each kept axis, in `AXES` order. */
  shortfalls: KeptShortfall[];
  monthlyCost: Decimal;
  reasons: string[];
}

/** What the recommendation rule reads of an option: which axes it fails and what it costs. */
export interface PickCandidate {
  id: string;
  total: Decimal;
  failMask: number;
}

/**
 * The recommendation rule, shared by `recommend` and sensitivity so both always agree. With a
 * caller-given kept set: the cheapest candidate feasible under it. Without: keep as little as
 * possible, then pay the least — the cheapest candidate failing the fewest axes (its fail set is
 * exactly one of the smallest minimal kept sets). Ties go to the smaller id. Callers pass eligible
 * candidates only (see `eligibility.ts`). Returns the index, or -1 when nothing qualifies.
 */
export function pickRecommended(candidates: readonly PickCandidate[], keepMask: number | null): number {
  let best = -1;
  let bestSize = 0;
  candidates.forEach((candidate, index) => {
    if (keepMask !== null && !isFeasibleUnder(candidate.failMask, keepMask)) return;
    const size = keepMask === null ? popCount(candidate.failMask) : 0;
    const current = candidates[best];
    const better =
      !current ||
      size < bestSize ||
      (size === bestSize &&
        (candidate.total.lessThan(current.total) ||
          (candidate.total.equals(current.total) && candidate.id < current.id)));
    if (better) {
      best = index;
      bestSize = size;
    }
  });
  return best;
}

function keptInWords(kept: readonly Axis[]): string {
  return kept.length === 0 ? 'nothing' : kept.join(' + ');
}

/** The index in `eligible` that `recommend` picks (see `pickRecommended`); -1 when none. */
export function recommendedIndex(eligible: readonly EvaluatedOption[], keep: readonly Axis[] | null): number {
  return pickRecommended(
    eligible.map((entry) => ({
      id: entry.option.id,
      total: entry.cost.total,
      failMask: entry.profile.failMask,
    })),
    keep ? maskOfAxes(keep) : null,
  );
}

/**
 * The recommended option among `eligible` (the caller filters with the eligibility rule): see
 * `pickRecommended`. Its reasons say which axes it keeps — that is, which shortfalls it accepts.
 */
export function recommend(
  eligible: readonly EvaluatedOption[],
  keep: readonly Axis[] | null,
): Recommendation | null {
  const entry = eligible[recommendedIndex(eligible, keep)];
  if (!entry) return null;
  const kept = axesOfMask(entry.profile.failMask);
  const shortfalls = kept.map((axis) => ({ axis, shortfall: entry.profile.verdicts[axis].shortfall ?? '' }));
  const name = `${entry.option.path.name} with ${entry.option.servedVariant.name}`;
  const reasons = [
    kept.length === 0
      ? `${name} passes all five axes: nothing to keep.`
      : shortfalls.length === 1
        ? `${name} keeps ${kept[0]} (accepts a shortfall on it): ${shortfalls[0]?.shortfall}.`
        : `${name} keeps ${keptInWords(kept)} (accepts a shortfall on each): ${shortfalls
            .map((item) => `${item.axis}: ${item.shortfall}`)
            .join('; ')}.`,
    entry.profile.verdicts.CHEAP.sentence,
    keep
      ? `Cheapest path meeting every constraint you did not keep (you keep ${keptInWords(keep)}).`
      : 'Cheapest path among those that keep the fewest constraints.',
  ];
  return {
    optionId: entry.option.id,
    pathSlug: entry.option.path.slug,
    variantSlug: entry.option.servedVariant.slug,
    kept,
    shortfalls,
    monthlyCost: entry.cost.total,
    reasons,
  };
}
