import Decimal from 'decimal.js';
import { haloedTextLayers, type QuantitativePosition, type TextPlacement } from './annotations';
import {
  type CheapestRegion,
  cheapestRegions,
  costAlongCurve,
  type PlottedCurve,
  plottedCurve,
} from './costCurves';
import { measureTextWidth, useBundledFontMetrics } from './fonts';
import {
  formatMoney,
  formatVolume,
  powersOfTenWithin,
  suffixedNumberExpression,
  volumeAxisTitle,
  volumeUnitShort,
  wrapText,
} from './labels';
import { measurePlotArea, type PlotArea, renderVegaLite } from './render';
import {
  type ChartImage,
  type ChartRenderOptions,
  type CostChartInput,
  chartRenderOptionsSchema,
  costChartInputSchema,
  parseOrThrow,
  type ValidCostChartInput,
} from './schemas';
import {
  type ChartLayout,
  FONT_SIZES,
  INK,
  layeredChart,
  layoutFor,
  SERIES_COLOURS,
  SERIES_DASHES,
  SERIES_SHAPES,
  styleAt,
} from './theme';
import type { ChartLayer, LayeredSpec } from './vegaLiteTypes';

/**
 * Monthly cost of every feasible path against volume, on log axes: break-evens, the workload's own
 * volume, capacity steps, and which path is cheapest where.
 *
 * Both axes are logarithmic by default. Volume spans several decades (a pilot to full production)
 * and cost spans five (cents of on-demand tokens to a $17k/month floor); on a linear cost axis every
 * path under the floor, where the decisions are made, collapses onto zero. On log-log axes a
 * per-token price is a straight line of slope one and a floor is flat, so "metered" and "floor"
 * read at a glance. `costAxis: 'linear'` is available for a zoomed-in range.
 */
export async function renderCostChart(
  input: CostChartInput,
  options: ChartRenderOptions,
): Promise<ChartImage> {
  const validInput = parseOrThrow('cost', costChartInputSchema, input, 'cost chart input');
  const validOptions = parseOrThrow('cost', chartRenderOptionsSchema, options, 'chart options');
  const layout = layoutFor(validOptions.width, validOptions.height);
  // Two passes: the first lays the chart out to learn the real plot size, the second places the
  // annotations (which side, above or below, whether a region label fits) against it.
  const plotArea = await measurePlotArea(buildCostChartSpec(validInput, layout));
  return renderVegaLite(buildCostChartSpec(validInput, layout, plotArea), layout, validOptions);
}

/** Markers per curve: enough to tell dashed series apart in greyscale, few enough not to clutter. */
const MARKERS_PER_CURVE = 7;
const RIBBON_HEIGHT = 30;
/** Long enough to show a full period of every dash pattern. */
const LEGEND_SYMBOL_LENGTH = 40;
const LEGEND_COLUMN_PADDING = 28;
/** Room the y axis, its title and the padding take from the layout width (design pixels). */
const Y_AXIS_ALLOWANCE = 150;
/** Room the padding, title and x axis take from the layout height, before subtitle and legend. */
const VERTICAL_ALLOWANCE = 150;
const LEGEND_ROW_HEIGHT = 34;

interface PlotFrame {
  width: number;
  height: number;
  xFraction: (volume: number) => number;
  yFraction: (cost: number) => number;
}

/**
 * The Vega-Lite spec. `plotArea` is the plot size from a previous layout pass; without it the size
 * is estimated from the layout (good enough for a first pass, not for final annotation placement).
 */
