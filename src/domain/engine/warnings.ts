import { type Catalog, daysBetween, isStale, STALE_AFTER_DAYS } from './catalog';
import type { EvaluatedOption } from './kept-sets';
import { meetsSpeed, sweepPoints } from './throughput';
import type { Workload } from './workload';

export const WARNING_CODES = [
  'UNCONFIRMED_PRICE',
  'STALE_PRICE',
  'ASSUMED_PRICE',
  'ASSUMED_THROUGHPUT',
  'BILLING_RULE_RANGE',
  /** A path on a box (owned, or a rented instance type) sized without an SLO sweep: what to run. */
  'NO_SLO_SWEEP',
  /** Every swept level misses the workload's SLO: what to run next. */
  'STRICTER_THAN_SWEPT',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface DecisionWarning {
  code: WarningCode;
  optionId: string;
  /** True when the warned option is the recommended one: the answer itself rests on it. */
  affectsRecommendation: boolean;
  evidenceIds: string[];
  message: string;
}

/**
 * Every option's weak evidence, flagged: U-grade or stale (> 180 days at `now`) prices on its
 * cost lines, assumed prices, assumed or roofline throughput, and the billing-rule range.
 */
export function collectWarnings(
  catalog: Catalog,
  evaluated: readonly EvaluatedOption[],
  recommendedId: string | null,
  workload?: Workload,
): DecisionWarning[] {
  const warnings: DecisionWarning[] = [];
  for (const { option, cost } of evaluated) {
    const affectsRecommendation = option.id === recommendedId;
    if (workload && option.path.boxSlug !== null) {
      const sweepWarning = sweepAdvice(catalog, option, workload);
      if (sweepWarning) warnings.push({ ...sweepWarning, optionId: option.id, affectsRecommendation });
    }
    const usedIds = new Set(
      cost.lines.filter((line) => !line.amount.isZero()).flatMap((line) => line.priceComponentIds),
    );
    for (const component of option.costModel.priceComponents) {
      if (!usedIds.has(component.id)) continue;
      const base = { optionId: option.id, affectsRecommendation, evidenceIds: [component.id] };
      if (component.confidence === 'U') {
        warnings.push({
          ...base,
          code: 'UNCONFIRMED_PRICE',
          message: `${option.id} uses an unconfirmed (U-grade) price: ${component.id} (${component.source}).`,
        });
      }
      if (isStale(component, catalog)) {
        const age = Math.floor(daysBetween(component.asOf, catalog.nowMs));
        warnings.push({
          ...base,
          code: 'STALE_PRICE',
          message: `${option.id} uses a price ${age} days old (over ${STALE_AFTER_DAYS}): ${component.id}, as of ${component.asOf}.`,
        });
      }
      if (component.isAssumption) {
        warnings.push({
          ...base,
          code: 'ASSUMED_PRICE',
          message: `${option.id} uses an assumed figure, not a published price: ${component.id} (${component.source}).`,
        });
      }
    }
    if (option.sizing && !option.sizing.measured) {
      warnings.push({
        code: 'ASSUMED_THROUGHPUT',
        optionId: option.id,
        affectsRecommendation,
        evidenceIds: option.sizing.evidenceIds,
        message: `${option.id} is sized on ${option.sizing.basis === 'ROOFLINE' ? 'a roofline estimate' : 'assumed throughput'} (${option.sizing.decodeTokensPerSecondPerStream.toFixed(1)} tok/s per stream, ${option.sizing.outputTokensPerSecondPerUnit.toFixed(1)} tok/s per ${option.costModel.unitLabel}), not a measurement.`,
      });
    }
    if (cost.range && !cost.range.low.equals(cost.range.high)) {
      warnings.push({
        code: 'BILLING_RULE_RANGE',
        optionId: option.id,
        affectsRecommendation,
        evidenceIds: [],
        message: `${option.id}: AWS's window rule has two readings; this cost is ${cost.range.low.toFixed(2)}–${cost.range.high.toFixed(2)} USD/month between them (the engine charges the clock-aligned reading).`,
      });
    }
  }
  return warnings;
}

/** The SLO a workload asks of a box, as `bench --slo` objectives (decode speed as a TPOT mean). */
function workloadSloFlags(workload: Workload): string {
  const flags: string[] = [];
  if (workload.minDecodeTokensPerSecond !== null)
    flags.push(`tpot_mean_ms=${Math.floor(10_000 / workload.minDecodeTokensPerSecond) / 10}`);
  if (workload.maxTtftMsP95 !== null) flags.push(`ttft_p95_ms=${workload.maxTtftMsP95}`);
  return flags.join(',');
}

/**
 * Paths on a box (owned boxes, and rented instances on a rented box such as p5-48xlarge) are sized
 * from the box's SLO sweeps when there are any; otherwise say so and what to run. When
 * every swept level misses the workload's SLO, say whether the box misses it even at one stream
 * (measured) or what sweep to run below the levels tried.
 */
function sweepAdvice(
  catalog: Catalog,
  option: EvaluatedOption['option'],
  workload: Workload,
): Omit<DecisionWarning, 'optionId' | 'affectsRecommendation'> | null {
  const box = option.path.boxSlug ?? option.path.slug;
  const flags = workloadSloFlags(workload);
  const run = `npx floorplan bench --slo-search --slo ${flags || 'tpot_mean_ms=…'} --model ${option.servedVariant.slug} on ${box} (or an SLO_SEARCH run for its runner)`;
  const points = sweepPoints(catalog, option.path, option.servedVariant);
  if (points.length === 0) {
    return {
      code: 'NO_SLO_SWEEP',
      evidenceIds: option.sizing?.evidenceIds ?? [],
      message: `${option.id} is sized without an SLO sweep of ${box} (from ${option.sizing ? `${option.sizing.measured ? 'single measured results' : 'an estimate'} at concurrency ${option.sizing.concurrency}` : 'no throughput evidence'}); to measure its capacity at this workload's SLO: ${run}.`,
    };
  }
  if (points.some((point) => meetsSpeed(point, workload))) return null;
  const sweepIds = [...new Set(points.flatMap((point) => (point.sweepId ? [point.sweepId] : [])))];
  const lowest = Math.min(...points.map((point) => point.concurrency));
  return {
    code: 'STRICTER_THAN_SWEPT',
    evidenceIds: sweepIds,
    message:
      lowest <= 1
        ? `${option.id}: every swept level of ${sweepIds.join(', ')} misses this workload's SLO (${flags}), even one stream: the box cannot meet it as configured (measured). Keep FAST, or sweep another server configuration: ${run}.`
        : `${option.id}: every swept level of ${sweepIds.join(', ')} misses this workload's SLO (${flags}); the sweeps began at concurrency ${lowest}. Sweep from one stream at this SLO: ${run.replace('--slo-search', '--slo-search --start-concurrency 1')}.`,
  };
}
