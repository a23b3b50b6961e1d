import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approximateQuantity,
  formatMoney,
  formatNumber,
  quantity,
  volumeQuantity,
} from '../../../src/domain/engine/money';

/** What `quantity` is defined as: the double's shortest decimal, half-even to six places. */
const reference = (value: number) => new Decimal(value).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);

/** Doubles of every kind quantities take: integers, millionths, ties, and anything from 1e-9 to 1e12. */
const quantities = fc.oneof(
  fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: 1e-9, max: 10, noNaN: true }),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.integer({ min: 0, max: 1e12 }).map((millionths) => millionths / 1e6),
  // Half-millionths in decimal (ties), their neighbours in the seventh place, and a hair above a tie.
  fc
    .tuple(
      fc.integer({ min: 0, max: 1e6 }),
      fc.integer({ min: 0, max: 999_999 }),
      fc.constantFrom('4', '5', '6', '50001'),
    )
    .map(([whole, millionths, tail]) => Number(`${whole}.${String(millionths).padStart(6, '0')}${tail}`)),
);

describe('quantity', () => {
  it('is the double rounded half-even to six places', () => {
    expect(quantity(26668.000000000004).toString()).toBe('26668');
    expect(quantity(0.0000005).toString()).toBe('0');
    expect(quantity(0.0000015).toString()).toBe('0.000002');
    expect(quantity(2.5e-7).toString()).toBe('0');
    // Ties go to the even millionth; a carry runs through the nines, the point and the sign.
    expect(quantity(0.0000025).toString()).toBe('0.000002');
    expect(quantity(0.0000035).toString()).toBe('0.000004');
    expect(quantity(9.9999995).toString()).toBe('10');
    expect(quantity(-9.9999995).toString()).toBe('-10');
    expect(quantity(-1.23456751).toString()).toBe('-1.234568');
    expect(quantity(1.5e21).toString()).toBe('1500000000000000000000');
    fc.assert(
      fc.property(quantities, (value) => {
        expect(quantity(value).toString()).toBe(reference(value).toString());
      }),
      { numRuns: 5000 },
    );
  });
});

describe('approximateQuantity', () => {
  it('is within a relative 1e-13 of quantity, zero for what rounds to zero', () => {
    fc.assert(
      fc.property(quantities, (value) => {
        const exact = quantity(value);
        const approximate = approximateQuantity(value);
        if (exact.isZero()) expect(Math.abs(approximate)).toBe(0);
        else
          expect(exact.minus(approximate).abs().dividedBy(exact.abs()).toNumber()).toBeLessThanOrEqual(1e-13);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('volumeQuantity', () => {
  it('is quantity, remembered', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e12, noNaN: true }), (volume) => {
        const first = volumeQuantity(volume);
        expect(first.toString()).toBe(quantity(volume).toString());
        expect(volumeQuantity(volume)).toBe(first);
      }),
    );
  });
});

describe('formatMoney and formatNumber', () => {
  // The definitions they had, with a regular expression for the grouping.
  const group = (whole: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const referenceMoney = (amount: Decimal, currency = 'USD') => {
    const rounded = amount.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
    const [whole = '0', cents = '00'] = rounded.abs().toFixed(2).split('.');
    const sign = rounded.isNegative() && !rounded.isZero() ? '-' : '';
    return currency === 'USD'
      ? `${sign}$${group(whole)}.${cents}`
      : `${sign}${group(whole)}.${cents} ${currency}`;
  };
  const referenceNumber = (value: number, maxFractionDigits = 1) => {
    if (!Number.isFinite(value)) return String(value);
    const factor = 10 ** maxFractionDigits;
    const rounded = Math.round(value * factor) / factor;
    const [whole = '0', fraction] = Math.abs(rounded).toString().split('.');
    const text = whole.includes('e') ? Math.abs(rounded).toString() : group(whole);
    return `${rounded < 0 ? '-' : ''}${text}${fraction ? `.${fraction}` : ''}`;
  };
  const amounts = fc.oneof(
    fc
      .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, places]) => new Decimal(digits.toString()).dividedBy(10 ** places)),
    // Half-cents (ties) and amounts that round to zero from below.
    fc.integer({ min: -100_000, max: 100_000 }).map((halfCents) => new Decimal(halfCents).dividedBy(200)),
    fc.constantFrom(new Decimal('-0.004'), new Decimal('-0.005'), new Decimal('-0.0051'), new Decimal(0)),
  );

  it('write what the regular-expression grouping wrote', () => {
    fc.assert(
      fc.property(amounts, fc.constantFrom('USD', 'EUR'), (amount, currency) => {
        expect(formatMoney(amount, currency)).toBe(referenceMoney(amount, currency));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: false }), fc.integer({ min: 0, max: 3 }), (value, digits) => {
        expect(formatNumber(value, digits)).toBe(referenceNumber(value, digits));
      }),
      { numRuns: 3000 },
    );
    expect(formatMoney(new Decimal('1234567.885'))).toBe('$1,234,567.88');
    expect(formatMoney(new Decimal('-0.004'))).toBe('$0.00');
    expect(formatMoney(new Decimal('-999.995'), 'EUR')).toBe('-1,000.00 EUR');
  });
});
