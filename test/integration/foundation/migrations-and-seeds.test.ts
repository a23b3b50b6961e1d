import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../src/db/migrate';
import { readSeedFiles, seedDatabase } from '../../../src/db/seed/load';
import { createTestDatabase, type TestDatabase } from '../../support/database';

describe('migrations and seeds on an empty database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false, seed: false });
  });
  afterAll(async () => {
    await database.drop();
  });

  it('applies every migration once, then finds nothing left to apply', async () => {
    const first = await applyMigrations(database.adapterFactory);
    expect(first.length).toBeGreaterThan(0);
    expect(await applyMigrations(database.adapterFactory)).toEqual([]);
    const recorded = await database.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
    expect(recorded.map((row) => row.migration_name)).toEqual(first);
  });

  it('leaves a failed migration to the schema engine, which refuses to go on', async () => {
    // "Nothing to apply" is decided without the engine; a failed row must still reach it.
    const [last] = await database.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`;
    const id = last?.id as string;
    await database.prisma.$executeRaw`UPDATE _prisma_migrations SET finished_at = NULL WHERE id = ${id}`;
    try {
      await expect(applyMigrations(database.adapterFactory)).rejects.toThrow(/failed migrations/);
    } finally {
      await database.prisma
        .$executeRaw`UPDATE _prisma_migrations SET finished_at = started_at WHERE id = ${id}`;
    }
    expect(await applyMigrations(database.adapterFactory)).toEqual([]);
  });

  it('loads the seeds twice without duplicating a row', async () => {
    await seedDatabase(database.prisma);
    const counts = async () => ({
      paths: await database.prisma.servingPath.count(),
      prices: await database.prisma.priceComponent.count(),
      placements: await database.prisma.layerPlacement.count(),
      results: await database.prisma.benchmarkResult.count(),
      evaluations: await database.prisma.qualityEvaluation.count(),
      attempts: await database.prisma.accessAttempt.count(),
      findings: await database.prisma.labFinding.count(),
    });
    const afterFirst = await counts();
    await seedDatabase(database.prisma);
    expect(await counts()).toEqual(afterFirst);
    expect(afterFirst.placements).toBe(afterFirst.paths * 3);
  });

  it('holds the stable slugs the product relies on', async () => {
    const paths = (await database.prisma.servingPath.findMany({ select: { slug: true } })).map(
      (path) => path.slug,
    );
    for (const slug of [
      'dgx-spark',
      'bedrock-pt',
      'bedrock-cmi',
      'bedrock-fine-tune',
      'bedrock-on-demand',
      'ec2-capacity-block',
      'neocloud-gpu',
    ]) {
      expect(paths).toContain(slug);
    }
    expect(await database.prisma.box.findUnique({ where: { slug: 'dgx-spark' } })).not.toBeNull();
    for (const slug of ['llama-3.1-8b-instruct', 'llama-3.1-70b-instruct', 'moe-26b-a4b']) {
      expect(await database.prisma.model.findUnique({ where: { slug } })).not.toBeNull();
    }
    const moe = await database.prisma.model.findUniqueOrThrow({ where: { slug: 'moe-26b-a4b' } });
    expect(moe.isMoe).toBe(true);
    expect(moe.activeParamsB.toNumber()).toBeLessThan(moe.totalParamsB.toNumber() / 5);
  });

  it("carries the lab's findings as evidence rows", async () => {
    const evaluations = await database.prisma.qualityEvaluation.findMany({ include: { variant: true } });
    const rates = evaluations.map((evaluation) => evaluation.accepted / evaluation.total);
    expect(Math.min(...rates)).toBeCloseTo(0.233, 2);
    const lora = evaluations.find((evaluation) => evaluation.variant.slug === 'llama-3.1-8b-lora');
    expect(lora && lora.accepted / lora.total).toBeCloseTo(0.7, 5);
    expect(lora?.variant.trainingMinutes).toBe(35);
    const blocked = await database.prisma.fineTuneFeasibility.findUniqueOrThrow({
      where: { slug: 'moe-26b-a4b-stable-stack' },
    });
    expect(blocked.trainable).toBe('BLOCKED');
    expect(blocked.servable).toBe(true);
    const results = await database.prisma.benchmarkResult.findMany({ include: { variant: true } });
    const decode = (variant: string) =>
      results.find((result) => result.variant.slug === variant && result.quantization !== 'NVFP4')
        ?.decodeTokensPerSecond;
    expect((decode('moe-26b-a4b-base') ?? 0) / (decode('llama-3.1-8b-instruct-base') ?? 1)).toBeCloseTo(
      1.6,
      1,
    );
    const fineTunedOnBedrock = await database.prisma.modelVariant.findUniqueOrThrow({
      where: { slug: 'llama-3.1-8b-bedrock-fine-tune' },
    });
    expect(fineTunedOnBedrock.weightsExportable).toBe(false);
    const neocloud = await database.prisma.accessAttempt.findUniqueOrThrow({
      where: { slug: 'lab-neocloud-request' },
    });
    expect(neocloud.outcome).toBe('NO_ANSWER');
  });

  it('gives every seeded price a source, an as-of date and a confidence', async () => {
    const prices = await database.prisma.priceComponent.findMany();
    expect(prices.length).toBeGreaterThanOrEqual(15);
    for (const price of prices) {
      expect(price.source.length, price.slug).toBeGreaterThan(3);
      expect(price.asOf.getTime(), price.slug).toBeLessThanOrEqual(Date.now());
      expect(['C', 'S', 'U'], price.slug).toContain(price.confidence);
    }
    const byslug = Object.fromEntries(prices.map((price) => [price.slug, price]));
    expect(byslug['bedrock-cmi-cmu-minute']?.amount.toString()).toBe('0.0785');
    expect(byslug['bedrock-cmi-cmu-minute-third-party']?.confidence).toBe('U');
    expect(byslug['bedrock-pt-mu-hour-no-commit']?.amount.mul(730).toString()).toBe('17155');
  });
});

describe('seed file validation', () => {
  it('reads and validates every seed file', async () => {
    const files = await readSeedFiles();
    expect(files.paths.paths.length).toBeGreaterThanOrEqual(7);
  });
});
