import Decimal from 'decimal.js';
import { z } from 'zod';
import { HISTORY_METRIC_NAMES, type HistoryMetric } from '../domain/metrics/history-metrics';

/**
 * Inputs of the two charts, validated at the boundary. Money arrives as decimal strings (the API's
 * Decimal scalar); the charts convert them to numbers only to place marks, never to compute a
 * figure someone reads as a price (labels are formatted from the strings with decimal.js).
 */

const CHART_MIN_PIXELS = 200;
const CHART_MAX_PIXELS = 2400;

const pixelSize = (dimension: 'width' | 'height') =>
  z.coerce
    .number({ error: `${dimension} must be a number of pixels` })
    .int({ error: `${dimension} must be a whole number of pixels` })
    .min(CHART_MIN_PIXELS, { error: `${dimension} must be at least ${CHART_MIN_PIXELS} px` })
    .max(CHART_MAX_PIXELS, { error: `${dimension} must be at most ${CHART_MAX_PIXELS} px` });

const CHART_FORMATS = ['svg', 'png'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];

export const chartRenderOptionsSchema = z.object({
  format: z.enum(CHART_FORMATS, { error: 'format must be "svg" or "png"' }),
  width: pixelSize('width').default(1200),
  height: pixelSize('height').default(675),
});
export type ChartRenderOptions = z.input<typeof chartRenderOptionsSchema>;
export type ValidChartRenderOptions = z.output<typeof chartRenderOptionsSchema>;

export interface ChartImage {
  contentType: 'image/svg+xml' | 'image/png';
  body: Buffer | string;
}

/** A non-negative decimal string such as "122.04" or "1.7155e4" (what Decimal#toString writes). */
export const moneyStringSchema = z
  .string({ error: 'money must be a decimal string, e.g. "122.04"' })
  .regex(/^\d+(\.\d+)?(e[+-]?\d+)?$/i, {
    error: 'money must be a non-negative decimal string, e.g. "122.04"',
  });

const positiveVolume = z
  .number({ error: 'volume must be a number' })
  .finite({ error: 'volume must be finite' })
  .positive({ error: 'volume must be greater than 0: the volume axis is logarithmic' });

export const VOLUME_UNITS = ['requests', 'tokens'] as const;
export type VolumeUnit = (typeof VOLUME_UNITS)[number];

export const costPointSchema = z.object({
  volume: positiveVolume,
  cost: moneyStringSchema,
  /**
   * Cost jumps here because capacity needs another box or copy. When the previous point has a
   * smaller volume, the chart carries the previous cost flat up to this volume and draws the jump
   * (engines should sample the exact capacity edge); a previous point at the same volume is the
   * cost just before the jump.
   */
  stepChange: z.boolean().optional(),
  /** Shown next to a step, e.g. "2nd box". */
  stepLabel: z.string().min(1).max(40).optional(),
});
export type CostPoint = z.infer<typeof costPointSchema>;

export const costSeriesSchema = z.object({
  pathId: z.string().min(1, { error: 'pathId must not be empty' }),
  pathLabel: z.string().min(1, { error: 'pathLabel must not be empty' }).max(120),
  /**
   * False for a path the workload may not choose (a base model standing in for custom weights): drawn
   * for comparison, never shaded or labelled as the cheapest (src/domain/engine/eligibility.ts).
   */
  eligible: z.boolean().default(true),
  /** Used in break-even annotations where the full label is too long, e.g. "Spark", "CMI". */
  shortLabel: z.string().min(1).max(24).optional(),
  points: z
    .array(costPointSchema)
    .min(2, { error: 'a cost series needs at least 2 points' })
    .superRefine((points, context) => {
      for (let index = 1; index < points.length; index++) {
        const previous = points[index - 1];
        const current = points[index];
        if (previous && current && current.volume < previous.volume) {
          context.addIssue({
            code: 'custom',
            path: [index, 'volume'],
            message: 'points must be sorted by volume, ascending',
          });
        }
      }
    }),
});
export type CostSeries = z.input<typeof costSeriesSchema>;

const breakEvenSchema = z.object({
  pathA: z.string().min(1),
  pathB: z.string().min(1),
  volume: positiveVolume,
  cost: moneyStringSchema,
});
export type BreakEven = z.infer<typeof breakEvenSchema>;

export const COST_AXIS_SCALES = ['log', 'linear'] as const;

