import { describe, expect, it } from 'vitest';
import { parseBenchmarkRunSpec } from '../../../src/domain/run-spec';

const valid = {
  endpointKind: 'chat',
  model: 'llama-3.1-8b',
  profile: { kind: 'concurrency', levels: [1, 8, 32] },
  numPrompts: 100,
  inputTokens: 1024,
  outputTokens: 128,
};

function errorsFor(spec: unknown): string[] {
  const result = parseBenchmarkRunSpec(spec);
  return result.success ? [] : result.errors;
}

describe('benchmark run spec', () => {
  it('accepts a valid spec and fills documented defaults', () => {
    const result = parseBenchmarkRunSpec(valid);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.spec.warmupRequests).toBe(1);
    expect(result.spec.dataset).toEqual({ kind: 'synthetic' });
    expect(result.spec.ignoreEos).toBe(true);
    const rate = parseBenchmarkRunSpec({ ...valid, profile: { kind: 'rate', requestsPerSecond: 'inf' } });
    expect(rate.success && rate.spec.profile).toEqual({
      kind: 'rate',
      requestsPerSecond: 'inf',
      burstiness: 1,
      maxConcurrency: null,
    });
  });

  it('names the field of every error', () => {
    expect(errorsFor({ ...valid, profile: { kind: 'concurrency', levels: [1, 0, 2.5] } })).toEqual([
      'profile.levels[1]: must be at least 1',
      'profile.levels[2]: must be a whole number',
    ]);
    expect(errorsFor({ ...valid, numPrompts: -1, outputTokens: '128' })).toEqual([
      'numPrompts: must be at least 1',
      'outputTokens: must be a whole number',
    ]);
    expect(errorsFor({ ...valid, profile: { kind: 'rate', requestsPerSecond: 0, burstiness: -1 } })).toEqual([
      'profile.requestsPerSecond: must be greater than 0 requests per second',
      'profile.burstiness: must be greater than 0',
    ]);
    expect(errorsFor({ ...valid, profile: { kind: 'poisson' } })).toEqual([
      'profile.kind: must be "concurrency", "rate", "sweep" or "slo-search"',
    ]);
    expect(errorsFor({ ...valid, endpointKind: 'embeddings', model: ' ' })).toEqual([
      'endpointKind: must be "completions" or "chat"',
      'model: must not be empty',
    ]);
    expect(errorsFor({ ...valid, slos: { ttftMs: 0 } })).toEqual(['slos.ttftMs: must be greater than 0']);
    expect(errorsFor({ ...valid, dataset: { kind: 'jsonl' } })).toEqual(['dataset.path: must name a file']);
  });

  it('refuses unknown fields, so a misspelling cannot silently fall back to a default', () => {
    expect(errorsFor({ ...valid, numPrompt: 10 })).toEqual(['run spec: unknown field "numPrompt"']);
    expect(errorsFor({ ...valid, profile: { kind: 'concurrency', levels: [1], rate: 3 } })).toEqual([
      'profile: unknown field "rate"',
    ]);
    expect(errorsFor(null)[0]).toMatch(/^run spec: /);
  });
});
