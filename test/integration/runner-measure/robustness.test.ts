import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type RateLimitRetryPolicy,
  rateLimitDelayMs,
  streamCompletion,
  streamCompletionWithRetries,
} from '../../../clients/openai/stream';
import { BenchmarkStoppedError, runBenchmark } from '../../../runner/load';
import {
  type FakeOpenAiServer,
  type FakeOpenAiServerOptions,
  type FakeRequestBehavior,
  startFakeOpenAiServer,
} from '../../fakes/openai-server';
import { runSpec } from './helpers';

/**
 * Issue 14, item 8: the runner against endpoints that misbehave on purpose (test/fakes/openai-server.ts
 * on real HTTP): silence before the first byte and between chunks, `event: error` in every form,
 * streams shorter than max_tokens under ignore_eos, usage that under-reports, 429 with Retry-After;
 * and the `floorplan bench` process against a dead endpoint with its default limits.
 */

let fake: FakeOpenAiServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function serve(
  behavior: (index: number) => FakeRequestBehavior,
  options: FakeOpenAiServerOptions = {},
): Promise<FakeOpenAiServer> {
  fake = await startFakeOpenAiServer({
    ttftMs: 5,
    tokenGapMs: 1,
    ...options,
    behavior: ({ index }) => behavior(index),
  });
  return fake;
}

const request = (url: string, overrides: { idleTimeoutMs?: number; maxTokens?: number } = {}) => ({
  endpointUrl: url,
  endpointKind: 'completions' as const,
  model: 'fake-model',
  prompt: 'hello there',
  maxTokens: overrides.maxTokens ?? 8,
  ignoreEos: true,
  idleTimeoutMs: overrides.idleTimeoutMs ?? 5_000,
  totalTimeoutMs: 20_000,
});

