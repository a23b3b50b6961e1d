import Decimal from 'decimal.js';
import { z } from 'zod';
import {
  modelShapeOf,
  RESULT_ROOFLINE_SELECT,
  type ResultRoofline,
  rooflineOfResult,
} from '../../../app/evidence/roofline-inputs';
import { NotFoundError, ValidationError } from '../../../domain/errors';
import { computeRoofline, type MemoryFit, type RooflineResult } from '../../../domain/roofline';
import { builder } from '../builder';
import { parseInput } from '../errors';

/** Defaults for the `roofline` query, stated in its assumptions when used. */
const DEFAULT_CONTEXT_TOKENS = 4096;
const DEFAULT_CONCURRENCY = 1;

const MemoryFitRef = builder.objectRef<MemoryFit>('MemoryFit').implement({
  authScopes: { catalogReader: true },
  description:
    'Whether weights plus KV cache for the context and concurrency fit in the box memory, after headroom. Bytes.',
  fields: (t) => ({
    weightBytes: t.exposeFloat('weightBytes', { description: 'All weights (total parameters), bytes.' }),
    kvCacheBytes: t.exposeFloat('kvCacheBytes', { description: 'KV cache for every concurrent sequence.' }),
    requiredBytes: t.exposeFloat('requiredBytes'),
    boxBytes: t.exposeFloat('boxBytes'),
    headroomFraction: t.exposeFloat('headroomFraction', {
      description: 'Share of memory kept back for the OS, runtime and activations.',
    }),
    usableBytes: t.exposeFloat('usableBytes'),
    fits: t.exposeBoolean('fits'),
    spareBytes: t.exposeFloat('spareBytes', {
      description: 'usable − required; negative when it does not fit.',
    }),
  }),
});

interface RooflineEstimate extends RooflineResult {
  boxSlug: string;
  variantSlug: string;
  bytesPerParam: Decimal;
  contextTokens: number;
  concurrency: number;
}

const RooflineRef = builder.objectRef<RooflineEstimate>('Roofline').implement({
  authScopes: { catalogReader: true },
  description:
    'Bandwidth ceiling for single-stream decode (bandwidth / bytes read per token) and the memory-fit check from the same bytes.',
  fields: (t) => ({
    box: t.exposeString('boxSlug'),
    variant: t.exposeString('variantSlug'),
    bytesPerParam: t.field({ type: 'Decimal', resolve: (estimate) => estimate.bytesPerParam }),
    contextTokens: t.exposeInt('contextTokens'),
    concurrency: t.exposeInt('concurrency'),
    ceilingTokensPerSecond: t.exposeFloat('decodeCeilingTokensPerSecond', {
      description: 'Upper bound on single-stream decode tokens/s on this box.',
    }),
    bytesPerToken: t.exposeFloat('bytesReadPerToken', {
      description: 'Active weights plus the KV cache at the context length, read once per token.',
    }),
    weightBytesPerToken: t.exposeFloat('weightBytesReadPerToken'),
    kvCacheBytesPerSequence: t.exposeFloat('kvCacheBytesPerSequence'),
    kvGeometryApproximated: t.boolean({
      description: 'True when the model publishes no attention shape and a Llama-class one was assumed.',
      resolve: (estimate) => estimate.kvGeometrySource === 'approximated',
    }),
    memoryFit: t.field({ type: MemoryFitRef, resolve: (estimate) => estimate.memoryFit }),
    assumptions: t.exposeStringList('assumptions'),
  }),
});

const ResultRooflineRef = builder.objectRef<ResultRoofline>('ResultRoofline').implement({
  authScopes: { catalogReader: true },
  description:
    "A result's roofline: the ceiling for its box, model and bytes per parameter, and measured decode / ceiling (MBU).",
  fields: (t) => ({
    ceilingTokensPerSecond: t.exposeFloat('ceilingTokensPerSecond', { nullable: true }),
    efficiency: t.exposeFloat('efficiency', {
      nullable: true,
      description:
        'Measured decode tokens/s over the ceiling; public measurements reach 0.7–0.87 on the Spark.',
    }),
    bytesPerToken: t.exposeFloat('bytesReadPerToken', { nullable: true }),
    assumptions: t.exposeStringList('assumptions'),
    unavailableReason: t.exposeString('unavailableReason', {
      nullable: true,
      description: 'Why there is no ceiling (no box, bytes per parameter unknown), when there is none.',
    }),
  }),
});

