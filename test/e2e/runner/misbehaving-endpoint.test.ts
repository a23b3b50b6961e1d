import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/app/auth/tokens';
import {
  type FakeOpenAiServer,
  type FakeRequestBehavior,
  startFakeOpenAiServer,
} from '../../fakes/openai-server';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import {
  type ApiProcess,
  type ChildHandle,
  startApiProcess,
  startRunnerProcess,
  waitFor,
} from '../../support/processes';
import { createRunAt } from './helpers';

/**
 * Issue 14, item 8 with real processes: the API and a `floorplan runner` process started with
 * `--timeout 1 --max-failures 2`, against a fake vLLM that never answers, then one that sends an
 * SSE `event: error` without an `error` key, then one that answers 429 with Retry-After before
 * streaming. The first two runs fail early with the cause named; the third succeeds, and its
 * result says the requests were refused first. Postgres only: the test reads the API's rows.
 */

describe.skipIf(!usingPostgres())('the runner process against misbehaving endpoints (Postgres only)', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let endpoint: FakeOpenAiServer;
  let runner: ChildHandle;
  let operatorToken: string;
  let behavior: (index: number) => FakeRequestBehavior = () => ({ kind: 'stream' });
  let firstIndex = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    const runnerToken = (
      await createApiToken(database.prisma, { name: 'spark-runner', role: 'RUNNER', boxSlug: 'dgx-spark' })
    ).token;
    operatorToken = (await createApiToken(database.prisma, { name: 'operator', role: 'OPERATOR' })).token;
    endpoint = await startFakeOpenAiServer({
      ttftMs: 5,
      tokenGapMs: 1,
      behavior: ({ index }) => behavior(index - firstIndex),
    });
    api = await startApiProcess({ databaseUrl: database.url as string });
    runner = startRunnerProcess({
      apiUrl: api.url,
      token: runnerToken,
      endpointUrl: endpoint.url,
      name: 'misbehaving-endpoint-runner',
      extraArgs: ['--timeout', '1', '--max-failures', '2', '--poll-interval-ms', '200'],
    });
  });
  afterAll(async () => {
    await runner?.kill('SIGKILL');
    await api?.kill('SIGKILL');
    await endpoint?.close();
    await database?.drop();
  });

  async function finishedRun(next: (index: number) => FakeRequestBehavior, numPrompts: number) {
    firstIndex = endpoint.requests().length;
    behavior = next;
    const started = Date.now();
    const runId = await createRunAt(api.url, operatorToken, { numPrompts, outputTokens: 2 });
    const run = await waitFor(
      'the run to finish',
      async () => {
        const row = await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } });
        return row.status === 'FAILED' || row.status === 'SUCCEEDED' ? row : null;
      },
      { timeoutMs: 30_000, describe: runner.output },
    );
    return { run, seconds: (Date.now() - started) / 1000, requests: endpoint.requests().length - firstIndex };
  }

  it('fails a run early against an endpoint that never answers, naming the timeout', async () => {
    const { run, seconds, requests } = await finishedRun(() => ({ kind: 'never-answer' }), 50);
    expect(run.status).toBe('FAILED');
    expect(run.failureReason).toBe(
      'measurement failed: stopped after 2 failed requests in a row (--max-failures 2), no request succeeded: 2x timed out: no data for 1000 ms before the first chunk',
    );
    expect(requests).toBe(2);
    expect(seconds).toBeLessThan(15);
  }, 40_000);

  it('fails a run on an SSE error event that carries no error key', async () => {
    const { run, requests } = await finishedRun(
      () => ({
        kind: 'error-event',
        afterChunks: 1,
        data: '{"message": "engine overloaded"}',
        thenDone: true,
      }),
      50,
    );
    expect(run.status).toBe('FAILED');
    expect(run.failureReason).toContain('2x server sent an error event after 1 chunks: engine overloaded');
    expect(requests).toBe(2);
  }, 40_000);

  it('waits out a 429 with Retry-After and stores the result, saying so', async () => {
    const { run } = await finishedRun(
      (index) =>
        index === 0
          ? { kind: 'http-error', status: 429, message: 'slow down', retryAfter: '1' }
          : { kind: 'stream' },
      3,
    );
    expect(run.status).toBe('SUCCEEDED');
    const result = await database.prisma.benchmarkResult.findFirstOrThrow({ where: { runId: run.id } });
    const summary = result.summary as { completed: number; warnings: string[] };
    expect(summary.completed).toBe(3);
    expect(summary.warnings.join('\n')).toContain(
      '1 requests were refused with 429 and sent again (1 retries',
    );
  }, 40_000);
});
