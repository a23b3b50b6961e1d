import Decimal from 'decimal.js';
import { measureTextWidth } from './fonts';
import type { VolumeUnit } from './schemas';

/**
 * Text that appears on charts. Money labels are formatted from the decimal strings with decimal.js
 * (half-even, as everywhere in floorplan), so a label never shows a float artefact.
 */

const VOLUME_SUFFIXES = [
  { threshold: 1e12, suffix: 'T' },
  { threshold: 1e9, suffix: 'B' },
  { threshold: 1e6, suffix: 'M' },
  { threshold: 1e3, suffix: 'k' },
] as const;

/** "555M", "1.38B", "12.5k": three significant digits with an English scale suffix. */
export function formatVolume(volume: number): string {
  for (const { threshold, suffix } of VOLUME_SUFFIXES) {
    if (volume >= threshold) return `${trimSignificant(volume / threshold)}${suffix}`;
  }
  return trimSignificant(volume);
}

function trimSignificant(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/**
 * "$17,155" at $100 and above (cents are noise at that size on a chart), "$3.90" below, and two
 * significant digits under a dollar ("$0.0022").
 */
export function formatMoney(amount: string): string {
  const value = new Decimal(amount);
  if (value.gte(100))
    return `$${withThousandsSeparators(value.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0))}`;
  if (value.gte(1) || value.isZero())
    return `$${value.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2)}`;
  return `$${value.toSignificantDigits(2, Decimal.ROUND_HALF_EVEN).toFixed()}`;
}

function withThousandsSeparators(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function volumeAxisTitle(unit: VolumeUnit): string {
  return unit === 'requests' ? 'Requests per month (log scale)' : 'Tokens per month (log scale)';
}

export function volumeUnitShort(unit: VolumeUnit): string {
  return unit === 'requests' ? 'requests/mo' : 'tokens/mo';
}

/** Vega expression for the same scale suffixes as `formatVolume`, for axis tick labels. */
export function suffixedNumberExpression(prefix: string): string {
  const branches = VOLUME_SUFFIXES.map(
    ({ threshold, suffix }) =>
      `datum.value >= ${threshold} ? '${prefix}' + format(datum.value / ${threshold}, '~g') + '${suffix}'`,
  );
  return `${branches.join(' : ')} : '${prefix}' + format(datum.value, '~g')`;
}

/** Powers of ten inside [min, max]: the only labelled ticks on a log axis, so labels never crowd. */
export function powersOfTenWithin(min: number, max: number): number[] {
  const values: number[] = [];
  for (let exponent = Math.ceil(Math.log10(min)); exponent <= Math.floor(Math.log10(max)); exponent++) {
    values.push(10 ** exponent);
  }
  return values;
}

/** Breaks text into lines no wider than `maxWidth` at word boundaries (Vega titles do not wrap). */
export function wrapText(text: string, maxWidth: number, fontSize: number, fontWeight?: 'bold'): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && measureTextWidth(candidate, fontSize, fontWeight) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
