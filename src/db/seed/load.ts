import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { SEEDED_ATTEMPT } from '../../app/decisions/load-evidence';
import { refreshCurrentValue } from '../../app/prices/record-value';
import { pathBoxIssue } from '../../domain/box-ownership';
import { SEED_RECORDER } from '../../domain/price-history';
import type { Prisma, PrismaClient } from '../../generated/prisma/client';
import {
  type AccessFile,
  accessFileSchema,
  type CatalogFile,
  catalogFileSchema,
  datedFigures,
  type EvidenceFile,
  evidenceFileSchema,
  type LabFile,
  labFileSchema,
  type PathsFile,
  pathsFileSchema,
  priceValueColumns,
} from './files';

const seedsDir = path.resolve(import.meta.dirname, '..', '..', '..', 'seeds');

class SeedFileError extends Error {}

async function readSeedFile<Schema extends z.ZodType>(
  file: string,
  schema: Schema,
): Promise<z.output<Schema>> {
  const fullPath = path.join(seedsDir, file);
  let document: unknown;
  try {
    document = parseYaml(await readFile(fullPath, 'utf8'));
  } catch (error) {
    throw new SeedFileError(`${file}: not valid YAML (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${file} at ${formatPath(issue.path)}: ${issue.message}`,
    );
    throw new SeedFileError(`Seed file ${file} is invalid; nothing was loaded:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

function formatPath(segments: readonly PropertyKey[]): string {
  return (
    segments
      .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`))
      .join('')
      .replace(/^\./, '') || '(root)'
  );
}

export interface SeedFiles {
  catalog: CatalogFile;
  paths: PathsFile;
  evidence: EvidenceFile;
  access: AccessFile;
  lab: LabFile;
}

/** Reads and validates every seed file before anything touches the database. */
export async function readSeedFiles(): Promise<SeedFiles> {
  const catalog = await readSeedFile('catalog.yaml', catalogFileSchema);
  const paths = await readSeedFile('paths.yaml', pathsFileSchema);
  const boxes = new Map(catalog.boxes.map((box) => [box.slug, box]));
  for (const [index, servingPath] of paths.paths.entries()) {
    const pairing = pathBoxIssue(servingPath.kind, boxes.get(servingPath.box ?? '') ?? null);
    if (pairing)
      throw new SeedFileError(`seeds/paths.yaml: paths.${index}.box (${servingPath.slug}): ${pairing}`);
  }
  return {
    catalog,
    paths,
    evidence: await readSeedFile('evidence.yaml', evidenceFileSchema),
    access: await readSeedFile('access.yaml', accessFileSchema),
    lab: await readSeedFile('lab.yaml', labFileSchema),
  };
}

type Tx = Prisma.TransactionClient;

/** Resolves slugs to ids, failing with the slug and where it was referenced when one is unknown. */
class SlugIndex {
  private readonly ids = new Map<string, string>();
  set(kind: string, slug: string, id: string) {
    this.ids.set(`${kind}:${slug}`, id);
  }
  get(kind: string, slug: string, referencedFrom: string): string {
    const id = this.ids.get(`${kind}:${slug}`);
    if (!id) throw new SeedFileError(`${referencedFrom} refers to unknown ${kind} "${slug}"`);
    return id;
  }
  optional(kind: string, slug: string | undefined, referencedFrom: string): string | null {
    return slug === undefined ? null : this.get(kind, slug, referencedFrom);
  }
}

/**
 * Loads the seed files in one transaction: upserts on stable slugs, so running it twice leaves the
 * same rows, and a failure part-way leaves nothing behind.
 */
