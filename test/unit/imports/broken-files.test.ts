import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/domain/imports/import-error';
import { parseResultFile } from '../../../src/domain/imports/parse-result-file';
import { readImportFixture } from './fixture-files';

function importErrorOf(fileName: string, content = readImportFixture(fileName)): ImportError {
  try {
    parseResultFile(fileName, content);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error(`${fileName} parsed but should not have`);
}

describe('files that must be refused, naming the file, the spot and the expectation', () => {
  it.each([
    ['broken-truncated.json', '', /valid JSON .*line \d+, column \d+/],
    ['broken-unknown-format.json', '', /vllm bench serve .* GuideLLM report/],
    ['broken-vllm-wrong-type.json', 'completed', /expected number, got string "ten"/],
    ['broken-vllm-negative-duration.json', 'duration', /expected > 0, got number -12.5/],
    ['broken-vllm-detailed-length-mismatch.json', 'ttfts', /expected 8 items/],
    [
      'broken-guidellm-wrong-type.json',
      'benchmarks[2].metrics.time_to_first_token_ms.successful.median',
      /expected number, got string "fast"/,
    ],
    ['broken-guidellm-negative-duration.json', 'benchmarks[1].end_time', /end_time after start_time/],
    ['broken-guidellm-metadata-version.yaml', 'metadata.version', /version 1 .* or 2/],
  ])('%s', (fileName, jsonPath, expected) => {
    const error = importErrorOf(fileName);
    expect(error.fileName).toBe(fileName);
    expect(error.jsonPath).toBe(jsonPath);
    expect(error.expected).toMatch(expected);
    expect(error.message).toContain(fileName);
  });

  it('quotes keys that are not identifiers in the path', () => {
    const source = JSON.parse(readImportFixture('vllm-new.json'));
    const error = importErrorOf('bad-key.json', JSON.stringify({ ...source, 'p99.9_ttft_ms': 'slow' }));
    expect(error.jsonPath).toBe('["p99.9_ttft_ms"]');
  });

  it('refuses an unknown GuideLLM strategy at its path', () => {
    const report = JSON.parse(readImportFixture('guidellm-v0.5.json'));
    report.benchmarks[0].config.strategy = { type_: 'replay' };
    const error = importErrorOf('replay.json', JSON.stringify(report));
    expect(error.jsonPath).toBe('benchmarks[0].config.strategy.type_');
    expect(error.expected).toContain('"replay"');
  });

  it('refuses a top level that is not an object, and YAML that does not parse', () => {
    expect(importErrorOf('list.json', '[1, 2]').expected).toMatch(/an object at the top/);
    expect(importErrorOf('bad.yaml', 'benchmarks: [\n  - a: 1\n  b').expected).toMatch(/valid YAML/);
  });
});
