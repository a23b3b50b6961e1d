import Decimal from 'decimal.js';

/**
 * Money in the engine is always a `Decimal` and is never rounded while computing. The one
 * presentation rule: round half-even (banker's rounding) to cents, only when a value is turned into
 * text for a person. Half-even keeps a column of rounded lines from drifting upward on average,
 * which matters when a breakdown of many half-cent lines is summed by a reader.
 */
export const PRESENTATION_ROUNDING = Decimal.ROUND_HALF_EVEN;

/** AWS, and this engine, bill a month as 730 hours (8,760 / 12). */
export const HOURS_PER_MONTH = 730;
/** Days in the 730-hour month: 30.4166… */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export const ZERO = new Decimal(0);

/** Dollar amount for display: half-even to cents, always two decimals, thousands separated. */
export function formatMoney(amount: Decimal, currency = 'USD'): string {
  const rounded = amount.toDecimalPlaces(2, PRESENTATION_ROUNDING);
  const [whole = '0', cents = '00'] = rounded.abs().toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = rounded.isNegative() && !rounded.isZero() ? '-' : '';
  return currency === 'USD' ? `${sign}$${grouped}.${cents}` : `${sign}${grouped}.${cents} ${currency}`;
}

export function sumMoney(amounts: readonly Decimal[]): Decimal {
  let total = ZERO;
  for (const amount of amounts) total = total.plus(amount);
  return total;
}

/**
 * Physical quantities (windows, hours, tokens) are plain numbers; they enter money through this
 * conversion. `Decimal` keeps the full double, so nothing is rounded on the way in.
 */
export function quantity(value: number): Decimal {
  return new Decimal(value);
}

/** 1234567.891 → "1,234,567.9": fast grouping for sentences (Intl is slow in hot loops). */
export function formatNumber(value: number, maxFractionDigits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  const factor = 10 ** maxFractionDigits;
  const rounded = Math.round(value * factor) / factor;
  const [whole = '0', fraction] = Math.abs(rounded).toString().split('.');
  const text = whole.includes('e')
    ? Math.abs(rounded).toString()
    : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${text}${fraction ? `.${fraction}` : ''}`;
}