function buildCostChartSpec(
  input: ValidCostChartInput,
  layout: ChartLayout,
  plotArea?: PlotArea,
): LayeredSpec {
  useBundledFontMetrics();
  const curves = input.series.map(plottedCurve);
  const pathLabels = curves.map((curve) => curve.pathLabel);
  const curveOfPath = new Map(curves.map((curve) => [curve.pathId, curve]));
  const colourOfPath = new Map(curves.map((curve, index) => [curve.pathId, styleAt(SERIES_COLOURS, index)]));
  const unit = volumeUnitShort(input.volumeUnit);

  const allVolumes = curves.flatMap((curve) => curve.points.map((point) => point.volume));
  const volumeDomain: [number, number] = [Math.min(...allVolumes), Math.max(...allVolumes)];
  const costDomain = costAxisDomain(
    [
      ...curves.flatMap((curve) => curve.points.map((point) => point.cost)),
      ...input.breakEvens.map((breakEven) => new Decimal(breakEven.cost).toNumber()),
    ],
    input.costAxis,
  );
  const legendColumnCount = legendColumns(pathLabels, layout.layoutWidth - Y_AXIS_ALLOWANCE);
  const subtitleLines = input.subtitle
    ? wrapText(input.subtitle, layout.layoutWidth - 60, FONT_SIZES.subtitle)
    : [];
  const reservedHeight =
    VERTICAL_ALLOWANCE +
    subtitleLines.length * (FONT_SIZES.subtitle + 4) +
    Math.ceil(pathLabels.length / legendColumnCount) * LEGEND_ROW_HEIGHT;
  const frame = plotFrame(
    plotArea ?? {
      width: layout.layoutWidth - Y_AXIS_ALLOWANCE,
      height: layout.layoutHeight - reservedHeight,
    },
    volumeDomain,
    costDomain,
    input.costAxis,
  );

  const volumeScale = { type: 'log' as const, domain: volumeDomain, nice: false };
  const costScale =
    input.costAxis === 'log'
      ? { type: 'log' as const, domain: costDomain, nice: false }
      : { type: 'linear' as const, domain: costDomain, nice: true, zero: true };
  const x: QuantitativePosition = { field: 'volume', type: 'quantitative', scale: volumeScale };
  const y: QuantitativePosition = { field: 'cost', type: 'quantitative', scale: costScale };
  const seriesColour = {
    domain: pathLabels,
    range: curves.map((_, index) => styleAt(SERIES_COLOURS, index)),
  };

  // One legend: colour and dash merge into a line sample per path (markers are on the lines).
  const legend = {
    title: null,
    orient: 'bottom' as const,
    direction: 'horizontal' as const,
    columns: legendColumnCount,
    symbolType: 'stroke',
    symbolSize: LEGEND_SYMBOL_LENGTH ** 2,
    columnPadding: LEGEND_COLUMN_PADDING,
    symbolOpacity: 1,
    // Never "…": each label gets the width it needs (legendColumns fits the columns to the chart).
    labelLimit:
      Math.ceil(Math.max(...pathLabels.map((label) => measureTextWidth(label, FONT_SIZES.legendLabel)))) + 8,
  };

  const regionRows = cheapestRegions(curves, input.costAxis).map((region) =>
    regionRow(region, curveOfPath, colourOfPath, frame),
  );

  const layers: ChartLayer[] = [
    // Cheapest path shaded across the full height, so the answer reads before the lines do. One
    // layer per region with a fixed colour keeps the regions out of the series legend. The first
    // layer owns the x axis because it is drawn first.
    {
      data: { values: regionRows },
      mark: { type: 'rect', fillOpacity: 0 },
      encoding: {
        x: {
          field: 'fromVolume',
          type: 'quantitative',
          scale: volumeScale,
          axis: {
            title: volumeAxisTitle(input.volumeUnit),
            values: powersOfTenWithin(volumeDomain[0], volumeDomain[1]),
            labelExpr: suffixedNumberExpression(''),
            grid: true,
          },
        },
        x2: { field: 'toVolume' },
      },
    },
    ...regionRows.flatMap((row): ChartLayer[] => [
      {
        data: { values: [row] },
        mark: { type: 'rect', color: row.fill, fillOpacity: 0.07 },
        encoding: {
          x: { field: 'fromVolume', type: 'quantitative', scale: volumeScale },
          x2: { field: 'toVolume' },
        },
      },
      {
        data: { values: [row] },
        mark: { type: 'rect', color: row.fill, fillOpacity: 0.22, y: 0, y2: RIBBON_HEIGHT },
        encoding: {
          x: { field: 'fromVolume', type: 'quantitative', scale: volumeScale },
          x2: { field: 'toVolume' },
        },
      },
    ]),
    {
      data: { values: regionRows.filter((row) => row.labelFits) },
      mark: {
        type: 'text',
        y: RIBBON_HEIGHT / 2,
        baseline: 'middle',
        align: 'center',
        fontSize: FONT_SIZES.annotation,
        fontWeight: 'bold',
        color: INK.text,
      },
      encoding: {
        x: { field: 'middleVolume', type: 'quantitative', scale: volumeScale },
        text: { field: 'label' },
      },
    },
    // The curves: colour, dash and marker shape all say which path, so greyscale still separates them.
    {
      data: { values: lineRows(curves) },
      mark: { type: 'line', strokeWidth: 3, interpolate: 'linear', clip: true },
      encoding: {
        x,
        y: {
          ...y,
          axis: {
            title: input.costAxis === 'log' ? 'USD per month (log scale)' : 'USD per month',
            labelExpr: suffixedNumberExpression('$'),
            grid: true,
            ...(input.costAxis === 'log'
              ? { values: powersOfTenWithin(costDomain[0], costDomain[1]) }
              : { tickCount: 6 }),
          },
        },
        order: { field: 'order', type: 'quantitative' },
        color: {
          field: 'path',
          type: 'nominal',
          scale: seriesColour,
          legend,
        },
        strokeDash: {
          field: 'path',
          type: 'nominal',
          scale: { domain: pathLabels, range: curves.map((_, index) => [...styleAt(SERIES_DASHES, index)]) },
          legend,
        },
      },
    },
    // Markers per path with a fixed shape and colour (not encoded), so they stay out of the legend.
    ...curves.map(
      (curve, index): ChartLayer => ({
        data: { values: markerRows(curve, index, input.costAxis) },
        mark: {
          type: 'point',
          shape: styleAt(SERIES_SHAPES, index),
          color: styleAt(SERIES_COLOURS, index),
          filled: true,
          size: 130,
          stroke: '#ffffff',
          strokeWidth: 1.5,
          opacity: 1,
          clip: true,
        },
        encoding: { x, y },
      }),
    ),
    ...stepLayers(curves, frame, x, y),
    ...workloadLayers(input, frame, x, unit),
    ...breakEvenLayers(input, curveOfPath, frame, x, y, unit),
  ];

  return layeredChart(layout, input.title ?? 'Monthly cost by serving path', subtitleLines, layers);
}

