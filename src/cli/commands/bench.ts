import { writeFile } from 'node:fs/promises';
import {
  BenchmarkCancelledError,
  DEFAULT_MAX_FAILURES,
  type LevelResult,
  runBenchmark,
} from '../../../runner/load';
import { ProgressBar } from '../../../runner/progress-bar';
import { PromptDatasetError } from '../../../runner/prompts';
import { formatSummaryTable } from '../../../runner/summary-table';
import {
  type BenchmarkRunSpec,
  type BenchmarkRunSpecInput,
  parseBenchmarkRunSpec,
} from '../../domain/run-spec';
import {
  parseSloList,
  SLO_TARGETS,
  type SweepOutcome,
  sweepLevelOf,
  sweepOutcome,
} from '../../domain/slo-search';
import { parseCommandArgs } from '../command';

/**
 * `floorplan bench`: measures an OpenAI-compatible endpoint locally, without the job queue, and
 * prints the canonical summary per load level (or JSON with --json).
 */

export const USAGE = `usage: floorplan bench --endpoint URL --model NAME [options]

  --endpoint URL          OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1
  --model NAME            served model name
  --endpoint-kind KIND    completions (default) or chat
  --concurrency LIST      fixed concurrency levels, e.g. 1,8,32 (one result each; default 1)
  --rate N|inf            request rate per second instead of fixed concurrency
  --burstiness N          gamma shape of the gaps at --rate (1 = Poisson, default)
  --max-concurrency N     cap on requests in flight at --rate or --sweep
  --sweep N               synchronous, max throughput, then N rates in between
  --slo-search            largest concurrency within --slo: climb geometrically, then bisect
  --slo LIST              objectives for --slo-search, e.g. ttft_p95_ms=200,tpot_mean_ms=20
                          (any of ${SLO_TARGETS.map((target) => target.flag).join(', ')})
  --start-concurrency N   --slo-search: first level (default 1)
  --growth-factor X       --slo-search: multiplier between climbing levels (default 2)
  --precision N           --slo-search: stop bisecting N streams apart (default 1: exact)
  --max-concurrency N also caps --slo-search (default 256)
  --prompts N             measured requests per level (default 200)
  --input-tokens N        synthetic prompt length (default 1024)
  --output-tokens N       max_tokens per request, with ignore_eos (default 128)
  --dataset FILE          JSONL prompts ({"prompt": "..."} per line) instead of synthetic ones
  --warmup N              warm-up requests per level, not measured (default 1)
  --seed N                seed for prompts and arrival times (default 0)
  --slo-ttft-ms N, --slo-tpot-ms N, --slo-e2el-ms N   objectives for goodput
  --timeout S             a request fails when no byte arrives for S seconds, before the first
                          chunk or between chunks (default 15)
  --max-failures N        stop the run after N failed requests in a row, naming their causes
                          (default 3; 0 never stops); 429s are retried first (Retry-After, backoff)
  --records FILE          also write every request's raw timings as JSON
  --json                  print the summaries as JSON
  env OPENAI_API_KEY      sent as a bearer token when set`;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

/** Which command-line flag sets each run-spec field, so validation errors name what the user typed. */
const FLAG_FOR_FIELD: ReadonlyArray<readonly [string, string]> = [
  ['profile.levels', '--concurrency'],
  ['profile.requestsPerSecond', '--rate'],
  ['profile.burstiness', '--burstiness'],
  ['profile.maxConcurrency', '--max-concurrency'],
  ['profile.intermediateRates', '--sweep'],
  ['profile.slos', '--slo'],
  ['profile.startConcurrency', '--start-concurrency'],
  ['profile.growthFactor', '--growth-factor'],
  ['profile.precision', '--precision'],
  ['numPrompts', '--prompts'],
  ['inputTokens', '--input-tokens'],
  ['outputTokens', '--output-tokens'],
  ['endpointKind', '--endpoint-kind'],
  ['model', '--model'],
  ['warmupRequests', '--warmup'],
  ['seed', '--seed'],
  ['slos.ttftMs', '--slo-ttft-ms'],
  ['slos.tpotMs', '--slo-tpot-ms'],
  ['slos.e2elMs', '--slo-e2el-ms'],
  ['dataset.path', '--dataset'],
  ['idleTimeoutS', '--timeout'],
];

