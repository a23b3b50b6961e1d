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

  it('stores one run once across import formats: vLLM detailed and summary, GuideLLM 0.4 and 0.7', async () => {
    // A run of its own (another date), saved by vLLM with --save-detailed and without it: the
    // summary file is the detailed one without its per-request arrays.
    const detailed = JSON.parse(await readFile(fixture('vllm-detailed.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    detailed.date = '20260613-090000';
    const summary = Object.fromEntries(Object.entries(detailed).filter(([, value]) => !Array.isArray(value)));
    // GuideLLM 0.4's first benchmark replays the same requests as 0.7's first: written as the same
    // run (same start, end and model), the two reports describe one measurement.
    const v07 = JSON.parse(await readFile(fixture('guidellm-v0.7.json'), 'utf8')) as {
      config: { model: string };
      benchmarks: { start_time: number; end_time: number }[];
    };
    const v04 = JSON.parse(await readFile(fixture('guidellm-v0.4.json'), 'utf8')) as {
      args: { model: string };
      benchmarks: { start_time: number; end_time: number }[];
    };
    const [first07] = v07.benchmarks;
    const [first04] = v04.benchmarks;
    if (!first07 || !first04) throw new Error('fixtures without benchmarks');
    v04.args.model = v07.config.model;
    first04.start_time = first07.start_time;
    first04.end_time = first07.end_time;
    const target = { box: 'dgx-spark', variant: 'llama-3.1-8b-lora' };
    const before = await evidenceRowCounts(database.prisma);
    // One request per GuideLLM report (each is over half the API's body limit).
    const importFiles = async (files: { name: string; content: string }[]) => {
      const answer = await api.run<ImportData>(IMPORT, { input: { ...target, files } }, { as: 'OPERATOR' });
      expect(JSON.stringify(answer.body.errors)).toBeUndefined();
      return answer.body.data?.importBenchmarkResults ?? [];
    };
    const [vllmDetailed, vllmSummary] = await importFiles([
      { name: 'run-detailed.json', content: JSON.stringify(detailed) },
      { name: 'run-summary.json', content: JSON.stringify(summary) },
    ]);
    const [guide07] = await importFiles([{ name: 'report-v0.7.json', content: JSON.stringify(v07) }]);
    const [guide04] = await importFiles([{ name: 'report-v0.4.json', content: JSON.stringify(v04) }]);
    // vLLM: the summary file is the run already stored from the detailed file.
    expect(vllmSummary?.results[0]?.alreadyImported).toBe(true);
    expect(vllmSummary?.results[0]?.resultId).toBe(vllmDetailed?.results[0]?.resultId);
    expect(vllmSummary?.results[0]?.fingerprint).toBe(vllmDetailed?.results[0]?.fingerprint);
    // GuideLLM: 0.4's first benchmark is 0.7's first; its second benchmark is a run of its own.
    expect(guide04?.results.map((result) => result.alreadyImported)).toEqual([true, false]);
    expect(guide04?.results[0]?.resultId).toBe(guide07?.results[0]?.resultId);
    // Stored: 1 vLLM run + 3 benchmarks of 0.7 + the second benchmark of 0.4 = 5, not 8.
    const after = await evidenceRowCounts(database.prisma);
    expect(after.results - before.results).toBe(5);
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
