import type { TopLevelSpec } from 'vega-lite';

/** A top-level layered Vega-Lite spec, and one of its layers, from vega-lite's public export only. */
export type LayeredSpec = Extract<TopLevelSpec, { layer: unknown }>;
export type ChartLayer = LayeredSpec['layer'][number];
