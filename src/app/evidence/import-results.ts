import { NotFoundError } from '../../domain/errors';
import type { ImportedBenchmarkResult, ImportParseResult } from '../../domain/imports/imported-result';
import type { RegressionVerdict } from '../../domain/regression';
import type { Box, ModelVariant, Prisma } from '../../generated/prisma/client';
import { recordAudit } from '../audit/record';
import { storeBenchmarkResult } from './store-result';

/** A slug that names nothing, with the ones that exist, so the caller can correct it. */
export class UnknownSlugError extends NotFoundError {
  override readonly name = 'UnknownSlugError';
  constructor(
    kind: 'box' | 'model variant' | 'serving path',
    readonly slug: string,
    readonly knownSlugs: string[],
  ) {
    super(kind, slug, `Known ${kind} slugs: ${knownSlugs.join(', ') || '(none: run the seed)'}.`);
  }
}

type SlugKind = ConstructorParameters<typeof UnknownSlugError>[0];
const SLUGS_IN_ORDER = { select: { slug: true }, orderBy: { slug: 'asc' } } as const;
const KNOWN_SLUGS: Record<SlugKind, (db: Prisma.TransactionClient) => Promise<{ slug: string }[]>> = {
  box: (db) => db.box.findMany(SLUGS_IN_ORDER),
  'model variant': (db) => db.modelVariant.findMany(SLUGS_IN_ORDER),
  'serving path': (db) => db.servingPath.findMany(SLUGS_IN_ORDER),
};

/** The error for a slug that names nothing, listing every slug of that kind that exists. */
export async function unknownSlug(
  db: Prisma.TransactionClient,
  kind: SlugKind,
  slug: string,
): Promise<UnknownSlugError> {
  const known = await KNOWN_SLUGS[kind](db);
  return new UnknownSlugError(
    kind,
    slug,
    known.map((row) => row.slug),
  );
}

export interface ImportTarget {
  boxSlug: string;
  variantSlug: string;
}

export interface ImportedResultReport {
  index: number;
  fingerprint: string;
  resultId: string;
  alreadyImported: boolean;
  profileKey: string;
  mappedKeys: string[];
  ignoredKeys: string[];
  warnings: string[];
  /** The stored verdict (the original one when the result was already imported). */
  regressionVerdict: RegressionVerdict | null;
}

export interface ImportedFileReport {
  fileName: string;
  format: ImportParseResult['format'];
  results: ImportedResultReport[];
}

async function resolveImportTarget(
  tx: Prisma.TransactionClient,
  target: ImportTarget,
): Promise<{ box: Box; variant: ModelVariant }> {
  const [box, variant] = await Promise.all([
    tx.box.findUnique({ where: { slug: target.boxSlug } }),
    tx.modelVariant.findUnique({ where: { slug: target.variantSlug } }),
  ]);
  if (!box) throw await unknownSlug(tx, 'box', target.boxSlug);
  if (!variant) throw await unknownSlug(tx, 'model variant', target.variantSlug);
  return { box, variant };
}

/**
 * Stores parsed files for one box and model variant, inside the caller's transaction: parse every
 * file first (so a broken one stops the batch before anything is written), then call this once.
 * Each new result is audited; a result already imported is reported as such and left untouched.
 */
export async function storeImportedFiles(
  tx: Prisma.TransactionClient,
  input: { target: ImportTarget; files: readonly ImportParseResult[]; actor: string; now?: Date },
): Promise<ImportedFileReport[]> {
  const { box, variant } = await resolveImportTarget(tx, input.target);
  const now = input.now ?? new Date();
  const reports: ImportedFileReport[] = [];
  for (const file of input.files) {
    const results: ImportedResultReport[] = [];
    for (const imported of file.results) {
      const warnings = [...imported.summary.warnings];
      const measuredAt = finishedAtOf(imported);
      if (measuredAt === null)
        warnings.push('the file gives no usable time: measured-at set to the import time');
      // A file imported before results were keyed by run is found under its content hash.
      const storedBefore =
        imported.contentFingerprint !== imported.fingerprint &&
        (await tx.benchmarkResult.findUnique({
          where: { fingerprint: imported.contentFingerprint },
          select: { id: true },
        })) !== null;
      const { result, alreadyStored } = await storeBenchmarkResult(tx, {
        fingerprint: storedBefore ? imported.contentFingerprint : imported.fingerprint,
        boxId: box.id,
        variantId: variant.id,
        source: 'IMPORT',
        sourceTool:
          imported.sourceToolVersion === null
            ? imported.sourceTool
            : `${imported.sourceTool} ${imported.sourceToolVersion}`,
        summary: imported.summary,
        summaryExtras: {
          importedFrom: {
            fileName: file.fileName,
            reportFormat: imported.reportFormat,
            resultIndex: imported.index,
            modelId: imported.modelId,
            sourceToolVersion: imported.sourceToolVersion,
          },
          extraMetrics: imported.extraMetrics,
          sourceMetadata: imported.sourceMetadata,
          mapping: imported.mapping,
        },
        rawRecords: imported.requests,
        measuredAt: measuredAt ?? now,
        quantization: variant.quantization,
        bytesPerParam: variant.bytesPerParam,
        contextTokens: meanContextTokensOf(imported),
      });
      if (!alreadyStored) {
        await recordAudit(tx, {
          actor: input.actor,
          action: 'benchmark-result.import',
          entityType: 'BenchmarkResult',
          entityId: result.id,
          after: {
            fingerprint: result.fingerprint,
            fileName: file.fileName,
            box: box.slug,
            variant: variant.slug,
            profileKey: result.profileKey,
          },
        });
      }
      results.push({
        index: imported.index,
        fingerprint: result.fingerprint,
        resultId: result.id,
        alreadyImported: alreadyStored,
        profileKey: result.profileKey,
        mappedKeys: imported.mapping.mappedKeys,
        ignoredKeys: imported.mapping.ignoredKeys,
        warnings,
        regressionVerdict: verdictOf(result.regression),
      });
    }
    reports.push({ fileName: file.fileName, format: file.format, results });
  }
  return reports;
}

/** When the run ended: the runner stores its report time, so history lines up on the same instant. */
function finishedAtOf(imported: ImportedBenchmarkResult): Date | null {
  if (imported.startedAt === null || Number.isNaN(imported.startedAt.getTime())) return null;
  const durationMs = Number.isFinite(imported.summary.durationS) ? imported.summary.durationS * 1000 : 0;
  return new Date(imported.startedAt.getTime() + durationMs);
}

/** Mean input + output tokens per completed request: the context the runner records (input + output). */
function meanContextTokensOf(imported: ImportedBenchmarkResult): number | null {
  const { completed, totalInputTokens, totalOutputTokens } = imported.summary;
  if (!(completed > 0)) return null;
  const mean = (totalInputTokens + totalOutputTokens) / completed;
  return Number.isFinite(mean) && mean > 0 ? Math.round(mean) : null;
}

export function verdictOf(regression: Prisma.JsonValue | null): RegressionVerdict | null {
  if (regression === null || typeof regression !== 'object' || Array.isArray(regression)) return null;
  const verdict = regression.verdict;
  return verdict === 'REGRESSED' ||
    verdict === 'IMPROVED' ||
    verdict === 'UNCHANGED' ||
    verdict === 'NOT_ENOUGH_HISTORY'
    ? verdict
    : null;
}
