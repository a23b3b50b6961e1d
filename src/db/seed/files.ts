import { z } from 'zod';
import { BOX_OWNERSHIPS, boxOwnershipIssues } from '../../domain/box-ownership';
import { PATH_KINDS } from '../../domain/engine/evidence';

/**
 * The shape of the seed data files in `seeds/`. Decimals are strings in the files (YAML numbers
 * would pass through a float), validated here so a typo stops the load with the file, the path and
 * what was expected, before anything is written.
 */
export const decimalString = z
  .string({ message: 'expected a decimal written as a quoted string, e.g. "23.50"' })
  .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal such as "3999" or "0.0785"');
export const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'expected a lowercase slug such as "dgx-spark"');
export const isoDate = z.union([z.date(), z.string().date()]).transform((value) => new Date(value));
const isoDateTime = z.union([z.date(), z.string().datetime()]).transform((value) => new Date(value));
export const confidence = z.enum(['C', 'S', 'U']);
export const source = z.string().min(3, 'every fact needs a source');

export const boxSeedSchema = z.object({
  slug,
  name: z.string(),
  vendor: slug,
  acceleratorClass: z.string(),
  memoryGiB: decimalString,
  memoryBandwidthGBs: decimalString,
  /** OWNED (the default): bought, with purchase price, amortization and power; RENTED: an instance type. */
  ownership: z.enum(BOX_OWNERSHIPS).default('OWNED'),
  powerActiveW: decimalString.optional(),
  powerIdleW: decimalString.optional(),
  purchasePrice: decimalString.optional(),
  amortizationMonths: z.number().int().positive().optional(),
  source,
  asOf: isoDate,
  confidence,
});

/** Owned boxes say what they cost and draw; rented ones carry no purchase price (box-ownership.ts). */
export function refineBoxOwnership(box: z.output<typeof boxSeedSchema>, context: z.RefinementCtx): void {
  for (const issue of boxOwnershipIssues(box))
    context.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
}

export const variantSeedSchema = z.object({
  slug,
  name: z.string(),
  model: slug,
  isFineTuned: z.boolean(),
  method: z.enum(['NONE', 'LORA', 'QLORA', 'FULL', 'MANAGED']),
  trainingMinutes: z.number().int().positive().optional(),
  trainedWhere: z.string().optional(),
  weightsLocation: z.string(),
  weightsExportable: z.boolean(),
  quantization: z.string().optional(),
  bytesPerParam: decimalString.optional(),
  notes: z.string().optional(),
});

export const catalogFileSchema = z.object({
  vendors: z.array(z.object({ slug, name: z.string() })),
  boxes: z.array(boxSeedSchema.superRefine(refineBoxOwnership)),
  models: z.array(
    z.object({
      slug,
      name: z.string(),
      family: z.string(),
      architecture: z.string(),
      totalParamsB: decimalString,
      activeParamsB: decimalString,
      isMoe: z.boolean(),
      contextLength: z.number().int().positive(),
      layers: z.number().int().positive().optional(),
      kvHeads: z.number().int().positive().optional(),
      headDim: z.number().int().positive().optional(),
    }),
  ),
  variants: z.array(variantSeedSchema),
  fineTuneFeasibility: z.array(
    z.object({
      slug,
      model: slug,
      stack: z.string(),
      servable: z.boolean(),
      trainable: z.enum(['FEASIBLE', 'BLOCKED', 'UNKNOWN']),
      blockers: z.array(z.string()),
      source,
      observedAt: isoDate,
    }),
  ),
});

export const layer = z.enum(['LAYER0', 'LAYER2B', 'LAYER2C']);
export const placement = z.enum(['RETAINED', 'DELEGATED', 'IMPLICIT']);
export const channel = z.enum([
  'SELF_SERVE_FORM',
  'SUPPORT_CASE',
  'ACCOUNT_ESCALATION',
  'RELATIONSHIP',
  'PURCHASE',
]);

export const priceSeedSchema = z.object({
  slug,
  kind: z.enum([
    'PURCHASE',
    'ELECTRICITY_PER_KWH',
    'OPS_PER_MONTH',
    'MODEL_UNIT_HOUR',
    'CMU_MINUTE',
    'CMU_STORAGE_MONTH',
    'TRAINING_PER_1K_TOKENS',
    'MODEL_STORAGE_MONTH',
    'INPUT_PER_1M_TOKENS',
    'OUTPUT_PER_1M_TOKENS',
    'INSTANCE_HOUR',
  ]),
  amount: decimalString,
  currency: z.string().length(3).default('USD'),
  unit: z.string(),
  billingWindowMinutes: z.number().int().positive().optional(),
  commitmentMonths: z.number().int().nonnegative().optional(),
  minimumDurationHours: z.number().int().positive().optional(),
  model: slug.optional(),
  region: z.string().optional(),
  source,
  sourceUrl: z.string().url().optional(),
  asOf: isoDate,
  confidence,
  isAssumption: z.boolean().default(false),
  note: z.string().optional(),
  /** Later (or earlier) figures for the same price, each with its own date and source. */
  history: z
    .array(
      z.object({
        amount: decimalString,
        asOf: isoDate,
        source,
        sourceUrl: z.string().url().optional(),
        confidence,
        note: z.string().optional(),
      }),
    )
    .default([]),
});

