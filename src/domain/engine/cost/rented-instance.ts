import { formatMoney, HOURS_PER_MONTH, quantity } from '../money';
import type { CostModelContext, CostModelResult } from './types';
import { flatPerUnitModel, missingPrice, plural, priceOf } from './units';

/**
 * Rented instance: instance-hours x rate, minimum durations paid up front. An instance with a
 * minimum of a day or more (a capacity block) cannot be released between active hours, so it is
 * held all 730 hours; one without a minimum is started for the active hours of each active day.
 */
export function rentedInstanceCostModel(context: CostModelContext): CostModelResult {
  const { path, variant, workload } = context;
  const rate = priceOf(context, 'INSTANCE_HOUR');
  if (!rate) return missingPrice(path, 'instance-hour', variant.slug);
  const minimumHours = rate.minimumDurationHours ?? 0;
  const heldAllMonth = minimumHours >= 24;
  const hoursPerInstance = heldAllMonth
    ? Math.max(HOURS_PER_MONTH, minimumHours)
    : Math.max(minimumHours, Math.ceil(workload.activeHoursPerDay) * workload.activeDaysPerMonth);
  const perInstance = rate.amount.times(quantity(hoursPerInstance));
  const minimumSpend = minimumHours > 0 ? rate.amount.times(minimumHours) : null;
  const holding = heldAllMonth
    ? `held all month (minimum ${minimumHours} h, paid up front)`
    : `${Math.ceil(workload.activeHoursPerDay)} h on each of ${workload.activeDaysPerMonth} active days`;
  return flatPerUnitModel(context, {
    unitLabel: 'instance',
    priceComponents: [rate],
    perUnit: perInstance,
    breakdown(units, formulas) {
      const amount = perInstance.times(units);
      return {
        total: amount,
        lines: [
          {
            label: 'Instance-hours',
            amount,
            priceComponentIds: [rate.id],
            formula: formulas
              ? `${plural(units, 'instance')} x ${hoursPerInstance.toFixed(1)} h (${holding}) x ${formatMoney(rate.amount)} per instance-hour`
              : '',
          },
        ],
        commitment: minimumSpend ? minimumSpend.times(units) : null,
      };
    },
  });
}
