import { z } from 'zod';
import type { FrontierChartInput } from './frontierChart';
import type { PriceHistoryChartInput } from './priceHistoryChart';
import {
  COST_AXIS_SCALES,
  type CostChartInput,
  type HistoryChartInput,
  historyMetricSchema,
  type ValidChartRenderOptions,
  VOLUME_UNITS,
} from './schemas';

/**
 * What a caller (HTTP route, CLI, Slack bot) asks for, before any data is loaded: which chart, for
 * what, and at what size. The loaders that turn a query into chart input belong to the API/DB side;
 * the charts never touch data access.
 */

const positiveNumber = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .refine((value) => Number.isFinite(value) && value > 0, {
      error: `${name} must be greater than 0: the volume axis is logarithmic`,
    });

export const costChartQuerySchema = z
  .object({
    workloadId: z.string({ error: 'workloadId is required' }).min(1, { error: 'workloadId is required' }),
    volumeUnit: z.enum(VOLUME_UNITS, { error: 'volumeUnit must be "requests" or "tokens"' }).optional(),
    minVolume: positiveNumber('minVolume').optional(),
    maxVolume: positiveNumber('maxVolume').optional(),
    costAxis: z.enum(COST_AXIS_SCALES, { error: 'costAxis must be "log" or "linear"' }).optional(),
  })
  .refine(
    (query) =>
      query.minVolume === undefined || query.maxVolume === undefined || query.minVolume < query.maxVolume,
    { error: 'minVolume must be less than maxVolume', path: ['minVolume'] },
  );
export type CostChartQuery = z.output<typeof costChartQuerySchema>;

export const frontierChartQuerySchema = z.object({
  workloadId: z.string({ error: 'workloadId is required' }).min(1, { error: 'workloadId is required' }),
});
export type FrontierChartQuery = z.output<typeof frontierChartQuerySchema>;

export const historyChartQuerySchema = z.object({
  box: z.string({ error: 'box is required' }).min(1, { error: 'box is required' }),
  model: z.string({ error: 'model is required' }).min(1, { error: 'model is required' }),
  profile: z.string({ error: 'profile is required' }).min(1, { error: 'profile is required' }),
  metric: historyMetricSchema,
  since: z.iso
    .datetime({ offset: true, error: 'since must be an ISO 8601 date-time with a zone' })
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be a whole number' })
    .min(1, { error: 'limit must be at least 1' })
    .max(1000, { error: 'limit must be at most 1000' })
    .optional(),
});
export type HistoryChartQuery = z.output<typeof historyChartQuerySchema>;

export const priceHistoryChartQuerySchema = z.object({
  component: z
    .string({ error: 'component is required: a price component slug, e.g. "dgx-spark-purchase"' })
    .min(1, { error: 'component is required: a price component slug, e.g. "dgx-spark-purchase"' }),
});
export type PriceHistoryChartQuery = z.output<typeof priceHistoryChartQuerySchema>;

export type ChartRequest =
  | { chart: 'cost'; options: ValidChartRenderOptions; query: CostChartQuery }
  | { chart: 'history'; options: ValidChartRenderOptions; query: HistoryChartQuery }
  | { chart: 'price-history'; options: ValidChartRenderOptions; query: PriceHistoryChartQuery }
  | { chart: 'frontier'; options: ValidChartRenderOptions; query: FrontierChartQuery };

export interface ChartDataLoaders {
  loadCostChartInput: (query: CostChartQuery) => Promise<CostChartInput>;
  loadHistoryChartInput: (query: HistoryChartQuery) => Promise<HistoryChartInput>;
  loadPriceHistoryChartInput: (query: PriceHistoryChartQuery) => Promise<PriceHistoryChartInput>;
  loadFrontierChartInput: (query: FrontierChartQuery) => Promise<FrontierChartInput>;
}