export const capacitySeedSchema = z.object({
  slug,
  kind: z.enum([
    'CMUS_PER_COPY',
    'OUTPUT_TOKENS_PER_MINUTE_PER_UNIT',
    'DECODE_TOKENS_PER_SECOND_PER_STREAM',
    'TTFT_P95_MS',
    'MAX_UNITS_WITHOUT_QUOTA_CASE',
  ]),
  model: slug.optional(),
  value: decimalString,
  source,
  asOf: isoDate,
  confidence,
  isAssumption: z.boolean(),
});

export const pathSeedSchema = z.object({
  slug,
  name: z.string(),
  description: z.string(),
  kind: z.enum(PATH_KINDS),
  vendor: slug,
  box: slug.optional(),
  acceleratorClass: z.string().optional(),
  customWeightsSupported: z.boolean(),
  weightsExportable: z.boolean(),
  bringYourOwnWeights: z.boolean(),
  scaleToZero: z.boolean(),
  coldStartSeconds: z.number().int().nonnegative().optional(),
  quotaRequired: z.boolean(),
  quotaWall: z.string().optional(),
  procurementChannel: channel,
  leadTimeDays: z.number().int().nonnegative().optional(),
  region: z.string().optional(),
  placements: z
    .array(z.object({ layer, placement, rationale: z.string() }))
    .length(3, 'give all three layers'),
  prices: z.array(priceSeedSchema),
  capacity: z.array(capacitySeedSchema).default([]),
});

export const pathsFileSchema = z.object({
  paths: z.array(pathSeedSchema),
});

export const evidenceFileSchema = z.object({
  benchmarkResults: z.array(
    z.object({
      fingerprint: z.string().min(5),
      box: slug.optional(),
      path: slug.optional(),
      variant: slug,
      sourceTool: z.string(),
      concurrency: z.number().int().positive(),
      quantization: z.string().optional(),
      bytesPerParam: decimalString.optional(),
      decodeTokensPerSecond: z.number().positive(),
      /** Aggregate output tokens/s across all streams; defaults to decode x concurrency. */
      outputTokensPerSecond: z.number().positive().optional(),
      /** A roofline or published estimate rather than a run of ours: flagged in every answer. */
      isEstimate: z.boolean().default(false),
      measuredAt: isoDate,
      note: source,
    }),
  ),
  questionSets: z.array(
    z.object({ slug, name: z.string(), contentHash: z.string(), questionCount: z.number().int().positive() }),
  ),
  qualityEvaluations: z.array(
    z
      .object({
        slug,
        variant: slug,
        questionSet: slug,
        path: slug.optional(),
        withRetrieval: z.boolean(),
        judges: z.array(z.string()).min(1),
        accepted: z.number().int().nonnegative(),
        total: z.number().int().positive(),
        source,
        evaluatedAt: isoDateTime.or(isoDate),
      })
      .refine((evaluation) => evaluation.accepted <= evaluation.total, {
        message: 'accepted cannot exceed total',
        path: ['accepted'],
      }),
  ),
});

export const accessFileSchema = z.object({
  accessPaths: z.array(
    z.object({
      slug,
      name: z.string(),
      acceleratorClass: z.string(),
      vendor: slug,
      servingPath: slug.optional(),
      channel,
      minimumCommitmentAmount: decimalString.optional(),
      minimumCommitmentHours: z.number().int().positive().optional(),
      paidUpFront: z.boolean(),
      cancellable: z.boolean(),
      typicalLeadTimeDays: z.number().int().nonnegative().optional(),
      quotaNeeded: z.string().optional(),
      region: z.string().optional(),
      notes: z.string().optional(),
      source,
    }),
  ),
  accessAttempts: z.array(
    z.object({
      slug,
      accessPath: slug,
      requestedAt: isoDateTime,
      answeredAt: isoDateTime.optional(),
      outcome: z.enum(['PENDING', 'APPROVED', 'SOFT_DENY_WRONG_LANE', 'DENIED', 'NO_ANSWER', 'ESCALATED']),
      notes: z.string().optional(),
    }),
  ),
});

export const labFileSchema = z.object({
  vendorAssessments: z.array(
    z.object({ slug, vendor: slug, layer: z.string(), grade: z.string(), assessedAt: isoDate, source }),
  ),
  findings: z.array(
    z.object({ slug, title: z.string(), statement: z.string(), evidence: z.array(z.string()) }),
  ),
});

export type CatalogFile = z.infer<typeof catalogFileSchema>;
export type PathsFile = z.infer<typeof pathsFileSchema>;
export type EvidenceFile = z.infer<typeof evidenceFileSchema>;
export type AccessFile = z.infer<typeof accessFileSchema>;
export type LabFile = z.infer<typeof labFileSchema>;

type SeedPrice = z.output<typeof priceSeedSchema>;
export type DatedFigure = SeedPrice['history'][number];

/**
 * A price's own figure and its history, as written: each becomes one dated value. The price's
 * `note` describes the component, not a figure, so the first figure has none.
 */
export function datedFigures(
  price: Pick<SeedPrice, 'amount' | 'asOf' | 'source' | 'sourceUrl' | 'confidence' | 'history'>,
): DatedFigure[] {
  const { amount, asOf, source, sourceUrl, confidence } = price;
  return [
    { amount, asOf, source, confidence, ...(sourceUrl === undefined ? {} : { sourceUrl }) },
    ...price.history,
  ];
}

/** A dated figure as the columns of its price value (what it says; who recorded it is the caller's). */
export function priceValueColumns(figure: DatedFigure) {
  return {
    amount: figure.amount,
    effectiveFrom: figure.asOf,
    source: figure.source,
    sourceUrl: figure.sourceUrl ?? null,
    confidence: figure.confidence,
    note: figure.note ?? null,
  };
}
