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
import { createRunAt, graphqlAt } from './helpers';

/**
 * RELIABILITY promise 16 (no run is stranded) and promise 2 for a stale attempt on the same box,
 * with real processes: the API as a child process sweeping expired leases, runner agents as child
 * processes killed (SIGKILL) or frozen (SIGSTOP), the fake vLLM server in this process. Postgres
 * only: the test reads the rows the API process writes.
 */

const LEASE_SECONDS = 2;
const SWEEP_SECONDS = 0.5;
/** Process scheduling on a shared machine: polls, a sweep's own time, a loaded CPU. */
const SLACK_MS = 1_500;

const RUN = /* GraphQL */ `
  query Run($id: ID!) { benchmarkRun(id: $id) { status attempt leasedBy cancelRequested failureReason attemptHistory { attempt runner kind reason at } } }
`;
const CANCEL = /* GraphQL */ `
  mutation Cancel($id: ID!) { cancelBenchmarkRun(id: $id) { status cancelRequested failureReason } }
`;

describe.skipIf(!usingPostgres())('stranded runs (Postgres only: set TEST_DATABASE_URL)', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let runnerToken: string;
  let operatorToken: string;
  let viewerToken: string;
  let slowServer: FakeOpenAiServer;
  const runners: ChildHandle[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    runnerToken = (
      await createApiToken(database.prisma, { name: 'spark-runner', role: 'RUNNER', boxSlug: 'dgx-spark' })
    ).token;
    operatorToken = (await createApiToken(database.prisma, { name: 'operator', role: 'OPERATOR' })).token;
    viewerToken = (await createApiToken(database.prisma, { name: 'viewer', role: 'VIEWER' })).token;
    // About 0.25 s per request: a run of 12 is still measuring when the runner dies.
    slowServer = await startFakeOpenAiServer({ ttftMs: 20, tokenGapMs: 25, defaultMaxTokens: 10 });
    api = await startApiProcess({
      databaseUrl: database.url as string,
      env: {
        FLOORPLAN_LEASE_SECONDS: String(LEASE_SECONDS),
        FLOORPLAN_SWEEP_INTERVAL_SECONDS: String(SWEEP_SECONDS),
      },
    });
  });

  afterEach(async () => {
    await Promise.all(
      runners.splice(0).map((runner) => {
        runner.process.kill('SIGCONT');
        return runner.kill('SIGKILL');
      }),
    );
  });

  afterAll(async () => {
    await api?.kill('SIGKILL');
    await slowServer?.close();
    await database?.drop();
  });

  function startRunner(name: string): ChildHandle {
    const runner = startRunnerProcess({
      apiUrl: api.url,
      token: runnerToken,
      endpointUrl: slowServer.url,
      name,
    });
    runners.push(runner);
    return runner;
  }

  const runRow = (id: string) => database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id } });
  const progressOf = (run: { progress: unknown }) =>
    (run.progress as { completed?: number } | null)?.completed ?? 0;

  async function leftLeasedAfter(runId: string, since: number): Promise<number> {
    await waitFor('the run to leave LEASED', async () => (await runRow(runId)).status !== 'LEASED', {
      timeoutMs: (LEASE_SECONDS + SWEEP_SECONDS) * 1000 + 10_000,
      intervalMs: 25,
      describe: api.output,
    });
    return Date.now() - since;
  }

  it('re-queues the run of the only runner, SIGKILLed, within lease + sweep interval; users see it; the cancel completes (promise 16)', async () => {
    const runId = await createRunAt(api.url, operatorToken, { numPrompts: 12, outputTokens: 10 });
    const doomed = startRunner('doomed');
    await waitFor('the runner to report progress', async () => progressOf(await runRow(runId)) >= 1, {
      describe: doomed.output,
    });
    await doomed.kill('SIGKILL');
    const killedAt = Date.now();
    const elapsed = await leftLeasedAfter(runId, killedAt);
    console.log(
      `promise 16: run left LEASED ${elapsed} ms after SIGKILL (lease ${LEASE_SECONDS} s, sweep ${SWEEP_SECONDS} s)`,
    );
    expect(elapsed).toBeLessThanOrEqual((LEASE_SECONDS + SWEEP_SECONDS) * 1000 + SLACK_MS);

    const seen = await graphqlAt<{ benchmarkRun: Record<string, unknown> }>(api.url, viewerToken, RUN, {
      id: runId,
    });
    expect(seen.data?.benchmarkRun).toMatchObject({
      status: 'QUEUED',
      attempt: 1,
      leasedBy: null,
      attemptHistory: [
        expect.objectContaining({
          attempt: 1,
          kind: 'LEASE_EXPIRED',
          reason: expect.stringMatching(/doomed stopped heartbeating/),
        }),
      ],
    });

    const cancelled = await graphqlAt<{ cancelBenchmarkRun: Record<string, unknown> }>(
      api.url,
      operatorToken,
      CANCEL,
      { id: runId },
    );
    expect(cancelled.data?.cancelBenchmarkRun).toMatchObject({ status: 'CANCELLED', cancelRequested: true });
    expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(0);
  });

  it('completes a cancel requested just before the only runner died (promise 16)', async () => {
    const runId = await createRunAt(api.url, operatorToken, { numPrompts: 12, outputTokens: 10 });
    const doomed = startRunner('doomed-before-cancel');
    await waitFor('the runner to report progress', async () => progressOf(await runRow(runId)) >= 1, {
      describe: doomed.output,
    });
    // Frozen first, so it cannot read the flag on a heartbeat, then killed.
    doomed.process.kill('SIGSTOP');
    const flagged = await graphqlAt<{ cancelBenchmarkRun: Record<string, unknown> }>(
      api.url,
      operatorToken,
      CANCEL,
      { id: runId },
    );
    expect(flagged.data?.cancelBenchmarkRun).toMatchObject({ status: 'LEASED', cancelRequested: true });
    await doomed.kill('SIGKILL');
    const elapsed = await leftLeasedAfter(runId, Date.now());
    expect(elapsed).toBeLessThanOrEqual((LEASE_SECONDS + SWEEP_SECONDS) * 1000 + SLACK_MS);
    const run = await runRow(runId);
    expect(run.status).toBe('CANCELLED');
    expect(run.failureReason).toMatch(/cancelled; the runner holding attempt 1 stopped heartbeating/);
    expect(run.finishedAt).not.toBeNull();
  });

  it('fences a frozen runner that wakes after its run went to another runner of the same box (promise 2)', async () => {
    const runId = await createRunAt(api.url, operatorToken, { numPrompts: 8, outputTokens: 10 });
    const sleeper = startRunner('sleeper');
    await waitFor('the first runner to report progress', async () => progressOf(await runRow(runId)) >= 1, {
      describe: sleeper.output,
    });
    sleeper.process.kill('SIGSTOP');
    await leftLeasedAfter(runId, Date.now());

    const rescuer = startRunner('rescuer');
    const finished = await waitFor(
      'the second runner to finish the run',
      async () => {
        const run = await runRow(runId);
        return run.status === 'SUCCEEDED' ? run : null;
      },
      { timeoutMs: 25_000, describe: rescuer.output },
    );
    expect(finished.attempt).toBe(2);
    await rescuer.kill('SIGTERM');

    sleeper.process.kill('SIGCONT');
    await waitFor(
      'the woken runner to be told its attempt is stale',
      () => /attempt 1: .*This attempt is stale; stop working on it/.test(sleeper.output()),
      { timeoutMs: 15_000, describe: sleeper.output },
    );
    expect(await runRow(runId)).toEqual(finished);
    expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(1);
  });
});
