/**
 * Reads horizontal advance widths from a TrueType font file, just enough to measure a line of text
 * the way the rasterizer will lay it out. Vega needs text widths to place legends, titles and
 * label-overlap checks; without a canvas package it falls back to a crude 0.8 em-per-character
 * estimate, which makes layouts drift from what resvg draws with the bundled font. Kerning is not
 * applied (resvg does apply it), so measured widths are a few percent generous, never short.
 */

interface TableLocation {
  offset: number;
  length: number;
}

export interface AdvanceWidthTable {
  /** Width of the text in em units (multiply by the font size for pixels). */
  measureEm(text: string): number;
}

export function readAdvanceWidthTable(fontFile: Buffer): AdvanceWidthTable {
  const view = new DataView(fontFile.buffer, fontFile.byteOffset, fontFile.byteLength);
  const tables = readTableDirectory(view);
  const head = requireTable(tables, 'head');
  const hhea = requireTable(tables, 'hhea');
  const hmtx = requireTable(tables, 'hmtx');
  const cmap = requireTable(tables, 'cmap');

  const unitsPerEm = view.getUint16(head.offset + 18);
  const numberOfHMetrics = view.getUint16(hhea.offset + 34);
  const glyphForCodePoint = readCharacterMap(view, cmap.offset);

  const advanceOfGlyph = (glyphId: number): number => {
    // Glyphs past numberOfHMetrics share the last advance (monospaced tail, per the spec).
    const metricIndex = Math.min(glyphId, numberOfHMetrics - 1);
    return view.getUint16(hmtx.offset + metricIndex * 4);
  };

  const advanceCache = new Map<number, number>();
  const advanceOfCodePoint = (codePoint: number): number => {
    const cached = advanceCache.get(codePoint);
    if (cached !== undefined) return cached;
    // Glyph 0 is .notdef: the box the rasterizer draws for a missing character.
    const advance = advanceOfGlyph(glyphForCodePoint(codePoint) ?? 0) / unitsPerEm;
    advanceCache.set(codePoint, advance);
    return advance;
  };

  return {
    measureEm(text: string): number {
      let total = 0;
      for (const character of text) {
        const codePoint = character.codePointAt(0);
        if (codePoint !== undefined) total += advanceOfCodePoint(codePoint);
      }
      return total;
    },
  };
}

function readTableDirectory(view: DataView): Map<string, TableLocation> {
  const sfntVersion = view.getUint32(0);
  // 0x00010000 is TrueType outlines, 'true' is the old Apple tag; 'OTTO' (CFF) has the same tables
  // we need, so it is accepted too. Collections ('ttcf') are not.
  if (sfntVersion !== 0x00010000 && sfntVersion !== 0x74727565 && sfntVersion !== 0x4f54544f) {
    throw new Error('not a TrueType/OpenType font file');
  }
  const numTables = view.getUint16(4);
  const tables = new Map<string, TableLocation>();
  for (let index = 0; index < numTables; index++) {
    const recordOffset = 12 + index * 16;
    const tag = String.fromCharCode(
      view.getUint8(recordOffset),
      view.getUint8(recordOffset + 1),
      view.getUint8(recordOffset + 2),
      view.getUint8(recordOffset + 3),
    );
    tables.set(tag, { offset: view.getUint32(recordOffset + 8), length: view.getUint32(recordOffset + 12) });
  }
  return tables;
}

function requireTable(tables: Map<string, TableLocation>, tag: string): TableLocation {
  const table = tables.get(tag);
  if (!table) throw new Error(`font file has no '${tag}' table`);
  return table;
}

type GlyphLookup = (codePoint: number) => number | undefined;

function readCharacterMap(view: DataView, cmapOffset: number): GlyphLookup {
  const subtableCount = view.getUint16(cmapOffset + 2);
  let format4: number | undefined;
  let format12: number | undefined;
  for (let index = 0; index < subtableCount; index++) {
    const recordOffset = cmapOffset + 4 + index * 8;
    const platformId = view.getUint16(recordOffset);
    const subtableOffset = cmapOffset + view.getUint32(recordOffset + 4);
    const format = view.getUint16(subtableOffset);
    // Unicode platform (0) or Windows Unicode (3); other platforms use legacy encodings.
    if (platformId !== 0 && platformId !== 3) continue;
    if (format === 12 && format12 === undefined) format12 = subtableOffset;
    if (format === 4 && format4 === undefined) format4 = subtableOffset;
  }
  if (format12 !== undefined) return readFormat12(view, format12);
  if (format4 !== undefined) return readFormat4(view, format4);
  throw new Error('font file has no Unicode character map (cmap format 4 or 12)');
}

function readFormat4(view: DataView, offset: number): GlyphLookup {
  const segmentCount = view.getUint16(offset + 6) / 2;
  const endCodes = offset + 14;
  const startCodes = endCodes + segmentCount * 2 + 2;
  const idDeltas = startCodes + segmentCount * 2;
  const idRangeOffsets = idDeltas + segmentCount * 2;
  return (codePoint) => {
    if (codePoint > 0xffff) return undefined;
    for (let segment = 0; segment < segmentCount; segment++) {
      if (codePoint > view.getUint16(endCodes + segment * 2)) continue;
      const start = view.getUint16(startCodes + segment * 2);
      if (codePoint < start) return undefined;
      const delta = view.getUint16(idDeltas + segment * 2);
      const rangeOffsetPosition = idRangeOffsets + segment * 2;
      const rangeOffset = view.getUint16(rangeOffsetPosition);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsetPosition + rangeOffset + 2 * (codePoint - start));
      return glyph === 0 ? undefined : (glyph + delta) & 0xffff;
    }
    return undefined;
  };
}

function readFormat12(view: DataView, offset: number): GlyphLookup {
  const groupCount = view.getUint32(offset + 12);
  return (codePoint) => {
    for (let group = 0; group < groupCount; group++) {
      const groupOffset = offset + 16 + group * 12;
      const startChar = view.getUint32(groupOffset);
      const endChar = view.getUint32(groupOffset + 4);
      if (codePoint >= startChar && codePoint <= endChar) {
        return view.getUint32(groupOffset + 8) + (codePoint - startChar);
      }
    }
    return undefined;
  };
}
