import { Resvg } from '@resvg/resvg-js';
import { expect } from 'vitest';
import { CHART_FONT_FILES } from '../../../src/charts/fonts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Checks the PNG signature and reads the IHDR chunk, which the spec fixes as the first chunk. */
export function pngDimensions(body: Buffer | string): { width: number; height: number } {
  expect(Buffer.isBuffer(body)).toBe(true);
  const png = body as Buffer;
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface ParsedSvg {
  width: number;
  height: number;
  /** Every <text> element's content, entities decoded, in document order. */
  texts: string[];
}

/**
 * Parses the SVG with resvg (a strict XML parser: malformed markup throws) and reads the root's
 * size attributes and the text content.
 */
export function parseSvg(body: Buffer | string): ParsedSvg {
  expect(typeof body).toBe('string');
  const svg = body as string;
  const parsed = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [CHART_FONT_FILES.regular] } });
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attribute = (name: string) => Number(new RegExp(`\\s${name}="([^"]*)"`).exec(root)?.[1]);
  expect(parsed.width).toBeGreaterThan(0);
  const texts = [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((match) =>
    decodeEntities(
      (match[1] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
  return { width: attribute('width'), height: attribute('height'), texts };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** CIE L* (0 black to 100 white) of a #rrggbb colour: what survives a greyscale print. */
export function lightness(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.008856 ? 116 * Math.cbrt(luminance) - 16 : 903.3 * luminance;
}
