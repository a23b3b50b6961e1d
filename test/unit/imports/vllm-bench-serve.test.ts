import { describe, expect, it } from 'vitest';
import { replacePythonNonFiniteLiterals } from '../../../src/domain/imports/decode-document';
import { parseResultFile } from '../../../src/domain/imports/parse-result-file';
import { readImportFixture } from './fixture-files';

function parseSingle(name: string) {
  const parsed = parseResultFile(name, readImportFixture(name));
  expect(parsed.format).toBe('vllm-bench-serve');
  expect(parsed.results).toHaveLength(1);
  return parsed.results[0] as NonNullable<(typeof parsed.results)[0]>;
}

describe('vllm bench serve --save-result (newer layout)', () => {
  const source = JSON.parse(readImportFixture('vllm-new.json')) as Record<string, number>;
  const result = parseSingle('vllm-new.json');

  it('maps rate inf with max concurrency onto a fixed-concurrency profile', () => {
    expect(result.summary.profile).toEqual({ kind: 'concurrency', maxConcurrency: 4 });
  });

  it('keeps vLLM numbers as they are (same names, same units) including p99.9 keys', () => {
    expect(result.summary.ttftMs).toEqual({
      mean: source.mean_ttft_ms,
      median: source.median_ttft_ms,
      std: source.std_ttft_ms,
      p50: source.p50_ttft_ms,
      p90: source.p90_ttft_ms,
      p95: source.p95_ttft_ms,
      p99: source.p99_ttft_ms,
      p999: source['p99.9_ttft_ms'],
    });
    expect(result.summary.e2elMs?.p999).toBe(source['p99.9_e2el_ms']);
    expect(result.summary.requestGoodput).toBe(3.1);
    expect(result.summary.meanDecodeTokensPerSecond).toBeCloseTo(1000 / (source.mean_tpot_ms as number), 9);
    expect(result.mapping.derivedFields).toEqual([]);
  });

  it('reads the zone-less finish date as UTC and backs the duration out of it', () => {
    expect(result.startedAt?.getTime()).toBe(
      Date.UTC(2026, 5, 11, 14, 35, 2) - Math.round((source.duration as number) * 1000),
    );
  });

  it('keeps --metadata keys and extra numbers, and reports what it did with every key', () => {
    expect(result.modelId).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(result.sourceMetadata).toMatchObject({
      tensor_parallel_size: '1',
      box: 'spark-01',
      backend: 'openai-chat',
    });
    expect(result.extraMetrics).toMatchObject({
      max_output_tokens_per_s: 88,
      max_concurrent_requests: 4,
      num_prompts: 40,
    });
    const reported = new Set([
      ...result.mapping.mappedKeys,
      ...result.mapping.keptAsExtraKeys,
      ...result.mapping.ignoredKeys,
    ]);
    expect([...reported].sort()).toEqual(Object.keys(source).sort());
    expect(result.requests).toBeNull();
  });

  it('gives the same fingerprint for the same content regardless of formatting, and another for other content', () => {
    const compact = JSON.stringify(JSON.parse(readImportFixture('vllm-new.json')));
    expect(parseResultFile('copy.json', compact).results[0]?.fingerprint).toBe(result.fingerprint);
    expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const changed = JSON.stringify({ ...source, completed: 39 });
    expect(parseResultFile('changed.json', changed).results[0]?.fingerprint).not.toBe(result.fingerprint);
  });
});

describe('vllm bench serve --save-result (older layout)', () => {
  const result = parseSingle('vllm-old.json');

  it('accepts the old "request_goodput:" key with its trailing colon', () => {
    expect(result.mapping.mappedKeys).toContain('request_goodput:');
    expect(result.summary.requestGoodput).toBeNull();
  });

  it('leaves percentiles the file never wrote empty instead of inventing them', () => {
    expect(result.summary.ttftMs?.p99).toBeGreaterThan(0);
    expect(result.summary.ttftMs?.p90).toBeNull();
    expect(result.summary.ttftMs?.p999).toBeNull();
    expect(result.summary.e2elMs).toBeNull();
  });

  it('derives what is missing from what is there and says so', () => {
    expect(result.summary.failed).toBe(0);
    expect(result.mapping.derivedFields).toContain('failed (from num_prompts − completed)');
    expect(result.summary.profile).toEqual({
      kind: 'rate',
      requestsPerSecond: 'inf',
      burstiness: 1,
      maxConcurrency: null,
    });
    expect(result.sourceMetadata).toMatchObject({ best_of: 1, use_beam_search: false });
  });
});

