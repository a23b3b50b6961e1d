import {
  type BenchmarkRunSpec,
  type BenchmarkRunSpecInput,
  parseBenchmarkRunSpec,
} from '../../../src/domain/run-spec';
import type { FakeRequestLog } from '../../fakes/openai-server';

export function runSpec(overrides: Partial<BenchmarkRunSpecInput> = {}): BenchmarkRunSpec {
  const parsed = parseBenchmarkRunSpec({
    endpointKind: 'completions',
    model: 'fake-model',
    profile: { kind: 'concurrency', levels: [4] },
    numPrompts: 12,
    inputTokens: 32,
    outputTokens: 16,
    warmupRequests: 0,
    ...overrides,
  });
  if (!parsed.success) throw new Error(parsed.errors.join('\n'));
  return parsed.spec;
}

/**
 * What the fake actually wrote, read with vLLM's definitions: what a perfect client would measure.
 * Tests compare with the emit times rather than the schedule, so that a fake running late on a busy
 * machine is not blamed on the runner (bench/runner.ts reports both).
 */
export function emittedTtftsMs(logs: readonly FakeRequestLog[]): number[] {
  return logs.map((log) => log.emittedMs[0] ?? Number.NaN);
}

export function emittedTpotsMs(logs: readonly FakeRequestLog[]): number[] {
  return logs.map((log) => {
    const tokens = log.tokensPerMessage.reduce((sum, count) => sum + count, 0);
    const first = log.emittedMs[0] ?? Number.NaN;
    const last = log.emittedMs[log.emittedMs.length - 1] ?? Number.NaN;
    return (last - first) / (tokens - 1);
  });
}

export function emittedInterTokenLatenciesMs(logs: readonly FakeRequestLog[]): number[] {
  return logs.flatMap((log) =>
    log.emittedMs.slice(1).map((emitted, index) => emitted - (log.emittedMs[index] ?? 0)),
  );
}
