import Decimal from 'decimal.js';
import type { EvidenceSnapshot } from '../../domain/engine/evidence';
import { valueAt } from '../../domain/price-history';
import type { PrismaClient } from '../../generated/prisma/client';
import { loadSweepEvidence } from './load-sweeps';

/**
 * Reads everything the decision engine may cite from the database into its plain snapshot. Prisma
 * decimals cross into the engine's own decimal.js through their exact string form.
 */
/** recordedBy of access attempts loaded from the seed files: known from the day they were made. */
export const SEEDED_ATTEMPT = 'seed: lab report';

const exact = (value: { toString(): string }) => new Decimal(value.toString());
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** One stored result per where, variant, configuration and load level: the columns the engine reads. */
interface OperatingPointRow {
  id: string;
  pathSlug: string | null;
  boxSlug: string | null;
  variantSlug: string;
  concurrency: number | null;
  decodeTokensPerSecond: number;
  outputTokensPerSecond: number | null;
  ttftP95Ms: number | null;
  isEstimate: boolean;
  note: string | null;
  sourceTool: string;
  fingerprint: string;
}

/**
 * Of the results known at `now`, the latest for each box or path, variant, configuration
 * (quantization, context length) and load level (profile key and concurrency). A box that runs
 * nightly sweeps stores the same levels again and again; the engine sizes at one operating point
 * per level, so the newest one stands for its level and is the one cited, and the cost of an
 * answer does not grow with history (which stays queryable: benchmarkResults, history charts,
 * regression verdicts).
 */
function latestOperatingPoints(prisma: PrismaClient, now: Date): Promise<OperatingPointRow[]> {
  return prisma.$queryRaw<OperatingPointRow[]>`
    SELECT latest.id, path.slug AS "pathSlug", box.slug AS "boxSlug", variant.slug AS "variantSlug",
           latest.concurrency, latest."decodeTokensPerSecond", latest."outputTokensPerSecond",
           latest."ttftP95Ms", latest."isEstimate", latest.note, latest."sourceTool", latest.fingerprint
    FROM (
      SELECT DISTINCT ON (r."pathId", r."boxId", r."variantId", r.quantization, r."contextTokens",
                          r."profileKey", r.concurrency)
             r.id, r."pathId", r."boxId", r."variantId", r.concurrency, r."decodeTokensPerSecond",
             r."outputTokensPerSecond", r."ttftP95Ms", r."isEstimate", r.note, r."sourceTool",
             r.fingerprint, r."measuredAt"
      FROM "BenchmarkResult" r
      WHERE r."decodeTokensPerSecond" IS NOT NULL
        AND (r."createdAt" <= ${now} OR (r.source = 'SEED' AND r."measuredAt" <= ${now}))
      ORDER BY r."pathId", r."boxId", r."variantId", r.quantization, r."contextTokens", r."profileKey",
               r.concurrency, r."measuredAt" DESC, r.id DESC
    ) latest
    JOIN "ModelVariant" variant ON variant.id = latest."variantId"
    LEFT JOIN "ServingPath" path ON path.id = latest."pathId"
    LEFT JOIN "Box" box ON box.id = latest."boxId"
    ORDER BY latest."measuredAt" ASC, latest.id ASC`;
}

/**
 * The first moment after `now` at which the evidence known changes with no write at all: a price
 * value that takes effect (or counts as recorded) later, or a row dated later than `now` (a seeded
 * measurement, a clock ahead of this process). A snapshot loaded at `now` holds until then.
 */
