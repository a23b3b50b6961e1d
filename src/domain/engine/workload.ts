import Decimal from 'decimal.js';
import { z } from 'zod';
import type { EvidenceSnapshot } from './evidence';

/**
 * A workload as the engine sees it. `requestsPerDay` counts requests on an *active* day, so a
 * month holds `requestsPerDay x activeDaysPerMonth` requests, all inside the active hours.
 */
export interface Workload {
  requestsPerDay: number;
  meanInputTokens: number;
  meanOutputTokens: number;
  /** Hours per active day with traffic, contiguous; 24 = traffic around the clock. */
  activeHoursPerDay: number;
  /** At most 30.42 (a 730-hour month). */
  activeDaysPerMonth: number;
  /** Squared coefficient of variation of inter-arrival gaps: 1 = Poisson, > 1 = clustered. */
  burstiness: number;
  /** Peak arrival rate over the mean rate within active hours; sizes capacity. */
  peakToMean: number;
  /** Model or variant slug, e.g. "llama-3.1-8b-lora" (the GraphQL input's `model`). */
  model: string;
  needsCustomWeights: boolean;
  mustOwnWeights: boolean;
  minDecodeTokensPerSecond: number | null;
  maxTtftMsP95: number | null;
  /** Fraction in [0, 1]. */
  minAcceptedRate: number | null;
  neededByDays: number | null;
  /** Whole months the workload runs (default 36). */
  horizonMonths: number;
  /**
   * Months over which a bought box's price is spread; null or absent = the box's own figure from
   * the evidence. Capped at the horizon: a box bought for a shorter run is charged over that run.
   */
  amortizationMonths?: number | null;
  monthlyBudget: Decimal | null;
  region: string;
}

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/** The months over which the workload is judged when none is given: a box's usual amortization. */
export const DEFAULT_HORIZON_MONTHS = 36;

/**
 * Every numeric workload input's accepted range, stated once: the zod schema enforces it and the
 * GraphQL descriptions print it. The upper bounds are far past any real workload (a billion
 * requests a day, ten million tokens a request) and keep every derived quantity finite, so no
 * input in range can overflow into an internal error.
 */
export interface NumericRange {
  min: number;
  /** True when `min` itself is not allowed. */
  minExclusive?: boolean;
  max: number;
  integer?: boolean;
}

export const WORKLOAD_RANGES = {
  requestsPerDay: { min: 0, max: 1e9 },
  meanInputTokens: { min: 0, max: 1e7 },
  meanOutputTokens: { min: 0, minExclusive: true, max: 1e6 },
  activeHoursPerDay: { min: 0, minExclusive: true, max: 24 },
  // 30.42 rounds a 730-hour month (30.4167 days) up, so "every day" can be typed as 30.42.
  activeDaysPerMonth: { min: 0, minExclusive: true, max: 30.42 },
  // Gamma gap shapes from 1/1000 (extremely clustered) to 100 (nearly clockwork): the window model's
  // incomplete-gamma functions are accurate across that span.
  burstiness: { min: 0.01, max: 1e3 },
  peakToMean: { min: 1, max: 1e3 },
  minDecodeTokensPerSecond: { min: 0, minExclusive: true, max: 1e5 },
  maxTtftMsP95: { min: 0, minExclusive: true, max: 3.6e6 },
  minAcceptedRate: { min: 0, max: 1 },
  neededByDays: { min: 0, max: 3650 },
  horizonMonths: { min: 1, max: 120, integer: true },
  amortizationMonths: { min: 1, max: 120, integer: true },
} as const satisfies Record<string, NumericRange>;

const plainNumber = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** "0 to 1,000,000,000", "more than 0, at most 24", "a whole number from 1 to 120". */
export function rangeText(range: NumericRange): string {
  const span = range.minExclusive
    ? `more than ${plainNumber(range.min)}, at most ${plainNumber(range.max)}`
    : `${plainNumber(range.min)} to ${plainNumber(range.max)}`;
  return range.integer ? `a whole number from ${span}` : span;
}

