import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/app/auth/tokens';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../../fakes/openai-server';
import { createTestDatabase, type TestDatabase, usingPostgres } from '../../support/database';
import {
  type ApiProcess,
  type ChildHandle,
  startApiProcess,
  startRunnerProcess,
  waitFor,
} from '../../support/processes';
import { CREATE_RUN, createRunAt, graphqlAt, runInput } from './helpers';

/**
 * RELIABILITY promises 1-5 and 7 with real processes: the API as a child process on a fresh
 * Postgres database, runner agents as child processes, the fake vLLM server in this process.
 * Several API processes and runners need a database they can all reach, so these tests need
 * Postgres: set TEST_DATABASE_URL (PGlite is one process's in-memory database).
 */

const LEASE_SECONDS = 2;

describe.skipIf(!usingPostgres())(
  'runner agents against a real API process (Postgres only: set TEST_DATABASE_URL)',
  () => {
    let database: TestDatabase;
    let api: ApiProcess;
    let runnerToken: string;
    let operatorToken: string;
    let slowServer: FakeOpenAiServer;
    const runners: ChildHandle[] = [];
    const apis: ApiProcess[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      runnerToken = (
        await createApiToken(database.prisma, { name: 'spark-runner', role: 'RUNNER', boxSlug: 'dgx-spark' })
      ).token;
      operatorToken = (await createApiToken(database.prisma, { name: 'operator', role: 'OPERATOR' })).token;
      // About 0.25 s per request: slow enough to interrupt a run mid-way.
      slowServer = await startFakeOpenAiServer({ ttftMs: 20, tokenGapMs: 25, defaultMaxTokens: 10 });
      api = await startApiProcess({
        databaseUrl: database.url as string,
        env: { FLOORPLAN_LEASE_SECONDS: String(LEASE_SECONDS) },
      });
      apis.push(api);
    });

    afterEach(async () => {
      await Promise.all(runners.splice(0).map((runner) => runner.kill('SIGKILL')));
    });

    afterAll(async () => {
      await Promise.all(apis.map((process) => process.kill('SIGKILL')));
      await slowServer?.close();
      await database?.drop();
    });

    function startRunner(name: string, endpointUrl: string): ChildHandle {
      const runner = startRunnerProcess({ apiUrl: api.url, token: runnerToken, endpointUrl, name });
      runners.push(runner);
      return runner;
    }

    const runRow = (id: string) => database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id } });
    const progressOf = (run: { progress: unknown }) =>
      (run.progress as { completed?: number } | null)?.completed ?? 0;

    it('re-leases the run of a SIGKILLed runner as attempt 2, completes it once, and fences the dead attempt (promises 1, 2)', async () => {
      const runId = await createRunAt(api.url, operatorToken, { numPrompts: 8, outputTokens: 10 });
      const doomed = startRunner('doomed', slowServer.url);
      await waitFor('the first runner to report progress', async () => progressOf(await runRow(runId)) >= 1, {
        describe: doomed.output,
      });
      await doomed.kill('SIGKILL');
      expect((await runRow(runId)).status).toBe('LEASED');

      const rescuer = startRunner('rescuer', slowServer.url);
      const finished = await waitFor(
        'the second runner to finish the run',
        async () => {
          const run = await runRow(runId);
          return run.status === 'SUCCEEDED' ? run : null;
        },
        { timeoutMs: 25_000, describe: rescuer.output },
      );
      expect(finished.attempt).toBe(2);
      expect(finished.leasedBy).toMatch(/rescuer$/);
      expect(finished.attemptHistory).toEqual([
        expect.objectContaining({ attempt: 1, kind: 'lease-expired' }),
      ]);
      expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(1);

      const staleCalls = [
        ['mutation { heartbeatBenchmarkRun(id: "ID", attempt: 1) { id } }'],
        ['mutation { failBenchmarkRun(id: "ID", attempt: 1, reason: "late") { id } }'],
        ['mutation { releaseBenchmarkRun(id: "ID", attempt: 1, reason: "late") { id } }'],
        [
          'mutation R($results: [BenchmarkLevelResultInput!]!) { reportBenchmarkResult(id: "ID", attempt: 1, reportKey: "late-report-key", results: $results) { id } }',
        ],
      ];
      const summary = {
        profile: { kind: 'concurrency', maxConcurrency: 1 },
        completed: 1,
        failed: 0,
        durationS: 1,
        outputThroughput: 1,
        meanDecodeTokensPerSecond: 1,
        ttftMs: null,
        warnings: [],
      };
      for (const [query] of staleCalls) {
        const result = await graphqlAt(
          api.url,
          runnerToken,
          (query as string).replace('"ID"', `"${runId}"`),
          {
            results: [{ summary }],
          },
        );
        expect(result.errors?.[0]?.extensions?.code).toBe('STALE_ATTEMPT');
      }
      expect(await runRow(runId)).toEqual(finished);
      expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(1);
    });

    it('completes each of 150 tiny runs exactly once across 3 runner processes (promise 3)', async () => {
      const fastServer = await startFakeOpenAiServer({ ttftMs: 1, tokenGapMs: 1, defaultMaxTokens: 2 });
      try {
        const runIds: string[] = [];
        for (let index = 0; index < 150; index++) runIds.push(await createRunAt(api.url, operatorToken));
        const pool = ['one', 'two', 'three'].map((name) => startRunner(name, fastServer.url));
        await waitFor(
          'every run to succeed',
          async () =>
            (await database.prisma.benchmarkRun.count({
              where: { id: { in: runIds }, status: 'SUCCEEDED' },
            })) === 150,
          {
            timeoutMs: 40_000,
            intervalMs: 200,
            describe: () => pool.map((runner) => runner.output().slice(-2000)).join('\n---\n'),
          },
        );
        const runs = await database.prisma.benchmarkRun.findMany({
          where: { id: { in: runIds } },
          include: { _count: { select: { results: true } } },
        });
        expect(runs.filter((run) => run.attempt !== 1 || run._count.results !== 1)).toEqual([]);
        // Each run sends one request: a run measured twice would show up here.
        expect(fastServer.requests()).toHaveLength(150);
        expect(new Set(runs.map((run) => run.leasedBy)).size).toBeGreaterThan(1);
      } finally {
        await fastServer.close();
      }
    }, 60_000);

    it('makes one run from 20 concurrent identical triggers over HTTP; the same key with other input is refused (promise 4)', async () => {
      const input = runInput({ numPrompts: 3 });
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          graphqlAt<{ createBenchmarkRun: { id: string } }>(api.url, operatorToken, CREATE_RUN, { input }),
        ),
      );
      expect(answers.flatMap((answer) => answer.errors ?? [])).toEqual([]);
      expect(new Set(answers.map((answer) => answer.data?.createBenchmarkRun.id)).size).toBe(1);
      const conflicting = await graphqlAt(api.url, operatorToken, CREATE_RUN, {
        input: { ...input, spec: { ...input.spec, numPrompts: 4 } },
      });
      expect(conflicting.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(
        await database.prisma.benchmarkRun.count({ where: { idempotencyKey: input.idempotencyKey } }),
      ).toBe(1);
      await graphqlAt(api.url, operatorToken, 'mutation C($id: ID!) { cancelBenchmarkRun(id: $id) { id } }', {
        id: answers[0]?.data?.createBenchmarkRun.id,
      });
    });

    it('stores one result when the API restarts while the runner reports (promise 5)', async () => {
      const runId = await createRunAt(api.url, operatorToken, { numPrompts: 6, outputTokens: 10 });
      const runner = startRunner('reporter', slowServer.url);
      await waitFor('the run to be nearly measured', async () => progressOf(await runRow(runId)) >= 4, {
        describe: runner.output,
      });
      const port = api.port;
      await api.kill('SIGKILL');
      // The runner finishes measuring and retries its report against a dead port until the API is back.
      await waitFor(
        'the runner to retry its report',
        () => /report: The floorplan API at \S+ is not reachable/.test(runner.output()),
        {
          describe: runner.output,
        },
      );
      api = await startApiProcess({
        databaseUrl: database.url as string,
        port,
        env: { FLOORPLAN_LEASE_SECONDS: String(LEASE_SECONDS) },
      });
      apis.push(api);
      const run = await waitFor(
        'the report to be accepted',
        async () => {
          const row = await runRow(runId);
          return row.status === 'SUCCEEDED' ? row : null;
        },
        { describe: runner.output },
      );
      expect(run.attempt).toBe(1);
      expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(1);
    });

    it('hands the run back on SIGTERM: the runner exits 0 and no run stays leased (promise 7)', async () => {
      const runId = await createRunAt(api.url, operatorToken, { numPrompts: 8, outputTokens: 10 });
      const runner = startRunner('graceful', slowServer.url);
      await waitFor('the run to start', async () => progressOf(await runRow(runId)) >= 1, {
        describe: runner.output,
      });
      expect(await runner.kill('SIGTERM')).toBe(0);
      const run = await runRow(runId);
      expect(run.status).toBe('QUEUED');
      expect(run.leasedBy).toBeNull();
      expect(run.attemptHistory).toEqual([
        expect.objectContaining({ attempt: 1, kind: 'released', runner: expect.stringMatching(/graceful$/) }),
      ]);
      expect(await database.prisma.benchmarkRun.count({ where: { status: 'LEASED' } })).toBe(0);
      expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(0);
      await graphqlAt(api.url, operatorToken, 'mutation C($id: ID!) { cancelBenchmarkRun(id: $id) { id } }', {
        id: runId,
      });
    });
  },
);
