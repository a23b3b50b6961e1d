import type { ChartLayer } from './vegaLiteTypes';

/** Where an annotation sits relative to its anchor point. */
export interface TextPlacement {
  align: 'left' | 'right' | 'center';
  baseline: 'top' | 'bottom' | 'middle';
  dx: number;
  dy: number;
}

export interface TextStyle {
  fontSize: number;
  fontWeight?: 'bold' | 'normal';
  color: string;
  lineHeight?: number;
}

export interface QuantitativePosition {
  field: string;
  type: 'quantitative' | 'temporal';
  scale: {
    type: 'log' | 'linear' | 'utc';
    domain?: number[];
    nice?: boolean;
    zero?: boolean;
    padding?: number;
  };
}

const HALO_WIDTH = 5;

/**
 * Annotation text drawn twice: a white outline first, then the text. Labels often cross a line or a
 * shaded region, and the halo keeps them readable there (and in greyscale) without a box.
 */
export function haloedTextLayers(
  rows: object[],
  position: { x: QuantitativePosition; y?: QuantitativePosition; pixelY?: number },
  placement: TextPlacement,
  style: TextStyle,
): ChartLayer[] {
  if (rows.length === 0) return [];
  const encoding = {
    x: position.x,
    ...(position.y ? { y: position.y } : {}),
    text: { field: 'label' },
  };
  const mark = {
    type: 'text' as const,
    ...placement,
    ...(position.pixelY === undefined ? {} : { y: position.pixelY }),
    fontSize: style.fontSize,
    fontWeight: style.fontWeight ?? 'normal',
    lineHeight: style.lineHeight ?? style.fontSize + 4,
  };
  return [
    {
      data: { values: rows },
      mark: { ...mark, stroke: '#ffffff', strokeWidth: HALO_WIDTH, strokeJoin: 'round', color: '#ffffff' },
      encoding,
    },
    { data: { values: rows }, mark: { ...mark, color: style.color }, encoding },
  ];
}
