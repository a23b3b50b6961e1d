import { z } from 'zod';
import { haloedTextLayers, type QuantitativePosition } from './annotations';
import { renderVegaLite } from './render';
import { type ChartImage, type ChartRenderOptions, chartRenderOptionsSchema, parseOrThrow } from './schemas';
import { type ChartLayout, FONT_SIZES, INK, layeredChart, layoutFor, SERIES_COLOURS } from './theme';
import type { ChartLayer, LayeredSpec } from './vegaLiteTypes';

/**
 * One price component's dated values as a step line: each value holds from its effective date until
 * the next one. Amounts arrive as exact decimal strings and are printed as given; only the position
 * on the axis goes through a float, which is presentation.
 */
export const priceHistoryChartInputSchema = z.object({
  component: z.string().min(1),
  unit: z.string().min(1),
  values: z
    .array(
      z.object({
        effectiveFrom: z.iso.date({ error: 'effectiveFrom must be a date such as "2026-04-01"' }),
        amount: z.string().regex(/^\d+(\.\d+)?$/, { error: 'amount must be a plain decimal string' }),
        confidence: z.enum(['C', 'S', 'U']),
        source: z.string(),
      }),
    )
    .min(1, { error: 'a price history holds at least one value' }),
  /** The right end of the last step (today). */
  until: z.iso.date(),
});
export type PriceHistoryChartInput = z.input<typeof priceHistoryChartInputSchema>;
type ValidInput = z.output<typeof priceHistoryChartInputSchema>;

export async function renderPriceHistoryChart(
  input: PriceHistoryChartInput,
  options: ChartRenderOptions,
): Promise<ChartImage> {
  const valid = parseOrThrow(
    'price-history',
    priceHistoryChartInputSchema,
    input,
    'price history chart input',
  );
  const validOptions = parseOrThrow('price-history', chartRenderOptionsSchema, options, 'chart options');
  const layout = layoutFor(validOptions.width, validOptions.height);
  return renderVegaLite(buildPriceHistoryChartSpec(valid, layout), layout, validOptions);
}

const dollars = (amount: string) => {
  const [whole = '0', fraction = ''] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = fraction.replace(/0+$/, '');
  return `$${grouped}${cents ? `.${cents.length < 2 ? cents.padEnd(2, '0') : cents}` : ''}`;
};

function buildPriceHistoryChartSpec(input: ValidInput, layout: ChartLayout): LayeredSpec {
  // Same-day values: the later one in the list (recorded later) replaces the earlier on the line.
  const sorted = [...input.values].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const steps = sorted.map((value) => ({
    at: value.effectiveFrom,
    value: Number(value.amount),
    label: `${dollars(value.amount)} (${value.confidence})`,
  }));
  const last = steps.at(-1);
  const line = last ? [...steps, { ...last, at: input.until, label: '' }] : steps;
  const maxValue = Math.max(...steps.map((step) => step.value));
  const x: QuantitativePosition = { field: 'at', type: 'temporal', scale: { type: 'utc', padding: 24 } };
  const y: QuantitativePosition = {
    field: 'value',
    type: 'quantitative',
    // From zero, so a 15% rise looks like 15%.
    scale: { type: 'linear', domain: [0, maxValue * 1.2 || 1], nice: true, zero: true },
  };
  const layers: ChartLayer[] = [
    {
      data: { values: line },
      mark: { type: 'line', strokeWidth: 3, color: SERIES_COLOURS[0], interpolate: 'step-after' },
      encoding: {
        x: {
          ...x,
          axis: { title: 'Effective from (UTC)', format: '%b %Y', grid: false, labelOverlap: true },
        },
        y: { ...y, axis: { title: input.unit, grid: true, tickCount: 6 } },
      },
    },
    {
      data: { values: steps },
      mark: {
        type: 'point',
        filled: true,
        size: 110,
        color: SERIES_COLOURS[0],
        stroke: '#ffffff',
        strokeWidth: 1.5,
        opacity: 1,
      },
      encoding: { x, y },
    },
    ...haloedTextLayers(
      steps,
      { x, y },
      { align: 'left', baseline: 'bottom', dx: 6, dy: -10 },
      { fontSize: FONT_SIZES.annotation, fontWeight: 'bold', color: INK.text },
    ),
  ];
  const subtitle = `${sorted.length} dated ${sorted.length === 1 ? 'value' : 'values'} · C vendor, S secondary, U unconfirmed · latest: ${sorted.at(-1)?.source ?? ''}`;
  return layeredChart(layout, `Price history: ${input.component}`, subtitle, layers);
}