builder.prismaObjectField('BenchmarkResult', 'roofline', (t) =>
  t.field({
    type: ResultRooflineRef,
    // One query with the result, however many results are listed.
    select: RESULT_ROOFLINE_SELECT,
    resolve: (result) => rooflineOfResult(result),
  }),
);

const rooflineArgsSchema = z.object({
  box: z.string().min(1),
  variant: z.string().min(1),
  bytesPerParam: z
    .instanceof(Decimal)
    .refine((value) => value.gt(0) && value.lte(4), { message: 'must be more than 0 and at most 4' })
    .nullish(),
  contextTokens: z.int().min(0).max(10_000_000).nullish(),
  concurrency: z.int().min(1).max(100_000).nullish(),
});

builder.queryFields((t) => ({
  roofline: t.field({
    type: RooflineRef,
    description:
      'Decode ceiling and memory fit of a model variant on a box. bytesPerParam defaults to the variant’s; ' +
      `contextTokens to ${DEFAULT_CONTEXT_TOKENS}, concurrency to ${DEFAULT_CONCURRENCY}.`,
    authScopes: { catalogReader: true },
    args: {
      box: t.arg.string({ required: true, description: 'Box slug' }),
      variant: t.arg.string({ required: true, description: 'Model variant slug' }),
      bytesPerParam: t.arg({ type: 'Decimal', required: false }),
      contextTokens: t.arg.int({ required: false }),
      concurrency: t.arg.int({ required: false }),
    },
    resolve: async (_root, args, { prisma }) => {
      const input = parseInput(rooflineArgsSchema, args, 'args');
      const [box, variant] = await Promise.all([
        prisma.box.findUnique({ where: { slug: input.box } }),
        prisma.modelVariant.findUnique({ where: { slug: input.variant }, include: { model: true } }),
      ]);
      if (!box) throw new NotFoundError('box', input.box, 'List them with { boxes { slug } }.');
      if (!variant) {
        throw new NotFoundError('model variant', input.variant, 'List them with { modelVariants { slug } }.');
      }
      const bytesPerParam = input.bytesPerParam ?? variant.bytesPerParam;
      if (bytesPerParam === null) {
        throw new ValidationError(
          [
            {
              path: 'args.bytesPerParam',
              message: `model variant "${variant.slug}" records no bytes per parameter: pass one (e.g. "1" for FP8, "0.5625" for NVFP4)`,
            },
          ],
          'Cannot compute the roofline',
        );
      }
      const contextTokens = input.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
      const concurrency = input.concurrency ?? DEFAULT_CONCURRENCY;
      const roofline = computeRoofline({
        box: { memoryGiB: Number(box.memoryGiB), bandwidthGBps: Number(box.memoryBandwidthGBs) },
        model: modelShapeOf(variant.model),
        bytesPerParameter: Number(bytesPerParam.toString()),
        contextTokens,
        concurrency,
      });
      const assumptions = [...roofline.assumptions];
      if (input.bytesPerParam == null) assumptions.push('bytes per parameter taken from the model variant');
      if (input.contextTokens == null) assumptions.push(`context ${DEFAULT_CONTEXT_TOKENS} tokens (default)`);
      if (input.concurrency == null) assumptions.push(`concurrency ${DEFAULT_CONCURRENCY} (default)`);
      return {
        ...roofline,
        assumptions,
        boxSlug: box.slug,
        variantSlug: variant.slug,
        bytesPerParam: new Decimal(bytesPerParam.toString()),
        contextTokens,
        concurrency,
      };
    },
  }),
}));
