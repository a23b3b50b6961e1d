import { type Catalog, daysBetween, isStale, STALE_AFTER_DAYS } from './catalog';
import type { EvaluatedOption } from './kept-sets';

export const WARNING_CODES = [
  'UNCONFIRMED_PRICE',
  'STALE_PRICE',
  'ASSUMED_PRICE',
  'ASSUMED_THROUGHPUT',
  'BILLING_RULE_RANGE',
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
): DecisionWarning[] {
  const warnings: DecisionWarning[] = [];
  for (const { option, cost } of evaluated) {
    const affectsRecommendation = option.id === recommendedId;
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