function lineRows(curves: PlottedCurve[]) {
  return curves.flatMap((curve) =>
    curve.points.map((point, order) => ({
      path: curve.pathLabel,
      volume: point.volume,
      cost: point.cost,
      order,
    })),
  );
}

/**
 * Markers evenly spaced along a curve in log volume, staggered per series so two curves that
 * overlap still show both shapes.
 */
function markerRows(curve: PlottedCurve, seriesIndex: number, costAxis: 'log' | 'linear') {
  const first = curve.points[0];
  const last = curve.points.at(-1);
  if (!first || !last) return [];
  const logSpan = Math.log(last.volume / first.volume);
  const stagger = (seriesIndex % 4) / 8;
  return Array.from({ length: MARKERS_PER_CURVE }, (_, index) => {
    const volume = first.volume * Math.exp((logSpan * (index + 0.25 + stagger)) / MARKERS_PER_CURVE);
    const cost = costAlongCurve(curve, volume, costAxis);
    return cost === undefined ? undefined : { volume, cost };
  }).filter((row) => row !== undefined);
}

function stepLayers(
  curves: PlottedCurve[],
  frame: PlotFrame,
  x: QuantitativePosition,
  y: QuantitativePosition,
) {
  const rows: { volume: number; cost: number; label: string }[] = [];
  for (const curve of curves) {
    let lastLabelledX = Number.NEGATIVE_INFINITY;
    for (const point of curve.points) {
      if (!point.stepChange) continue;
      const label = point.stepLabel ?? `+1 unit, ${formatMoney(point.costText)}`;
      const pixelX = frame.xFraction(point.volume) * frame.width;
      // Capacity steps bunch up on a log axis; label one only where its text has room.
      if (pixelX - lastLabelledX < measureTextWidth(label, FONT_SIZES.smallAnnotation) + 12) continue;
      rows.push({ volume: point.volume, cost: point.cost, label });
      lastLabelledX = pixelX;
    }
  }
  return haloedTextLayers(
    rows,
    { x, y },
    { align: 'right', baseline: 'bottom', dx: -6, dy: -6 },
    { fontSize: FONT_SIZES.smallAnnotation, color: INK.mutedText },
  );
}

function workloadLayers(input: ValidCostChartInput, frame: PlotFrame, x: QuantitativePosition, unit: string) {
  if (!input.workload) return [];
  const row = {
    volume: input.workload.volume,
    label: `${input.workload.label}: ${formatVolume(input.workload.volume)} ${unit}`,
  };
  const labelOnLeft = frame.xFraction(row.volume) > 0.6;
  return [
    {
      data: { values: [row] },
      // Starts under the ribbon so it does not strike through the region labels.
      mark: {
        type: 'rule' as const,
        strokeWidth: 2.5,
        strokeDash: [7, 4],
        color: INK.annotation,
        y: RIBBON_HEIGHT,
        y2: { expr: 'height' },
      },
      encoding: { x },
    },
    ...haloedTextLayers(
      [row],
      { x, pixelY: RIBBON_HEIGHT + 16 },
      { align: labelOnLeft ? 'right' : 'left', baseline: 'middle', dx: labelOnLeft ? -8 : 8, dy: 0 },
      { fontSize: FONT_SIZES.annotation, fontWeight: 'bold', color: INK.annotation },
    ),
  ];
}