export async function evidenceChangesAfter(prisma: PrismaClient, now: Date): Promise<Date | null> {
  const [row] = await prisma.$queryRaw<{ changesAt: Date | null }[]>`
    SELECT LEAST(
      (SELECT min(GREATEST(v."effectiveFrom"::timestamp, v."recordedAt")) FROM "PriceValue" v
        WHERE v."effectiveFrom" > ${now} OR v."recordedAt" > ${now}),
      (SELECT min(r."createdAt") FROM "BenchmarkResult" r WHERE r."createdAt" > ${now}),
      (SELECT min(r."measuredAt") FROM "BenchmarkResult" r WHERE r.source = 'SEED' AND r."measuredAt" > ${now}),
      (SELECT min(q."evaluatedAt") FROM "QualityEvaluation" q WHERE q."evaluatedAt" > ${now}),
      (SELECT min(a."createdAt") FROM "AccessAttempt" a WHERE a."createdAt" > ${now}),
      (SELECT min(a."requestedAt") FROM "AccessAttempt" a
        WHERE a."recordedBy" = ${SEEDED_ATTEMPT} AND a."requestedAt" > ${now})
    ) AS "changesAt"`;
  return row?.changesAt ?? null;
}

/**
 * The evidence known at `now`: each price's value in effect and recorded by then (see
 * domain/price-history.ts), results stored by then (seeded ones from their measurement date),
 * evaluations made by then and access attempts recorded by then. With `now` in the past this is the
 * evidence a decision saved at that moment saw, so it recomputes exactly; every list has a total
 * order, because a row's place in an unordered scan moves when the row is updated.
 */
