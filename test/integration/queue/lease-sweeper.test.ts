import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessRunEvents } from '../../../src/app/runs/notify';
import {
  type AttemptRecord,
  createRun,
  failRun,
  heartbeat,
  leaseNextRun,
  sweepExpiredLeases,
} from '../../../src/app/runs/queue';
import { attachRunQueue, type RunQueue } from '../../../src/app/runs/runtime';
import { startLeaseSweeper } from '../../../src/app/runs/sweeper';
import { type BenchmarkRunSpec, benchmarkRunSpecSchema } from '../../../src/domain/run-spec';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

/**
 * RELIABILITY promise 16 at the service level (PGlite or Postgres): the sweeper reclaims expired
 * leases on any box, exactly once per expiry, fails a run as "runner lost" after maxAttempts, and a
 * cancel of an abandoned run completes at once. The same with real processes and SIGKILL is in
 * test/e2e/runner/stranded-runs.test.ts.
 */

const spec: BenchmarkRunSpec = benchmarkRunSpecSchema.parse({
  endpointKind: 'completions',
  model: 'fake-model',
  profile: { kind: 'concurrency', levels: [1] },
  numPrompts: 1,
  inputTokens: 8,
  outputTokens: 2,
  warmupRequests: 0,
});

const RUN = /* GraphQL */ `
  query Run($id: ID!) { benchmarkRun(id: $id) { status attempt leasedBy cancelRequested failureReason attemptHistory { attempt runner kind reason at } } }
`;
const CANCEL = /* GraphQL */ `
  mutation Cancel($id: ID!) { cancelBenchmarkRun(id: $id) { status cancelRequested failureReason } }
`;

