import Decimal from 'decimal.js';
import { z } from 'zod';
import type { EvidenceSnapshot } from './evidence';
import { DAYS_PER_MONTH } from './money';

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
  horizonMonths: number;
  monthlyBudget: Decimal | null;
  region: string;
}

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

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
  requestsPerDay: nonNegative('requestsPerDay', 'requests per active day'),
  meanInputTokens: nonNegative('meanInputTokens', 'input tokens per request'),
  meanOutputTokens: positive(
    'meanOutputTokens',
    'output tokens per request',
    'every request generates output; give the mean number of output tokens per request, e.g. 250',
  ),
  activeHoursPerDay: finiteNumber('activeHoursPerDay', 'hours of traffic per active day').refine(
    (value) => value > 0 && value <= 24,
    {
      error: (issue) =>
        `activeHoursPerDay must be more than 0 and at most 24 (got ${String(issue.input)}): give the hours of traffic per active day, e.g. 10 for business hours`,
    },
  ),
  activeDaysPerMonth: finiteNumber('activeDaysPerMonth', 'days with traffic per month').refine(
    (value) => value > 0 && value <= DAYS_PER_MONTH + 1e-9,
    {
      error: (issue) =>
        `activeDaysPerMonth must be more than 0 and at most ${DAYS_PER_MONTH.toFixed(2)} (got ${String(issue.input)}): give the days with traffic per month, e.g. 22 for weekdays`,
    },
  ),
  burstiness: positive(
    'burstiness',
    'a burstiness factor',
    'use 1 for Poisson arrivals, more for clustered traffic',
  ).default(1),
  peakToMean: finiteNumber('peakToMean', 'a peak-to-mean factor')
    .refine((value) => value >= 1, {
      error: (issue) =>
        `peakToMean must be at least 1 (got ${String(issue.input)}): the peak rate cannot be below the mean; use 1 for flat traffic`,
    })
    .default(1),
  model: z
    .string({ error: 'model is required: name the model or variant to serve, e.g. "llama-3.1-8b-lora"' })
    .min(1, { error: 'model cannot be empty: name the model or variant to serve' }),
  needsCustomWeights: z.boolean({ error: 'needsCustomWeights must be true or false' }).default(false),
  mustOwnWeights: z.boolean({ error: 'mustOwnWeights must be true or false' }).default(false),
  minDecodeTokensPerSecond: nullable(
    positive(
      'minDecodeTokensPerSecond',
      'tokens per second per stream',
      'give the slowest acceptable per-stream decode, or null',
    ),
  ),
  maxTtftMsP95: nullable(
    positive('maxTtftMsP95', 'milliseconds', 'give the p95 time-to-first-token limit, or null'),
  ),
  minAcceptedRate: nullable(
    inRange('minAcceptedRate', 0, 1, 'give a fraction such as 0.6 for 60% accepted, or null'),
  ),
  neededByDays: nullable(nonNegative('neededByDays', 'days from now')),
  horizonMonths: finiteNumber('horizonMonths', 'months').refine(
    (value) => Number.isInteger(value) && value >= 1,
    {
      error: (issue) =>
        `horizonMonths must be a whole number of months, at least 1 (got ${String(issue.input)}): e.g. 12 or 36`,
    },
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
