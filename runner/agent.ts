import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  createGraphqlClient,
  GraphqlCallError,
  type GraphqlClient,
  type TypedDocument,
} from '../clients/graphql/client';
import {
  FailBenchmarkRunDocument,
  HeartbeatBenchmarkRunDocument,
  LeaseBenchmarkRunDocument,
  type LeasedRunFragment,
  ReleaseBenchmarkRunDocument,
  ReportBenchmarkResultDocument,
} from '../clients/graphql/operations.generated';
import { REFUSAL_CODES } from '../src/domain/errors';
import { progressInputOf, runSpecOf } from './leased-run';
import {
  BenchmarkCancelledError,
  type BenchmarkProgress,
  type BenchmarkRunResult,
  runBenchmark,
} from './load';
import type { ProgressBar } from './progress-bar';
import { launchServer, type ServerConfiguration } from './server-configurations';
import { describeProfile } from './summary-table';

/**
 * The runner agent that lives next to vLLM on a box: lease the box's next run, measure it against
 * the local endpoint, heartbeat with partial progress, report the results, repeat. The API may be
 * down or restarting at any point, so every call but the lease itself is retried with backoff, and
 * a report keeps its key across retries so that a report whose answer was lost is not stored twice.
 * Fencing (the attempt number) makes a runner that lost its lease harmless: the API refuses its
 * calls, and the agent stops working on that run.
 */

export interface RunnerAgentOptions {
  /** API base URL, e.g. http://127.0.0.1:4000 (the agent posts to /graphql). */
  apiUrl: string;
  /** A runner token scoped to this box. */
  token: string;
  box: string;
  /** The local OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1. */
  endpointUrl: string;
  /** Served model name, when the local server's differs from the run spec's. */
  model?: string | undefined;
  endpointApiKey?: string | undefined;
  /** This instance, shown as the run's leasedBy (host:pid by default). */
  runnerName: string;
  /** How long to wait before polling again when no run is queued. */
  pollIntervalMs: number;
  retry: { initialDelayMs: number; maxDelayMs: number };
  /** Aborted on SIGTERM: stop leasing, abort the current run and hand it back. */
  stopSignal: AbortSignal;
  log: (line: string) => void;
  progressBar?: ProgressBar | null | undefined;
  /** Named launch commands a run may ask for (`serverConfigurations` in its spec). */
  serverConfigurations?: readonly ServerConfiguration[] | undefined;
  /** How long a launched server may take to answer /v1/models (default 15 minutes: weights load slowly). */
  serverStartupTimeoutMs?: number | undefined;
  /** `--timeout`: no byte for this long fails a request (the spec's idleTimeoutS when absent). */
  idleTimeoutMs?: number | undefined;
  /** `--max-failures`: failed requests in a row that fail the run (default 3; 0 never). */
  maxFailures?: number | undefined;
}

/** Raw records beyond this many bytes stay out of the report: the API caps request bodies. */
const REPORT_RECORDS_BUDGET_BYTES = 80_000;
const MAX_REASON_CHARS = 4_000;
/** After SIGTERM, how long hand-back and final calls keep retrying before the lease expiry takes over. */
const SHUTDOWN_GRACE_MS = 10_000;

export class ApiRefusal extends Error {
  override readonly name = 'ApiRefusal';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

class TransientApiError extends Error {
  override readonly name = 'TransientApiError';
}

type LeasedRun = LeasedRunFragment;

/**
 * The runner's calls through the one GraphQL transport, sorted into what a retry can fix
 * (`TransientApiError`) and what it cannot (`ApiRefusal`).
 */
class RunnerApiClient {
  private readonly client: GraphqlClient;
  constructor(apiUrl: string, token: string) {
    this.client = createGraphqlClient({
      url: new URL('/graphql', apiUrl).toString(),
      token,
      clientName: 'floorplan-runner',
      timeoutMs: 30_000,
    });
  }