export async function seedDatabase(prisma: PrismaClient): Promise<{ rows: number }> {
  const files = await readSeedFiles();
  let rows = 0;
  await prisma.$transaction(
    async (tx) => {
      const index = new SlugIndex();
      rows += await loadCatalog(tx, files.catalog, index);
      rows += await loadPaths(tx, files.paths, index);
      rows += await loadEvidence(tx, files.evidence, index);
      rows += await loadAccess(tx, files.access, index);
      rows += await loadLab(tx, files.lab, index);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { rows };
}

async function loadCatalog(tx: Tx, file: CatalogFile, index: SlugIndex): Promise<number> {
  for (const vendor of file.vendors) {
    const row = await tx.vendor.upsert({ where: { slug: vendor.slug }, create: vendor, update: vendor });
    index.set('vendor', vendor.slug, row.id);
  }
  for (const { vendor, ...box } of file.boxes) {
    const data = { ...box, vendorId: index.get('vendor', vendor, `box ${box.slug}`) };
    const row = await tx.box.upsert({ where: { slug: box.slug }, create: data, update: data });
    index.set('box', box.slug, row.id);
  }
  for (const model of file.models) {
    const row = await tx.model.upsert({ where: { slug: model.slug }, create: model, update: model });
    index.set('model', model.slug, row.id);
  }
  for (const { model, ...variant } of file.variants) {
    const data = { ...variant, modelId: index.get('model', model, `variant ${variant.slug}`) };
    const row = await tx.modelVariant.upsert({ where: { slug: variant.slug }, create: data, update: data });
    index.set('variant', variant.slug, row.id);
  }
  for (const { model, ...feasibility } of file.fineTuneFeasibility) {
    const data = { ...feasibility, modelId: index.get('model', model, `feasibility ${feasibility.slug}`) };
    await tx.fineTuneFeasibility.upsert({ where: { slug: feasibility.slug }, create: data, update: data });
  }
  return (
    file.vendors.length +
    file.boxes.length +
    file.models.length +
    file.variants.length +
    file.fineTuneFeasibility.length
  );
}

async function loadPaths(tx: Tx, file: PathsFile, index: SlugIndex): Promise<number> {
  let rows = 0;
  for (const { vendor, box, placements, prices, capacity, ...path } of file.paths) {
    const where = `path ${path.slug}`;
    const data = {
      ...path,
      vendorId: index.get('vendor', vendor, where),
      boxId: index.optional('box', box, where),
    };
    const row = await tx.servingPath.upsert({ where: { slug: path.slug }, create: data, update: data });
    index.set('path', path.slug, row.id);
    for (const placement of placements) {
      await tx.layerPlacement.upsert({
        where: { pathId_layer: { pathId: row.id, layer: placement.layer } },
        create: { ...placement, pathId: row.id },
        update: placement,
      });
    }
    for (const { model, history, ...price } of prices) {
      const priceData = {
        ...price,
        pathId: row.id,
        modelId: index.optional('model', model, `price ${price.slug}`),
      };
      const component = await tx.priceComponent.upsert({
        where: { slug: price.slug },
        create: priceData,
        update: priceData,
      });
      await seedPriceValues(tx, component.id, price, history);
    }
    for (const { model, ...fact } of capacity) {
      const factData = {
        ...fact,
        pathId: row.id,
        modelId: index.optional('model', model, `capacity ${fact.slug}`),
      };
      await tx.capacityFact.upsert({ where: { slug: fact.slug }, create: factData, update: factData });
    }
    rows += 1 + placements.length + prices.length + capacity.length;
  }
  return rows;
}

type SeedPrice = PathsFile['paths'][number]['prices'][number];

/**
 * Every figure in the seed files becomes a dated value, known from its own date (a public figure was
 * knowable when it was published). Values already present (same day and amount, e.g. from the
 * migration that began the history) are not added twice; values added since by people or imports
 * stay, and the component's columns are brought back to whichever value is in effect now.
 */
async function seedPriceValues(
  tx: Tx,
  componentId: string,
  price: Omit<SeedPrice, 'model' | 'history'>,
  history: SeedPrice['history'],
): Promise<void> {
  for (const figure of datedFigures({ ...price, history })) {
    const sameDay = await tx.priceValue.findFirst({
      where: { componentId, effectiveFrom: figure.asOf, amount: figure.amount },
    });
    if (sameDay) continue;
    await tx.priceValue.create({
      data: {
        componentId,
        ...priceValueColumns(figure),
        recordedBy: SEED_RECORDER,
        recordedAt: figure.asOf,
        fingerprint: `seed:${price.slug}@${figure.asOf.toISOString().slice(0, 10)}=${figure.amount}`,
      },
    });
  }
  await refreshCurrentValue(tx, componentId);
}

async function loadEvidence(tx: Tx, file: EvidenceFile, index: SlugIndex): Promise<number> {
  for (const { box, path, variant, decodeTokensPerSecond, note, ...result } of file.benchmarkResults) {
    const where = `benchmark result ${result.fingerprint}`;
    const data = {
      ...result,
      note,
      decodeTokensPerSecond,
      boxId: index.optional('box', box, where),
      pathId: index.optional('path', path, where),
      variantId: index.get('variant', variant, where),
      source: 'SEED' as const,
      profileKey: `concurrency=${result.concurrency}`,
      // Public single-stream measurements publish only the decode rate; the summary says so.
      summary: { kind: 'published-decode-rate', decodeTokensPerSecond, note },
    };
    await tx.benchmarkResult.upsert({
      where: { fingerprint: result.fingerprint },
      create: data,
      update: data,
    });
  }
  for (const set of file.questionSets) {
    const row = await tx.questionSet.upsert({ where: { slug: set.slug }, create: set, update: set });
    index.set('questionSet', set.slug, row.id);
  }
  for (const { variant, questionSet, path, ...evaluation } of file.qualityEvaluations) {
    const where = `quality evaluation ${evaluation.slug}`;
    const data = {
      ...evaluation,
      variantId: index.get('variant', variant, where),
      questionSetId: index.get('questionSet', questionSet, where),
      pathId: index.optional('path', path, where),
    };
    await tx.qualityEvaluation.upsert({ where: { slug: evaluation.slug }, create: data, update: data });
  }
  return file.benchmarkResults.length + file.questionSets.length + file.qualityEvaluations.length;
}

async function loadAccess(tx: Tx, file: AccessFile, index: SlugIndex): Promise<number> {
  for (const { vendor, servingPath, ...accessPath } of file.accessPaths) {
    const where = `access path ${accessPath.slug}`;
    const data = {
      ...accessPath,
      vendorId: index.get('vendor', vendor, where),
      servingPathId: index.optional('path', servingPath, where),
    };
    const row = await tx.accessPath.upsert({ where: { slug: accessPath.slug }, create: data, update: data });
    index.set('accessPath', accessPath.slug, row.id);
  }
  for (const { accessPath, ...attempt } of file.accessAttempts) {
    const data = {
      ...attempt,
      recordedBy: SEEDED_ATTEMPT,
      accessPathId: index.get('accessPath', accessPath, `access attempt ${attempt.slug}`),
    };
    await tx.accessAttempt.upsert({ where: { slug: attempt.slug }, create: data, update: data });
  }
  return file.accessPaths.length + file.accessAttempts.length;
}

async function loadLab(tx: Tx, file: LabFile, index: SlugIndex): Promise<number> {
  for (const { vendor, ...assessment } of file.vendorAssessments) {
    const data = { ...assessment, vendorId: index.get('vendor', vendor, `assessment ${assessment.slug}`) };
    await tx.vendorAssessment.upsert({ where: { slug: assessment.slug }, create: data, update: data });
  }
  for (const finding of file.findings) {
    const data = { ...finding, source: 'Lab report: Own the weights, or the platform owns you' };
    await tx.labFinding.upsert({ where: { slug: finding.slug }, create: data, update: data });
  }
  return file.vendorAssessments.length + file.findings.length;
}