describe('timeouts name where the silence was', () => {
  it('fails a request whose server stops sending between chunks', async () => {
    const server = await serve(() => ({ kind: 'stall', afterChunks: 2 }));
    const started = performance.now();
    const outcome = await streamCompletion(request(server.url, { idleTimeoutMs: 300 }));
    expect(outcome.error).toBe('timed out: no data for 300 ms after 2 chunks');
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('stops the run after --max-failures requests in a row against an endpoint that never answers, naming the cause', async () => {
    const server = await serve(() => ({ kind: 'never-answer' }));
    const started = performance.now();
    const error = await runBenchmark(
      runSpec({ profile: { kind: 'concurrency', levels: [1] }, numPrompts: 50 }),
      {
        endpointUrl: server.url,
        idleTimeoutMs: 200,
        maxFailures: 3,
      },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BenchmarkStoppedError);
    expect((error as Error).message).toBe(
      'stopped after 3 failed requests in a row (--max-failures 3), no request succeeded: 3x timed out: no data for 200 ms before the first chunk',
    );
    expect(server.requests()).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('keeps measuring when failures are interleaved with successes', async () => {
    const server = await serve((index) =>
      index % 2 === 1 ? { kind: 'http-error', status: 500, message: 'flaky' } : { kind: 'stream' },
    );
    const result = await runBenchmark(
      runSpec({ profile: { kind: 'concurrency', levels: [1] }, numPrompts: 10, outputTokens: 4 }),
      { endpointUrl: server.url, maxFailures: 2 },
    );
    expect(result.levels[0]?.summary.completed).toBe(5);
    expect(result.levels[0]?.summary.warnings).toContain('failure x5: HTTP 500 Internal Server Error: flaky');
  });
});

describe('an SSE error event in any form is a failure', () => {
  const forms: [string, string, string][] = [
    [
      'vLLM JSON with an error key',
      '{"error": {"message": "CUDA out of memory", "code": 500}}',
      'CUDA out of memory',
    ],
    ['JSON without an error key', '{"message": "engine overloaded"}', 'engine overloaded'],
    ['JSON with neither', '{"status": "bad"}', '{"status":"bad"}'],
    ['plain text', 'worker crashed', '"worker crashed"'],
    ['no data at all', '', '(no data)'],
  ];
  for (const [form, data, cause] of forms) {
    it(`fails on event: error with ${form}, even when [DONE] follows`, async () => {
      const server = await serve(() => ({ kind: 'error-event', afterChunks: 2, data, thenDone: true }));
      const outcome = await streamCompletion(request(server.url));
      expect(outcome.error).toBe(`server sent an error event after 2 chunks: ${cause}`);
    });
  }
});

describe('token counts a client can trust', () => {
  it('flags streams shorter than max_tokens under ignore_eos', async () => {
    const server = await serve((index) =>
      index === 2 ? { kind: 'short-stream', tokens: 3 } : { kind: 'stream' },
    );
    const result = await runBenchmark(
      runSpec({ profile: { kind: 'concurrency', levels: [1] }, numPrompts: 5, outputTokens: 12 }),
      { endpointUrl: server.url },
    );
    const summary = result.levels[0]?.summary;
    expect(summary?.completed).toBe(5);
    expect(summary?.warnings).toContain(
      '1 requests ended before max_tokens although ignore_eos was asked for (e.g. 3 of 12 tokens): the server stopped early or ignores ignore_eos',
    );
  });

  it('uses the chunk count when usage under-reports it, and says so', async () => {
    const tokenGapMs = 10;
    const server = await serve(() => ({ kind: 'under-reported-usage', divisor: 4 }), { tokenGapMs });
    const result = await runBenchmark(
      runSpec({ profile: { kind: 'concurrency', levels: [1] }, numPrompts: 4, outputTokens: 16 }),
      { endpointUrl: server.url },
    );
    const summary = result.levels[0]?.summary;
    expect(result.levels[0]?.records[0]?.serverOutputTokens).toBe(4);
    expect(summary?.totalOutputTokens).toBe(64);
    expect(summary?.warnings).toContain(
      "4 requests: the server's usage counts fewer output tokens than the token-bearing chunks it sent (e.g. usage 4, 16 chunks); the chunk count is used (TPOT and throughput from it)",
    );
    // TPOT from 16 tokens is about the server's gap; from the usage's 4 it would be 5x that.
    expect(summary?.tpotMs?.mean).toBeGreaterThanOrEqual(tokenGapMs * 0.9);
    expect(summary?.tpotMs?.mean).toBeLessThan(tokenGapMs * 2.5);
  });
});

describe('429 is honoured', () => {
  const noJitter: RateLimitRetryPolicy = {
    maxRetries: 3,
    baseDelayMs: 50,
    maxDelayMs: 5_000,
    random: () => 0,
  };

  it('waits for Retry-After before sending again, then measures from the last send', async () => {
    const server = await serve((index) =>
      index < 2
        ? { kind: 'http-error', status: 429, message: 'slow down', retryAfter: '1' }
        : { kind: 'stream' },
    );
    const outcome = await streamCompletionWithRetries(request(server.url), noJitter);
    expect(outcome.error).toBeNull();
    expect(outcome.rateLimitRetries).toBe(2);
    const arrivals = server.requests().map((log) => log.receivedAt);
    expect(arrivals).toHaveLength(3);
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(990);
    expect((arrivals[2] ?? 0) - (arrivals[1] ?? 0)).toBeGreaterThanOrEqual(990);
    // Timed from its own send: the waits are not in its latency.
    expect(outcome.endMs).toBeLessThan(900);
  });

  it('backs off exponentially without Retry-After, and fails naming the refusal once retries are spent', async () => {
    const server = await serve(() => ({ kind: 'http-error', status: 429, message: 'quota exceeded' }));
    const outcome = await streamCompletionWithRetries(request(server.url), noJitter);
    expect(outcome.error).toBe('HTTP 429 Too Many Requests: quota exceeded (still refused after 3 retries)');
    const arrivals = server.requests().map((log) => log.receivedAt);
    const gaps = arrivals.slice(1).map((at, index) => at - (arrivals[index] ?? 0));
    expect(gaps).toHaveLength(3);
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(gaps[2]).toBeGreaterThanOrEqual(195);
  });

  it('spreads retries with jitter of up to half the wait, never beyond the cap', () => {
    const policy = (random: number): RateLimitRetryPolicy => ({
      ...noJitter,
      maxDelayMs: 1_000,
      random: () => random,
    });
    expect(rateLimitDelayMs(1, null, policy(0))).toBe(50);
    expect(rateLimitDelayMs(1, null, policy(0.999))).toBeCloseTo(74.975);
    expect(rateLimitDelayMs(3, null, policy(0))).toBe(200);
    expect(rateLimitDelayMs(2, 2_000, policy(0))).toBe(1_000);
    expect(rateLimitDelayMs(10, null, policy(0.5))).toBe(1_250);
  });

  it('retries inside a run and says how many requests were refused first', async () => {
    const server = await serve((index) =>
      index === 1
        ? { kind: 'http-error', status: 429, message: 'slow down', retryAfter: '0' }
        : { kind: 'stream' },
    );
    const result = await runBenchmark(
      runSpec({ profile: { kind: 'concurrency', levels: [1] }, numPrompts: 4, outputTokens: 4 }),
      { endpointUrl: server.url, rateLimitRetry: noJitter },
    );
    expect(result.levels[0]?.summary.completed).toBe(4);
    expect(result.levels[0]?.summary.warnings).toContain(
      '1 requests were refused with 429 and sent again (1 retries, after Retry-After or a backoff); each is timed from its last send',
    );
  });
});

// The command in its own process, as a user runs it.
const ENTRY = `import('./src/cli/commands/bench.ts').then((command) => command.runBenchCommand(process.argv.slice(1))).then((code) => { process.exitCode = code; });`;

function runBench(args: string[]): Promise<{ code: number; stderr: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', ENTRY, '--', ...args],
      { timeout: 90_000 },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stderr, seconds: (performance.now() - started) / 1000 });
      },
    );
  });
}

describe('floorplan bench against a dead endpoint', () => {
  it('fails within a minute with its default --timeout and --max-failures, naming the cause', async () => {
    const server = await serve(() => ({ kind: 'never-answer' }));
    // Concurrency 2: the warm-up request, then two at once, time out; the 200 default prompts are never sent.
    const result = await runBench(['--endpoint', server.url, '--model', 'fake-model', '--concurrency', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'floorplan bench: stopped after 3 failed requests in a row (--max-failures 3), no request succeeded: 3x timed out: no data for 15000 ms before the first chunk',
    );
    expect(result.seconds).toBeLessThan(60);
    expect(server.requests().length).toBeLessThanOrEqual(4);
  }, 90_000);

  it('refuses a --max-failures that is not a whole number', async () => {
    const result = await runBench([
      '--endpoint',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
      '--max-failures',
      'x',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--max-failures: must be a whole number, 0 or more (0 never stops); got "x"',
    );
  });
});