describe('vllm bench serve --save-detailed', () => {
  const source = JSON.parse(readImportFixture('vllm-detailed.json')) as {
    ttfts: number[];
    itls: number[][];
    latencies: number[];
    start_times: number[];
    output_lens: number[];
    errors: string[];
    p99_ttft_ms: number;
  };
  const result = parseSingle('vllm-detailed.json');

  it('keeps per-request data converted from seconds to milliseconds, with start offsets', () => {
    expect(result.reportFormat).toBe('vllm-save-result-detailed');
    expect(result.requests).toHaveLength(source.ttfts.length);
    const first = result.requests?.[0];
    expect(first?.ttftMs).toBeCloseTo((source.ttfts[0] as number) * 1000, 9);
    expect(first?.interMessageGapsMs?.[0]).toBeCloseTo((source.itls[0]?.[0] as number) * 1000, 9);
    expect(first?.startOffsetS).toBe(0);
    expect(result.requests?.[1]?.startOffsetS).toBeCloseTo(
      (source.start_times[1] as number) - (source.start_times[0] as number),
      9,
    );
    const failed = result.requests?.filter((request) => request.status === 'errored') ?? [];
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toBe('Bad Gateway');
  });

  it('fills percentiles the file lacks from the raw samples of successful requests only, and lists them', () => {
    const successfulTtftsMs = source.ttfts
      .filter((_, index) => source.errors[index] === '')
      .map((ttft) => ttft * 1000);
    const sorted = successfulTtftsMs.sort((left, right) => left - right);
    const position = 0.9 * (sorted.length - 1);
    const lower = sorted[Math.floor(position)] as number;
    const upper = sorted[Math.ceil(position)] as number;
    expect(result.summary.ttftMs?.p90).toBeCloseTo(
      lower + (upper - lower) * (position - Math.floor(position)),
      9,
    );
    expect(result.summary.ttftMs?.p99).toBe(source.p99_ttft_ms);
    expect(result.mapping.derivedFields).toContain('ttftMs.p90 (from ttfts)');
    expect(result.mapping.derivedFields).not.toContain('ttftMs.p99 (from ttfts)');
    // The reported means agree with the recomputed ones, so there is no mismatch warning.
    expect(result.summary.warnings.filter((warning) => warning.includes('differs'))).toEqual([]);
    expect(result.summary.profile).toEqual({
      kind: 'rate',
      requestsPerSecond: 2,
      burstiness: 1,
      maxConcurrency: null,
    });
  });

  it('flags a reported mean that the raw data contradicts', () => {
    const tampered = { ...JSON.parse(readImportFixture('vllm-detailed.json')), mean_ttft_ms: 500 };
    const parsed = parseResultFile('tampered.json', JSON.stringify(tampered)).results[0];
    expect(
      parsed?.summary.warnings.some((warning) => warning.startsWith('ttftMs: reported mean 500.000 differs')),
    ).toBe(true);
  });
});

describe('Python NaN in vLLM files', () => {
  it('reads NaN statistics of a run where everything failed as not reported', () => {
    const result = parseSingle('vllm-all-failed-nan.json');
    expect(result.summary.completed).toBe(0);
    expect(result.summary.failed).toBe(4);
    expect(result.summary.ttftMs).toBeNull();
    expect(result.summary.meanDecodeTokensPerSecond).toBeNull();
    expect(result.sourceMetadata.label).toBe('NaN in a string stays');
  });

  it('replaces bare NaN and Infinity but never inside strings', () => {
    expect(
      replacePythonNonFiniteLiterals('{"a": NaN, "b": -Infinity, "c": "NaN \\" Infinity", "d": [Infinity]}'),
    ).toBe('{"a": null, "b": null, "c": "NaN \\" Infinity", "d": [null]}');
  });
});
