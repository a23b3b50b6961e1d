import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { evidenceRowCounts, fixture, runImport } from './helpers';

const TARGET = ['--box', 'dgx-spark', '--variant', 'llama-3.1-8b-lora'];

describe('floorplan import', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it.each([
    ['vllm-new.json', 1, false],
    ['vllm-old.json', 1, false],
    ['vllm-detailed.json', 1, true],
    ['guidellm-v0.3.json', null, true],
    ['guidellm-v0.5.json', null, true],
    ['guidellm-v0.7.yaml', null, true],
  ] as const)('stores %s with its columns, summary and raw data', async (name, expectedResults, hasRaw) => {
    const before = await evidenceRowCounts(database.prisma);
    const run = await runImport(database, [fixture(name), ...TARGET]);
    expect(run.stderr).not.toMatch(/Nothing was imported/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Stored \d+ new result\(s\) for dgx-spark \/ llama-3.1-8b-lora; 0 already imported/,
    );
    expect(run.stdout).toMatch(/mapped \d+ keys/);

    const after = await evidenceRowCounts(database.prisma);
    const stored = after.results - before.results;
    if (expectedResults !== null) expect(stored).toBe(expectedResults);
    else expect(stored).toBeGreaterThan(0);
    expect(after.audits - before.audits).toBe(stored);
    if (hasRaw) expect(after.rawData - before.rawData).toBe(stored);
    else expect(after.rawData).toBe(before.rawData);

    const rows = await database.prisma.benchmarkResult.findMany({
      where: { source: 'IMPORT', summary: { path: ['importedFrom', 'fileName'], string_ends_with: name } },
      include: { box: true, variant: true },
    });
    expect(rows).toHaveLength(stored);
    for (const row of rows) {
      expect(row.box?.slug).toBe('dgx-spark');
      expect(row.variant.slug).toBe('llama-3.1-8b-lora');
      expect(row.profileKey).toMatch(/^(concurrency=\d+|rate=[^,]+,burstiness=[^,]+(,max=\d+)?)$/);
      expect(row.outputTokensPerSecond).toBeGreaterThan(0);
      expect(row.regression).toMatchObject({ verdict: expect.any(String) });
    }
  });

  it('fills decode tok/s as 1000 / mean TPOT and the TTFT percentiles from the summary', async () => {
    const row = await database.prisma.benchmarkResult.findFirstOrThrow({
      where: { summary: { path: ['importedFrom', 'fileName'], string_ends_with: 'vllm-new.json' } },
    });
    // vllm-new.json: mean_tpot_ms 48.9635, p95/p99 TTFT 108.2818 / 109.0978, max_concurrency 4, request_rate inf.
    expect(row.decodeTokensPerSecond).toBeCloseTo(1000 / 48.9635, 6);
    expect(row.ttftP95Ms).toBeCloseTo(108.2818, 6);
    expect(row.ttftP99Ms).toBeCloseTo(109.0978, 6);
    // rate inf with a cap is a fixed-concurrency run, filed with the runner's concurrency results.
    expect(row.profileKey).toBe('concurrency=4');
    expect(row.quantization).toBe('FP8');
    expect(row.bytesPerParam?.toString()).toBe('1');
  });

  it('imports the same file twice as one result, saying it was already imported', async () => {
    const first = await runImport(database, [fixture('vllm-all-failed-nan.json'), ...TARGET]);
    expect(first.code).toBe(0);
    const before = await evidenceRowCounts(database.prisma);
    const second = await runImport(database, [fixture('vllm-all-failed-nan.json'), ...TARGET]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Stored 0 new result\(s\) .*; 1 already imported/);
    expect(second.stdout).toContain('already imported (id');
    expect(await evidenceRowCounts(database.prisma)).toEqual(before);
  });

  it('stores nothing when one file of the batch is broken, and names the file, path and expectation', async () => {
    const before = await evidenceRowCounts(database.prisma);
    const run = await runImport(database, [
      fixture('guidellm-v0.4.json'),
      fixture('broken-vllm-wrong-type.json'),
      ...TARGET,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Nothing was imported');
    expect(run.stderr).toContain('broken-vllm-wrong-type.json');
    expect(run.stderr).toMatch(/ {2}at [\w.[\]"]+: \S/);
    expect(await evidenceRowCounts(database.prisma)).toEqual(before);
  });

  it('refuses an unknown box or variant, listing the known slugs, and stores nothing', async () => {
    const before = await evidenceRowCounts(database.prisma);
    const unknownBox = await runImport(database, [
      fixture('guidellm-v0.4.json'),
      '--box',
      'dgx-sparky',
      '--variant',
      'llama-3.1-8b-lora',
    ]);
    expect(unknownBox.code).toBe(1);
    expect(unknownBox.stderr).toContain('No box "dgx-sparky". Known box slugs: dgx-spark');
    const unknownVariant = await runImport(database, [
      fixture('guidellm-v0.4.json'),
      '--box',
      'dgx-spark',
      '--variant',
      'llama-9b',
    ]);
    expect(unknownVariant.code).toBe(1);
    expect(unknownVariant.stderr).toMatch(
      /No model variant "llama-9b"\. Known model variant slugs: .*llama-3\.1-8b-lora/,
    );
    expect(await evidenceRowCounts(database.prisma)).toEqual(before);
  });

  it('requires --box and --variant (exit 2, usage)', async () => {
    const run = await runImport(database, [fixture('vllm-new.json'), '--box', 'dgx-spark']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--variant is required');
    expect(run.stderr).toContain('usage: floorplan import');
  });
});