  async call<Result, Variables>(
    document: TypedDocument<Result, Variables>,
    variables: NoInfer<Variables>,
  ): Promise<Result> {
    try {
      return await this.client.execute(document, variables);
    } catch (error) {
      if (!(error instanceof GraphqlCallError)) throw error;
      if (error.code !== null && REFUSAL_CODES.has(error.code))
        throw new ApiRefusal(error.code, error.message);
      throw new TransientApiError(`${error.code === null ? '' : `(${error.code}) `}${error.message}`);
    }
  }
}

async function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  await delay(milliseconds, undefined, signal ? { signal } : {}).catch(() => {});
}

/** Heartbeat often enough that two can be missed before the lease runs out. */
function heartbeatIntervalMs(run: LeasedRun): number {
  const leaseMs =
    run.leaseExpiresAt && run.heartbeatAt
      ? Date.parse(run.leaseExpiresAt) - Date.parse(run.heartbeatAt)
      : 30_000;
  return Math.min(5_000, Math.max(200, Math.floor(leaseMs / 3)));
}

export async function runRunnerAgent(options: RunnerAgentOptions): Promise<void> {
  const api = new RunnerApiClient(options.apiUrl, options.token);
  const log = (line: string): void => {
    options.progressBar?.finish();
    options.log(line);
  };
  const shutdownDeadline = (): AbortSignal => {
    const deadline = new AbortController();
    const arm = (): void => {
      setTimeout(() => deadline.abort(), SHUTDOWN_GRACE_MS).unref();
    };
    if (options.stopSignal.aborted) arm();
    else options.stopSignal.addEventListener('abort', arm, { once: true });
    return deadline.signal;
  };

  /** Retries transient failures with exponential backoff until the API answers or `giveUp` aborts. */
  async function untilAnswered<Data>(
    what: string,
    call: () => Promise<Data>,
    giveUp: AbortSignal,
  ): Promise<Data> {
    let delayMs = options.retry.initialDelayMs;
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof TransientApiError) || giveUp.aborted) throw error;
        log(`${what}: ${error.message}; retrying in ${delayMs} ms`);
        await sleep(delayMs, giveUp);
        delayMs = Math.min(options.retry.maxDelayMs, delayMs * 2);
      }
    }
  }

  let idleBackoffMs = options.retry.initialDelayMs;
  log(`runner ${options.runnerName}: polling ${options.apiUrl} for runs on box ${options.box}`);
  while (!options.stopSignal.aborted) {
    let run: LeasedRun | null;
    try {
      const data = await api.call(LeaseBenchmarkRunDocument, {
        box: options.box,
        runner: options.runnerName,
      });
      run = data.leaseBenchmarkRun;
      idleBackoffMs = options.retry.initialDelayMs;
    } catch (error) {
      // A refused lease (wrong box, revoked token) will be refused again: stop with the reason.
      if (error instanceof ApiRefusal) throw error;
      log(`lease: ${(error as Error).message}; retrying in ${idleBackoffMs} ms`);
      await sleep(idleBackoffMs, options.stopSignal);
      idleBackoffMs = Math.min(options.retry.maxDelayMs, idleBackoffMs * 2);
      continue;
    }
    if (!run) {
      await sleep(options.pollIntervalMs, options.stopSignal);
      continue;
    }
    await executeRun(run);
  }
  log(`runner ${options.runnerName}: stopped`);

  async function executeRun(run: LeasedRun): Promise<void> {
    const label = `run ${run.id} attempt ${run.attempt}`;
    log(`${label}: leased`);
    const attemptAbort = new AbortController();
    let abortCause: 'cancel' | 'stop' | 'lost-lease' | null = null;
    const abort = (cause: NonNullable<typeof abortCause>): void => {
      if (abortCause !== null) return;
      abortCause = cause;
      attemptAbort.abort();
    };
    const onStop = (): void => abort('stop');
    if (options.stopSignal.aborted) onStop();
    options.stopSignal.addEventListener('abort', onStop, { once: true });
    const giveUp = shutdownDeadline();
    const fenced = { id: run.id, attempt: run.attempt };

    let latestProgress: BenchmarkProgress | null = null;
    // Heartbeats go on after an abort (until the run is handed back or failed), so they wait on
    // their own signal.
    const heartbeatStop = new AbortController();
    const heartbeats = (async () => {
      const intervalMs = heartbeatIntervalMs(run);
      let sentProgress: BenchmarkProgress | null = null;
      while (!heartbeatStop.signal.aborted) {
        await sleep(intervalMs, heartbeatStop.signal);
        if (heartbeatStop.signal.aborted || abortCause === 'lost-lease') return;
        try {
          const progress: BenchmarkProgress | null = latestProgress === sentProgress ? null : latestProgress;
          const data = await api.call(HeartbeatBenchmarkRunDocument, {
            ...fenced,
            progress: progress === null ? null : progressInputOf(progress),
          });
          sentProgress = progress ?? sentProgress;
          if (data.heartbeatBenchmarkRun.cancelRequested) abort('cancel');
        } catch (error) {
          if (error instanceof ApiRefusal) {
            log(`${label}: ${error.message}`);
            abort('lost-lease');
            return;
          }
          log(`${label}: heartbeat failed (${(error as Error).message}); still measuring`);
        }
      }
    })();

    const finalCall = async (
      operation: 'FailBenchmarkRun' | 'ReleaseBenchmarkRun',
      reason: string,
    ): Promise<void> => {
      // The API takes at most 10,000 characters of reason; the start names the cause.
      if (reason.length > MAX_REASON_CHARS) reason = `${reason.slice(0, MAX_REASON_CHARS - 20)}… (cut)`;
      const call = (): Promise<unknown> =>
        operation === 'FailBenchmarkRun'
          ? api.call(FailBenchmarkRunDocument, { ...fenced, reason })
          : api.call(ReleaseBenchmarkRunDocument, { ...fenced, reason });
      try {
        await untilAnswered(operation, call, giveUp);
      } catch (error) {
        // Refused: another attempt owns the run now. Unreachable past the grace: the lease expires.
        log(`${label}: ${operation} not accepted (${(error as Error).message})`);
      }
    };

    try {
      const parsed = runSpecOf(run.spec);
      if (!parsed.success) {
        await finalCall('FailBenchmarkRun', `invalid run spec: ${parsed.errors.join('; ')}`);
        return;
      }
      const spec = options.model ? { ...parsed.spec, model: options.model } : parsed.spec;
      const known = options.serverConfigurations ?? [];
      const unknown = spec.serverConfigurations.filter(
        (name) => !known.some((config) => config.name === name),
      );
      if (unknown.length > 0) {
        await finalCall(
          'FailBenchmarkRun',
          `this runner has no server configuration named ${unknown.join(', ')}; it knows ${known.map((config) => config.name).join(', ') || 'none'} (start it with --server-config NAME=COMMAND)`,
        );
        return;
      }
      let measured: BenchmarkRunResult;
      try {
        const onProgress = (serverConfiguration: string | null) => (progress: BenchmarkProgress) => {
          latestProgress = serverConfiguration === null ? progress : { ...progress, serverConfiguration };
          options.progressBar?.update(progress);
        };
        if (spec.serverConfigurations.length === 0) {
          measured = await runBenchmark(spec, {
            endpointUrl: options.endpointUrl,
            apiKey: options.endpointApiKey,
            signal: attemptAbort.signal,
            onProgress: onProgress(null),
            idleTimeoutMs: options.idleTimeoutMs,
            maxFailures: options.maxFailures,
          });
        } else {
          measured = { levels: [] };
          // One configuration at a time: each owns the box's memory while it runs.
          for (const name of spec.serverConfigurations) {
            const configuration = known.find((config) => config.name === name) as ServerConfiguration;
            const server = await launchServer(configuration, {
              startupTimeoutMs: options.serverStartupTimeoutMs ?? 15 * 60_000,
              signal: attemptAbort.signal,
              log,
            });
            try {
              const result = await runBenchmark(spec, {
                endpointUrl: server.endpointUrl,
                apiKey: options.endpointApiKey,
                signal: attemptAbort.signal,
                onProgress: onProgress(name),
                idleTimeoutMs: options.idleTimeoutMs,
                maxFailures: options.maxFailures,
              }).catch((error: unknown) => {
                if (error instanceof BenchmarkCancelledError) {
                  throw new BenchmarkCancelledError([...measured.levels, ...error.completedLevels]);
                }
                throw error;
              });
              for (const level of result.levels) level.summary.serverConfiguration = name;
              measured.levels.push(...result.levels);
            } finally {
              await server.stop();
              log(`server configuration ${name}: stopped`);
            }
          }
        }
      } catch (error) {
        options.progressBar?.finish();
        if (error instanceof BenchmarkCancelledError) {
          if (abortCause === 'stop') {
            log(`${label}: shutting down; handing the run back`);
            await finalCall(
              'ReleaseBenchmarkRun',
              `runner ${options.runnerName} shut down mid-run (SIGTERM)`,
            );
          } else if (abortCause === 'cancel') {
            log(`${label}: cancellation requested; stopping`);
            await finalCall(
              'FailBenchmarkRun',
              `cancelled on request after ${error.completedLevels.length} completed levels`,
            );
          }
          return;
        }
        if (abortCause === 'stop') {
          // Stopped while a server configuration was starting: hand the run back all the same.
          await finalCall('ReleaseBenchmarkRun', `runner ${options.runnerName} shut down mid-run (SIGTERM)`);
          return;
        }
        await finalCall('FailBenchmarkRun', `measurement failed: ${(error as Error).message}`);
        return;
      }
      options.progressBar?.finish();
      const failedLevels = measured.levels.filter((level) => level.summary.completed === 0);
      // An SLO search expects overloaded levels to fail; only a search where nothing succeeded is broken.
      const searchFailed =
        spec.profile.kind === 'slo-search'
          ? failedLevels.length === measured.levels.length
          : failedLevels.length > 0;
      if (searchFailed) {
        const reasons = failedLevels.map(
          (level) =>
            `${describeProfile(level.summary.profile)}: ${level.summary.warnings.join('; ') || 'no request succeeded'}`,
        );
        log(`${label}: failed: ${reasons.join(' | ')}`);
        await finalCall('FailBenchmarkRun', `no request succeeded at ${reasons.join(' | ')}`);
        return;
      }
      await report(run, measured, fenced, giveUp, label);
    } finally {
      heartbeatStop.abort();
      attemptAbort.abort();
      options.stopSignal.removeEventListener('abort', onStop);
      await heartbeats;
    }
  }

  async function report(
    run: LeasedRun,
    measured: BenchmarkRunResult,
    fenced: { id: string; attempt: number },
    giveUp: AbortSignal,
    label: string,
  ): Promise<void> {
    let results = measured.levels.map((level) => ({
      summary: level.summary,
      records: level.records as unknown[] | null,
    }));
    const recordsBytes = JSON.stringify(results.map((level) => level.records)).length;
    if (recordsBytes > REPORT_RECORDS_BUDGET_BYTES) {
      const note = `raw per-request records (${recordsBytes} bytes) were too large to report; not stored`;
      results = results.map((level) => ({
        summary: { ...level.summary, warnings: [...level.summary.warnings, note] },
        records: null,
      }));
    }
    // One key per attempt, kept across retries: a retried report after a lost answer is recognised.
    const reportKey = `${run.id}-${run.attempt}-${randomUUID()}`;
    try {
      await untilAnswered(
        'report',
        () => api.call(ReportBenchmarkResultDocument, { ...fenced, reportKey, results }),
        giveUp,
      );
      log(`${label}: reported ${results.length} result(s)`);
    } catch (error) {
      log(`${label}: report not accepted (${(error as Error).message})`);
    }
  }
}
