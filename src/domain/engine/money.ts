import Decimal from 'decimal.js';

/**
 * Money in the engine is always a `Decimal` and is never rounded while computing. The one
 * presentation rule: round half-even (banker's rounding) to cents, only when a value is turned into
 * text for a person. Half-even keeps a column of rounded lines from drifting upward on average,
 * which matters when a breakdown of many half-cent lines is summed by a reader.
 */
const PRESENTATION_ROUNDING = Decimal.ROUND_HALF_EVEN;

/*
 * decimal.js, configured once for the whole process: 60 significant digits, so no product of an
 * input price and an in-range quantity is ever rounded while computing (the default 20 would round
 * a 41-digit budget's arithmetic), and plain notation at any magnitude, so no money string ever
 * carries an exponent ("5.566e-10" or "1e+40"). Every module that does money imports this one.
 */
Decimal.set({ precision: 60, toExpNeg: -9e15, toExpPos: 9e15 });

/**
 * Money crossing an API (GraphQL `Money.amount`, the CLI's --json) is a plain decimal string with at
 * most this many digits after the point, rounded half-even; exact values with fewer digits are shown
 * as they are ("2093.57", not "2093.5700000000"). Ten places keep a sub-cent per-token price exact.
 */
export const MONEY_SCALE = 10;

/** The API form of an amount: plain notation, at most `MONEY_SCALE` decimals, half-even. */
export function moneyAmount(amount: Decimal | string): string {
  return new Decimal(amount).toDecimalPlaces(MONEY_SCALE, PRESENTATION_ROUNDING).toFixed();
}

/**
 * Quantities that enter money (billed windows, hours, kWh, requests, tokens) are rounded half-even to
 * this many decimal places first. They are binary doubles, often expectations (billed windows under
 * a traffic model); a millionth of a window, hour or token is far below what any of them can claim,
 * and rounding there keeps binary-float noise (26668.000000000004 windows) out of every amount, so
 * exact prices times exact-enough quantities give exact money.
 */
const QUANTITY_DECIMALS = 6;

/** AWS, and this engine, bill a month as 730 hours (8,760 / 12). */
export const HOURS_PER_MONTH = 730;

export const ZERO = new Decimal(0);

/** Dollar amount for display: half-even to cents, always two decimals, thousands separated. */
export function formatMoney(amount: Decimal, currency = 'USD'): string {
  // One rounding straight to text (a sentence can hold several amounts, and break-evens and
  // verdicts write hundreds a decision); "-0.00" is what a negative amount under half a cent gives.
  const fixed = amount.toFixed(2, PRESENTATION_ROUNDING);
  const unsigned = fixed.charCodeAt(0) === MINUS_CODE ? fixed.slice(1) : fixed;
  const sign = unsigned !== fixed && fixed !== '-0.00' ? '-' : '';
  const whole = groupThousands(unsigned.slice(0, -3));
  const cents = unsigned.slice(-2);
  return currency === 'USD' ? `${sign}$${whole}.${cents}` : `${sign}${whole}.${cents} ${currency}`;
}

const MINUS_CODE = 45;

/** "1234567" → "1,234,567" (digits only). */
function groupThousands(digits: string): string {
  const head = digits.length % 3 || 3;
  let grouped = digits.slice(0, head);
  for (let index = head; index < digits.length; index += 3) grouped += `,${digits.slice(index, index + 3)}`;
  return grouped;
}

export function sumMoney(amounts: readonly Decimal[]): Decimal {
  let total = ZERO;
  for (const amount of amounts) total = total.plus(amount);
  return total;
}

/**
 * Physical quantities (windows, hours, tokens) are plain numbers; they enter money through this
 * conversion, at `QUANTITY_DECIMALS` places.
 */
