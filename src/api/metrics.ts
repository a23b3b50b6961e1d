import type { ExecutionResult, GraphQLError } from 'graphql';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SweptRun } from '../app/runs/queue';
import { FloorplanError } from '../domain/errors';
import type { PrismaClient } from '../generated/prisma/client';
import { RunStatus } from '../generated/prisma/enums';

/**
 * What operators watch, in Prometheus's text format at `GET /metrics` (prom-client): GraphQL
 * requests, latency and errors per operation, the run queue and runs by state (read from the
 * database at scrape time, so every replica reports the same shared queue), the age of each
 * runner's last heartbeat, and what the lease sweeper reclaimed in this process.
 */
export interface ApiMetrics {
  registry: Registry;
  graphqlPlugin(): Plugin;
  /** The lease sweeper's outcomes in this process (wired through startRunQueue's onSwept). */
  recordSweep(runs: readonly SweptRun[]): void;
}

/** Operation names come from clients: beyond this many distinct ones, the rest share one label. */
const MAX_OPERATION_LABELS = 200;
const OTHER_OPERATIONS = '__other';

interface RequestTiming {
  startedAt: bigint;
  operation: string;
  type: string;
}

export function createApiMetrics(prisma: PrismaClient): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'floorplan_' });

  const requests = new Counter({
    name: 'floorplan_graphql_requests_total',
    help: 'GraphQL requests answered, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'floorplan_graphql_request_duration_seconds',
    help: 'Time from a GraphQL request received to its result, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'floorplan_graphql_errors_total',
    help: 'GraphQL errors in answers, by operation and extensions.code (INTERNAL_SERVER_ERROR when unmapped).',
    labelNames: ['operation', 'code'] as const,
    registers: [registry],
  });
  const swept = new Counter({
    name: 'floorplan_lease_sweeper_runs_total',
    help: 'Runs whose runner stopped heartbeating, reclaimed by this process: requeued, failed as runner lost, or cancelled.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['requeued', 'runner_lost', 'cancelled']) swept.inc({ outcome }, 0);

  // One database read per scrape fills every run gauge; prom-client calls each gauge's collect, the
  // first starts the read and the rest share it. A failed read is reported, not thrown.
  let scrape: Promise<void> | null = null;
  const collect = async () => {
    scrape ??= readRunGauges().finally(() => {
      scrape = null;
    });
    await scrape;
  };
  const databaseUp = new Gauge({
    name: 'floorplan_metrics_database_up',
    help: '1 when the database answered the queries behind the run metrics at this scrape, else 0.',
    registers: [registry],
    collect,
  });
  const queueDepth = new Gauge({
    name: 'floorplan_run_queue_depth',
    help: 'Benchmark runs waiting for a runner (QUEUED).',
    registers: [registry],
    collect,
  });
  const runsByState = new Gauge({
    name: 'floorplan_runs',
    help: 'Benchmark runs by state.',
    labelNames: ['status'] as const,
    registers: [registry],
    collect,
  });
  const heartbeatAge = new Gauge({
    name: 'floorplan_runner_last_heartbeat_age_seconds',
    help: "Seconds since each runner's last heartbeat on a run it held.",
    labelNames: ['runner'] as const,
    registers: [registry],
    collect,
  });

  const readRunGauges = async () => {
    runsByState.reset();
    heartbeatAge.reset();
    try {
      const [counts, heartbeats] = await Promise.all([
        prisma.benchmarkRun.groupBy({ by: ['status'], _count: { _all: true } }),
        prisma.$queryRaw<{ runner: string; age: number }[]>`
          SELECT "leasedBy" AS runner,
                 EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - max("heartbeatAt")))::float8 AS age
          FROM "BenchmarkRun"
          WHERE "leasedBy" IS NOT NULL AND "heartbeatAt" IS NOT NULL
          GROUP BY "leasedBy"
          ORDER BY max("heartbeatAt") DESC
          LIMIT 500`,
      ]);
      for (const status of Object.values(RunStatus)) runsByState.set({ status }, 0);
      for (const row of counts) runsByState.set({ status: row.status }, row._count._all);
      queueDepth.set(counts.find((row) => row.status === 'QUEUED')?._count._all ?? 0);
      for (const row of heartbeats) heartbeatAge.set({ runner: row.runner }, Math.max(0, Number(row.age)));
      databaseUp.set(1);
    } catch {
      databaseUp.set(0);
    }
  };
  const operationLabels = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    const label = name && /^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(name) ? name : 'anonymous';
    if (operationLabels.has(label)) return label;
    if (operationLabels.size >= MAX_OPERATION_LABELS) return OTHER_OPERATIONS;
    operationLabels.add(label);
    return label;
  };

  const timings = new WeakMap<Request, RequestTiming>();

  return {
    registry,
    recordSweep: (runs) => {
      for (const run of runs) {
        swept.inc({
          outcome:
            run.status === 'QUEUED' ? 'requeued' : run.status === 'FAILED' ? 'runner_lost' : 'cancelled',
        });
      }
    },
    graphqlPlugin: (): Plugin => ({
      onParams({ params, request }) {
        timings.set(request, {
          startedAt: process.hrtime.bigint(),
          operation: operationLabel(params.operationName),
          type: 'unknown',
        });
      },
      // A request refused at validation never executes: name it from its document here.
      onValidate({ params, context }) {
        const request = (context as { request?: Request }).request;
        const timing = request && timings.get(request);
        const operation = getOperationAST(params.documentAST, undefined);
        if (timing && operation) {
          timing.operation = operationLabel(operation.name?.value ?? null);
          timing.type = operation.operation;
        }
      },
      onExecute({ args }) {
        const request = (args.contextValue as { request?: Request }).request;
        const timing = request && timings.get(request);
        const operation = getOperationAST(args.document, args.operationName);
        if (timing && operation) {
          timing.operation = operationLabel(operation.name?.value ?? args.operationName);
          timing.type = operation.operation;
        }
      },
      onSubscribe({ args }) {
        const request = (args.contextValue as { request?: Request }).request;
        const timing = request && timings.get(request);
        const operation = getOperationAST(args.document, args.operationName);
        if (timing && operation) {
          timing.operation = operationLabel(operation.name?.value ?? args.operationName);
          timing.type = 'subscription';
        }
      },
      onResultProcess({ request, result }) {
        const timing = timings.get(request);
        if (!timing) return;
        timings.delete(request);
        const labels = { operation: timing.operation, type: timing.type };
        requests.inc(labels);
        latency.observe(labels, Number(process.hrtime.bigint() - timing.startedAt) / 1e9);
        const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
        for (const single of results) {
          for (const error of single?.errors ?? []) {
            errors.inc({ operation: timing.operation, code: codeOf(error as GraphQLError) });
          }
        }
      },
    }),
  };
}

function codeOf(error: GraphQLError): string {
  const code = error.extensions?.code;
  if (typeof code === 'string') return code;
  if (error.originalError instanceof FloorplanError) return error.originalError.code;
  return 'INTERNAL_SERVER_ERROR';
}