export async function runBenchCommand(args: string[]): Promise<number> {
  let values: ReturnType<typeof parseBenchArgs>;
  try {
    values = parseBenchArgs(args);
  } catch (error) {
    process.stderr.write(`floorplan bench: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }

  const usageErrors: string[] = [];
  const endpointUrl = values.endpoint;
  if (endpointUrl === undefined) usageErrors.push('--endpoint: required');
  else if (!isHttpUrl(endpointUrl))
    usageErrors.push('--endpoint: must be an http(s) URL like http://127.0.0.1:8000/v1');
  const profileFlags = [
    values.concurrency,
    values.rate,
    values.sweep,
    values['slo-search'] ? true : undefined,
  ].filter((flag) => flag !== undefined).length;
  if (profileFlags > 1) usageErrors.push('--concurrency, --rate, --sweep and --slo-search: give only one');
  let searchSlos: Record<string, number> | undefined;
  if (values['slo-search']) {
    if (values.slo === undefined)
      usageErrors.push('--slo: required with --slo-search, e.g. --slo ttft_p95_ms=200,tpot_mean_ms=20');
    else {
      const slos = parseSloList(values.slo);
      if ('error' in slos) usageErrors.push(`--slo: ${slos.error}`);
      else searchSlos = slos.slos as Record<string, number>;
    }
  } else if (values.slo !== undefined) {
    usageErrors.push(
      '--slo: only with --slo-search (for goodput alone use --slo-ttft-ms, --slo-tpot-ms, --slo-e2el-ms)',
    );
  }

  const maxFailures =
    values['max-failures'] === undefined ? DEFAULT_MAX_FAILURES : Number(values['max-failures']);
  if (!Number.isInteger(maxFailures) || maxFailures < 0)
    usageErrors.push(
      `--max-failures: must be a whole number, 0 or more (0 never stops); got "${values['max-failures']}"`,
    );
  const parsed = parseBenchmarkRunSpec(specFromFlags(values, searchSlos));
  if (!parsed.success) {
    const named = parsed.errors.map(flagNamedError);
    // An --slo that did not parse is already reported; the empty objectives it left are not news.
    const sloReported = usageErrors.some((error) => error.startsWith('--slo:'));
    usageErrors.push(...named.filter((error) => !(sloReported && error.startsWith('--slo'))));
  }
  if (usageErrors.length > 0 || !parsed.success || endpointUrl === undefined) {
    process.stderr.write(
      `floorplan bench: invalid arguments\n${usageErrors.map((line) => `  ${line}`).join('\n')}\n`,
    );
    return EXIT_USAGE;
  }

  const abort = new AbortController();
  const onInterrupt = (): void => abort.abort();
  process.once('SIGINT', onInterrupt);
  const progressBar = process.stderr.isTTY ? new ProgressBar(process.stderr) : null;
  try {
    const result = await runBenchmark(parsed.spec, {
      endpointUrl,
      apiKey: process.env.OPENAI_API_KEY || undefined,
      signal: abort.signal,
      onProgress: progressBar === null ? undefined : (progress) => progressBar.update(progress),
      maxFailures,
    });
    progressBar?.finish();
    const summaries = result.levels.map((level) => level.summary);
    if (values.records !== undefined) {
      await writeFile(values.records, `${JSON.stringify(result.levels, null, 2)}\n`);
    }
    const search = sloSearchOf(parsed.spec, result.levels);
    if (search !== null) {
      if (values.json) {
        // The sweep's own fields (SweepOutcome, the names the API's SloSweep uses), then the
        // per-level summaries.
        const output = { spec: parsed.spec, endpointUrl, ...search, summaries };
        process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatSweepTable(search)}\n\n${formatSummaryTable(summaries)}\n`);
      }
      return summaries.every((level) => level.completed === 0) ? EXIT_FAILED : EXIT_OK;
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ spec: parsed.spec, endpointUrl, summaries }, null, 2)}\n`);
    } else {
      process.stdout.write(`${formatSummaryTable(summaries)}\n`);
    }
    return summaries.some((summary) => summary.completed === 0) ? EXIT_FAILED : EXIT_OK;
  } catch (error) {
    progressBar?.finish();
    if (error instanceof BenchmarkCancelledError) {
      process.stderr.write(
        `floorplan bench: interrupted (${error.completedLevels.length} levels had completed)\n`,
      );
      return EXIT_INTERRUPTED;
    }
    if (error instanceof PromptDatasetError) {
      process.stderr.write(`floorplan bench: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`floorplan bench: ${(error as Error).message}\n`);
    return EXIT_FAILED;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

