import Decimal from 'decimal.js';
import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder';

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** Parses a decimal string strictly: no exponents, no spaces, no numbers (which went through a float). */
function parseDecimalString(value: unknown, where = 'Decimal'): Decimal {
  if (typeof value !== 'string') {
    throw new GraphQLError(
      `${where} must be a string such as "23.50" (numbers would lose precision), got ${typeof value}.`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  if (!DECIMAL_PATTERN.test(value)) {
    throw new GraphQLError(
      `${where} "${value}" is not a decimal: write digits with an optional point, e.g. "0.0785".`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return new Decimal(value);
}

builder.scalarType('Decimal', {
  description:
    'An exact decimal, serialized as a plain string ("23.50"), never in exponent notation. Inputs accept strings only: any plain decimal, of any length ("-12.5", "100000000000000000000000000000000000000000").',
  // Plain notation whatever the value held (a saved answer may carry an older exponent form).
  serialize: (value) => new Decimal(value.toString()).toFixed(),
  parseValue: (value) => parseDecimalString(value),
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) {
      throw new GraphQLError('Decimal literals must be quoted strings, e.g. "23.50".', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return parseDecimalString(node.value);
  },
});

builder.scalarType('DateTime', {
  description: 'An ISO-8601 timestamp in UTC, in the years 1 to 9999 (what PostgreSQL stores).',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime must be an ISO-8601 string such as "2026-06-08T15:00:00Z".', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return date;
  },
});

builder.scalarType('JSON', {
  description: 'Structured data whose shape is documented on the field.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

export interface MoneyShape {
  amount: Decimal | { toString(): string };
  currency: string;
}

export const MoneyRef = builder.objectRef<MoneyShape>('Money').implement({
  authScopes: { public: true },
  description:
    'An amount of money. Amounts are exact decimals in computation; a computed amount is returned as a plain decimal string (no exponent) with at most 10 digits after the point, rounded half-even (exact amounts with fewer digits as they are). Round half-even to cents only for display.',
  fields: (t) => ({
    amount: t.field({ type: 'Decimal', resolve: (money) => money.amount }),
    currency: t.exposeString('currency'),
  }),
});
