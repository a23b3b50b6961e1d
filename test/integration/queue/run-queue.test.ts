import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../src/app/auth/tokens';
import { createInProcessRunEvents } from '../../../src/app/runs/notify';
import {
  createRun,
  failRun,
  heartbeat,
  leaseNextRun,
  releaseRun,
  reportResult,
} from '../../../src/app/runs/queue';
import type { ReportedLevel } from '../../../src/app/runs/report';
import { attachRunQueue, type RunQueue } from '../../../src/app/runs/runtime';
import { type BenchmarkRunSpec, benchmarkRunSpecSchema } from '../../../src/domain/run-spec';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createGraphQLCaller, type GraphQLCaller } from '../../support/graphql';

const CREATE_RUN = /* GraphQL */ `
  mutation Create($input: CreateBenchmarkRunInput!) {
    createBenchmarkRun(input: $input) { id status attempt spec { model numPrompts } box { slug } variant { slug } }
  }
`;
const LEASE = /* GraphQL */ `
  mutation Lease($box: String!) { leaseBenchmarkRun(box: $box, runner: "test") { id attempt status leasedBy spec { model } } }
`;
const HEARTBEAT = /* GraphQL */ `
  mutation Heartbeat($id: ID!, $attempt: Int!, $progress: BenchmarkRunProgressInput) {
    heartbeatBenchmarkRun(id: $id, attempt: $attempt, progress: $progress) {
      id cancelRequested progress { levelIndex levelCount phase completed failed total outputTokens }
    }
  }
`;
const REPORT = /* GraphQL */ `
  mutation Report($id: ID!, $attempt: Int!, $key: String!, $results: [BenchmarkLevelResultInput!]!) {
    reportBenchmarkResult(id: $id, attempt: $attempt, reportKey: $key, results: $results) {
      id status results { fingerprint concurrency profileKey decodeTokensPerSecond }
    }
  }
`;
const FAIL = /* GraphQL */ `
  mutation Fail($id: ID!, $attempt: Int!, $reason: String!) {
    failBenchmarkRun(id: $id, attempt: $attempt, reason: $reason) { id status failureReason }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation Cancel($id: ID!) { cancelBenchmarkRun(id: $id) { id status cancelRequested } }
`;

const tinySpecInput = {
  profile: { kind: 'CONCURRENCY', concurrency: [1, 4] },
  numPrompts: 2,
  inputTokens: 8,
  outputTokens: 4,
  warmupRequests: 0,
  model: 'fake-model',
};

function createInput(key: string, spec: Record<string, unknown> = tinySpecInput) {
  return {
    box: 'dgx-spark',
    variant: 'llama-3.1-8b-instruct-base',
    endpointKind: 'COMPLETIONS',
    spec,
    idempotencyKey: key,
  };
}

function level(maxConcurrency: number): ReportedLevel {
  return {
    summary: {
      profile: { kind: 'concurrency', maxConcurrency },
      completed: 2,
      failed: 0,
      durationS: 0.5,
      outputThroughput: 16,
      meanDecodeTokensPerSecond: 100,
      ttftMs: { mean: 10, median: 10, p50: 10, p95: 12, p99: 13 },
      warnings: [],
    },
    records: [{ index: 0 }],
  };
}

const directSpec: BenchmarkRunSpec = benchmarkRunSpecSchema.parse({
  endpointKind: 'completions',
  model: 'fake-model',
  profile: { kind: 'concurrency', levels: [1] },
  numPrompts: 1,
  inputTokens: 8,
  outputTokens: 2,
  warmupRequests: 0,
});

