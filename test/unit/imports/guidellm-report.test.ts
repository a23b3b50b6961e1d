import { describe, expect, it } from 'vitest';
import { UNIFORM_ARRIVALS_BURSTINESS } from '../../../src/domain/imports/guidellm-report';
import { parseResultFile } from '../../../src/domain/imports/parse-result-file';
import { readImportFixture } from './fixture-files';

interface SourceDistribution {
  mean: number;
  median: number;
  std_dev: number;
  total_sum: number;
  percentiles: Record<string, number>;
}
interface SourceBenchmark {
  duration: number;
  start_time: number;
  metrics: Record<string, { successful: SourceDistribution }>;
}

function sourceBenchmarks(name: string): SourceBenchmark[] {
  return (JSON.parse(readImportFixture(name)) as { benchmarks: SourceBenchmark[] }).benchmarks;
}

describe.each([
  ['guidellm-v0.3.json', 'guidellm-report-v0.3', null, 'meta-llama/Llama-3.1-8B-Instruct', 2],
  ['guidellm-v0.4.json', 'guidellm-report-v0.4', null, 'meta-llama/Llama-3.1-8B-Instruct', 2],
  ['guidellm-v0.5.json', 'guidellm-report-v0.5', '0.5.2', 'meta-llama/Llama-3.1-8B-Instruct', 2],
  ['guidellm-v0.7.json', 'guidellm-report-v0.7', '0.7.1', 'google/gemma-4-26b-a4b-it', 3],
])('GuideLLM report %s', (fileName, reportFormat, version, modelId, benchmarkCount) => {
  const parsed = parseResultFile(fileName, readImportFixture(fileName));
  const sources = sourceBenchmarks(fileName);

  it('turns every benchmark into one result with its own fingerprint', () => {
    expect(parsed.format).toBe('guidellm');
    expect(parsed.results).toHaveLength(benchmarkCount);
    expect(new Set(parsed.results.map((result) => result.fingerprint)).size).toBe(benchmarkCount);
    for (const result of parsed.results) {
      expect(result.reportFormat).toBe(reportFormat);
      expect(result.sourceToolVersion).toBe(version);
      expect(result.modelId).toBe(modelId);
    }
  });

  it('maps GuideLLM "ITL" to our TPOT, keeps its TTFT-including "TPOT" only as an extra, and leaves ITL empty', () => {
    for (const [index, result] of parsed.results.entries()) {
      const source = sources[index] as SourceBenchmark;
      const guideItl = source.metrics.inter_token_latency_ms?.successful as SourceDistribution;
      const guideTpot = source.metrics.time_per_output_token_ms?.successful as SourceDistribution;
      expect(result.summary.tpotMs?.mean).toBe(guideItl.mean);
      expect(result.summary.tpotMs?.p999).toBe(guideItl.percentiles.p999);
      expect(result.summary.itlMs).toBeNull();
      expect(result.extraMetrics['guidellm.tpot_including_ttft_ms.mean']).toBe(guideTpot.mean);
      expect(guideTpot.mean).toBeGreaterThan(guideItl.mean);
      expect(result.summary.meanDecodeTokensPerSecond).toBeCloseTo(1000 / guideItl.mean, 9);
    }
  });

  it('converts request latency from seconds to E2EL milliseconds and throughput from totals over duration', () => {
    for (const [index, result] of parsed.results.entries()) {
      const source = sources[index] as SourceBenchmark;
      const latency = source.metrics.request_latency?.successful as SourceDistribution;
      expect(result.summary.e2elMs?.median).toBeCloseTo(latency.median * 1000, 9);
      expect(result.summary.ttftMs?.p95).toBe(
        source.metrics.time_to_first_token_ms?.successful.percentiles.p95,
      );
      const outputTokens = source.metrics.output_token_count?.successful.total_sum as number;
      expect(result.summary.outputThroughput).toBeCloseTo(outputTokens / source.duration, 9);
      expect(result.startedAt?.getTime()).toBe(Math.round(source.start_time * 1000));
      expect(result.requests?.length).toBe(result.summary.completed + result.summary.failed);
    }
  });
});

describe('GuideLLM strategies onto load profiles', () => {
  it('maps synchronous, concurrent, poisson, throughput and constant', () => {
    const profiles = (name: string) =>
      parseResultFile(name, readImportFixture(name)).results.map((result) => result.summary.profile);
    expect(profiles('guidellm-v0.3.json')).toEqual([
      { kind: 'concurrency', maxConcurrency: 1 },
      { kind: 'concurrency', maxConcurrency: 4 },
    ]);
    expect(profiles('guidellm-v0.4.json')[1]).toEqual({
      kind: 'rate',
      requestsPerSecond: 1.5,
      burstiness: 1,
      maxConcurrency: null,
    });
    expect(profiles('guidellm-v0.7.json').slice(1)).toEqual([
      { kind: 'rate', requestsPerSecond: 'inf', burstiness: 1, maxConcurrency: null },
      { kind: 'rate', requestsPerSecond: 2.5, burstiness: UNIFORM_ARRIVALS_BURSTINESS, maxConcurrency: null },
    ]);
  });

  it('counts errored requests as failed and reports the ignored keys', () => {
    const result = parseResultFile('guidellm-v0.5.json', readImportFixture('guidellm-v0.5.json')).results[1];
    expect(result?.summary.failed).toBe(1);
    expect(result?.requests?.find((request) => request.status === 'errored')?.error).toBe(
      'HTTP 502 Bad Gateway',
    );
    expect(result?.mapping.ignoredKeys).toContain('metrics.text');
    expect(result?.mapping.keptAsExtraKeys).toContain('metrics.time_per_output_token_ms');
  });
});

describe('GuideLLM YAML', () => {
  it('parses to the same results and the same fingerprints as the JSON copy', () => {
    const fromYaml = parseResultFile('guidellm-v0.7.yaml', readImportFixture('guidellm-v0.7.yaml'));
    const fromJson = parseResultFile('guidellm-v0.7.json', readImportFixture('guidellm-v0.7.json'));
    expect(fromYaml.results.map((result) => result.summary)).toEqual(
      fromJson.results.map((result) => result.summary),
    );
    expect(fromYaml.results.map((result) => result.fingerprint)).toEqual(
      fromJson.results.map((result) => result.fingerprint),
    );
  });
});