interface LabelBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Break-even diamonds with two-line labels. A label sits right of its point, or left in the right
 * part of the plot; below by default, above when it would collide with a label already placed or
 * run off the bottom.
 */
function breakEvenLayers(
  input: ValidCostChartInput,
  curveOfPath: Map<string, PlottedCurve>,
  frame: PlotFrame,
  x: QuantitativePosition,
  y: QuantitativePosition,
  unit: string,
): ChartLayer[] {
  const visible = input.breakEvens
    .map((breakEven) => ({ ...breakEven, numericCost: new Decimal(breakEven.cost).toNumber() }))
    .filter((breakEven) => {
      const fraction = frame.xFraction(breakEven.volume);
      return fraction >= 0 && fraction <= 1;
    })
    .sort((a, b) => a.volume - b.volume);
  if (visible.length === 0) return [];

  const gap = BREAK_EVEN_GAP;
  // The ribbon and the workload label own the top of the plot.
  const placed: LabelBox[] = [{ left: 0, right: frame.width, top: 0, bottom: RIBBON_HEIGHT + 28 }];
  const groups = new Map<string, { placement: TextPlacement; rows: object[] }>();
  for (const breakEven of visible) {
    const pair = `${curveOfPath.get(breakEven.pathA)?.shortLabel} = ${curveOfPath.get(breakEven.pathB)?.shortLabel}`;
    const where = `${formatVolume(breakEven.volume)} ${unit}, ${formatMoney(breakEven.cost)}/mo`;
    const pointX = frame.xFraction(breakEven.volume) * frame.width;
    const pointY = (1 - frame.yFraction(breakEven.numericCost)) * frame.height;
    // The full two-line label where it has room; on a crowded (small) chart just the volume; and
    // no label rather than one printed over another.
    const placedLabel = [[pair, where], [formatVolume(breakEven.volume)]]
      .map((label) => ({ label, chosen: placeLabel(label, pointX, pointY, frame, placed) }))
      .find((attempt) => attempt.chosen !== undefined);
    if (!placedLabel?.chosen) continue;
    const { label, chosen } = placedLabel;
    placed.push(chosen.box);
    const placement: TextPlacement = {
      align: chosen.onLeft ? 'right' : 'left',
      baseline: chosen.below ? 'top' : 'bottom',
      dx: chosen.onLeft ? -gap : gap,
      dy: chosen.below ? gap : -gap,
    };
    const key = `${placement.align}/${placement.baseline}`;
    const group = groups.get(key) ?? { placement, rows: [] };
    group.rows.push({ volume: breakEven.volume, cost: breakEven.numericCost, label });
    groups.set(key, group);
  }

  const diamonds: ChartLayer = {
    data: { values: visible.map((breakEven) => ({ volume: breakEven.volume, cost: breakEven.numericCost })) },
    mark: {
      type: 'point',
      shape: 'diamond',
      size: 260,
      filled: true,
      color: '#ffffff',
      stroke: INK.annotation,
      strokeWidth: 2.5,
      opacity: 1,
    },
    encoding: { x, y },
  };
  return [
    diamonds,
    ...[...groups.values()].flatMap((group) =>
      haloedTextLayers(group.rows, { x, y }, group.placement, {
        fontSize: FONT_SIZES.annotation,
        color: INK.annotation,
        lineHeight: BREAK_EVEN_LINE_HEIGHT,
      }),
    ),
  ];
}

const BREAK_EVEN_LINE_HEIGHT = FONT_SIZES.annotation + 4;
const BREAK_EVEN_GAP = 12;

