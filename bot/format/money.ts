import Decimal from 'decimal.js';
import type { Money } from '../floorplan-api';

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };

function groupThousands(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The one presentation rule for money, used by every message: from $100 up whole units
 * (`$2,853`), below that cents (`$15.18`), rounded half-even, only here, only for display. The
 * amount stays a decimal string end to end; it never passes through a JavaScript number.
 */
function digitsOf(amount: string): { negative: boolean; body: string } | null {
  let value: Decimal;
  try {
    value = new Decimal(amount);
  } catch {
    return null;
  }
  const places = value.abs().greaterThanOrEqualTo(100) ? 0 : 2;
  const rounded = value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed(places);
  const negative = rounded.startsWith('-');
  const [integerPart = '0', cents] = (negative ? rounded.slice(1) : rounded).split('.');
  return {
    negative,
    body: cents === undefined ? groupThousands(integerPart) : `${groupThousands(integerPart)}.${cents}`,
  };
}

export function formatMoney(money: Money): string {
  const digits = digitsOf(money.amount);
  if (digits === null) return `${money.amount} ${money.currency}`;
  const symbol = CURRENCY_SYMBOLS[money.currency];
  const sign = digits.negative ? '-' : '';
  return symbol === undefined ? `${sign}${digits.body} ${money.currency}` : `${sign}${symbol}${digits.body}`;
}

export function formatMonthlyCost(money: Money | null): string {
  return money === null ? 'cost unknown' : `${formatMoney(money)}/mo`;
}

/**
 * A monthly cost that has a low and a high reading (window-billed paths): `$2,853–2,862/mo`; one
 * figure when the readings round to the same, or when there is no range.
 */
export function formatMonthlyRange(cost: Money, low?: Money | null, high?: Money | null): string {
  if (low == null || high == null || low.currency !== high.currency) return formatMonthlyCost(cost);
  const from = formatMoney(low);
  const to = formatMoney(high);
  if (from === to) return formatMonthlyCost(cost);
  const toDigits = digitsOf(high.amount);
  const symbol = CURRENCY_SYMBOLS[high.currency];
  const bare = symbol !== undefined && toDigits !== null && !toDigits.negative ? toDigits.body : to;
  return `${from}–${bare}/mo`;
}

/**
 * Dollar amounts inside the API's sentences ("costs $1,922.35/month vs $500.00 budget") rewritten
 * in the bot's one format ("costs $1,922/mo vs $500 budget").
 */
export function normalizeDollarsIn(text: string): string {
  return text.replace(
    /\$(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(\/month)?/g,
    (_match, digits: string, perMonth: string | undefined) =>
      `${formatMoney({ amount: digits.replace(/,/g, ''), currency: 'USD' })}${perMonth ? '/mo' : ''}`,
  );
}