describe('benchmark run queue', () => {
  let database: TestDatabase;
  let api: GraphQLCaller;
  let queue: RunQueue;
  let sparkId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await createGraphQLCaller(database.prisma);
    queue = attachRunQueue(database.prisma, { leaseSeconds: 30, events: createInProcessRunEvents() });
    sparkId = (await database.prisma.box.findUniqueOrThrow({ where: { slug: 'dgx-spark' } })).id;
  });
  afterAll(async () => {
    await database.drop();
  });

  async function queueDirectRun(): Promise<string> {
    const { run } = await createRun(queue, {
      boxSlug: 'dgx-spark',
      variantSlug: 'llama-3.1-8b-instruct-base',
      endpointKind: 'COMPLETIONS',
      spec: directSpec,
      idempotencyKey: randomUUID(),
      requestedBy: 'test',
    });
    return run.id;
  }

  /** Leases until the given run is the one leased (older queued runs of other tests are drained). */
  async function leaseRun(runId: string, runner = 'runner-a') {
    for (;;) {
      const leased = await leaseNextRun(queue, sparkId, runner);
      if (!leased) throw new Error(`run ${runId} was never leased`);
      if (leased.id === runId) return leased;
      await failRun(queue, { runId: leased.id, attempt: leased.attempt, boxId: sparkId }, 'drained by test');
    }
  }

  async function expireLease(runId: string): Promise<void> {
    await database.prisma
      .$executeRaw`UPDATE "BenchmarkRun" SET "leaseExpiresAt" = "leaseExpiresAt" - interval '1 hour' WHERE "id" = ${runId}`;
  }

  it('makes one run, audited once, from 20 concurrent identical triggers (promise 4)', async () => {
    const key = randomUUID();
    const calls = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.run<{ createBenchmarkRun: { id: string; status: string } }>(
          CREATE_RUN,
          { input: createInput(key) },
          { as: 'OPERATOR' },
        ),
      ),
    );
    const ids = new Set(calls.map((call) => call.body.data?.createBenchmarkRun.id));
    for (const call of calls) expect(call.body.errors).toBeUndefined();
    expect(ids.size).toBe(1);
    expect(calls[0]?.body.data?.createBenchmarkRun.status).toBe('QUEUED');
    expect(await database.prisma.benchmarkRun.count({ where: { idempotencyKey: key } })).toBe(1);
    const audits = await database.prisma.auditEvent.findMany({
      where: { entityType: 'BenchmarkRun', entityId: [...ids][0], action: 'benchmark-run.trigger' },
    });
    expect(audits).toHaveLength(1);
  });

  it('hands each of many runs to exactly one of many concurrent leasers (promise 3)', async () => {
    const runIds = new Set<string>();
    for (let index = 0; index < 60; index++) runIds.add(await queueDirectRun());
    const leasedBy = new Map<string, string[]>();
    const leaser = async (runner: string) => {
      for (;;) {
        const run = await leaseNextRun(queue, sparkId, runner);
        if (!run) return;
        leasedBy.set(run.id, [...(leasedBy.get(run.id) ?? []), runner]);
        await reportResult(queue, {
          runId: run.id,
          attempt: run.attempt,
          boxId: sparkId,
          reportKey: randomUUID(),
          levels: [level(1)],
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, index) => leaser(`runner-${index}`)));
    for (const runId of runIds) expect(leasedBy.get(runId)).toHaveLength(1);
    const runs = await database.prisma.benchmarkRun.findMany({
      where: { id: { in: [...runIds] } },
      include: { _count: { select: { results: true } } },
    });
    expect(
      runs.every((run) => run.status === 'SUCCEEDED' && run.attempt === 1 && run._count.results === 1),
    ).toBe(true);
  });

  it('refuses the same key with a different request', async () => {
    const key = randomUUID();
    await api.run(CREATE_RUN, { input: createInput(key) }, { as: 'OPERATOR' });
    const other = await api.run(
      CREATE_RUN,
      { input: createInput(key, { ...tinySpecInput, numPrompts: 3 }) },
      { as: 'OPERATOR' },
    );
    expect(other.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(other.body.errors?.[0]?.message).toMatch(/already used for a different run/);
  });

  it('refuses unknown boxes and variants and invalid profiles, storing nothing', async () => {
    const before = await database.prisma.benchmarkRun.count();
    const unknownBox = await api.run(
      CREATE_RUN,
      { input: { ...createInput(randomUUID()), box: 'no-such-box' } },
      { as: 'OPERATOR' },
    );
    expect(unknownBox.body.errors?.[0]?.message).toMatch(/No box "no-such-box"/);
    const unknownVariant = await api.run(
      CREATE_RUN,
      { input: { ...createInput(randomUUID()), variant: 'nope' } },
      { as: 'OPERATOR' },
    );
    expect(unknownVariant.body.errors?.[0]?.message).toMatch(/No model variant "nope"/);
    const badProfile = await api.run(
      CREATE_RUN,
      {
        input: createInput(randomUUID(), {
          ...tinySpecInput,
          profile: { kind: 'CONCURRENCY', concurrency: [0] },
        }),
      },
      { as: 'OPERATOR' },
    );
    expect(badProfile.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badProfile.body.errors?.[0]?.message).toMatch(
      /input\.spec\.profile\.levels\.0: must be at least 1/,
    );
    const missingRate = await api.run(
      CREATE_RUN,
      { input: createInput(randomUUID(), { ...tinySpecInput, profile: { kind: 'RATE' } }) },
      { as: 'OPERATOR' },
    );
    expect(missingRate.body.errors?.[0]?.message).toMatch(/input\.spec\.profile\.requestsPerSecond/);
    const viewer = await api.run(CREATE_RUN, { input: createInput(randomUUID()) }, { as: 'VIEWER' });
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await database.prisma.benchmarkRun.count()).toBe(before);
  });

  it('runs the runner protocol over GraphQL: lease, heartbeat with progress, report once', async () => {
    const created = await api.run<{ createBenchmarkRun: { id: string } }>(
      CREATE_RUN,
      { input: createInput(randomUUID()) },
      { as: 'OPERATOR' },
    );
    const runId = created.body.data?.createBenchmarkRun.id as string;
    await leaseRun(runId);
    await releaseRun(
      queue,
      { runId, attempt: 1, boxId: sparkId },
      'test hands it back for the GraphQL lease',
    );
    let leasedAttempt = 0;
    for (;;) {
      const lease = await api.run<{
        leaseBenchmarkRun: { id: string; attempt: number; leasedBy: string } | null;
      }>(LEASE, { box: 'dgx-spark' }, { as: 'RUNNER' });
      expect(lease.body.errors).toBeUndefined();
      const leased = lease.body.data?.leaseBenchmarkRun;
      if (!leased) throw new Error('nothing leased');
      if (leased.id === runId) {
        leasedAttempt = leased.attempt;
        expect(leased.leasedBy).toMatch(/^test-runner-.*\/test$/);
        break;
      }
      await api.run(FAIL, { id: leased.id, attempt: leased.attempt, reason: 'drained' }, { as: 'RUNNER' });
    }
    expect(leasedAttempt).toBe(2);
    const progress = {
      levelIndex: 0,
      levelCount: 2,
      phase: 'MEASURE',
      completed: 1,
      failed: 0,
      total: 2,
      outputTokens: 4,
    };
    const beat = await api.run<{ heartbeatBenchmarkRun: { cancelRequested: boolean; progress: unknown } }>(
      HEARTBEAT,
      { id: runId, attempt: 2, progress },
      { as: 'RUNNER' },
    );
    expect(beat.body.errors).toBeUndefined();
    expect(beat.body.data?.heartbeatBenchmarkRun).toMatchObject({ cancelRequested: false, progress });

    const results = [level(1), level(4)];
    const key = randomUUID();
    const reports = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.run<{ reportBenchmarkResult: { status: string } }>(
          REPORT,
          { id: runId, attempt: 2, key, results },
          { as: 'RUNNER' },
        ),
      ),
    );
    for (const report of reports) {
      expect(report.body.errors).toBeUndefined();
      expect(report.body.data?.reportBenchmarkResult.status).toBe('SUCCEEDED');
    }
    const stored = await database.prisma.benchmarkResult.findMany({
      where: { runId },
      orderBy: { concurrency: 'asc' },
    });
    expect(stored.map((result) => [result.fingerprint, result.profileKey, result.source])).toEqual([
      [`run:${runId}:${key}:0`, 'concurrency=1', 'RUNNER'],
      [`run:${runId}:${key}:1`, 'concurrency=4', 'RUNNER'],
    ]);
    expect(await database.prisma.benchmarkRawData.count({ where: { result: { runId } } })).toBe(2);
    // A second report with another key is not a retry: refused, nothing stored.
    const other = await api.run(
      REPORT,
      { id: runId, attempt: 2, key: randomUUID(), results },
      { as: 'RUNNER' },
    );
    expect(other.body.errors?.[0]?.extensions?.code).toBe('STALE_ATTEMPT');
    expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(2);
  });

  it('fences a stale attempt after its lease expired and the run was leased again (promises 1, 2)', async () => {
    const runId = await queueDirectRun();
    await leaseRun(runId, 'runner-a');
    await expireLease(runId);
    const second = await leaseRun(runId, 'runner-b');
    expect(second.attempt).toBe(2);
    expect(second.attemptHistory).toEqual([
      expect.objectContaining({ attempt: 1, runner: 'runner-a', kind: 'lease-expired' }),
    ]);
    const snapshot = await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } });

    const stale = { runId, attempt: 1, boxId: sparkId };
    await expect(heartbeat(queue, stale, null)).rejects.toThrow(
      /attempt 1: the run is LEASED at attempt 2.*stale/,
    );
    await expect(
      reportResult(queue, { ...stale, reportKey: randomUUID(), levels: [level(1)] }),
    ).rejects.toThrow(/stale/);
    await expect(failRun(queue, stale, 'stale failure')).rejects.toThrow(/stale/);
    await expect(releaseRun(queue, stale, 'stale release')).rejects.toThrow(/stale/);
    expect(await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } })).toEqual(snapshot);
    expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(0);

    const viaGraphQL = await api.run(FAIL, { id: runId, attempt: 1, reason: 'stale' }, { as: 'RUNNER' });
    expect(viaGraphQL.body.errors?.[0]?.extensions?.code).toBe('STALE_ATTEMPT');

    await reportResult(queue, {
      runId,
      attempt: 2,
      boxId: sparkId,
      reportKey: randomUUID(),
      levels: [level(1)],
    });
    expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(1);
  });

  it('fails a run whose leases expired maxAttempts times, keeping the reasons', async () => {
    const runId = await queueDirectRun();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const leased = await leaseRun(runId, `runner-${attempt}`);
      expect(leased.attempt).toBe(attempt);
      await expireLease(runId);
    }
    // The next poll notices the third expiry and gives up on the run instead of leasing it.
    const next = await leaseNextRun(queue, sparkId, 'runner-4');
    expect(next?.id).not.toBe(runId);
    if (next) await failRun(queue, { runId: next.id, attempt: next.attempt, boxId: sparkId }, 'drained');
    const run = await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('FAILED');
    expect(run.failureReason).toMatch(/gave up after 3 expired leases/);
    expect(run.attemptHistory).toHaveLength(3);
  });

  it('cancels a queued run at once and a leased run through its heartbeat, audited', async () => {
    const queuedId = await queueDirectRun();
    const cancelled = await api.run<{ cancelBenchmarkRun: { status: string } }>(
      CANCEL,
      { id: queuedId },
      { as: 'OPERATOR' },
    );
    expect(cancelled.body.data?.cancelBenchmarkRun.status).toBe('CANCELLED');

    const leasedId = await queueDirectRun();
    await leaseRun(leasedId);
    const flagged = await api.run<{ cancelBenchmarkRun: { status: string; cancelRequested: boolean } }>(
      CANCEL,
      { id: leasedId },
      { as: 'OPERATOR' },
    );
    expect(flagged.body.data?.cancelBenchmarkRun).toEqual({
      id: leasedId,
      status: 'LEASED',
      cancelRequested: true,
    });
    expect(await heartbeat(queue, { runId: leasedId, attempt: 1, boxId: sparkId }, null)).toEqual({
      cancelRequested: true,
    });
    const ended = await failRun(
      queue,
      { runId: leasedId, attempt: 1, boxId: sparkId },
      'cancelled on request',
    );
    expect(ended.status).toBe('CANCELLED');
    const again = await api.run(CANCEL, { id: leasedId }, { as: 'OPERATOR' });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(
      await database.prisma.auditEvent.count({
        where: { action: 'benchmark-run.cancel', entityId: { in: [queuedId, leasedId] } },
      }),
    ).toBe(2);
  });

  it("refuses a runner token for another box on lease and on the run's calls", async () => {
    const otherBox = await database.prisma.box.create({
      data: {
        ...(({ id: _id, slug: _slug, ...rest }) => rest)(
          await database.prisma.box.findUniqueOrThrow({ where: { slug: 'dgx-spark' } }),
        ),
        slug: 'other-box',
      },
    });
    const otherRunner = await createApiToken(database.prisma, {
      name: 'other-runner',
      role: 'RUNNER',
      boxSlug: otherBox.slug,
    });
    const lease = await api.run(LEASE, { box: 'dgx-spark' }, { token: otherRunner.token });
    expect(lease.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const runId = await queueDirectRun();
    await leaseRun(runId);
    const beat = await api.run(HEARTBEAT, { id: runId, attempt: 1 }, { token: otherRunner.token });
    expect(beat.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const operator = await api.run(LEASE, { box: 'dgx-spark' }, { as: 'OPERATOR' });
    expect(operator.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await failRun(queue, { runId, attempt: 1, boxId: sparkId }, 'done');
  });

  it('refuses a malformed report whole', async () => {
    const runId = await queueDirectRun();
    await leaseRun(runId);
    const broken = [level(1), { summary: { profile: { kind: 'concurrency', maxConcurrency: 0 } } }];
    const report = await api.run(
      REPORT,
      { id: runId, attempt: 1, key: randomUUID(), results: broken },
      { as: 'RUNNER' },
    );
    expect(report.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await database.prisma.benchmarkResult.count({ where: { runId } })).toBe(0);
    expect((await database.prisma.benchmarkRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
      'LEASED',
    );
    await failRun(queue, { runId, attempt: 1, boxId: sparkId }, 'done');
  });
});
