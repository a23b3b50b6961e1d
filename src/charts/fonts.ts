import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { textMetrics } from 'vega';
import { type AdvanceWidthTable, readAdvanceWidthTable } from './trueTypeAdvanceWidths';

/**
 * Charts use DejaVu Sans from the `dejavu-fonts-ttf` package (Bitstream Vera licence plus public
 * domain changes: free to redistribute and embed). Servers have no fonts we can rely on, so the
 * rasterizer loads only these files, and Vega measures text with the same files' advance widths so
 * that what it lays out is what resvg draws.
 */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

/**
 * What SVG consumers (browsers, Slack's SVG preview) see. Verdana is a close metric match for
 * DejaVu Sans (both descend from Bitstream Vera's proportions), so a viewer without DejaVu keeps
 * the layout.
 */
export const CHART_FONT_STACK = `${CHART_FONT_FAMILY}, Verdana, Geneva, sans-serif`;

const resolveFromPackage = createRequire(import.meta.url).resolve;

export const CHART_FONT_FILES = {
  regular: resolveFromPackage('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: resolveFromPackage('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

declare module 'vega' {
  /** The scenegraph item fields Vega's text measurement reads. */
  interface TextMeasurementItem {
    fontSize?: number | string;
    fontWeight?: number | string;
    limit?: number;
  }
  /**
   * vega-scenegraph's measurement hook, re-exported by 'vega' but missing from vega-typings.
   * Replacing `width` is the documented extension point (vl-convert does the same).
   */
  export const textMetrics: {
    width: (item: TextMeasurementItem, text: unknown) => number;
  };
}

let advanceWidths: { regular: AdvanceWidthTable; bold: AdvanceWidthTable } | undefined;

function bundledAdvanceWidths(): { regular: AdvanceWidthTable; bold: AdvanceWidthTable } {
  advanceWidths ??= {
    regular: readAdvanceWidthTable(readFileSync(CHART_FONT_FILES.regular)),
    bold: readAdvanceWidthTable(readFileSync(CHART_FONT_FILES.bold)),
  };
  return advanceWidths;
}

/** Width in pixels of one line of text set in the chart font (kerning ignored: slightly generous). */
export function measureTextWidth(text: string, fontSize: number, fontWeight?: number | string): number {
  const tables = bundledAdvanceWidths();
  return (isBold(fontWeight) ? tables.bold : tables.regular).measureEm(text) * fontSize;
}

let installed = false;

/**
 * Points Vega's (process-wide) text measurement at the bundled font's metrics. Idempotent; the
 * charts are the only Vega users in the process, so a global hook is acceptable.
 */
export function useBundledFontMetrics(): void {
  if (installed) return;
  textMetrics.width = (item, text) => {
    // Vega's default font size when a mark sets none is 11.
    const fontSize = item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
    const line = text === null || text === undefined ? '' : String(text).trim();
    if (fontSize <= 0 || line === '') return 0;
    const width = measureTextWidth(line, fontSize, item.fontWeight);
    // Vega truncates text longer than `limit` to fit it; the truncated text is never wider.
    return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  installed = true;
}

function isBold(fontWeight: number | string | undefined): boolean {
  if (fontWeight === undefined) return false;
  if (fontWeight === 'bold' || fontWeight === 'bolder') return true;
  const numeric = Number(fontWeight);
  return Number.isFinite(numeric) && numeric >= 600;
}