export async function loadEvidenceSnapshot(
  prisma: PrismaClient,
  now: Date = new Date(),
): Promise<EvidenceSnapshot> {
  const [paths, boxes, variants, results, evaluations, attempts] = await Promise.all([
    prisma.servingPath.findMany({
      include: {
        box: true,
        priceComponents: { include: { model: true, values: true }, orderBy: { slug: 'asc' } },
        capacityFacts: { include: { model: true }, orderBy: { slug: 'asc' } },
        placements: true,
      },
      orderBy: { slug: 'asc' },
    }),
    prisma.box.findMany({ orderBy: { slug: 'asc' } }),
    prisma.modelVariant.findMany({ include: { model: true }, orderBy: { slug: 'asc' } }),
    latestOperatingPoints(prisma, now),
    prisma.qualityEvaluation.findMany({
      where: { evaluatedAt: { lte: now } },
      // Not the question set's questions: only what the note cites.
      include: { variant: true, questionSet: { select: { name: true, contentHash: true } } },
      orderBy: { slug: 'asc' },
    }),
    prisma.accessAttempt.findMany({
      where: {
        OR: [{ createdAt: { lte: now } }, { recordedBy: SEEDED_ATTEMPT, requestedAt: { lte: now } }],
      },
      include: { accessPath: { include: { servingPath: true } } },
      orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }],
    }),
  ]);

  // The engine names models by their base variant (the servable base weights): prices and capacity
  // facts recorded against a model apply to that variant and, through it, to the model's fine-tunes.
  const baseVariantOfModel = new Map<string, string>();
  for (const variant of variants) {
    if (!variant.isFineTuned && !baseVariantOfModel.has(variant.model.slug)) {
      baseVariantOfModel.set(variant.model.slug, variant.slug);
    }
  }
  const engineModelSlug = (modelSlug: string | undefined) =>
    modelSlug === undefined ? null : (baseVariantOfModel.get(modelSlug) ?? modelSlug);

  const sweeps = await loadSweepEvidence(prisma, now);
  return {
    now: isoDate(now),
    sweeps,
    paths: paths.map((path) => ({
      id: path.id,
      slug: path.slug,
      name: path.name,
      kind: path.kind,
      customWeightsSupported: path.customWeightsSupported,
      weightsExportable: path.weightsExportable,
      bringYourOwnWeights: path.bringYourOwnWeights,
      scaleToZero: path.scaleToZero,
      coldStartSeconds: path.coldStartSeconds,
      quotaRequired: path.quotaRequired,
      quotaWall: { blocked: path.quotaWall !== null, note: path.quotaWall ?? '' },
      leadTimeDays: path.leadTimeDays,
      runtimeRetained: path.placements.some(
        (placement) => placement.layer === 'LAYER2B' && placement.placement === 'RETAINED',
      ),
      boxSlug: path.box?.slug ?? null,
      priceComponents: path.priceComponents.flatMap((price) => {
        const value = valueAt(price.values, now);
        if (!value) return [];
        return [
          {
            id: price.slug,
            kind: price.kind,
            amount: exact(value.amount),
            currency: value.currency,
            unit: price.unit,
            billingWindowMinutes: price.billingWindowMinutes,
            commitmentMonths: price.commitmentMonths,
            minimumDurationHours: price.minimumDurationHours,
            region: price.region,
            source: value.source,
            asOf: isoDate(value.effectiveFrom),
            confidence: value.confidence,
            modelSlug: engineModelSlug(price.model?.slug),
            isAssumption: price.isAssumption,
          },
        ];
      }),
      capacityAssumptions: path.capacityFacts.map((fact) => ({
        id: fact.slug,
        kind: fact.kind,
        modelSlug: engineModelSlug(fact.model?.slug),
        value: fact.value.toNumber(),
        source: fact.source,
        isAssumption: fact.isAssumption,
      })),
    })),
    boxes: boxes.map((box) => ({
      slug: box.slug,
      name: box.name,
      ownership: box.ownership,
      memoryGiB: box.memoryGiB.toNumber(),
      memoryBandwidthGBs: box.memoryBandwidthGBs.toNumber(),
      powerActiveW: box.powerActiveW?.toNumber() ?? null,
      powerIdleW: box.powerIdleW?.toNumber() ?? null,
      purchasePrice: box.purchasePrice === null ? null : exact(box.purchasePrice),
      amortizationMonths: box.amortizationMonths,
    })),
    models: variants.map((variant) => ({
      slug: variant.slug,
      name: variant.name,
      baseModelSlug: engineModelSlug(variant.model.slug) ?? variant.slug,
      isFineTuned: variant.isFineTuned,
      totalParamsB: variant.model.totalParamsB.toNumber(),
      activeParamsB: variant.model.activeParamsB.toNumber(),
      moe: variant.model.isMoe,
      // Weights we trained and can take anywhere; a platform-kept fine-tune is not ours to move.
      customWeights: variant.isFineTuned && variant.weightsExportable,
      training: null,
    })),
    throughput: results.map((result) => ({
      id: result.id,
      pathSlug: result.pathSlug,
      boxSlug: result.pathSlug ? null : result.boxSlug,
      variantSlug: result.variantSlug,
      concurrency: result.concurrency ?? 1,
      decodeTokensPerSecondPerStream: result.decodeTokensPerSecond,
      aggregateOutputTokensPerSecond:
        result.outputTokensPerSecond ?? result.decodeTokensPerSecond * (result.concurrency ?? 1),
      ttftP95Ms: result.ttftP95Ms,
      measured: !result.isEstimate,
      source: result.note ?? `${result.sourceTool} (${result.fingerprint})`,
    })),
    quality: evaluations.map((evaluation) => ({
      id: evaluation.slug,
      variantSlug: evaluation.variant.slug,
      accepted: evaluation.accepted,
      total: evaluation.total,
      note: `${evaluation.questionSet.name} (${evaluation.questionSet.contentHash}); judges: ${evaluation.judges.join(', ')}`,
    })),
    access: attempts
      .filter((attempt) => attempt.accessPath.servingPath)
      .map((attempt) => ({
        id: attempt.slug ?? attempt.id,
        pathSlug: attempt.accessPath.servingPath?.slug ?? '',
        outcome: attempt.outcome,
        requestedAt: attempt.requestedAt.toISOString(),
        answeredAt: attempt.answeredAt?.toISOString() ?? null,
        minimumCommitment: attempt.accessPath.minimumCommitmentAmount
          ? exact(attempt.accessPath.minimumCommitmentAmount)
          : null,
        note: attempt.notes ?? '',
      })),
  };
}