/** The first position around the point where the label stays inside the plot and clear of others. */
function placeLabel(label: string[], pointX: number, pointY: number, frame: PlotFrame, placed: LabelBox[]) {
  const gap = BREAK_EVEN_GAP;
  const width = Math.max(...label.map((line) => measureTextWidth(line, FONT_SIZES.annotation)));
  const height = BREAK_EVEN_LINE_HEIGHT * label.length;
  const preferLeft = pointX + gap + width > frame.width;
  return [
    { onLeft: preferLeft, below: true },
    { onLeft: preferLeft, below: false },
    { onLeft: !preferLeft, below: true },
    { onLeft: !preferLeft, below: false },
  ]
    .map((candidate) => {
      const left = candidate.onLeft ? pointX - gap - width : pointX + gap;
      const top = candidate.below ? pointY + gap : pointY - gap - height;
      return { ...candidate, box: { left, right: left + width, top, bottom: top + height } };
    })
    .find(
      ({ box }) =>
        box.left >= 0 &&
        box.right <= frame.width &&
        box.top >= 0 &&
        box.bottom <= frame.height &&
        !placed.some((other) => overlaps(other, box)),
    );
}

/** Boxes closer than this read as one label, so they count as overlapping. */
const LABEL_CLEARANCE = 8;

function overlaps(a: LabelBox, b: LabelBox): boolean {
  return (
    a.left < b.right + LABEL_CLEARANCE &&
    b.left < a.right + LABEL_CLEARANCE &&
    a.top < b.bottom + LABEL_CLEARANCE &&
    b.top < a.bottom + LABEL_CLEARANCE
  );
}

/** As many legend columns as fit across the chart; the legend does not shrink the plot to fit. */
function legendColumns(pathLabels: string[], available: number): number {
  const entryWidths = pathLabels.map(
    (label) =>
      LEGEND_SYMBOL_LENGTH + 8 + measureTextWidth(label, FONT_SIZES.legendLabel) + LEGEND_COLUMN_PADDING,
  );
  for (let columns = pathLabels.length; columns > 1; columns--) {
    // Vega aligns columns, so each column is as wide as its widest entry.
    const columnWidths = Array.from({ length: columns }, (_, column) =>
      Math.max(...entryWidths.filter((_, index) => index % columns === column)),
    );
    if (columnWidths.reduce((sum, width) => sum + width, 0) <= available) {
      // Same number of rows with fewer columns reads better (2 + 2 rather than 3 + 1).
      return Math.ceil(pathLabels.length / Math.ceil(pathLabels.length / columns));
    }
  }
  return 1;
}

function costAxisDomain(costs: number[], costAxis: 'log' | 'linear'): [number, number] {
  const max = Math.max(...costs);
  if (costAxis === 'linear') return [0, max];
  // Whole decades, so the labelled ticks ($1, $10, $100...) frame the data.
  const min = Math.min(...costs.filter((cost) => cost > 0));
  return [10 ** Math.floor(Math.log10(min)), 10 ** Math.ceil(Math.log10(max))];
}

/** Maps data to fractions of the plot area, to decide where annotations go. */
function plotFrame(
  plotArea: PlotArea,
  volumeDomain: [number, number],
  costDomain: [number, number],
  costAxis: 'log' | 'linear',
): PlotFrame {
  const [minVolume, maxVolume] = volumeDomain;
  const [minCost, maxCost] = costDomain;
  return {
    width: plotArea.width,
    height: plotArea.height,
    xFraction: (volume) => Math.log(volume / minVolume) / Math.log(maxVolume / minVolume),
    yFraction: (cost) =>
      costAxis === 'log'
        ? Math.log(cost / minCost) / Math.log(maxCost / minCost)
        : (cost - minCost) / (maxCost - minCost || 1),
  };
}

function regionRow(
  region: CheapestRegion,
  curveOfPath: Map<string, PlottedCurve>,
  colourOfPath: Map<string, string>,
  frame: PlotFrame,
) {
  const regionWidth = (frame.xFraction(region.toVolume) - frame.xFraction(region.fromVolume)) * frame.width;
  const shortLabel = curveOfPath.get(region.pathId)?.shortLabel ?? region.pathLabel;
  // The longest wording that fits inside the region; none rather than one spilling over a neighbour.
  const label = [`${region.pathLabel} cheapest`, `${shortLabel} cheapest`, shortLabel].find(
    (candidate) => measureTextWidth(candidate, FONT_SIZES.annotation, 'bold') + 16 < regionWidth,
  );
  return {
    fromVolume: region.fromVolume,
    toVolume: region.toVolume,
    middleVolume: Math.sqrt(region.fromVolume * region.toVolume),
    fill: colourOfPath.get(region.pathId) ?? INK.grid,
    label: label ?? '',
    labelFits: label !== undefined,
  };
}