export function quantity(value: number): Decimal {
  // An integer has nothing to round (the usual count of units, hours or saturated windows).
  if (Number.isInteger(value)) return new Decimal(value);
  // decimal.js reads a number from its shortest decimal text anyway; rounding that text half-even
  // to six places here builds one Decimal, where building and then rounding builds two and takes
  // half again as long (a curve's windowed and per-token points each take one quantity).
  const text = String(value);
  const point = text.indexOf('.');
  const cut = point + 1 + QUANTITY_DECIMALS;
  if (point < 0 || text.includes('e')) {
    return new Decimal(value).toDecimalPlaces(QUANTITY_DECIMALS, PRESENTATION_ROUNDING);
  }
  if (text.length <= cut) return new Decimal(text);
  const kept = text.slice(0, cut);
  const firstDropped = text.charCodeAt(cut) - ZERO_CODE;
  let awayFromZero = firstDropped > 5;
  if (firstDropped === 5) {
    // A tie only when nothing but zeros follows the 5; then to the even neighbour.
    let beyondHalf = false;
    for (let index = cut + 1; index < text.length && !beyondHalf; index++)
      beyondHalf = text.charCodeAt(index) !== ZERO_CODE;
    awayFromZero = beyondHalf || (kept.charCodeAt(kept.length - 1) - ZERO_CODE) % 2 === 1;
  }
  return new Decimal(awayFromZero ? incrementLastDigit(kept) : kept);
}

const ZERO_CODE = 48;
const NINE_CODE = 57;

/** "12.999999" → "13.000000", "-0.000001" → "-0.000002": one more in the last place, in magnitude. */
function incrementLastDigit(digits: string): string {
  let index = digits.length - 1;
  let carried = '';
  for (; index >= 0; index--) {
    const code = digits.charCodeAt(index);
    if (code === NINE_CODE) carried = `0${carried}`;
    else if (code >= ZERO_CODE && code < NINE_CODE) {
      return `${digits.slice(0, index)}${String.fromCharCode(code + 1)}${carried}`;
    } else carried = `${digits[index]}${carried}`;
  }
  // Every digit was a 9: one more digit in front, after any sign.
  return carried.startsWith('-') ? `-1${carried.slice(1)}` : `1${carried}`;
}

/** Volumes whose quantity is remembered before the memo starts over. */
const VOLUME_QUANTITIES_KEPT = 4096;
const volumeQuantities = new Map<number, Decimal>();

/**
 * `quantity` of a monthly volume, remembered: curves and break-evens cost the same log-spaced
 * volumes (`logVolumeGrid`) in every decision over the same range, and a per-token path takes one
 * quantity at each, the most of its cost.
 */
export function volumeQuantity(requestsPerMonth: number): Decimal {
  let value = volumeQuantities.get(requestsPerMonth);
  if (!value) {
    if (volumeQuantities.size >= VOLUME_QUANTITIES_KEPT) volumeQuantities.clear();
    value = quantity(requestsPerMonth);
    volumeQuantities.set(requestsPerMonth, value);
  }
  return value;
}

/**
 * `quantity(value)` as a double, within a relative 1e-13 of it (zero stays zero), without building a
 * Decimal: for costs' doubles (CostModel.approximateTotalAt), which only locate crossings.
 */
export function approximateQuantity(value: number): number {
  // Rounding to a millionth moves a value this large by a relative 1e-13 at most.
  if (!(Math.abs(value) < 5e6)) return value;
  const whole = Math.trunc(value);
  // Exact subtraction; the product is within 1e-10 of the millionths of the double's fraction, and
  // the double within 6e-4 millionths of its shortest decimal (what `quantity` rounds).
  const millionths = (value - whole) * 1e6;
  const rounded = Math.round(millionths);
  // Near a half-millionth, which way `quantity` rounds depends on decimal digits the double blurs.
  if (Math.abs(Math.abs(millionths - rounded) - 0.5) < 1e-3) return quantity(value).toNumber();
  return whole + rounded / 1e6;
}

/** 1234567.891 → "1,234,567.9": fast grouping for sentences (Intl is slow in hot loops). */
export function formatNumber(value: number, maxFractionDigits = 1): string {
  if (!Number.isFinite(value)) return String(value);
  const factor = 10 ** maxFractionDigits;
  const rounded = Math.round(value * factor) / factor;
  const [whole = '0', fraction] = Math.abs(rounded).toString().split('.');
  // Exponent forms and an Infinity (a huge value times the factor) are not digits to group.
  const text = whole.includes('e')
    ? Math.abs(rounded).toString()
    : Number.isFinite(rounded)
      ? groupThousands(whole)
      : whole;
  return `${rounded < 0 ? '-' : ''}${text}${fraction ? `.${fraction}` : ''}`;
}
