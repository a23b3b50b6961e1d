import { Resvg } from '@resvg/resvg-js';
import { parse, View, Warn } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY, CHART_FONT_FILES, useBundledFontMetrics } from './fonts';
import type { ChartImage, ValidChartRenderOptions } from './schemas';
import type { ChartLayout } from './theme';

/**
 * Vega-Lite spec → Vega spec → SVG (headless Vega view) → optionally PNG (resvg with the bundled
 * font only). Pure apart from reading the font files once; no network, no system fonts.
 */
export async function renderVegaLite(
  spec: TopLevelSpec,
  layout: ChartLayout,
  options: ValidChartRenderOptions,
): Promise<ChartImage> {
  useBundledFontMetrics();
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', logLevel: Warn });
  let svg: string;
  try {
    // toSVG's scale factor multiplies the width/height attributes and wraps the drawing in a
    // matching transform: the layout stays the 1200 px design, the image gets the requested size.
    svg = await view.toSVG(layout.scale);
  } finally {
    view.finalize();
  }
  svg = withExactSize(svg, options.width, options.height);
  if (options.format === 'svg') return { contentType: 'image/svg+xml', body: svg };

  const rasterizer = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [CHART_FONT_FILES.regular, CHART_FONT_FILES.bold],
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    fitTo: { mode: 'width', value: options.width },
    background: '#ffffff',
    logLevel: 'off',
  });
  return { contentType: 'image/png', body: rasterizer.render().asPng() };
}

export interface PlotArea {
  width: number;
  height: number;
}

/**
 * Lays the spec out without drawing it and returns the size Vega gave the plot area (what remains
 * after titles, axes and legend). Annotation placement uses it on a second pass.
 */
export async function measurePlotArea(spec: TopLevelSpec): Promise<PlotArea> {
  useBundledFontMetrics();
  const view = new View(parse(compile(spec).spec), { renderer: 'none', logLevel: Warn });
  try {
    await view.runAsync();
    return { width: view.width(), height: view.height() };
  } finally {
    view.finalize();
  }
}

/**
 * Vega sizes the SVG from the laid-out scene, which with autosize "fit" equals the requested size
 * up to float rounding. Writing the requested integers (the viewBox keeps the drawing's own
 * coordinates) gives consumers and the PNG exactly the size asked for.
 */
function withExactSize(svg: string, width: number, height: number): string {
  const rootTag = /^<svg\b[^>]*>/.exec(svg)?.[0];
  if (!rootTag) throw new Error('Vega produced no <svg> root element');
  let sizedTag = rootTag;
  if (!/\sviewBox="/.test(sizedTag)) {
    const drawnWidth = /\swidth="([^"]*)"/.exec(rootTag)?.[1];
    const drawnHeight = /\sheight="([^"]*)"/.exec(rootTag)?.[1];
    sizedTag = sizedTag.replace(/^<svg\b/, `<svg viewBox="0 0 ${drawnWidth} ${drawnHeight}"`);
  }
  sizedTag = sizedTag
    .replace(/\swidth="[^"]*"/, ` width="${width}"`)
    .replace(/\sheight="[^"]*"/, ` height="${height}"`);
  return sizedTag + svg.slice(rootTag.length);
}
