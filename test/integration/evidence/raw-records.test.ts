import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RAW_RECORDS_PER_CHUNK,
  type StorableSummary,
  storeBenchmarkResult,
} from '../../../src/app/evidence/store-result';
import { createTestDatabase, type TestDatabase } from '../../support/database';

const SUMMARY: StorableSummary = {
  profile: { kind: 'concurrency', maxConcurrency: 8 },
  outputThroughput: 400,
  meanDecodeTokensPerSecond: 50,
  ttftMs: { p95: 120, p99: 150 },
};

/** Records with everything JSON can carry awkwardly: long doubles, tiny and huge numbers, -0, non-finite numbers, unicode, nulls, nesting, Decimals and Dates. */
function awkwardRecords(count: number): unknown[] {
  return Array.from({ length: count }, (_, index) => ({
    status: index % 7 === 0 ? 'errored' : 'successful',
    startOffsetS: index === 0 ? -0 : index * 0.05 + 1 / 3,
    inputTokens: index % 11 === 0 ? null : 900 + index,
    ttftMs: index % 13 === 0 ? Number.NaN : 150.123456789 + index / 7,
    e2elMs: index % 17 === 0 ? Number.POSITIVE_INFINITY : 6200 + index * 1e-9,
    tiny: 5e-324 * (index + 1),
    huge: 1.7976931348623157e308 / (index + 1),
    big: 1e21 + index,
    interMessageGapsMs: index % 5 === 0 ? null : [28.1 + index / 3, 0.1 + 0.2, 1e-7, 123456789.12345679],
    error: index % 7 === 0 ? `Timeout “${index}” ✗ \\ "quoted"\n` : null,
    cost: new Decimal('0.000123456789012345678901234567'),
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
    nested: { b: [1, { c: null }], a: 'é' },
  }));
}

describe('raw per-request records', () => {
  let database: TestDatabase;
  let boxId: string;
  let variantId: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    boxId = (await database.prisma.box.findUniqueOrThrow({ where: { slug: 'dgx-spark' } })).id;
    variantId = (
      await database.prisma.modelVariant.findUniqueOrThrow({ where: { slug: 'llama-3.1-8b-lora' } })
    ).id;
  });
  afterAll(async () => {
    await database.drop();
  });

  const input = (fingerprint: string, rawRecords: unknown[] | null) => ({
    fingerprint,
    boxId,
    variantId,
    source: 'RUNNER' as const,
    sourceTool: 'test',
    summary: SUMMARY,
    measuredAt: new Date('2026-01-02T00:00:00Z'),
    rawRecords,
  });

  it('stores many records in pieces as exactly the value one Prisma create would have stored', async () => {
    const records = awkwardRecords(RAW_RECORDS_PER_CHUNK * 2 + 37);
    // JSON.stringify writes null for an undefined element of an array.
    records[5] = undefined;
    const { result } = await database.prisma.$transaction((tx) =>
      storeBenchmarkResult(tx, input('test:raw:pieces', records)),
    );
    // The reference: the same records as one Prisma Json value, on a second result.
    const { result: reference } = await database.prisma.$transaction((tx) =>
      storeBenchmarkResult(tx, input('test:raw:reference', null)),
    );
    await database.prisma.benchmarkRawData.create({
      data: {
        resultId: reference.id,
        records: JSON.parse(
          JSON.stringify(records, (_key, value: unknown) =>
            typeof value === 'number' && !Number.isFinite(value) ? null : value,
          ),
        ),
      },
    });
    const [comparison] = await database.prisma.$queryRaw<
      { sameValue: boolean; sameText: boolean; length: number }[]
    >`
      SELECT pieces.records = whole.records AS "sameValue",
             pieces.records::text = whole.records::text AS "sameText",
             jsonb_array_length(pieces.records) AS "length"
      FROM "BenchmarkRawData" pieces, "BenchmarkRawData" whole
      WHERE pieces."resultId" = ${result.id} AND whole."resultId" = ${reference.id}`;
    expect(comparison).toEqual({ sameValue: true, sameText: true, length: records.length });
    const stored = await database.prisma.benchmarkRawData.findUniqueOrThrow({
      where: { resultId: result.id },
    });
    const whole = await database.prisma.benchmarkRawData.findUniqueOrThrow({
      where: { resultId: reference.id },
    });
    expect(stored.records).toEqual(whole.records);
  });

  it('stores two results in pieces in one transaction, each with its own records', async () => {
    const first = awkwardRecords(RAW_RECORDS_PER_CHUNK + 1);
    const second = awkwardRecords(RAW_RECORDS_PER_CHUNK * 3).reverse();
    const ids = await database.prisma.$transaction(async (tx) => [
      (await storeBenchmarkResult(tx, input('test:raw:first', first))).result.id,
      (await storeBenchmarkResult(tx, input('test:raw:second', second))).result.id,
    ]);
    const rows = await database.prisma.benchmarkRawData.findMany({ where: { resultId: { in: ids } } });
    const byResult = new Map(rows.map((row) => [row.resultId, row.records]));
    const asJson = (records: unknown[]) =>
      JSON.parse(
        JSON.stringify(records, (_key, value: unknown) =>
          typeof value === 'number' && !Number.isFinite(value) ? null : value,
        ),
      );
    expect(byResult.get(ids[0] as string)).toEqual(asJson(first));
    expect(byResult.get(ids[1] as string)).toEqual(asJson(second));
  });

  it('leaves nothing behind when the transaction fails after the pieces were sent', async () => {
    const before = await database.prisma.benchmarkRawData.count();
    await expect(
      database.prisma.$transaction(async (tx) => {
        await storeBenchmarkResult(
          tx,
          input('test:raw:rolled-back', awkwardRecords(RAW_RECORDS_PER_CHUNK * 2)),
        );
        throw new Error('a later file of the batch is refused');
      }),
    ).rejects.toThrow('a later file of the batch is refused');
    expect(await database.prisma.benchmarkRawData.count()).toBe(before);
    expect(
      await database.prisma.benchmarkResult.count({ where: { fingerprint: 'test:raw:rolled-back' } }),
    ).toBe(0);
    const [leftover] = await database.prisma.$queryRaw<{ present: boolean }[]>`
      SELECT to_regclass('pg_temp.floorplan_raw_record_chunks') IS NOT NULL AS present`;
    expect(leftover?.present).toBe(false);
  });
});
