import type { OptionMetrics } from './axes';
import type { EvaluatedOption } from './kept-sets';

/** Larger is better on every coordinate (cost and lead time are negated). */
function objectives(metrics: OptionMetrics): number[] {
  return [
    -metrics.monthlyCost.toNumber(),
    metrics.decodeTokensPerSecond ?? Number.NEGATIVE_INFINITY,
    metrics.acceptedRate ?? -1,
    // An unknown lead time is the worst: nothing on record vouches for it.
    metrics.leadTimeDays === null ? Number.NEGATIVE_INFINITY : -metrics.leadTimeDays,
    metrics.controlScore,
  ];
}

function dominates(a: number[], b: number[]): boolean {
  let strictlyBetter = false;
  for (let index = 0; index < a.length; index++) {
    const left = a[index] ?? 0;
    const right = b[index] ?? 0;
    if (left < right) return false;
    if (left > right) strictlyBetter = true;
  }
  return strictlyBetter;
}

/**
 * Options no other option beats on every one of (cost, decode tok/s, accepted rate, lead time,
 * control). Cost is compared as a double here: ordering, not arithmetic, so no money is computed.
 */
export function paretoFrontier(evaluated: readonly EvaluatedOption[]): string[] {
  const scored = evaluated.map((entry) => ({
    id: entry.option.id,
    score: objectives(entry.profile.metrics),
  }));
  return scored
    .filter(
      (candidate) =>
        !scored.some((other) => other.id !== candidate.id && dominates(other.score, candidate.score)),
    )
    .map((candidate) => candidate.id);
}