export const costChartInputSchema = z
  .object({
    title: z.string().min(1).max(120).optional(),
    subtitle: z.string().min(1).max(200).optional(),
    volumeUnit: z.enum(VOLUME_UNITS, { error: 'volumeUnit must be "requests" or "tokens"' }),
    series: z.array(costSeriesSchema).min(1, { error: 'series must hold at least one path' }).max(8, {
      error: 'at most 8 paths fit one chart legibly',
    }),
    breakEvens: z.array(breakEvenSchema).default([]),
    workload: z
      .object({
        volume: positiveVolume,
        label: z.string().min(1).max(60).default('Your workload'),
      })
      .optional(),
    /**
     * Log by default: costs span five decades (cents of on-demand tokens to a $17k/month floor), and
     * on a linear axis everything under the floor, where the decisions are, collapses onto zero.
     */
    costAxis: z.enum(COST_AXIS_SCALES).default('log'),
  })
  .superRefine((input, context) => {
    const pathIds = new Set<string>();
    input.series.forEach((series, seriesIndex) => {
      if (pathIds.has(series.pathId)) {
        context.addIssue({
          code: 'custom',
          path: ['series', seriesIndex, 'pathId'],
          message: `duplicate pathId "${series.pathId}"`,
        });
      }
      pathIds.add(series.pathId);
      if (input.costAxis === 'log') {
        series.points.forEach((point, pointIndex) => {
          if (new Decimal(point.cost).lte(0)) {
            context.addIssue({
              code: 'custom',
              path: ['series', seriesIndex, 'points', pointIndex, 'cost'],
              message: 'cost must be greater than 0 on a log cost axis (use costAxis "linear")',
            });
          }
        });
      }
    });
    input.breakEvens.forEach((breakEven, index) => {
      for (const key of ['pathA', 'pathB'] as const) {
        if (!pathIds.has(breakEven[key])) {
          context.addIssue({
            code: 'custom',
            path: ['breakEvens', index, key],
            message: `break-even names unknown path "${breakEven[key]}"`,
          });
        }
      }
    });
  });
export type CostChartInput = z.input<typeof costChartInputSchema>;
export type ValidCostChartInput = z.output<typeof costChartInputSchema>;

/** Upper case is the name (GraphQL's); any case is read, so a hand-typed URL or flag still works. */
const unknownMetric = (issue: { input: unknown }) =>
  `unknown metric ${JSON.stringify(issue.input)}; expected one of: ${HISTORY_METRIC_NAMES.join(', ')}`;
export const historyMetricSchema = z
  .string({ error: unknownMetric })
  .refine((name) => (HISTORY_METRIC_NAMES as readonly string[]).includes(name.toUpperCase()), {
    error: unknownMetric,
  })
  .transform((name) => name.toUpperCase() as HistoryMetric);

const historyPointSchema = z.object({
  /** When the run finished, ISO 8601 with a zone (e.g. "2025-10-14T09:30:00Z"). */
  at: z.iso.datetime({ offset: true, error: 'at must be an ISO 8601 date-time with a zone' }),
  value: z.number().finite().nonnegative({ error: 'metric values must be 0 or more' }),
  runId: z.string().min(1).optional(),
  /** Set by regression detection; the chart marks it and prints the change. */
  regression: z
    .object({
      percentChange: z.number().finite(),
      zScore: z.number().finite().optional(),
    })
    .optional(),
});
export type HistoryPoint = z.infer<typeof historyPointSchema>;

export const historyChartInputSchema = z.object({
  title: z.string().min(1).max(120).optional(),
  box: z.string().min(1, { error: 'box must not be empty' }),
  model: z.string().min(1, { error: 'model must not be empty' }),
  profile: z.string().min(1, { error: 'profile must not be empty' }),
  metric: historyMetricSchema,
  points: z.array(historyPointSchema).min(1, { error: 'points must hold at least one result' }),
  roofline: z
    .object({
      value: z.number().finite().positive({ error: 'roofline value must be greater than 0' }),
      /** e.g. "Roofline 68 tokens/s (273 GB/s, 4 GB read per token)". */
      label: z.string().min(1).max(100).optional(),
    })
    .optional(),
});
export type HistoryChartInput = z.input<typeof historyChartInputSchema>;
export type ValidHistoryChartInput = z.output<typeof historyChartInputSchema>;

/** Flattens zod issues into one line per problem, each prefixed with the path that holds it. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export class ChartInputError extends Error {
  override readonly name = 'ChartInputError';
  constructor(
    readonly chart: 'cost' | 'history' | 'price-history' | 'frontier',
    readonly issues: z.core.$ZodIssue[],
    message: string,
  ) {
    super(message);
  }
}

export function parseOrThrow<Schema extends z.ZodType>(
  chart: 'cost' | 'history' | 'price-history' | 'frontier',
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ChartInputError(chart, result.error.issues, `invalid ${what}: ${describeIssues(result.error)}`);
  }
  return result.data;
}
