import type Decimal from 'decimal.js';
import { capacityValue } from '../catalog';
import { approximateQuantity, formatMoney, quantity } from '../money';
import { trafficShapeOf, WINDOW_SECONDS, withRequestsPerMonth } from '../traffic';
import {
  type BillingReading,
  billedWindowsPerMonth,
  estimateBilledWindows,
  STATED_BILLING_READING,
  type WindowEstimate,
} from '../windows';
import type { CostLine, CostModelContext, CostModelResult, MonthlyCost } from './types';
import { missingPrice, plural, priceOf, unitStepsFor } from './units';

/**
 * Custom model import: storage (CMUs x $/CMU-month) + copies x CMUs x $/CMU-minute x 5 x
 * E[billed windows]. Every copy is charged for the windows of the whole traffic (copies scale with
 * load, and we do not model which copy serves the peak), so more than one copy is an upper bound.
 */
export function customModelImportCostModel(context: CostModelContext): CostModelResult {
  const { path, variant, workload } = context;
  const slugs = [variant.slug, variant.baseModelSlug];
  const perMinute = priceOf(context, 'CMU_MINUTE');
  const storage = priceOf(context, 'CMU_STORAGE_MONTH');
  const cmus = capacityValue(path, 'CMUS_PER_COPY', slugs);
  if (!perMinute) return missingPrice(path, 'CMU-minute', variant.slug);
  if (!storage) return missingPrice(path, 'CMU storage', variant.slug);
  if (!cmus) return { ok: false, reason: `${path.name} has no CMU size for ${variant.slug} in the evidence` };

  const windowMinutes = WINDOW_SECONDS / 60;
  const storagePerMonth = storage.amount.times(cmus.value);
  const perCopyWindow = perMinute.amount.times(cmus.value).times(windowMinutes);
  const perCopyHour = perMinute.amount.times(cmus.value).times(60);
  const windowsAt = (requestsPerMonth: number, reading: BillingReading): WindowEstimate =>
    estimateBilledWindows(trafficShapeOf(withRequestsPerMonth(workload, requestsPerMonth)), reading);
  const servingCost = (copies: number, windows: WindowEstimate): Decimal =>
    perCopyWindow.times(quantity(windows.billedWindowsPerMonth)).times(copies);

  const { unitsAt, nextUnitStep } = unitStepsFor(context);
  const costAtVolume = (requestsPerMonth: number, formulas: boolean): MonthlyCost => {
    const copies = unitsAt(requestsPerMonth);
    const stated = windowsAt(requestsPerMonth, STATED_BILLING_READING);
    const other = windowsAt(
      requestsPerMonth,
      STATED_BILLING_READING === 'CLOCK_ALIGNED' ? 'WARM_PERIOD' : 'CLOCK_ALIGNED',
    );
    const serving = servingCost(copies, stated);
    const otherTotal = storagePerMonth.plus(servingCost(copies, other));
    const total = storagePerMonth.plus(serving);
    const lines: CostLine[] = [
      {
        label: 'Model storage',
        amount: storagePerMonth,
        priceComponentIds: [storage.id],
        formula: formulas ? `${cmus.value} CMUs x ${formatMoney(storage.amount)} per CMU-month` : '',
      },
      {
        label: 'Billed 5-minute windows',
        amount: serving,
        priceComponentIds: [perMinute.id],
        formula: formulas
          ? `${plural(copies, 'copy')} x ${cmus.value} CMUs x ${perMinute.amount.toString()} $/CMU-minute x ${windowMinutes} min x ${stated.billedWindowsPerMonth.toFixed(1)} expected billed windows (${stated.billedCopyHoursPerMonth.toFixed(2)} copy-hours, ${stated.coldStartsPerMonth.toFixed(1)} cold starts)`
          : '',
      },
    ];
    return {
      total,
      lines,
      units: copies,
      windows: stated,
      range: total.lessThan(otherTotal) ? { low: total, high: otherTotal } : { low: otherTotal, high: total },
      commitment: null,
    };
  };
  // Break-evens ask for a volume's double and then, near a crossing, its exact total: the windows
  // of the last volume asked are kept for the second ask.
  let lastVolume = Number.NaN;
  let lastBilledWindows = 0;
  const billedWindowsAt = (requestsPerMonth: number): number => {
    if (requestsPerMonth !== lastVolume) {
      lastBilledWindows = billedWindowsPerMonth(
        trafficShapeOf(withRequestsPerMonth(workload, requestsPerMonth)),
        STATED_BILLING_READING,
      );
      lastVolume = requestsPerMonth;
    }
    return lastBilledWindows;
  };
  const totalAt = (requestsPerMonth: number): Decimal => {
    const copies = unitsAt(requestsPerMonth);
    const perCopy = perCopyWindow.times(quantity(billedWindowsAt(requestsPerMonth)));
    // One copy (most volumes) costs the product itself: times(1) would only copy it.
    return storagePerMonth.plus(copies === 1 ? perCopy : perCopy.times(copies));
  };
  const storageValue = storagePerMonth.toNumber();
  const perCopyWindowValue = perCopyWindow.toNumber();
  const nonNegative = !storagePerMonth.isNegative() && !perCopyWindow.isNegative();

  return {
    ok: true,
    model: {
      behavior: 'WINDOWED',
      unitLabel: 'copy',
      outputTokensPerSecondPerUnit: context.outputTokensPerSecondPerUnit,
      priceComponents: [perMinute, storage],
      unitsAt,
      nextUnitStep,
      totalAt,
      // Methods, not arrow functions (see unitStepsFor): no name is set on each when a model is built.
      approximateTotalAt(requestsPerMonth) {
        // Non-negative terms, so the doubles' few ulps stay a few ulps of the total.
        if (!nonNegative) return totalAt(requestsPerMonth).toNumber();
        return (
          storageValue +
          perCopyWindowValue *
            approximateQuantity(billedWindowsAt(requestsPerMonth)) *
            unitsAt(requestsPerMonth)
        );
      },
      costAtCopyHours(copyHoursPerMonth) {
        return storagePerMonth.plus(perCopyHour.times(quantity(copyHoursPerMonth)));
      },
      // Costs without formulas are kept by whoever asks for them again (evaluate.ts plainCostAt).
      costAt(requestsPerMonth, formulas = true) {
        return costAtVolume(requestsPerMonth, formulas);
      },
    },
  };
}
