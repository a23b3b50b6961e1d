import type { Config } from 'vega-lite';
import { CHART_FONT_STACK } from './fonts';
import { wrapText } from './labels';
import type { ChartLayer, LayeredSpec } from './vegaLiteTypes';

/**
 * Series colours ordered so neighbouring series differ by 12+ points of CIE L* (14.5, 32.8, 45.5,
 * 58.6, 73.2): the first five stay apart when printed or viewed in greyscale. Every series also gets
 * its own dash pattern and point shape, so colour is never the only cue.
 */
export const SERIES_COLOURS = [
  '#0b2545', // navy
  '#8c2d04', // rust
  '#3b6cb2', // mid blue
  '#2a9d8f', // teal
  '#f0a500', // amber
  '#9e6bb5', // violet
  '#5c5c5c', // grey
  '#1b7837', // green
] as const;

export const SERIES_DASHES: readonly (readonly number[])[] = [
  [1, 0],
  [12, 5],
  [3, 4],
  [16, 4, 3, 4],
  [7, 4],
  [2, 2],
  [20, 6],
  [8, 3, 2, 3, 2, 3],
];

export const SERIES_SHAPES = [
  'circle',
  'square',
  'triangle-up',
  'diamond',
  'cross',
  'triangle-down',
  'triangle-right',
  'triangle-left',
] as const;

/** The style of series `index`: the lists repeat past their length. */
export function styleAt<T>(styles: readonly T[], index: number): T {
  const style = styles[index % styles.length];
  if (style === undefined) throw new Error('series style list is empty');
  return style;
}

export const INK = {
  text: '#1a1a1a',
  mutedText: '#4a4a4a',
  axis: '#6b6b6b',
  grid: '#e3e3e3',
  annotation: '#1a1a1a',
  regression: '#b2182b',
  ceiling: '#4a4a4a',
} as const;

/**
 * Sizes for a 1200 px wide layout. Wider images are drawn at this layout and scaled up (see
 * `layoutFor`), so a Slack thumbnail (~360 px of a 1200 px image) keeps the same proportions; the
 * smallest text is 14 px at 1200 wide.
 */
export const FONT_SIZES = {
  title: 26,
  subtitle: 17,
  axisTitle: 17,
  axisLabel: 16,
  legendLabel: 16,
  annotation: 15,
  smallAnnotation: 14,
} as const;

const DESIGN_WIDTH = 1200;

export interface ChartLayout {
  /** Size Vega lays the chart out at, in design pixels. */
  layoutWidth: number;
  layoutHeight: number;
  /** Factor from design pixels to output pixels. */
  scale: number;
}

/** Narrow images shrink the design by at most this much, so text stays at 10.5 px or more. */
const MIN_DOWNSCALE = 0.75;

/**
 * Output wider than the design width is the same layout drawn larger (a 2400 px PNG is a sharper
 * 1200 px chart, not a chart with half-size text). Narrower output is drawn smaller down to 0.75x
 * and gets a tighter layout below that, so text never drops under ~10 px on screen.
 */
export function layoutFor(width: number, height: number): ChartLayout {
  const scale = Math.max(MIN_DOWNSCALE, width / DESIGN_WIDTH);
  return { layoutWidth: width / scale, layoutHeight: height / scale, scale };
}

export const chartConfig: Config = {
  font: CHART_FONT_STACK,
  background: '#ffffff',
  padding: { left: 16, right: 28, top: 16, bottom: 16 },
  view: { stroke: null },
  title: {
    fontSize: FONT_SIZES.title,
    subtitleFontSize: FONT_SIZES.subtitle,
    subtitleColor: INK.mutedText,
    color: INK.text,
    anchor: 'start',
    offset: 14,
    subtitlePadding: 6,
  },
  axis: {
    labelFontSize: FONT_SIZES.axisLabel,
    titleFontSize: FONT_SIZES.axisTitle,
    titleFontWeight: 'bold',
    labelColor: INK.mutedText,
    titleColor: INK.text,
    domainColor: INK.axis,
    tickColor: INK.axis,
    gridColor: INK.grid,
    titlePadding: 12,
    labelPadding: 6,
  },
  legend: {
    labelFontSize: FONT_SIZES.legendLabel,
    titleFontSize: FONT_SIZES.axisTitle,
    labelColor: INK.text,
    labelLimit: 420,
    symbolSize: 220,
    symbolStrokeWidth: 3,
    columnPadding: 28,
    rowPadding: 8,
  },
};

/**
 * The one frame every chart shares: its size, the theme, and a title (and subtitle) wrapped to the
 * chart's width. A subtitle given as lines is used as it is (the caller wrapped it).
 */
export function layeredChart(
  layout: ChartLayout,
  title: string,
  subtitle: string | readonly string[] | null,
  layers: ChartLayer[],
): LayeredSpec {
  const textWidth = layout.layoutWidth - 60;
  const subtitleLines =
    subtitle === null
      ? []
      : typeof subtitle === 'string'
        ? wrapText(subtitle, textWidth, FONT_SIZES.subtitle)
        : [...subtitle];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: layout.layoutWidth,
    height: layout.layoutHeight,
    autosize: { type: 'fit', contains: 'padding' },
    config: chartConfig,
    title: {
      text: wrapText(title, textWidth, FONT_SIZES.title, 'bold'),
      ...(subtitleLines.length > 0 ? { subtitle: subtitleLines } : {}),
    },
    layer: layers,
  };
}
