import { HISTORY_METRICS } from '../domain/metrics/history-metrics';
import { haloedTextLayers, type QuantitativePosition } from './annotations';
import { renderVegaLite } from './render';
import {
  type ChartImage,
  type ChartRenderOptions,
  chartRenderOptionsSchema,
  type HistoryChartInput,
  historyChartInputSchema,
  parseOrThrow,
  type ValidHistoryChartInput,
} from './schemas';
import { type ChartLayout, FONT_SIZES, INK, layeredChart, layoutFor, SERIES_COLOURS } from './theme';
import type { ChartLayer, LayeredSpec } from './vegaLiteTypes';

/**
 * One benchmark metric over time for a box, model variant and load profile, with the roofline as a
 * reference line and regressions marked with their own shape and the size of the change.
 */
export async function renderHistoryChart(
  input: HistoryChartInput,
  options: ChartRenderOptions,
): Promise<ChartImage> {
  const validInput = parseOrThrow('history', historyChartInputSchema, input, 'history chart input');
  const validOptions = parseOrThrow('history', chartRenderOptionsSchema, options, 'chart options');
  const layout = layoutFor(validOptions.width, validOptions.height);
  return renderVegaLite(buildHistoryChartSpec(validInput, layout), layout, validOptions);
}

const RUN_COLOUR = SERIES_COLOURS[0];
/** Headroom above the highest value or the roofline, so its label is not clipped. */
const HEADROOM = 1.15;

function buildHistoryChartSpec(input: ValidHistoryChartInput, layout: ChartLayout): LayeredSpec {
  const metric = HISTORY_METRICS[input.metric];
  const points = [...input.points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const rows = points.map((point) => ({ at: point.at, value: point.value }));
  const regressions = points.filter((point) => point.regression !== undefined);
  const maxValue = Math.max(...points.map((point) => point.value), input.roofline?.value ?? 0);

  // Padding keeps the first and last runs' markers off the axes.
  const x: QuantitativePosition = { field: 'at', type: 'temporal', scale: { type: 'utc', padding: 24 } };
  const y: QuantitativePosition = {
    field: 'value',
    type: 'quantitative',
    // From zero: a 15% regression should look like 15%, not like a cliff.
    scale: { type: 'linear', domain: [0, maxValue * HEADROOM || 1], nice: true, zero: true },
  };
  const axisTitle = `${metric.label} (${metric.unit})`;
  // A slower run is a regression for throughput (the value fell) and for latency (it rose), so the
  // marker points the way the value moved and its label sits on the side away from the line.
  const regressionShape = metric.higherIsBetter ? 'triangle-down' : 'triangle-up';

  const layers: ChartLayer[] = [
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 3, color: RUN_COLOUR, interpolate: 'linear' },
      encoding: {
        x: {
          ...x,
          axis: { title: 'Run finished (UTC)', format: '%b %-d', grid: false, labelOverlap: true },
        },
        y: { ...y, axis: { title: axisTitle, grid: true, tickCount: 6 } },
      },
    },
    {
      data: { values: rows },
      mark: {
        type: 'point',
        filled: true,
        size: 110,
        color: RUN_COLOUR,
        stroke: '#ffffff',
        strokeWidth: 1.5,
        opacity: 1,
      },
      encoding: { x, y },
    },
  ];

  if (input.roofline) {
    const label =
      input.roofline.label ??
      `Roofline ${metric.higherIsBetter ? 'ceiling' : 'bound'}: ${formatMetricValue(input.roofline.value)} ${metric.unit}`;
    const rooflineRow = { value: input.roofline.value, label };
    layers.push(
      {
        data: { values: [rooflineRow] },
        mark: { type: 'rule', strokeWidth: 2.5, strokeDash: [10, 5], color: INK.ceiling },
        encoding: { y },
      },
      ...haloedTextLayers(
        [{ ...rooflineRow, at: points[0]?.at }],
        { x, y },
        { align: 'left', baseline: 'bottom', dx: 4, dy: -8 },
        { fontSize: FONT_SIZES.annotation, fontWeight: 'bold', color: INK.ceiling },
      ),
    );
  }

  if (regressions.length > 0) {
    const regressionRows = regressions.map((point) => ({
      at: point.at,
      value: point.value,
      label: regressionLabel(point.regression?.percentChange ?? 0, point.regression?.zScore),
    }));
    layers.push(
      {
        data: { values: regressionRows },
        mark: {
          type: 'point',
          shape: regressionShape,
          filled: true,
          size: 300,
          color: INK.regression,
          stroke: '#ffffff',
          strokeWidth: 1.5,
          opacity: 1,
        },
        encoding: { x, y },
      },
      ...haloedTextLayers(
        regressionRows,
        { x, y },
        metric.higherIsBetter
          ? { align: 'center', baseline: 'top', dx: 0, dy: 16 }
          : { align: 'center', baseline: 'bottom', dx: 0, dy: -16 },
        { fontSize: FONT_SIZES.annotation, fontWeight: 'bold', color: INK.regression },
      ),
    );
  }

  const latest = points.at(-1);
  if (latest) {
    const efficiency =
      input.roofline && metric.higherIsBetter
        ? `, ${Math.round((latest.value / input.roofline.value) * 100)}% of roofline`
        : '';
    layers.push(
      ...haloedTextLayers(
        [
          {
            at: latest.at,
            value: latest.value,
            label: `Latest ${formatMetricValue(latest.value)} ${metric.unit}${efficiency}`,
          },
        ],
        { x, y },
        { align: 'right', baseline: 'bottom', dx: 0, dy: -14 },
        { fontSize: FONT_SIZES.annotation, color: INK.text },
      ),
    );
  }

  const subtitle = `${input.box} · ${input.model} · ${input.profile} · ${points.length} ${points.length === 1 ? 'run' : 'runs'}`;
  return layeredChart(layout, input.title ?? `${metric.label} over time`, subtitle, layers);
}

function formatMetricValue(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
}

function regressionLabel(percentChange: number, zScore: number | undefined): string {
  const change = `${percentChange > 0 ? '+' : percentChange < 0 ? '−' : ''}${Math.abs(percentChange).toFixed(1)}%`;
  const score = zScore === undefined ? '' : ` (z ${zScore < 0 ? '−' : ''}${Math.abs(zScore).toFixed(1)})`;
  return `Regression ${change}${score}`;
}