function parseBenchArgs(args: string[]) {
  return parseCommandArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      endpoint: { type: 'string' },
      model: { type: 'string' },
      'endpoint-kind': { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      burstiness: { type: 'string' },
      'max-concurrency': { type: 'string' },
      sweep: { type: 'string' },
      'slo-search': { type: 'boolean', default: false },
      slo: { type: 'string' },
      'start-concurrency': { type: 'string' },
      'growth-factor': { type: 'string' },
      precision: { type: 'string' },
      prompts: { type: 'string' },
      'input-tokens': { type: 'string' },
      'output-tokens': { type: 'string' },
      dataset: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      'slo-ttft-ms': { type: 'string' },
      'slo-tpot-ms': { type: 'string' },
      'slo-e2el-ms': { type: 'string' },
      timeout: { type: 'string' },
      'max-failures': { type: 'string' },
      records: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

type BenchFlags = ReturnType<typeof parseBenchArgs>;

/** Builds the run spec from flags; numbers that do not parse are passed through so validation names them. */
function specFromFlags(
  flags: BenchFlags,
  searchSlos: Record<string, number> | undefined,
): BenchmarkRunSpecInput {
  const maxConcurrency =
    flags['max-concurrency'] === undefined ? null : numberOrText(flags['max-concurrency']);
  const burstiness = flags.burstiness === undefined ? 1 : numberOrText(flags.burstiness);
  let profile: unknown;
  if (flags.rate !== undefined) {
    const rate = flags.rate.trim().toLowerCase();
    profile = {
      kind: 'rate',
      requestsPerSecond: rate === 'inf' ? 'inf' : numberOrText(rate),
      burstiness,
      maxConcurrency,
    };
  } else if (flags['slo-search']) {
    profile = {
      kind: 'slo-search',
      slos: searchSlos ?? {},
      ...(flags['max-concurrency'] !== undefined ? { maxConcurrency } : {}),
      ...(flags['start-concurrency'] !== undefined
        ? { startConcurrency: numberOrText(flags['start-concurrency']) }
        : {}),
      ...(flags['growth-factor'] !== undefined ? { growthFactor: numberOrText(flags['growth-factor']) } : {}),
      ...(flags.precision !== undefined ? { precision: numberOrText(flags.precision) } : {}),
    };
  } else if (flags.sweep !== undefined) {
    profile = { kind: 'sweep', intermediateRates: numberOrText(flags.sweep), burstiness, maxConcurrency };
  } else {
    const levels = (flags.concurrency ?? '1').split(',').map((level) => numberOrText(level.trim()));
    profile = { kind: 'concurrency', levels };
  }
  const slos: Record<string, unknown> = {};
  if (flags['slo-ttft-ms'] !== undefined) slos.ttftMs = numberOrText(flags['slo-ttft-ms']);
  if (flags['slo-tpot-ms'] !== undefined) slos.tpotMs = numberOrText(flags['slo-tpot-ms']);
  if (flags['slo-e2el-ms'] !== undefined) slos.e2elMs = numberOrText(flags['slo-e2el-ms']);
  // The schema validates every field below; the cast only states the shape before validation.
  return {
    endpointKind: flags['endpoint-kind'] ?? 'completions',
    model: flags.model ?? '',
    profile,
    numPrompts: numberOrText(flags.prompts ?? '200'),
    inputTokens: numberOrText(flags['input-tokens'] ?? '1024'),
    outputTokens: numberOrText(flags['output-tokens'] ?? '128'),
    dataset: flags.dataset === undefined ? { kind: 'synthetic' } : { kind: 'jsonl', path: flags.dataset },
    warmupRequests: numberOrText(flags.warmup ?? '1'),
    seed: numberOrText(flags.seed ?? '0'),
    slos,
    ...(flags.timeout !== undefined ? { idleTimeoutS: numberOrText(flags.timeout) } : {}),
  } as BenchmarkRunSpecInput;
}

function numberOrText(text: string): number | string {
  const value = Number(text);
  return text.trim() === '' || Number.isNaN(value) ? text : value;
}

function flagNamedError(error: string): string {
  for (const [field, flag] of FLAG_FOR_FIELD) {
    if (error.startsWith(field)) return `${flag}${error.slice(field.length).replace(/^\[\d+\]/, '')}`;
  }
  return error;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The SLO search's answer when the run was one (recomputed from the levels, as the API does). */
function sloSearchOf(spec: BenchmarkRunSpec, levels: readonly LevelResult[]): SweepOutcome | null {
  const profile = spec.profile;
  if (profile.kind !== 'slo-search') return null;
  return sweepOutcome(
    levels.map((level) => sweepLevelOf(level.summary, profile.slos, level.searchPhase ?? 'CLIMB')),
    profile.slos,
    profile,
  );
}

function formatSweepTable(outcome: SweepOutcome): string {
  const header = [
    'concurrency',
    'phase',
    'meets SLO',
    ...(outcome.levels[0]?.checks.map((check) => `${check.label} ms`) ?? []),
    'goodput req/s',
    'goodput tok/s',
    'requests',
  ];
  const rows = outcome.levels.map((level) => [
    String(level.concurrency),
    level.phase.toLowerCase(),
    level.meetsSlo ? 'yes' : level.stoppedEarly ? 'no (stopped early)' : 'no',
    ...level.checks.map((check) =>
      check.measuredMs === null ? '-' : `${check.measuredMs.toFixed(1)} / ${check.limitMs}`,
    ),
    level.goodputRequestsPerSecond === null ? '-' : level.goodputRequestsPerSecond.toFixed(2),
    level.goodputOutputTokensPerSecond === null ? '-' : level.goodputOutputTokensPerSecond.toFixed(1),
    String(level.completed + level.failed),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const answer =
    outcome.maxConcurrencyAtSlo === null
      ? 'maxConcurrencyAtSlo: none'
      : `maxConcurrencyAtSlo: ${outcome.maxConcurrencyAtSlo}; goodput there ${outcome.goodputRequestsPerSecond?.toFixed(2) ?? '-'} req/s, ${outcome.goodputOutputTokensPerSecond?.toFixed(1) ?? '-'} output tok/s`;
  return [
    render(header),
    render(widths.map((width) => '-'.repeat(width))),
    ...rows.map(render),
    '',
    outcome.summary,
    answer,
  ].join('\n');
}
