import Decimal from 'decimal.js';
import type { EvidenceSnapshot } from '../../domain/engine/evidence';
import { valueAt } from '../../domain/prices/history';
import type { PrismaClient } from '../../generated/prisma/client';

/**
 * Reads everything the decision engine may cite from the database into its plain snapshot. Prisma
 * decimals cross into the engine's own decimal.js through their exact string form.
 */
/** recordedBy of access attempts loaded from the seed files: known from the day they were made. */
export const SEEDED_ATTEMPT = 'seed: lab report';

const exact = (value: { toString(): string }) => new Decimal(value.toString());
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The evidence known at `now`: each price's value in effect and recorded by then (see
 * domain/prices/history.ts), results stored by then (seeded ones from their measurement date),
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
    prisma.benchmarkResult.findMany({
      where: {
        decodeTokensPerSecond: { not: null },
        OR: [{ createdAt: { lte: now } }, { source: 'SEED', measuredAt: { lte: now } }],
      },
      include: { path: true, box: true, variant: true },
      orderBy: [{ measuredAt: 'asc' }, { id: 'asc' }],
    }),
    prisma.qualityEvaluation.findMany({
      where: { evaluatedAt: { lte: now } },
      include: { variant: true, questionSet: true },
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

  return {
    now: isoDate(now),
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
      memoryGiB: box.memoryGiB.toNumber(),
      memoryBandwidthGBs: box.memoryBandwidthGBs.toNumber(),
      powerActiveW: box.powerActiveW.toNumber(),
      powerIdleW: box.powerIdleW.toNumber(),
      purchasePrice: exact(box.purchasePrice),
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
      pathSlug: result.path?.slug ?? null,
      boxSlug: result.path ? null : (result.box?.slug ?? null),
      variantSlug: result.variant.slug,
      concurrency: result.concurrency ?? 1,
      decodeTokensPerSecondPerStream: result.decodeTokensPerSecond ?? 0,
      aggregateOutputTokensPerSecond:
        result.outputTokensPerSecond ?? (result.decodeTokensPerSecond ?? 0) * (result.concurrency ?? 1),
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
