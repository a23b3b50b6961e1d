import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { streamCompletion } from '../../../clients/openai/stream';
import { BenchmarkCancelledError, runBenchmark } from '../../../runner/load';
import {
  type FakeOpenAiServer,
  type FakeRequestBehavior,
  startFakeOpenAiServer,
} from '../../fakes/openai-server';
import { runSpec } from './helpers';

let fake: FakeOpenAiServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function oneRequest(behavior: FakeRequestBehavior, idleTimeoutMs = 5_000) {
  fake = await startFakeOpenAiServer({ ttftMs: 5, tokenGapMs: 1, behavior: () => behavior });
  return streamCompletion({
    endpointUrl: fake.url,
    endpointKind: 'completions',
    model: 'fake-model',
    prompt: 'hello there',
    maxTokens: 8,
    ignoreEos: true,
    idleTimeoutMs,
    totalTimeoutMs: 10_000,
  });
}

describe('failures become per-request errors with reasons', () => {
  it('reports an HTTP 429 with the server message', async () => {
    const outcome = await oneRequest({ kind: 'http-error', status: 429, message: 'Rate limit exceeded' });
    expect(outcome.error).toBe('HTTP 429 Too Many Requests: Rate limit exceeded');
    expect(outcome.chunks).toEqual([]);
  });

  it('reports a server error sent mid-stream, after the chunks that came before it', async () => {
    const outcome = await oneRequest({
      kind: 'error-mid-stream',
      afterChunks: 3,
      message: 'CUDA out of memory',
    });
    expect(outcome.error).toBe('server error mid-stream after 3 chunks: CUDA out of memory');
    expect(outcome.chunks).toHaveLength(3);
  });

  it('reports a disconnect mid-stream', async () => {
    const outcome = await oneRequest({ kind: 'disconnect', afterChunks: 2 });
    expect(outcome.error).toMatch(/^connection (closed|lost) mid-stream after 2 chunks/);
  });

  it('reports data that is not JSON', async () => {
    const outcome = await oneRequest({ kind: 'garbage', afterChunks: 1, text: '<html>oops' });
    expect(outcome.error).toBe('event data is not JSON after 1 chunks: "<html>oops"');
  });

  it('times out on a server that accepts and never answers', async () => {
    const started = performance.now();
    const outcome = await oneRequest({ kind: 'never-answer' }, 300);
    expect(outcome.error).toBe('timed out: no data for 300 ms before the first chunk');
    expect(performance.now() - started).toBeLessThan(2_000);
    // The client closed the connection: the server no longer holds the request.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake?.inFlight()).toBe(0);
  });

  it('reports an unknown model and a refused connection', async () => {
    fake = await startFakeOpenAiServer();
    const wrongModel = await streamCompletion({
      endpointUrl: fake.url,
      endpointKind: 'chat',
      model: 'nope',
      prompt: 'hi',
      maxTokens: 2,
      ignoreEos: true,
      idleTimeoutMs: 2_000,
      totalTimeoutMs: 2_000,
    });
    expect(wrongModel.error).toBe('HTTP 404 Not Found: The model `nope` does not exist.');
    const url = fake.url;
    await fake.close();
    fake = undefined;
    const refused = await streamCompletion({
      endpointUrl: url,
      endpointKind: 'chat',
      model: 'fake-model',
      prompt: 'hi',
      maxTokens: 2,
      ignoreEos: true,
      idleTimeoutMs: 2_000,
      totalTimeoutMs: 2_000,
    });
    expect(refused.error).toMatch(/^connection error before the first chunk: .*ECONNREFUSED/);
  });

  it('counts failures in the summary and keeps measuring the requests that succeed', async () => {
    const behaviors: Record<number, FakeRequestBehavior> = {
      // A 429 would be sent again (robustness.test.ts); a 500 is not.
      1: { kind: 'http-error', status: 500, message: 'Internal failure' },
      3: { kind: 'disconnect', afterChunks: 2 },
      4: { kind: 'error-mid-stream', afterChunks: 1, message: 'engine died' },
    };
    fake = await startFakeOpenAiServer({
      ttftMs: 5,
      tokenGapMs: 1,
      behavior: ({ index }) => behaviors[index] ?? { kind: 'stream' },
    });
    const result = await runBenchmark(
      runSpec({ profile: { kind: 'concurrency', levels: [1] }, numPrompts: 8, outputTokens: 6 }),
      {
        endpointUrl: fake.url,
      },
    );
    const summary = result.levels[0]?.summary;
    expect(summary?.completed).toBe(5);
    expect(summary?.failed).toBe(3);
    expect(summary?.totalOutputTokens).toBe(30);
    expect(summary?.warnings).toContain('3 of 8 requests failed');
    expect(summary?.warnings).toContain('failure x1: HTTP 500 Internal Server Error: Internal failure');
    expect(summary?.warnings).toContain('failure x1: server error mid-stream after 1 chunks: engine died');
    expect(result.levels[0]?.records[1]?.error).toMatch(/HTTP 500/);
  });
});

describe('cancellation', () => {
  it('stops promptly on abort, cancels requests in flight and sends no more', async () => {
    fake = await startFakeOpenAiServer({ ttftMs: 20, tokenGapMs: 20 });
    const abort = new AbortController();
    let abortedAt = 0;
    const run = runBenchmark(
      runSpec({ profile: { kind: 'concurrency', levels: [4, 8] }, numPrompts: 40, outputTokens: 50 }),
      {
        endpointUrl: fake.url,
        signal: abort.signal,
        onProgress: (progress) => {
          if (progress.completed === 0 && progress.phase === 'MEASURE' && abortedAt === 0) {
            // Abort once the first requests are streaming.
            setTimeout(() => {
              abortedAt = performance.now();
              abort.abort();
            }, 100);
          }
        },
      },
    );
    const error = await run.catch((caught: unknown) => caught);
    const stoppedAfterMs = performance.now() - abortedAt;
    expect(error).toBeInstanceOf(BenchmarkCancelledError);
    expect((error as BenchmarkCancelledError).completedLevels).toEqual([]);
    expect(stoppedAfterMs).toBeLessThan(200);
    const requestsAtAbort = fake.requests().length;
    expect(requestsAtAbort).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.inFlight()).toBe(0);
    expect(fake.requests().every((log) => log.outcome === 'client-closed')).toBe(true);
    expect(fake.requests()).toHaveLength(requestsAtAbort);
  });
});