/** The upper bound on top of a field's own lower-bound checks. */
function bounded<T extends z.ZodType<number>>(schema: T, field: keyof typeof WORKLOAD_RANGES) {
  const range: NumericRange = WORKLOAD_RANGES[field];
  // Only the upper end: each field's own check already states its lower end (and whole-number
  // rule) with a fix, and one bad value should give one issue.
  return schema.refine((value) => !(value > range.max), {
    error: (issue) => `${field} must be ${rangeText(range)} (got ${String(issue.input)})`,
  });
}

function finiteNumber(field: string, unit: string) {
  return z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `${field} is required: give ${unit}`
          : `${field} must be a number (got ${JSON.stringify(issue.input)}): give ${unit}`,
    })
    .refine(Number.isFinite, { error: `${field} must be finite: give ${unit}` });
}

function nonNegative(field: string, unit: string) {
  return finiteNumber(field, unit).refine((value) => value >= 0, {
    error: (issue) => `${field} cannot be negative (got ${String(issue.input)}): use 0 or more ${unit}`,
  });
}

function positive(field: string, unit: string, why: string) {
  return finiteNumber(field, unit).refine((value) => value > 0, {
    error: (issue) => `${field} must be greater than 0 (got ${String(issue.input)}): ${why}`,
  });
}

function inRange(field: string, min: number, max: number, how: string) {
  return finiteNumber(field, how).refine((value) => value >= min && value <= max, {
    error: (issue) => `${field} must be between ${min} and ${max} (got ${String(issue.input)}): ${how}`,
  });
}

function decimalString(field: string) {
  return z
    .string({
      error: (issue) =>
        `${field} must be a decimal string like "1500.00" (got ${JSON.stringify(issue.input)}): money is passed as a string so no precision is lost`,
    })
    .trim()
    .refine((text) => DECIMAL_PATTERN.test(text), {
      error: (issue) =>
        `${field} is not a valid decimal (got ${JSON.stringify(issue.input)}): use digits with an optional "." and no thousands separators or currency signs, e.g. "1500.00"`,
    })
    .transform((text) => new Decimal(text))
    .refine((amount) => !amount.isNegative(), {
      error: `${field} cannot be negative: give 0 or a positive amount`,
    });
}

function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullable().default(null);
}

