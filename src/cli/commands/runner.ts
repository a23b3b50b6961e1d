import { hostname } from 'node:os';

import { ApiRefusal, runRunnerAgent } from '../../../runner/agent';
import { DEFAULT_MAX_FAILURES } from '../../../runner/load';
import { ProgressBar } from '../../../runner/progress-bar';
import { parseServerConfiguration, type ServerConfiguration } from '../../../runner/server-configurations';
import { parseCommandArgs, UsageError } from '../command';

/**
 * `floorplan runner`: the agent next to vLLM on a box. It runs until SIGTERM or SIGINT, then stops
 * leasing, aborts the run in progress and hands it back, so no run stays leased (systemd sends
 * SIGTERM on stop; see deploy/floorplan-runner.service).
 */

export const USAGE = `usage: floorplan runner --api URL --box SLUG --endpoint URL [options]

  --api URL               floorplan API, e.g. http://10.0.0.5:4000
  --token TOKEN           runner token for this box (or env FLOORPLAN_RUNNER_TOKEN; prefer the env)
  --box SLUG              this box, e.g. dgx-spark (must be the token's box)
  --endpoint URL          local OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1
  --model NAME            served model name, when it differs from the run spec's (or env FLOORPLAN_MODEL)
  --name NAME             this runner instance in leasedBy (default host:pid)
  --poll-interval-ms N    wait between polls when nothing is queued (default 2000)
  --max-backoff-ms N      longest wait between retries while the API is unreachable (default 30000)
  --server-config NAME=COMMAND
                          a named server configuration runs may ask for (repeatable); the runner
                          starts COMMAND with {port} replaced by a free port, waits until
                          /v1/models answers, measures, and stops it, e.g.
                          --server-config "fp8=vllm serve my-model --port {port} --max-num-seqs 64"
  --server-startup-timeout-s N   how long a configuration may take to become healthy (default 900)
  --timeout S             a request fails when no byte arrives for S seconds, before the first
                          chunk or between chunks (default: the run spec's idleTimeoutS, 15)
  --max-failures N        fail a run after N failed requests in a row, naming their causes
                          (default 3; 0 never stops); 429s are retried first (Retry-After, backoff)
  env OPENAI_API_KEY      sent to the endpoint as a bearer token when set`;

function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new UsageError(`${flag} must be a whole number, got "${value}".`);
  return parsed;
}

function httpUrl(value: string | undefined, flag: string, example: string): string {
  if (!value) throw new UsageError(`${flag} is required, e.g. ${flag} ${example}`);
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new UsageError(`${flag} must be an http(s) URL, e.g. ${example}; got "${value}".`);
}

export async function runRunnerCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: {
      api: { type: 'string' },
      token: { type: 'string' },
      box: { type: 'string' },
      endpoint: { type: 'string' },
      model: { type: 'string' },
      name: { type: 'string' },
      'poll-interval-ms': { type: 'string' },
      'max-backoff-ms': { type: 'string' },
      'server-config': { type: 'string', multiple: true },
      'server-startup-timeout-s': { type: 'string' },
      timeout: { type: 'string' },
      'max-failures': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const apiUrl = httpUrl(values.api, '--api', 'http://127.0.0.1:4000');
  const endpointUrl = httpUrl(values.endpoint, '--endpoint', 'http://127.0.0.1:8000/v1');
  const token = values.token ?? process.env.FLOORPLAN_RUNNER_TOKEN;
  if (!token)
    throw new UsageError(
      'A runner token is required: --token T or env FLOORPLAN_RUNNER_TOKEN (npx floorplan token create --role runner --box SLUG --name NAME).',
    );
  if (!values.box) throw new UsageError('--box is required: the slug of this box, e.g. --box dgx-spark.');
  const serverConfigurations: ServerConfiguration[] = [];
  for (const text of values['server-config'] ?? []) {
    let configuration: ServerConfiguration;
    try {
      configuration = parseServerConfiguration(text);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (serverConfigurations.some((known) => known.name === configuration.name))
      throw new UsageError(`--server-config ${configuration.name}: given twice; names must be unique.`);
    serverConfigurations.push(configuration);
  }
  const startupTimeoutS = values['server-startup-timeout-s'];
  const serverStartupTimeoutMs =
    startupTimeoutS === undefined
      ? undefined
      : positiveInteger(startupTimeoutS, '--server-startup-timeout-s', 900) * 1000;

  const timeoutS = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutS !== undefined && !(timeoutS > 0 && timeoutS <= 86_400))
    throw new UsageError(
      `--timeout must be seconds, more than 0, e.g. --timeout 15; got "${values.timeout}".`,
    );
  const maxFailures =
    values['max-failures'] === undefined ? DEFAULT_MAX_FAILURES : Number(values['max-failures']);
  if (!Number.isInteger(maxFailures) || maxFailures < 0)
    throw new UsageError(
      `--max-failures must be a whole number, 0 or more (0 never stops); got "${values['max-failures']}".`,
    );

  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) return;
    console.error(`\n${signal}: no new runs; handing the current run back.`);
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await runRunnerAgent({
      apiUrl,
      token,
      box: values.box,
      endpointUrl,
      // An empty FLOORPLAN_MODEL (the unit's env file leaves it blank) means the spec's model.
      model: values.model ?? (process.env.FLOORPLAN_MODEL || undefined),
      endpointApiKey: process.env.OPENAI_API_KEY,
      runnerName: values.name ?? `${hostname()}:${process.pid}`,
      pollIntervalMs: positiveInteger(values['poll-interval-ms'], '--poll-interval-ms', 2_000),
      retry: {
        initialDelayMs: 250,
        maxDelayMs: positiveInteger(values['max-backoff-ms'], '--max-backoff-ms', 30_000),
      },
      stopSignal: stop.signal,
      log: (line) => console.error(`[${new Date().toISOString()}] ${line}`),
      progressBar: process.stderr.isTTY ? new ProgressBar(process.stderr) : null,
      serverConfigurations,
      serverStartupTimeoutMs,
      idleTimeoutMs: timeoutS === undefined ? undefined : timeoutS * 1000,
      maxFailures,
    });
    return 0;
  } catch (error) {
    if (error instanceof ApiRefusal) {
      console.error(`floorplan runner: the API refused this runner (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