describe('lease sweeper', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  let queue: RunQueue;
  let sparkId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
    queue = attachRunQueue(database.prisma, {
      leaseSeconds: 30,
      maxAttempts: 2,
      events: createInProcessRunEvents(),
    });
    sparkId = (await database.prisma.box.findUniqueOrThrow({ where: { slug: 'dgx-spark' } })).id;
  });
  afterAll(async () => {
    await database.drop();
  });

  async function leasedRun(): Promise<{ id: string; attempt: number }> {
    const { run } = await createRun(queue, {
      boxSlug: 'dgx-spark',
      variantSlug: 'llama-3.1-8b-instruct-base',
      endpointKind: 'COMPLETIONS',
      spec,
      idempotencyKey: randomUUID(),
      requestedBy: 'test',
    });
    for (;;) {
      const leased = await leaseNextRun(queue, sparkId, 'doomed-runner');
      if (!leased) throw new Error('nothing to lease');
      if (leased.id === run.id) return leased;
      await failRun(queue, { runId: leased.id, attempt: leased.attempt, boxId: sparkId }, 'drained');
    }
  }

  const expire = (id: string) =>
    database.prisma
      .$executeRaw`UPDATE "BenchmarkRun" SET "leaseExpiresAt" = "leaseExpiresAt" - interval '1 hour' WHERE "id" = ${id}`;
  const row = (id: string) => database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id } });

  it('re-queues an expired lease once, however many sweepers race, and the next lease is attempt 2', async () => {
    const run = await leasedRun();
    await heartbeat(
      queue,
      { runId: run.id, attempt: 1, boxId: sparkId },
      {
        levelIndex: 0,
        levelCount: 1,
        phase: 'MEASURE',
        completed: 3,
        failed: 0,
        total: 8,
        outputTokens: 6,
      },
    );
    // Not expired yet: nothing to sweep.
    expect((await sweepExpiredLeases(queue)).map((swept) => swept.id)).not.toContain(run.id);
    await expire(run.id);

    const sweeps = await Promise.all(Array.from({ length: 6 }, () => sweepExpiredLeases(queue)));
    const actedOn = sweeps.flat().filter((swept) => swept.id === run.id);
    expect(actedOn).toEqual([{ id: run.id, attempt: 1, status: 'QUEUED' }]);

    const requeued = await api.run<{ benchmarkRun: Record<string, unknown> }>(
      RUN,
      { id: run.id },
      { as: 'VIEWER' },
    );
    expect(requeued.body.data?.benchmarkRun).toMatchObject({
      status: 'QUEUED',
      attempt: 1,
      leasedBy: null,
      attemptHistory: [
        expect.objectContaining({
          attempt: 1,
          kind: 'LEASE_EXPIRED',
          runner: 'doomed-runner',
          reason: expect.stringMatching(/runner doomed-runner stopped heartbeating/),
        }),
      ],
    });
    // The frozen progress of the lost attempt is not shown as if it were still moving.
    expect((await row(run.id)).progress).toBeNull();

    const next = await leaseNextRun(queue, sparkId, 'rescuer');
    expect(next).toMatchObject({ id: run.id, attempt: 2, leasedBy: 'rescuer' });
    // The lost runner, should it come back, is fenced.
    await expect(heartbeat(queue, { runId: run.id, attempt: 1, boxId: sparkId }, null)).rejects.toThrow(
      /stale/,
    );
    await failRun(queue, { runId: run.id, attempt: 2, boxId: sparkId }, 'done with this test');
  });

  it('fails a run as "runner lost" when its leases expired maxAttempts times', async () => {
    const run = await leasedRun();
    await expire(run.id);
    expect((await sweepExpiredLeases(queue)).find((swept) => swept.id === run.id)?.status).toBe('QUEUED');
    const second = await leaseNextRun(queue, sparkId, 'doomed-again');
    expect(second?.id).toBe(run.id);
    await expire(run.id);
    expect((await sweepExpiredLeases(queue)).find((swept) => swept.id === run.id)).toEqual({
      id: run.id,
      attempt: 2,
      status: 'FAILED',
    });
    const failed = await row(run.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toMatch(/^runner lost: gave up after 2 expired leases \(maxAttempts 2\)/);
    expect(failed.finishedAt).not.toBeNull();
    expect((failed.attemptHistory as unknown as AttemptRecord[]).map((entry) => entry.kind)).toEqual([
      'lease-expired',
      'lease-expired',
    ]);
  });

  it('completes a cancel of an abandoned run at once, audited, and the sweeper one flagged before the runner died', async () => {
    const abandoned = await leasedRun();
    await expire(abandoned.id);
    const cancelled = await api.run<{ cancelBenchmarkRun: Record<string, unknown> }>(
      CANCEL,
      { id: abandoned.id },
      { as: 'OPERATOR' },
    );
    expect(cancelled.body.errors).toBeUndefined();
    expect(cancelled.body.data?.cancelBenchmarkRun).toEqual({
      status: 'CANCELLED',
      cancelRequested: true,
      failureReason: expect.stringMatching(/cancelled by token:test-operator-\w+; its runner was gone/),
    });
    expect(
      await database.prisma.auditEvent.findFirst({
        where: { action: 'benchmark-run.cancel', entityId: abandoned.id },
        select: { before: true, after: true },
      }),
    ).toEqual({
      before: { status: 'LEASED', cancelRequested: false },
      after: { status: 'CANCELLED', cancelRequested: true },
    });

    // Cancel flagged while the runner was alive; the runner then dies without reading the flag.
    const flagged = await leasedRun();
    const answer = await api.run<{ cancelBenchmarkRun: { status: string } }>(
      CANCEL,
      { id: flagged.id },
      { as: 'OPERATOR' },
    );
    expect(answer.body.data?.cancelBenchmarkRun.status).toBe('LEASED');
    await expire(flagged.id);
    const sweeper = startLeaseSweeper(queue, { intervalMs: 60_000, log: () => {} });
    try {
      expect((await sweeper.sweepNow()).find((swept) => swept.id === flagged.id)?.status).toBe('CANCELLED');
    } finally {
      await sweeper.stop();
    }
    expect((await row(flagged.id)).status).toBe('CANCELLED');
  });
});
