import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toAnswer } from '../../../src/app/decisions/answer';
import { decide } from '../../../src/domain/engine/decide';
import { MONEY_SCALE, moneyAmount } from '../../../src/domain/engine/money';
import { parseWorkload, WORKLOAD_RANGES } from '../../../src/domain/engine/workload';
import { labEvidence } from '../../fixtures/lab/lab-evidence';
import { inRange, inRangeWorkload } from '../../support/workload-arbitrary';

const PLAIN = /^-?\d+(\.\d+)?$/;

const R = WORKLOAD_RANGES;
const inputArbitrary = inRangeWorkload({
  models: ['llama-3.1-8b-lora', 'llama-3.1-8b-instruct-base', 'moe-26b-a4b-base'],
  extra: {
    neededByDays: fc.option(inRange(R.neededByDays), { nil: null }),
    amortizationMonths: fc.option(inRange(R.amortizationMonths), { nil: null }),
    monthlyBudget: fc.option(
      fc.oneof(
        fc.constantFrom('0', '100', '1500.00', `1${'0'.repeat(40)}`, '0.0000000001'),
        fc.bigInt({ min: 0n, max: 10n ** 45n }).map((value) => `${value}.25`),
      ),
      { nil: null },
    ),
  },
});

/** Every string under a `monthlyCost`, `amount`-like key of the answer, found by walking it. */
function moneyStrings(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) moneyStrings(item, found);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      if (
        typeof item === 'string' &&
        /^(monthlyCost|total|amount|commitment|low|high|costA|costB)$/.test(key)
      )
        found.push(item);
      else moneyStrings(item, found);
    }
  return found;
}

const minimal = {
  requestsPerDay: 100,
  meanInputTokens: 900,
  meanOutputTokens: 250,
  activeHoursPerDay: 10,
  activeDaysPerMonth: 22,
  model: 'llama-3.1-8b-lora',
};

describe('bounded inputs, exact money', () => {
  it('answers every workload in range without an internal error, with plain money strings', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const parsed = parseWorkload(input, labEvidence());
        expect(parsed.ok ? [] : parsed.issues).toEqual([]);
        if (!parsed.ok) return;
        const decision = decide(parsed.workload, labEvidence(), {
          analyses: { breakEvens: true, curves: true, sensitivity: false },
          curvePoints: 12,
        });
        for (const text of moneyStrings(toAnswer(decision))) {
          expect(text).toMatch(PLAIN);
          expect(moneyAmount(text)).toMatch(PLAIN);
        }
        for (const option of decision.options) expect(option.cost.total.isFinite()).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses each numeric field just past either end of its range, naming the field and the range', () => {
    const valid = minimal;
    const cases: [string, number, RegExp][] = [
      ['requestsPerDay', 1e306, /requestsPerDay must be 0 to 1,000,000,000 \(got 1e\+306\)/],
      ['meanInputTokens', 1e308, /meanInputTokens must be 0 to 10,000,000 \(got 1e\+308\)/],
      ['meanOutputTokens', 1e6 + 1, /meanOutputTokens must be more than 0, at most 1,000,000/],
      ['burstiness', 1001, /burstiness must be 0.01 to 1,000 \(got 1001\)/],
      ['burstiness', 0.001, /burstiness must be 0.01 to 1,000/],
      ['peakToMean', 1001, /peakToMean must be 1 to 1,000/],
      ['horizonMonths', 121, /horizonMonths must be a whole number from 1 to 120 \(got 121\)/],
      ['horizonMonths', 12.5, /horizonMonths must be a whole number of months/],
      ['amortizationMonths', 0, /amortizationMonths must be a whole number of months, at least 1/],
      ['amortizationMonths', 121, /amortizationMonths must be a whole number from 1 to 120/],
      ['neededByDays', 3651, /neededByDays must be 0 to 3,650/],
      ['maxTtftMsP95', 3.6e6 + 1, /maxTtftMsP95 must be more than 0, at most 3,600,000/],
    ];
    for (const [field, value, message] of cases) {
      const parsed = parseWorkload({ ...valid, [field]: value }, labEvidence());
      expect(parsed.ok, field).toBe(false);
      if (parsed.ok) continue;
      expect(parsed.issues[0]?.field).toBe(field);
      expect(parsed.issues[0]?.message).toMatch(message);
    }
  });

  it('takes the horizon as 36 months when none is given', () => {
    const parsed = parseWorkload({ ...minimal }, labEvidence());
    expect(parsed.ok && parsed.workload.horizonMonths).toBe(36);
  });

  it('keeps a 41-digit budget exact and never writes money in exponent notation', () => {
    const budget = `1${'0'.repeat(40)}`;
    const parsed = parseWorkload({ ...minimal, monthlyBudget: budget }, labEvidence());
    expect(parsed.ok && parsed.workload.monthlyBudget?.toFixed()).toBe(budget);
    expect(new Decimal(budget).toString()).toBe(budget);
    expect(moneyAmount(new Decimal('5.566e-10'))).toBe('0.0000000006');
    expect(moneyAmount(new Decimal('2.52e+20'))).toBe('252000000000000000000');
    expect(MONEY_SCALE).toBe(10);
  });
});
