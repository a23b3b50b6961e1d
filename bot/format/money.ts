import Decimal from 'decimal.js';
import type { Money } from '../floorplan-api';

const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };

function groupThousands(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The one presentation rule for money: round half-even to cents, only here, only for display.
 * The amount stays a decimal string end to end; it never passes through a JavaScript number.
 */
export function formatMoney(money: Money): string {
  let rounded: string;
  try {
    rounded = new Decimal(money.amount).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
  const negative = rounded.startsWith('-');
  const [integerPart = '0', cents = '00'] = (negative ? rounded.slice(1) : rounded).split('.');
  const body = `${groupThousands(integerPart)}.${cents}`;
  const symbol = CURRENCY_SYMBOLS[money.currency];
  const sign = negative ? '-' : '';
  return symbol === undefined ? `${sign}${body} ${money.currency}` : `${sign}${symbol}${body}`;
}

export function formatMonthlyCost(money: Money | null): string {
  return money === null ? 'cost unknown' : `${formatMoney(money)}/mo`;
}
