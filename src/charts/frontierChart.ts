import Decimal from 'decimal.js';
import { z } from 'zod';
import { measureTextWidth, useBundledFontMetrics } from './fonts';
import { formatMoney, powersOfTenWithin, suffixedNumberExpression } from './labels';
import { renderVegaLite } from './render';
import {
  type ChartImage,
  type ChartRenderOptions,
  chartRenderOptionsSchema,
  moneyStringSchema,
  parseOrThrow,
} from './schemas';
import {
  type ChartLayout,
  FONT_SIZES,
  INK,
  layeredChart,
  layoutFor,
  SERIES_COLOURS,
  SERIES_SHAPES,
  styleAt,
} from './theme';
import type { ChartLayer, LayeredSpec } from './vegaLiteTypes';

/**
 * $/1M goodput tokens (y, log) against per-user decode tokens/s (x): every path on one chart, one
 * legend entry per point (colour and shape), points that fail the quality gate or are not eligible
 * hollow, the Pareto frontier joined by a line. Labels are never cut: the legend is as wide as its
 * widest label and wraps into as many columns as fit.
 */

export const frontierChartPointSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1).max(120),
  costPerMillion: moneyStringSchema,
  decodeTokensPerSecond: z.number().finite().positive({ error: 'per-user tokens/s must be greater than 0' }),
  /** Filled when true: eligible and at or above the workload's minimum accepted rate. */
  passesQuality: z.boolean(),
  onFrontier: z.boolean(),
});

export const frontierChartInputSchema = z.object({
  title: z.string().min(1).max(120).optional(),
  subtitle: z.string().min(1).max(400).optional(),
  points: z
    .array(frontierChartPointSchema)
    .min(1, { error: 'no path has a cost per goodput token to draw' })
    .max(16),
});
export type FrontierChartInput = z.input<typeof frontierChartInputSchema>;
export type ValidFrontierChartInput = z.output<typeof frontierChartInputSchema>;

const LEGEND_COLUMN_PADDING = 28;
const LEGEND_SYMBOL_ROOM = 36;
const Y_AXIS_ALLOWANCE = 150;

export async function renderFrontierChart(
  input: FrontierChartInput,
  options: ChartRenderOptions,
): Promise<ChartImage> {
  const validInput = parseOrThrow('frontier', frontierChartInputSchema, input, 'frontier chart input');
  const validOptions = parseOrThrow('frontier', chartRenderOptionsSchema, options, 'chart options');
  const layout = layoutFor(validOptions.width, validOptions.height);
  return renderVegaLite(buildFrontierChartSpec(validInput, layout), layout, validOptions);
}

function legendColumns(labels: string[], available: number): number {
  const widest = Math.max(...labels.map((label) => measureTextWidth(label, FONT_SIZES.legendLabel)));
  const column = LEGEND_SYMBOL_ROOM + widest + LEGEND_COLUMN_PADDING;
  return Math.max(1, Math.min(labels.length, Math.floor(available / column)));
}

export function buildFrontierChartSpec(input: ValidFrontierChartInput, layout: ChartLayout): LayeredSpec {
  useBundledFontMetrics();
  const labels = input.points.map((point) => point.label);
  const rows = input.points.map((point) => ({
    series: point.label,
    speed: point.decodeTokensPerSecond,
    cost: new Decimal(point.costPerMillion).toNumber(),
    costText: `${formatMoney(point.costPerMillion)} per 1M`,
    passesQuality: point.passesQuality,
    onFrontier: point.onFrontier,
  }));
  const costs = rows.map((row) => row.cost).filter((cost) => cost > 0);
  // Whole decades with room around the data, so no point sits on an axis.
  const costDomain: [number, number] = [
    10 ** Math.floor(Math.log10(Math.min(...costs) / 2)),
    10 ** Math.ceil(Math.log10(Math.max(...costs) * 2)),
  ];
  if (costDomain[0] === costDomain[1]) costDomain[1] *= 10;
  const speeds = rows.map((row) => row.speed);
  const speedDomain: [number, number] = [0, Math.max(...speeds) * 1.1];
  const widestLabel = Math.max(...labels.map((label) => measureTextWidth(label, FONT_SIZES.legendLabel)));
  const legend = {
    title: null,
    orient: 'bottom' as const,
    direction: 'horizontal' as const,
    columns: legendColumns(labels, layout.layoutWidth - Y_AXIS_ALLOWANCE),
    columnPadding: LEGEND_COLUMN_PADDING,
    // Never "…": every label is as wide as it needs to be.
    labelLimit: Math.ceil(widestLabel) + 8,
    symbolStrokeWidth: 2.5,
    symbolSize: 200,
  };
  const x = {
    field: 'speed',
    type: 'quantitative' as const,
    scale: { type: 'linear' as const, domain: speedDomain, nice: true },
    axis: { title: 'Per-user decode speed (tokens/s per stream)', grid: true },
  };
  const y = {
    field: 'cost',
    type: 'quantitative' as const,
    scale: { type: 'log' as const, domain: costDomain, nice: false },
    axis: {
      title: 'USD per 1M goodput tokens (log)',
      values: powersOfTenWithin(costDomain[0], costDomain[1]),
      labelExpr: suffixedNumberExpression('$'),
      grid: true,
    },
  };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    scale: { domain: labels, range: labels.map((_, index) => styleAt(SERIES_COLOURS, index)) },
    legend,
  };
  const shape = {
    field: 'series',
    type: 'nominal' as const,
    scale: { domain: labels, range: labels.map((_, index) => styleAt(SERIES_SHAPES, index)) },
    legend,
  };
  const frontier = rows.filter((row) => row.onFrontier).sort((a, b) => a.speed - b.speed);
  const layers: ChartLayer[] = [
    {
      data: { values: frontier.map((row, order) => ({ ...row, order })) },
      mark: { type: 'line', color: INK.annotation, strokeWidth: 2.5, strokeDash: [8, 5], clip: true },
      encoding: { x, y, order: { field: 'order', type: 'quantitative' } },
    },
    // A ring around every point on the frontier, so even a frontier of one point is marked.
    {
      data: { values: frontier },
      mark: { type: 'point', filled: false, size: 900, strokeWidth: 2, color: INK.annotation, opacity: 1 },
      encoding: { x, y },
    },
    {
      data: { values: rows.filter((row) => row.passesQuality) },
      mark: { type: 'point', filled: true, size: 260, opacity: 1, stroke: '#ffffff', strokeWidth: 1 },
      encoding: { x, y, color, shape },
    },
    {
      data: { values: rows.filter((row) => !row.passesQuality) },
      mark: { type: 'point', filled: false, size: 260, opacity: 1, strokeWidth: 3 },
      encoding: { x, y, color, shape },
    },
    {
      data: { values: rows },
      mark: {
        type: 'text',
        align: 'left',
        baseline: 'middle',
        dx: 22,
        fontSize: FONT_SIZES.smallAnnotation,
        color: INK.mutedText,
      },
      encoding: { x, y, text: { field: 'costText' } },
    },
  ];
  const subtitle =
    input.subtitle ??
    'Filled: eligible and passes the quality gate; hollow: fails it, unevaluated, or not eligible. Ringed and joined by the dashed line: the Pareto frontier (nothing is both cheaper per goodput token and faster per user).';
  return layeredChart(
    layout,
    input.title ?? 'Dollars per million goodput tokens against per-user speed',
    subtitle,
    layers,
  );
}
