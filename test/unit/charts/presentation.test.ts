import { describe, expect, it } from 'vitest';
import { measureTextWidth } from '../../../src/charts/fonts';
import { formatMoney, formatVolume, powersOfTenWithin, wrapText } from '../../../src/charts/labels';
import { layoutFor, SERIES_COLOURS, SERIES_DASHES, SERIES_SHAPES } from '../../../src/charts/theme';
import { lightness } from './imageAssertions';

describe('formatMoney', () => {
  it.each([
    ['17155', '$17,155'],
    ['122.08', '$122'],
    ['122.50', '$122'], // half-even
    ['123.50', '$124'],
    ['3.9', '$3.90'],
    ['0.0022', '$0.0022'],
    ['0', '$0.00'],
    ['1.7155e4', '$17,155'],
  ])('%s → %s', (amount, label) => {
    expect(formatMoney(amount)).toBe(label);
  });
});

describe('formatVolume', () => {
  it.each([
    [554_909_090.9, '555M'],
    [31_364_000, '31.4M'],
    [1_380_000_000, '1.38B'],
    [12_500, '12.5k'],
    [950, '950'],
    [2e12, '2T'],
  ])('%d → %s', (volume, label) => {
    expect(formatVolume(volume)).toBe(label);
  });
});

describe('powersOfTenWithin', () => {
  it('lists the decades inside the range', () => {
    expect(powersOfTenWithin(0.22, 18_843)).toEqual([1, 10, 100, 1000, 10_000]);
    expect(powersOfTenWithin(1e6, 5e9)).toEqual([1e6, 1e7, 1e8, 1e9]);
  });
});

describe('bundled font metrics', () => {
  it('measures with DejaVu Sans advance widths, bold wider than regular', () => {
    // DejaVu Sans: "i" advances 0.278 em, "W" 0.989 em.
    expect(measureTextWidth('iiii', 10)).toBeCloseTo(11.11, 1);
    expect(measureTextWidth('WWWW', 10)).toBeCloseTo(39.55, 1);
    expect(measureTextWidth('Spark', 16, 'bold')).toBeGreaterThan(measureTextWidth('Spark', 16));
  });

  it('wraps text at word boundaries within the width', () => {
    const lines = wrapText('Business-hours traffic, 1,150 tokens per request, us-east-1 prices', 300, 17);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(measureTextWidth(line, 17)).toBeLessThanOrEqual(300);
    expect(lines.join(' ')).toBe('Business-hours traffic, 1,150 tokens per request, us-east-1 prices');
  });
});

describe('series styles', () => {
  it('keeps the first five colours 12+ points of lightness apart, so greyscale separates them', () => {
    const values = SERIES_COLOURS.slice(0, 5).map(lightness);
    for (let index = 1; index < values.length; index++) {
      expect((values[index] ?? 0) - (values[index - 1] ?? 0)).toBeGreaterThanOrEqual(12);
    }
  });

  it('gives every series its own dash pattern and marker shape', () => {
    expect(new Set(SERIES_DASHES.map((dash) => dash.join(','))).size).toBe(SERIES_DASHES.length);
    expect(new Set(SERIES_SHAPES).size).toBe(SERIES_SHAPES.length);
    expect(SERIES_DASHES.length).toBeGreaterThanOrEqual(SERIES_COLOURS.length);
  });
});

describe('layoutFor', () => {
  it('draws wide images as a scaled 1200 px design and narrow ones at most 25% smaller', () => {
    expect(layoutFor(2400, 1350)).toEqual({ layoutWidth: 1200, layoutHeight: 675, scale: 2 });
    expect(layoutFor(1200, 675)).toEqual({ layoutWidth: 1200, layoutHeight: 675, scale: 1 });
    expect(layoutFor(600, 300)).toEqual({ layoutWidth: 800, layoutHeight: 400, scale: 0.75 });
  });
});
