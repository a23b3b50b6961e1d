import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/api/server';
import { createApiToken } from '../../../src/app/auth/tokens';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { type ChildHandle, startRunnerProcess, waitFor } from '../../support/processes';
import { graphqlAt } from './helpers';

/**
 * The SLO search end to end, with real processes on loopback: an operator queues an SLO_SEARCH run
 * through GraphQL createBenchmarkRun; a runner process (bin/floorplan.js runner) leases it and, for
 * each named server configuration, launches the loaded fake as its own child process (the way it
 * would launch vLLM), waits until it answers, sweeps it and stops it; the report is stored as one
 * sweep per configuration with its levels. The fake's latency model gives the known answers:
 * TPOT = 3c ms (baseline) and 2c ms (quantized), so at TPOT mean ≤ 17 ms the largest concurrency
 * is 5 and 8. The API runs in this process, on PGlite or Postgres.
 */

const FAKE = 'node --import tsx test/fakes/loaded-server-main.ts --port {port}';

describe('SLO search: GraphQL → runner process → launched server configurations → stored sweeps', () => {
  let database: TestDatabase;
  let api: ApiServer;
  let runner: ChildHandle | undefined;
  let operatorToken: string;
  let runnerToken: string;

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
      await createApiToken(database.prisma, { name: 'spark-runner', role: 'RUNNER', boxSlug: 'dgx-spark' })
    ).token;
  }, 60_000);

  afterAll(async () => {
    await runner?.kill('SIGTERM');
    await api?.close();
    await database?.drop();
  });

  it('finds each configuration’s largest concurrency at the SLO and records the configuration', async () => {
    runner = startRunnerProcess({
      apiUrl: api.url,
      token: runnerToken,
      // Never called: every run here names its server configurations.
      endpointUrl: 'http://127.0.0.1:9/v1',
      name: 'spark-sweeper',
      extraArgs: [
        '--server-config',
        `baseline=${FAKE} --config baseline`,
        '--server-config',
        `quantized=${FAKE} --config quantized`,
        '--server-startup-timeout-s',
        '60',
      ],
    });
    const created = await graphqlAt<{ createBenchmarkRun: { id: string; status: string } }>(
      api.url,
      operatorToken,
      `mutation Create($input: CreateBenchmarkRunInput!) { createBenchmarkRun(input: $input) { id status spec { model } } }`,
      {
        input: {
          box: 'dgx-spark',
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
            serverConfigurations: ['baseline', 'quantized'],
          },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const runId = created.data?.createBenchmarkRun.id as string;

    interface SweepView {
      id: string;
      serverConfiguration: string | null;
      endReason: string;
      maxConcurrencyAtSlo: number | null;
      firstMissConcurrency: number | null;
      goodputRequestsPerSecond: number | null;
      goodputOutputTokensPerSecond: number | null;
      slos: { tpotMeanMs: number | null };
      levels: {
        concurrency: number;
        phase: string;
        meetsSlo: boolean;
        result: { id: string; serverConfiguration: string | null; sloSweep: { id: string } | null } | null;
      }[];
    }
    const run = await waitFor(
      'the SLO search run to finish',
      async () => {
        const answer = await graphqlAt<{
          benchmarkRun: { status: string; failureReason: string | null; sloSweeps: SweepView[] };
        }>(
          api.url,
          operatorToken,
          `query Run($id: ID!) { benchmarkRun(id: $id) { status failureReason sloSweeps {
            id serverConfiguration endReason maxConcurrencyAtSlo firstMissConcurrency
            goodputRequestsPerSecond goodputOutputTokensPerSecond slos { tpotMeanMs }
            levels { concurrency phase meetsSlo result { id serverConfiguration sloSweep { id } } } } } }`,
          { id: runId },
        );
        const value = answer.data?.benchmarkRun;
        return value && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(value.status) ? value : null;
      },
      { timeoutMs: 120_000, intervalMs: 250, describe: () => runner?.output() ?? '' },
    );
    expect(run.failureReason).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    const byConfiguration = new Map(run.sloSweeps.map((sweep) => [sweep.serverConfiguration, sweep]));
    const baseline = byConfiguration.get('baseline');
    const quantized = byConfiguration.get('quantized');
    // Steady state crosses TPOT 17 ms at c = 17/3 ≈ 5.67 (baseline, 3c ms) and 8.5 (quantized, 2c ms):
    // between integers, where the issue asks for the answer within one bisection step. A level's
    // measured mean sits a little under steady state when the runner refills a slot late (its first
    // and last requests see fewer streams), which on a loaded machine can let c = 6 pass; the exact
    // crossing is asserted on the in-process fake (test/integration/runner-measure/slo-search.test.ts).
    expect([5, 6]).toContain(baseline?.maxConcurrencyAtSlo);
    expect([8, 9]).toContain(quantized?.maxConcurrencyAtSlo);
    for (const sweep of [baseline, quantized]) {
      expect(sweep?.firstMissConcurrency).toBe((sweep?.maxConcurrencyAtSlo ?? 0) + 1);
    }
    for (const sweep of [baseline, quantized]) {
      expect(sweep?.endReason).toBe('BRACKETED');
      expect(sweep?.slos.tpotMeanMs).toBe(17);
      expect(sweep?.goodputRequestsPerSecond).toBeGreaterThan(0);
      expect(sweep?.goodputOutputTokensPerSecond).toBeGreaterThan(sweep?.goodputRequestsPerSecond ?? 0);
      // Every level is a stored result that records its configuration and its sweep.
      for (const level of sweep?.levels ?? []) {
        expect(level.result?.serverConfiguration).toBe(sweep?.serverConfiguration);
        expect(level.result?.sloSweep?.id).toBe(sweep?.id);
      }
    }
    // Geometric climb to the first miss, then bisection between the last pass and the first miss.
    const baselineLevels = baseline?.levels.map((level) => [level.concurrency, level.phase]) ?? [];
    expect(baselineLevels.slice(0, 5)).toEqual([
      [1, 'CLIMB'],
      [2, 'CLIMB'],
      [4, 'CLIMB'],
      [8, 'CLIMB'],
      [6, 'BISECT'],
    ]);
    expect(baselineLevels.slice(5)).toEqual([[baseline?.maxConcurrencyAtSlo === 6 ? 7 : 5, 'BISECT']]);
    // The runner started and stopped each configuration.
    const output = runner.output();
    expect(output).toContain('server configuration baseline: healthy');
    expect(output).toContain('server configuration quantized: stopped');

    // The lab workload's Spark answer now rests on the sweep: sized at the best configuration's
    // largest level within its SLO (decode ≥ 15 tok/s), citing the sweep, and HIGH_CONFIDENCE passes.
    const { name: _name, ...lab } = JSON.parse(
      readFileSync('seeds/workloads/lab-retrieval.json', 'utf8'),
    ) as Record<string, unknown>;
    const decided = await graphqlAt<{
      decide: {
        paths: {
          pathSlug: string;
          verdicts: {
            axis: string;
            pass: boolean;
            sentence: string;
            shortfall: string | null;
            evidenceIds: string[];
          }[];
        }[];
        warnings: { code: string; message: string }[];
      };
    }>(
      api.url,
      operatorToken,
      `query Decide($workload: WorkloadInput!) { decide(workload: $workload) {
        paths { pathSlug verdicts { axis pass sentence shortfall evidenceIds } }
        warnings { code message } } }`,
      { workload: lab },
    );
    expect(JSON.stringify(decided.errors)).toBeUndefined();
    const spark = decided.data?.decide.paths.find((option) => option.pathSlug === 'dgx-spark');
    const verdict = (axis: string) => spark?.verdicts.find((entry) => entry.axis === axis);
    const fast = verdict('FAST');
    // TPOT 2c ms on the quantized configuration: every level meets 15 tok/s, so the Spark is sized at
    // the highest one measured in full: at least 8 (a level above the sweep's own limit runs in full
    // when only its last request proves it over; a level stopped earlier has partial statistics and
    // is not sized on).
    expect(fast?.pass).toBe(true);
    expect(fast?.evidenceIds[0]).toBe(quantized?.id);
    expect(fast?.sentence).toContain(`SLO sweep ${quantized?.id}, configuration quantized`);
    const sizedAt = Number(/at concurrency (\d+) on Owned DGX Spark/.exec(fast?.sentence ?? '')?.[1]);
    expect(sizedAt).toBeGreaterThanOrEqual(8);
    expect(quantized?.levels.map((level) => level.concurrency)).toContain(sizedAt);
    expect(verdict('HIGH_CONFIDENCE')?.pass).toBe(true);
    const sparkWarnings = decided.data?.decide.warnings.filter((warning) =>
      warning.message.startsWith('dgx-spark/'),
    );
    expect(sparkWarnings?.map((warning) => warning.code)).not.toContain('ASSUMED_THROUGHPUT');
    expect(sparkWarnings?.map((warning) => warning.code)).not.toContain('NO_SLO_SWEEP');

    // The frontier prices the Spark once per configuration, each on its own sweep's goodput.
    const priced = await graphqlAt<{
      frontier: {
        points: {
          id: string;
          sweepId: string | null;
          serverConfiguration: string | null;
          costPerMillionGoodputTokens: { amount: string } | null;
          goodputTokensPerMonth: number;
          flags: { code: string }[];
        }[];
      };
    }>(
      api.url,
      operatorToken,
      `query Frontier($workload: WorkloadInput!) { frontier(workload: $workload) { points {
        id sweepId serverConfiguration costPerMillionGoodputTokens { amount } goodputTokensPerMonth flags { code } } } }`,
      { workload: lab },
    );
    expect(JSON.stringify(priced.errors)).toBeUndefined();
    const sparkPoints = (priced.data?.frontier.points ?? []).filter((point) =>
      point.id.startsWith('dgx-spark/'),
    );
    expect(sparkPoints.map((point) => point.serverConfiguration).sort()).toEqual(['baseline', 'quantized']);
    for (const point of sparkPoints) {
      expect(point.sweepId).toBe(byConfiguration.get(point.serverConfiguration)?.id);
      expect(point.costPerMillionGoodputTokens?.amount).toMatch(/^\d+(\.\d+)?$/);
      expect(point.goodputTokensPerMonth).toBeGreaterThan(0);
      const codes = point.flags.map((flag) => flag.code);
      expect(codes).not.toContain('ASSUMED_THROUGHPUT');
      expect(codes).not.toContain('GOODPUT_NOT_MEASURED');
    }
  }, 150_000);
});
