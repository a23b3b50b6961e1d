import type Decimal from 'decimal.js';
import { computeRoofline, type ModelShape, type RooflineResult } from '../../domain/roofline';
import type { Prisma } from '../../generated/prisma/client';

type DecimalLike = Decimal | { toString(): string };

/** The box columns the roofline reads. */
export interface RooflineBoxRow {
  memoryGiB: DecimalLike;
  memoryBandwidthGBs: DecimalLike;
}

/** The model columns the roofline reads; the KV geometry is null where unpublished. */
export interface RooflineModelRow {
  totalParamsB: DecimalLike;
  activeParamsB: DecimalLike;
  layers: number | null;
  kvHeads: number | null;
  headDim: number | null;
}

export function modelShapeOf(model: RooflineModelRow): ModelShape {
  const shape: ModelShape = {
    totalParamsB: Number(model.totalParamsB.toString()),
    activeParamsB: Number(model.activeParamsB.toString()),
  };
  if (model.layers !== null && model.kvHeads !== null && model.headDim !== null) {
    shape.attention = { layers: model.layers, kvHeads: model.kvHeads, headDim: model.headDim };
  }
  return shape;
}

/** The columns of a stored result its roofline reads (with `decodeTokensPerSecond`), in one select. */
export const RESULT_ROOFLINE_SELECT = {
  decodeTokensPerSecond: true,
  bytesPerParam: true,
  contextTokens: true,
  concurrency: true,
  box: { select: { memoryGiB: true, memoryBandwidthGBs: true } },
  variant: {
    select: {
      bytesPerParam: true,
      model: {
        select: { totalParamsB: true, activeParamsB: true, layers: true, kvHeads: true, headDim: true },
      },
    },
  },
} as const satisfies Prisma.BenchmarkResultSelect;

export interface ResultRooflineRow {
  decodeTokensPerSecond: number | null;
  bytesPerParam: DecimalLike | null;
  contextTokens: number | null;
  concurrency: number | null;
  box: RooflineBoxRow | null;
  variant: { bytesPerParam: DecimalLike | null; model: RooflineModelRow };
}

export interface ResultRoofline {
  ceilingTokensPerSecond: number | null;
  /** measured decode / ceiling (MBU); null without a ceiling or a measured decode rate. */
  efficiency: number | null;
  bytesReadPerToken: number | null;
  assumptions: string[];
  /** Why there is no ceiling, when there is none. */
  unavailableReason: string | null;
}

/**
 * The ceiling a stored result is measured against: its box's bandwidth, its variant's model, and
 * the bytes per parameter the result records (else the variant's). Short of any of these, no
 * ceiling and the reason why: a guessed ceiling would make the efficiency look measured.
 */
export function rooflineOfResult(row: ResultRooflineRow): ResultRoofline {
  const unavailable = (reason: string): ResultRoofline => ({
    ceilingTokensPerSecond: null,
    efficiency: null,
    bytesReadPerToken: null,
    assumptions: [],
    unavailableReason: reason,
  });
  if (row.box === null) return unavailable('the result has no box: the bandwidth roofline applies to a box');
  const bytesPerParam = row.bytesPerParam ?? row.variant.bytesPerParam;
  if (bytesPerParam === null) {
    return unavailable(
      'bytes per parameter unknown: neither the result nor its model variant records the quantization width',
    );
  }
  const contextKnown = row.contextTokens !== null;
  const roofline: RooflineResult = computeRoofline({
    box: {
      memoryGiB: Number(row.box.memoryGiB.toString()),
      bandwidthGBps: Number(row.box.memoryBandwidthGBs.toString()),
    },
    model: modelShapeOf(row.variant.model),
    bytesPerParameter: Number(bytesPerParam.toString()),
    contextTokens: row.contextTokens ?? 0,
    concurrency: Math.max(1, row.concurrency ?? 1),
    ...(row.decodeTokensPerSecond === null
      ? {}
      : { measuredDecodeTokensPerSecond: row.decodeTokensPerSecond }),
  });
  const assumptions = [...roofline.assumptions];
  if (row.bytesPerParam === null) assumptions.push('bytes per parameter taken from the model variant');
  if (!contextKnown) {
    assumptions.push(
      'context length not recorded: KV-cache reads left out, so the ceiling is the short-prompt one (efficiency is a lower bound)',
    );
  }
  if ((row.concurrency ?? 1) > 1) {
    assumptions.push(
      `measured at concurrency ${row.concurrency}: per-stream decode is compared with the single-stream ceiling`,
    );
  }
  return {
    ceilingTokensPerSecond: roofline.decodeCeilingTokensPerSecond,
    efficiency: roofline.efficiency,
    bytesReadPerToken: roofline.bytesReadPerToken,
    assumptions,
    unavailableReason: null,
  };
}