/** Parses a workload from untrusted input (GraphQL, Slack text, files) into a `Workload`. */
export const workloadSchema = z.object({
  requestsPerDay: bounded(nonNegative('requestsPerDay', 'requests per active day'), 'requestsPerDay'),
  meanInputTokens: bounded(nonNegative('meanInputTokens', 'input tokens per request'), 'meanInputTokens'),
  meanOutputTokens: bounded(
    positive(
      'meanOutputTokens',
      'output tokens per request',
      'every request generates output; give the mean number of output tokens per request, e.g. 250',
    ),
    'meanOutputTokens',
  ),
  activeHoursPerDay: finiteNumber('activeHoursPerDay', 'hours of traffic per active day').refine(
    (value) => value > 0 && value <= 24,
    {
      error: (issue) =>
        `activeHoursPerDay must be more than 0 and at most 24 (got ${String(issue.input)}): give the hours of traffic per active day, e.g. 10 for business hours`,
    },
  ),
  activeDaysPerMonth: finiteNumber('activeDaysPerMonth', 'days with traffic per month').refine(
    (value) => value > 0 && value <= WORKLOAD_RANGES.activeDaysPerMonth.max,
    {
      error: (issue) =>
        `activeDaysPerMonth must be more than 0 and at most ${WORKLOAD_RANGES.activeDaysPerMonth.max} (got ${String(issue.input)}): give the days with traffic per month, e.g. 22 for weekdays`,
    },
  ),
  burstiness: bounded(
    finiteNumber('burstiness', 'a burstiness factor').refine(
      (value) => value >= WORKLOAD_RANGES.burstiness.min,
      {
        error: (issue) =>
          `burstiness must be ${rangeText(WORKLOAD_RANGES.burstiness)} (got ${String(issue.input)}): use 1 for Poisson arrivals, more for clustered traffic, less for evenly spaced`,
      },
    ),
    'burstiness',
  ).default(1),
  peakToMean: bounded(
    finiteNumber('peakToMean', 'a peak-to-mean factor').refine((value) => value >= 1, {
      error: (issue) =>
        `peakToMean must be at least 1 (got ${String(issue.input)}): the peak rate cannot be below the mean; use 1 for flat traffic`,
    }),
    'peakToMean',
  ).default(1),
  model: z
    .string({ error: 'model is required: name the model or variant to serve, e.g. "llama-3.1-8b-lora"' })
    .min(1, { error: 'model cannot be empty: name the model or variant to serve' }),
  needsCustomWeights: z.boolean({ error: 'needsCustomWeights must be true or false' }).default(false),
  mustOwnWeights: z.boolean({ error: 'mustOwnWeights must be true or false' }).default(false),
  minDecodeTokensPerSecond: nullable(
    bounded(
      positive(
        'minDecodeTokensPerSecond',
        'tokens per second per stream',
        'give the slowest acceptable per-stream decode, or null',
      ),
      'minDecodeTokensPerSecond',
    ),
  ),
  maxTtftMsP95: nullable(
    bounded(
      positive('maxTtftMsP95', 'milliseconds', 'give the p95 time-to-first-token limit, or null'),
      'maxTtftMsP95',
    ),
  ),
  minAcceptedRate: nullable(
    inRange('minAcceptedRate', 0, 1, 'give a fraction such as 0.6 for 60% accepted, or null'),
  ),
  neededByDays: nullable(bounded(nonNegative('neededByDays', 'days from now'), 'neededByDays')),
  horizonMonths: bounded(
    finiteNumber('horizonMonths', 'months').refine((value) => Number.isInteger(value) && value >= 1, {
      error: (issue) =>
        `horizonMonths must be a whole number of months, at least 1 (got ${String(issue.input)}): e.g. 12 or 36`,
    }),
    'horizonMonths',
  ).default(DEFAULT_HORIZON_MONTHS),
  amortizationMonths: nullable(
    bounded(
      finiteNumber('amortizationMonths', 'months').refine((value) => Number.isInteger(value) && value >= 1, {
        error: (issue) =>
          `amortizationMonths must be a whole number of months, at least 1 (got ${String(issue.input)}): the months over which a bought box is paid off, e.g. 36`,
      }),
      'amortizationMonths',
    ),
  ),
  monthlyBudget: nullable(decimalString('monthlyBudget')),
  region: z.string({ error: 'region must be a string such as "us-east-1"' }).min(1).default('us-east-1'),
});

export type WorkloadInput = z.input<typeof workloadSchema>;

export interface WorkloadIssue {
  field: string;
  message: string;
}

export type WorkloadParseResult = { ok: true; workload: Workload } | { ok: false; issues: WorkloadIssue[] };

/**
 * Validates shape with `workloadSchema`, then the model against the snapshot: an unknown model is
 * reported with the slugs that do exist, so the caller can fix the typo.
 */
export function parseWorkload(input: unknown, evidence?: EvidenceSnapshot): WorkloadParseResult {
  const parsed = workloadSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || '(workload)',
        message: issue.message,
      })),
    };
  }
  const workload: Workload = parsed.data;
  if (evidence) {
    const issues = checkWorkloadAgainstEvidence(workload, evidence);
    if (issues.length > 0) return { ok: false, issues };
  }
  return { ok: true, workload };
}

export function checkWorkloadAgainstEvidence(
  workload: Workload,
  evidence: EvidenceSnapshot,
): WorkloadIssue[] {
  const model = evidence.models.find((candidate) => candidate.slug === workload.model);
  if (model) return [];
  const known = evidence.models.map((candidate) => candidate.slug).join(', ');
  return [
    {
      field: 'model',
      message: `model "${workload.model}" is not in the catalog: use one of ${known || '(none loaded)'}`,
    },
  ];
}

export class WorkloadError extends Error {
  constructor(readonly issues: WorkloadIssue[]) {
    super(issues.map((issue) => issue.message).join('; '));
    this.name = 'WorkloadError';
  }
}
