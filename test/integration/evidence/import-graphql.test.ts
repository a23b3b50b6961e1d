import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';
import { evidenceRowCounts, fixture } from './helpers';

const IMPORT = /* GraphQL */ `
  mutation Import($input: ImportBenchmarkResultsInput!) {
    importBenchmarkResults(input: $input) {
      fileName
      format
      results { index fingerprint resultId alreadyImported profileKey mappedKeys ignoredKeys warnings regressionVerdict }
    }
  }
`;

interface ImportData {
  importBenchmarkResults: {
    fileName: string;
    format: string;
    results: {
      fingerprint: string;
      resultId: string;
      alreadyImported: boolean;
      mappedKeys: string[];
      ignoredKeys: string[];
      warnings: string[];
      regressionVerdict: string | null;
    }[];
  }[];
}

async function fileInput(name: string) {
  return { name, content: await readFile(fixture(name), 'utf8') };
}

describe('importBenchmarkResults', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('imports a vLLM and a GuideLLM file with per-file reports, then the same files again as already imported', async () => {
    const input = {
      box: 'dgx-spark',
      variant: 'llama-3.1-8b-instruct-base',
      files: [await fileInput('vllm-detailed.json'), await fileInput('guidellm-v0.4.json')],
    };
    const before = await evidenceRowCounts(database.prisma);
    const first = await api.run<ImportData>(IMPORT, { input }, { as: 'OPERATOR' });
    expect(first.body.errors).toBeUndefined();
    const reports = first.body.data?.importBenchmarkResults ?? [];
    expect(reports.map((report) => [report.fileName, report.format])).toEqual([
      ['vllm-detailed.json', 'vllm-bench-serve'],
      ['guidellm-v0.4.json', 'guidellm'],
    ]);
    const results = reports.flatMap((report) => report.results);
    expect(results.every((result) => !result.alreadyImported)).toBe(true);
    expect(results[0]?.mappedKeys).toContain('mean_ttft_ms');
    expect(results[0]?.regressionVerdict).toBe('NOT_ENOUGH_HISTORY');
    const afterFirst = await evidenceRowCounts(database.prisma);
    expect(afterFirst.results - before.results).toBe(results.length);
    expect(afterFirst.audits - before.audits).toBe(results.length);

    const audit = await database.prisma.auditEvent.findFirstOrThrow({
      where: { entityType: 'BenchmarkResult', entityId: results[0]?.resultId },
    });
    expect(audit.action).toBe('benchmark-result.import');
    expect(audit.actor).toMatch(/^token:test-operator-/);

    const second = await api.run<ImportData>(IMPORT, { input }, { as: 'OPERATOR' });
    expect(second.body.errors).toBeUndefined();
    const again = second.body.data?.importBenchmarkResults.flatMap((report) => report.results) ?? [];
    expect(again.map((result) => result.alreadyImported)).toEqual(results.map(() => true));
    expect(again.map((result) => result.resultId)).toEqual(results.map((result) => result.resultId));
    expect(await evidenceRowCounts(database.prisma)).toEqual(afterFirst);
  });

  it('refuses the whole batch when a file is broken, naming the file, path and expectation', async () => {
    const before = await evidenceRowCounts(database.prisma);
    const { body } = await api.run<ImportData>(
      IMPORT,
      {
        input: {
          box: 'dgx-spark',
          variant: 'llama-3.1-8b-lora',
          files: [await fileInput('vllm-new.json'), await fileInput('broken-vllm-negative-duration.json')],
        },
      },
      { as: 'OPERATOR' },
    );
    expect(body.data).toBeNull();
    const error = body.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(
      /^Nothing was imported: input\.files\[1\]: broken-vllm-negative-duration\.json: at duration: /,
    );
    expect(await evidenceRowCounts(database.prisma)).toEqual(before);
  });

  it('bounds the batch: at most 10 files', async () => {
    const file = await fileInput('vllm-old.json');
    const { body } = await api.run(
      IMPORT,
      {
        input: {
          box: 'dgx-spark',
          variant: 'llama-3.1-8b-lora',
          files: Array.from({ length: 11 }, () => file),
        },
      },
      { as: 'OPERATOR' },
    );
    expect(body.errors?.[0]?.message).toContain('input.files: at most 10 files per request');
  });

  it('answers an unknown variant with NOT_FOUND listing the known ones', async () => {
    const { body } = await api.run(
      IMPORT,
      { input: { box: 'dgx-spark', variant: 'nope', files: [await fileInput('vllm-old.json')] } },
      { as: 'OPERATOR' },
    );
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(body.errors?.[0]?.message).toMatch(
      /No model variant "nope"\. Known model variant slugs: .*llama-3\.1-8b-lora/,
    );
  });

  it('refuses viewers and anonymous callers', async () => {
    const input = {
      box: 'dgx-spark',
      variant: 'llama-3.1-8b-lora',
      files: [await fileInput('vllm-old.json')],
    };
    const before = await evidenceRowCounts(database.prisma);
    for (const as of ['VIEWER', 'ANONYMOUS', 'RUNNER'] as const) {
      const { body } = await api.run(IMPORT, { input }, { as });
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await evidenceRowCounts(database.prisma)).toEqual(before);
  });
});
