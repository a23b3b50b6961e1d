import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { createApiToken } from '../../../src/app/auth/tokens';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { type ChildHandle, startRunnerProcess, waitFor } from '../../support/processes';
import { graphqlAt } from './helpers';

/**
 * A rented instance measured by a real runner (issue 16, item 3): a runner process registered for the
 * rented box p5-48xlarge (the EC2 p5 paths' hardware) leases an SLO search, launches the loaded fake
 * as its server configuration (TPOT = 2c ms), sweeps it and reports; `decide` and `frontier` then
 * size the EC2 on-demand path on that sweep instead of its flagged capacity assumption. The
 * workload is the lab's with a per-user speed of 58.8 tok/s (TPOT ≤ 17.007 ms), just looser than the
 * sweep's 17 ms, so the levels that met the sweep are exactly the ones that meet the workload and
 * their goodput counts at the workload's SLOs.
 */

const FAKE = 'node --import tsx test/fakes/loaded-server-main.ts --port {port}';

describe('SLO search on a rented instance: runner process on p5-48xlarge → decide and frontier', () => {
  let database: TestDatabase;
  let api: ApiServer;
  let runner: ChildHandle | undefined;
  let operatorToken: string;
  let runnerToken: string;
  const { name: _name, ...lab } = JSON.parse(
    readFileSync('seeds/workloads/lab-retrieval.json', 'utf8'),
  ) as Record<string, unknown>;
  const workload = { ...lab, minDecodeTokensPerSecond: 58.8 };

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startApiServer({
      prisma: database.prisma,
      host: '127.0.0.1',
      port: 0,
      isProduction: false,
      publicCatalog: false,
    });
    operatorToken = (await createApiToken(database.prisma, { name: 'operator', role: 'OPERATOR' })).token;
    runnerToken = (
      await createApiToken(database.prisma, { name: 'p5-runner', role: 'RUNNER', boxSlug: 'p5-48xlarge' })
    ).token;
  }, 60_000);

  afterAll(async () => {
    await runner?.kill('SIGTERM');
    await api?.close();
    await database?.drop();
  });

  interface FrontierPoint {
    id: string;
    sweepId: string | null;
    concurrency: number | null;
    unitsNeeded: number;
    monthlyCost: { amount: string };
    goodputTokensPerMonth: number;
    costPerMillionGoodputTokens: { amount: string } | null;
    evidenceIds: string[];
    flags: { code: string }[];
  }
  const FRONTIER = `query Frontier($workload: WorkloadInput!) { frontier(workload: $workload) { points {
    id sweepId concurrency unitsNeeded monthlyCost { amount } goodputTokensPerMonth
    costPerMillionGoodputTokens { amount } evidenceIds flags { code } } } }`;
  const DECIDE = `query Decide($workload: WorkloadInput!) { decide(workload: $workload) {
    paths { pathSlug verdicts { axis sentence evidenceIds } } warnings { code optionId } } }`;
  interface DecideData {
    decide: {
      paths: { pathSlug: string; verdicts: { axis: string; sentence: string; evidenceIds: string[] }[] }[];
      warnings: { code: string; optionId: string }[];
    };
  }
  const P5 = 'ec2-p5-on-demand/llama-3.1-8b-lora';
  const p5Point = async () => {
    const answer = await graphqlAt<{ frontier: { points: FrontierPoint[] } }>(
      api.url,
      operatorToken,
      FRONTIER,
      {
        workload,
      },
    );
    expect(JSON.stringify(answer.errors)).toBeUndefined();
    return answer.data?.frontier.points.find((point) => point.id === P5);
  };
  const decideP5 = async () => {
    const answer = await graphqlAt<DecideData>(api.url, operatorToken, DECIDE, { workload });
    expect(JSON.stringify(answer.errors)).toBeUndefined();
    const decided = answer.data?.decide;
    return {
      fast: decided?.paths
        .find((path) => path.pathSlug === 'ec2-p5-on-demand')
        ?.verdicts.find((verdict) => verdict.axis === 'FAST'),
      warnings: decided?.warnings.filter((warning) => warning.optionId === P5).map((warning) => warning.code),
    };
  };

  it('sizes the EC2 on-demand path on the sweep its runner measured, and says so before it exists', async () => {
    // Before: the assumed 300,000 tok/min per instance, flagged, and what to run.
    const before = await p5Point();
    expect(before?.sweepId).toBeNull();
    expect(before?.flags.map((flag) => flag.code)).toContain('ASSUMED_THROUGHPUT');
    expect(before?.evidenceIds).toContain('ec2-p5-tokens-per-instance');
    const decidedBefore = await decideP5();
    expect(decidedBefore.fast?.sentence).toContain('assumed, not measured');
    expect(decidedBefore.warnings).toEqual(expect.arrayContaining(['ASSUMED_THROUGHPUT', 'NO_SLO_SWEEP']));

    runner = startRunnerProcess({
      apiUrl: api.url,
      token: runnerToken,
      box: 'p5-48xlarge',
      endpointUrl: 'http://127.0.0.1:9/v1',
      name: 'p5-sweeper',
      extraArgs: ['--server-config', `tp8=${FAKE} --config quantized`, '--server-startup-timeout-s', '60'],
    });
    const created = await graphqlAt<{ createBenchmarkRun: { id: string } }>(
      api.url,
      operatorToken,
      `mutation Create($input: CreateBenchmarkRunInput!) { createBenchmarkRun(input: $input) { id } }`,
      {
        input: {
          box: 'p5-48xlarge',
          variant: 'llama-3.1-8b-lora',
          endpointKind: 'COMPLETIONS',
          idempotencyKey: randomUUID(),
          spec: {
            profile: { kind: 'SLO_SEARCH', slos: { tpotMeanMs: 17 }, maxConcurrency: 64 },
            numPrompts: 8,
            inputTokens: 16,
            outputTokens: 32,
            warmupRequests: 1,
            model: 'fake-model',
            serverConfigurations: ['tp8'],
          },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    interface SweepView {
      id: string;
      maxConcurrencyAtSlo: number | null;
      levels: {
        concurrency: number;
        meetsSlo: boolean;
        stoppedEarly: boolean;
        goodputOutputTokensPerSecond: number | null;
      }[];
    }
    const run = await waitFor(
      'the SLO search on the rented box to finish',
      async () => {
        const answer = await graphqlAt<{
          benchmarkRun: { status: string; failureReason: string | null; sloSweeps: SweepView[] };
        }>(
          api.url,
          operatorToken,
          `query Run($id: ID!) { benchmarkRun(id: $id) { status failureReason sloSweeps {
            id maxConcurrencyAtSlo levels { concurrency meetsSlo stoppedEarly goodputOutputTokensPerSecond } } } }`,
          { id: created.data?.createBenchmarkRun.id },
        );
        const value = answer.data?.benchmarkRun;
        return value && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(value.status) ? value : null;
      },
      { timeoutMs: 120_000, intervalMs: 250, describe: () => runner?.output() ?? '' },
    );
    expect(run.failureReason).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    const sweep = run.sloSweeps[0] as SweepView;
    // TPOT 2c ms crosses 17 ms at c = 8.5: the answer within one bisection step under load.
    expect([8, 9]).toContain(sweep.maxConcurrencyAtSlo);

    // After: sized on the sweep, at a level that met its SLO, citing it; the assumption is gone.
    const after = await p5Point();
    expect(after?.sweepId).toBe(sweep.id);
    expect(after?.evidenceIds[0]).toBe(sweep.id);
    expect(after?.evidenceIds).not.toContain('ec2-p5-tokens-per-instance');
    const codes = after?.flags.map((flag) => flag.code) ?? [];
    for (const code of ['ASSUMED_THROUGHPUT', 'GOODPUT_NOT_MEASURED', 'GOODPUT_AT_OTHER_SLOS', 'MISSES_SLO'])
      expect(codes).not.toContain(code);
    const sized = sweep.levels.find(
      (level) => level.concurrency === after?.concurrency && !level.stoppedEarly,
    );
    expect(sized?.meetsSlo).toBe(true);
    const goodput = sized?.goodputOutputTokensPerSecond as number;
    expect(goodput).toBeGreaterThan(0);
    // $/1M goodput tokens = hourly price / goodput tokens an hour: each instance costs $55.04 an hour
    // for the 10 h x 22 days = 220 active hours ($12,108.80 a month) and serves goodput x 3,600
    // tokens an hour, so units x $55.04 x 220 / (units x goodput x 3,600 x 220) x 1e6 = 55.04e6 / (goodput x 3,600).
    const units = after?.unitsNeeded as number;
    expect(after?.monthlyCost.amount).toBe(String(12108.8 * units));
    expect(after?.goodputTokensPerMonth).toBeCloseTo(units * goodput * 220 * 3600, 0);
    const perMillion = Number(after?.costPerMillionGoodputTokens?.amount);
    expect(perMillion).toBeCloseTo(55.04e6 / (goodput * 3600), 6);

    const decidedAfter = await decideP5();
    expect(decidedAfter.fast?.evidenceIds[0]).toBe(sweep.id);
    expect(decidedAfter.fast?.sentence).toContain(`SLO sweep ${sweep.id}, configuration tp8`);
    expect(decidedAfter.warnings).not.toContain('ASSUMED_THROUGHPUT');
    expect(decidedAfter.warnings).not.toContain('NO_SLO_SWEEP');
    expect(runner.output()).toContain('server configuration tp8: stopped');
  }, 150_000);
});
