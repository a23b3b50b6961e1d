import type { Box } from '../evidence';
import { formatMoney, HOURS_PER_MONTH, quantity, sumMoney, ZERO } from '../money';
import type { Workload } from '../workload';
import type { CostLine, CostModelContext, CostModelResult } from './types';
import { flatPerUnitModel, plural, priceOf } from './units';

/**
 * Owned box: purchase / amortization months + power (active W x active hours + idle W x idle
 * hours) x $/kWh + optional ops, per box. The box is powered all 730 hours; it draws active power
 * during the workload's active hours. A box bought for a horizon shorter than its amortization is
 * charged over the horizon (no resale value is assumed), so short horizons cost what they cost.
 */
export function ownedBoxCostModel(context: CostModelContext): CostModelResult {
  const { path, box, workload } = context;
  if (!box) return { ok: false, reason: `${path.name} names no box in the evidence` };
  const purchaseComponent = priceOf(context, 'PURCHASE');
  const electricity = priceOf(context, 'ELECTRICITY_PER_KWH');
  const ops = priceOf(context, 'OPS_PER_MONTH');
  if (!electricity) return { ok: false, reason: `${path.name} has no electricity price in the evidence` };
  // A rented box (an instance type) is priced per instance-hour on its rented-instance paths; it
  // has no purchase, amortization or power of ours to cost as an owned box.
  const { powerActiveW, powerIdleW } = box;
  const purchase = purchaseComponent ? purchaseComponent.amount : box.purchasePrice;
  const boxMonths = box.amortizationMonths;
  if (
    box.ownership !== 'OWNED' ||
    purchase === null ||
    boxMonths === null ||
    powerActiveW === null ||
    powerIdleW === null
  )
    return {
      ok: false,
      reason: `${box.name} is rented hardware (no purchase price, amortization or power on record): it is costed per instance-hour on a rented-instance path, not as an owned box`,
    };
  const amortizationMonths = amortizationMonthsFor(box, workload);
  const purchasePerBox = purchase.dividedBy(amortizationMonths);
  const activeHours = Math.min(HOURS_PER_MONTH, workload.activeHoursPerDay * workload.activeDaysPerMonth);
  const idleHours = HOURS_PER_MONTH - activeHours;
  const kilowattHoursPerBox = quantity(powerActiveW * activeHours + powerIdleW * idleHours).dividedBy(1000);
  const powerPerBox = kilowattHoursPerBox.times(electricity.amount);
  const opsPerBox = ops ? ops.amount : ZERO;
  const perBox = purchasePerBox.plus(powerPerBox).plus(opsPerBox);
  const components = [purchaseComponent, electricity, ops].filter((component) => component !== null);

  const lines = (boxes: number, formulas: boolean): CostLine[] => {
    const count = quantity(boxes);
    const result: CostLine[] = [
      {
        label: 'Box purchase, amortized',
        amount: purchasePerBox.times(count),
        priceComponentIds: purchaseComponent ? [purchaseComponent.id] : [],
        formula: formulas
          ? `${plural(boxes, 'box')} x ${formatMoney(purchase)} / ${amortizationMonths} months`
          : '',
      },
      {
        label: 'Power',
        amount: powerPerBox.times(count),
        priceComponentIds: [electricity.id],
        formula: !formulas
          ? ''
          : `${plural(boxes, 'box')} x (${powerActiveW} W x ${activeHours.toFixed(1)} active h + ${powerIdleW} W x ${idleHours.toFixed(1)} idle h) = ${kilowattHoursPerBox.times(count).toFixed(2)} kWh x ${electricity.amount.toString()} $/kWh`,
      },
    ];
    if (ops) {
      result.push({
        label: 'Operations',
        amount: opsPerBox.times(count),
        priceComponentIds: [ops.id],
        formula: formulas ? `${plural(boxes, 'box')} x ${formatMoney(ops.amount)} per box-month` : '',
      });
    }
    return result;
  };

  return flatPerUnitModel(context, {
    unitLabel: 'box',
    priceComponents: components,
    perUnit: perBox,
    breakdown: (units, formulas) => {
      const breakdown = lines(units, formulas);
      return {
        total: sumMoney(breakdown.map((line) => line.amount)),
        lines: breakdown,
        // Buying boxes is spending up front: the whole purchase is the commitment.
        commitment: purchase.times(units),
      };
    },
  });
}

/**
 * The months a box's purchase is spread over: the workload's amortization, else the box's own,
 * never longer than the horizon; NaN when neither is on record (then no owned-box cost is built).
 * What an owned box's cost reads of the horizon (serving-options.ts reuses a model when it is equal).
 */
export function amortizationMonthsFor(
  box: Pick<Box, 'amortizationMonths'> | null,
  workload: Workload,
): number {
  return Math.min(
    workload.amortizationMonths ?? box?.amortizationMonths ?? Number.NaN,
    workload.horizonMonths,
  );
}
