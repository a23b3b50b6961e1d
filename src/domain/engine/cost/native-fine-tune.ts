import { formatMoney, formatNumber, HOURS_PER_MONTH, quantity, ZERO } from '../money';
import { commitmentOf, modelUnitLine, modelUnitRate } from './provisioned-throughput';
import type { CostLine, CostModelContext, CostModelResult } from './types';
import { flatPerUnitModel, missingPrice, priceOf } from './units';

/**
 * Native fine-tune: training (tokens x epochs x $/1K, one-time, spread over the horizon) + model
 * storage + the provisioned-throughput floor that serving a Bedrock-customized model requires.
 */
export function nativeFineTuneCostModel(context: CostModelContext): CostModelResult {
  const { path, variant, workload } = context;
  const training = priceOf(context, 'TRAINING_PER_1K_TOKENS');
  const storage = priceOf(context, 'MODEL_STORAGE_MONTH');
  const rate = modelUnitRate(path, [variant.slug, variant.baseModelSlug], workload);
  if (!training) return missingPrice(path, 'training', variant.slug);
  if (!rate) return missingPrice(path, 'model-unit', variant.slug);
  const dataset = variant.training;
  const trainedTokens = dataset ? dataset.tokens * dataset.epochs : 0;
  const trainingPerMonth = training.amount
    .times(quantity(trainedTokens))
    .dividedBy(1000)
    .dividedBy(workload.horizonMonths);
  const storagePerMonth = storage ? storage.amount : ZERO;
  const fixedLines: CostLine[] = [
    {
      label: 'Training, spread over the horizon',
      amount: trainingPerMonth,
      priceComponentIds: [training.id],
      formula: dataset
        ? `${formatNumber(dataset.tokens, 0)} tokens x ${dataset.epochs} epochs x ${training.amount.toString()} $/1K tokens / ${workload.horizonMonths} months`
        : 'no training dataset size in the evidence: training cost not included',
    },
  ];
  if (storage) {
    fixedLines.push({
      label: 'Custom model storage',
      amount: storagePerMonth,
      priceComponentIds: [storage.id],
      formula: `1 model x ${formatMoney(storage.amount)} per model-month`,
    });
  }
  const fixed = trainingPerMonth.plus(storagePerMonth);
  return flatPerUnitModel(context, {
    unitLabel: 'model unit',
    priceComponents: [training, rate, ...(storage ? [storage] : [])],
    perUnit: rate.amount.times(HOURS_PER_MONTH),
    fixed,
    breakdown(units, formulas) {
      const floor = modelUnitLine(units, rate, 'Provisioned throughput floor to serve it', formulas);
      return {
        total: fixed.plus(floor.amount),
        lines: [...fixedLines, floor],
        commitment: commitmentOf(units, rate),
      };
    },
  });
}
