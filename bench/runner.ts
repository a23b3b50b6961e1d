/**
 * How accurately does the runner measure? Drives the fake OpenAI server (in its own process, so the
 * fake's scheduling and the runner's measuring do not share one event loop) at concurrency 1, 16, 64
 * and 256, and compares what the runner measured with what the fake scheduled: TTFT p50, mean ITL,
 * mean TPOT and output throughput, plus the runner's own CPU time per 1,000 tokens.
 *
 * Targets: TTFT p50 within 1 ms, mean ITL within 0.3 ms, output throughput within 1%.
 * Run with `npm run bench:runner`; writes bench/results/runner.json.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runBenchmark } from '../runner/load';
import { mean, percentile } from '../src/domain/metrics/statistics';
import { parseBenchmarkRunSpec } from '../src/domain/run-spec';
import {
  type FakeOpenAiServerOptions,
  type FakeRequestLog,
  startFakeOpenAiServer,
} from '../test/fakes/openai-server';

const FAKE_SERVER_FLAG = '--serve-fake';
const CONCURRENCY_LEVELS = [1, 16, 64, 256] as const;
const PROMPTS_PER_LEVEL: Record<(typeof CONCURRENCY_LEVELS)[number], number> = {
  1: 8,
  16: 64,
  64: 256,
  256: 512,
};
const OUTPUT_TOKENS = 64;
const INPUT_TOKENS = 128;
const FAKE_OPTIONS: FakeOpenAiServerOptions = {
  ttftMs: 40,
  tokenGapMs: 4,
  jitterMs: 0.5,
  seed: 7,
  tokensPerChunk: 1,
  // Decode slows as the batch grows, as on a real server; it also keeps 256 streams at a chunk
  // rate a 2-core machine can serve and measure at once.
  batchSlowdownPerRequest: 0.01,
};
const TARGETS = { ttftP50AbsMs: 1, meanItlAbsMs: 0.3, outputThroughputRel: 0.01 };

type FakeMessage = { kind: 'ready'; url: string } | { kind: 'logs'; logs: FakeRequestLog[] };
type ParentMessage = { kind: 'reset' } | { kind: 'logs' };

interface Comparison {
  measured: number;
  scheduled: number;
  absoluteError: number;
  relativeError: number;
}

interface LevelReport {
  concurrency: number;
  prompts: number;
  failed: number;
  ttftP50Ms: Comparison;
  meanItlMs: Comparison;
  meanTpotMs: Comparison;
  outputThroughput: Comparison;
  runnerCpuMsPer1000Tokens: number;
  /** How late the fake wrote its messages against its own schedule (mean, ms): error the runner did not cause. */
  fakeEmitLagMeanMs: number;
  meetsTargets: boolean;
}

async function serveFake(): Promise<void> {
  const fake = await startFakeOpenAiServer(FAKE_OPTIONS);
  let logsFrom = 0;
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'reset') logsFrom = fake.requests().length;
    else process.send?.({ kind: 'logs', logs: fake.requests().slice(logsFrom) } satisfies FakeMessage);
  });
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
  process.send?.({ kind: 'ready', url: fake.url } satisfies FakeMessage);
}

async function main(): Promise<number> {
  const child = fork(fileURLToPath(import.meta.url), [FAKE_SERVER_FLAG], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { url } = (await nextMessage(child, 'ready')) as { url: string };
    const loopbackRttP50Ms = await idleRoundTripP50Ms(url);
    // An unreported first pass, so JIT compilation is not charged to the first level's CPU time.
    await measureLevel(child, url, 16);
    const reports: LevelReport[] = [];
    for (const concurrency of CONCURRENCY_LEVELS) {
      reports.push(await measureLevel(child, url, concurrency));
    }
    printTable(reports);
    console.log(
      `\nidle loopback round trip p50 (GET /v1/models after ${IDLE_GAP_MS} ms idle): ${loopbackRttP50Ms.toFixed(3)} ms. ` +
        "Every measured TTFT includes one such trip that the fake's schedule does not: it is the floor of the TTFT error on this machine.",
    );
    const resultsPath = join(dirname(fileURLToPath(import.meta.url)), 'results', 'runner.json');
    await mkdir(dirname(resultsPath), { recursive: true });
    await writeFile(
      resultsPath,
      `${JSON.stringify({ measuredAt: new Date().toISOString(), fake: FAKE_OPTIONS, targets: TARGETS, loopbackRttP50Ms, outputTokens: OUTPUT_TOKENS, inputTokens: INPUT_TOKENS, levels: reports }, null, 2)}\n`,
    );
    console.log(`\nwrote ${resultsPath}`);
    return reports.every((report) => report.meetsTargets) ? 0 : 1;
  } finally {
    child.disconnect();
  }
}

async function measureLevel(child: ChildProcess, url: string, concurrency: number): Promise<LevelReport> {
  const prompts = PROMPTS_PER_LEVEL[concurrency as keyof typeof PROMPTS_PER_LEVEL];
  const parsed = parseBenchmarkRunSpec({
    endpointKind: 'completions',
    model: 'fake-model',
    profile: { kind: 'concurrency', levels: [concurrency] },
    numPrompts: prompts,
    inputTokens: INPUT_TOKENS,
    outputTokens: OUTPUT_TOKENS,
    // One warm-up wave opens the level's keep-alive connections before measuring.
    warmupRequests: concurrency,
  });
  if (!parsed.success) throw new Error(parsed.errors.join('\n'));
  child.send({ kind: 'reset' } satisfies ParentMessage);
  const cpuBefore = process.cpuUsage();
  const result = await runBenchmark(parsed.spec, { endpointUrl: url });
  const cpu = process.cpuUsage(cpuBefore);
  child.send({ kind: 'logs' } satisfies ParentMessage);
  const { logs } = (await nextMessage(child, 'logs')) as { logs: FakeRequestLog[] };

  const level = result.levels[0];
  if (level === undefined) throw new Error('runner returned no level');
  const summary = level.summary;
  // Warm-up requests finish before the measured ones are sent, so they are the first logs.
  const measuredLogs = logs.slice(concurrency).filter((log) => log.outcome === 'completed');
  const scheduled = scheduledMetrics(measuredLogs);
  const allTokens = logs.reduce((total, log) => total + sumOf(log.tokensPerMessage), 0);

  const ttftP50Ms = compare(summary.ttftMs?.p50 ?? Number.NaN, scheduled.ttftP50Ms);
  const meanItlMs = compare(summary.itlMs?.mean ?? Number.NaN, scheduled.meanItlMs);
  const meanTpotMs = compare(summary.tpotMs?.mean ?? Number.NaN, scheduled.meanTpotMs);
  const outputThroughput = compare(summary.outputThroughput, scheduled.outputThroughput);
  return {
    concurrency,
    prompts,
    failed: summary.failed,
    ttftP50Ms,
    meanItlMs,
    meanTpotMs,
    outputThroughput,
    fakeEmitLagMeanMs: mean(
      measuredLogs.flatMap((log) =>
        log.emittedMs.map((emitted, index) => emitted - (log.scheduledMs[index] ?? emitted)),
      ),
    ),
    runnerCpuMsPer1000Tokens: ((cpu.user + cpu.system) / 1000 / allTokens) * 1000,
    meetsTargets:
      summary.failed === 0 &&
      ttftP50Ms.absoluteError <= TARGETS.ttftP50AbsMs &&
      meanItlMs.absoluteError <= TARGETS.meanItlAbsMs &&
      Math.abs(outputThroughput.relativeError) <= TARGETS.outputThroughputRel,
  };
}

/** The fake's schedule read with the same definitions the runner applies to what it measured. */
function scheduledMetrics(logs: readonly FakeRequestLog[]): {
  ttftP50Ms: number;
  meanItlMs: number;
  meanTpotMs: number;
  outputThroughput: number;
} {
  const ttfts: number[] = [];
  const itls: number[] = [];
  const tpots: number[] = [];
  let firstReceived = Number.POSITIVE_INFINITY;
  let lastFinished = Number.NEGATIVE_INFINITY;
  let tokens = 0;
  for (const log of logs) {
    const first = log.scheduledMs[0] ?? Number.NaN;
    const last = log.scheduledMs[log.scheduledMs.length - 1] ?? Number.NaN;
    const outputTokens = sumOf(log.tokensPerMessage);
    ttfts.push(first);
    for (let index = 1; index < log.scheduledMs.length; index++) {
      itls.push((log.scheduledMs[index] as number) - (log.scheduledMs[index - 1] as number));
    }
    if (outputTokens > 1) tpots.push((last - first) / (outputTokens - 1));
    firstReceived = Math.min(firstReceived, log.receivedAt);
    lastFinished = Math.max(lastFinished, log.receivedAt + last);
    tokens += outputTokens;
  }
  return {
    ttftP50Ms: percentile(ttfts, 50),
    meanItlMs: mean(itls),
    meanTpotMs: mean(tpots),
    outputThroughput: tokens / ((lastFinished - firstReceived) / 1000),
  };
}

const IDLE_GAP_MS = 40;

/** The transport floor: a trivial request's round trip when both processes were idle, as at concurrency 1. */
async function idleRoundTripP50Ms(url: string): Promise<number> {
  const agent = new http.Agent({ keepAlive: true });
  const samples: number[] = [];
  try {
    for (let attempt = 0; attempt < 25; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_GAP_MS));
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        http
          .get(`${url}/models`, { agent }, (response) => {
            response.once('data', () => samples.push(performance.now() - started));
            response.on('end', resolve);
            response.resume();
          })
          .on('error', reject);
      });
    }
  } finally {
    agent.destroy();
  }
  // The first trips open the connection; keep the steady state.
  return percentile(samples.slice(5), 50);
}

function compare(measured: number, scheduled: number): Comparison {
  return {
    measured,
    scheduled,
    absoluteError: Math.abs(measured - scheduled),
    relativeError: (measured - scheduled) / scheduled,
  };
}

function printTable(reports: readonly LevelReport[]): void {
  const header = [
    'conc',
    'TTFT p50 ms (meas/sched/abs err)',
    'mean ITL ms (meas/sched/abs err)',
    'mean TPOT ms (meas/sched/abs err)',
    'output tok/s (meas/sched/rel err)',
    'CPU ms/1k tok',
    'fake lag ms',
    'ok',
  ];
  const rows = reports.map((report) => [
    String(report.concurrency),
    triple(report.ttftP50Ms, 3),
    triple(report.meanItlMs, 3),
    triple(report.meanTpotMs, 3),
    `${report.outputThroughput.measured.toFixed(1)} / ${report.outputThroughput.scheduled.toFixed(1)} / ${(report.outputThroughput.relativeError * 100).toFixed(3)}%`,
    report.runnerCpuMsPer1000Tokens.toFixed(1),
    report.fakeEmitLagMeanMs.toFixed(3),
    report.meetsTargets ? 'yes' : `NO${report.failed > 0 ? ` (${report.failed} failed)` : ''}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  console.log(
    `runner accuracy vs the fake's schedule (${OUTPUT_TOKENS} output tokens, TTFT ${FAKE_OPTIONS.ttftMs} ms, gap ${FAKE_OPTIONS.tokenGapMs} ms +${(FAKE_OPTIONS.batchSlowdownPerRequest ?? 0) * 100}%/extra stream)`,
  );
  console.log(
    `targets: TTFT p50 <= ${TARGETS.ttftP50AbsMs} ms, mean ITL <= ${TARGETS.meanItlAbsMs} ms, throughput within ${TARGETS.outputThroughputRel * 100}%\n`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function triple(comparison: Comparison, digits: number): string {
  return `${comparison.measured.toFixed(digits)} / ${comparison.scheduled.toFixed(digits)} / ${comparison.absoluteError.toFixed(digits)}`;
}

function sumOf(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function nextMessage(child: ChildProcess, kind: FakeMessage['kind']): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FakeMessage): void => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => reject(new Error(`fake server process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

// Last, so every module-level constant above is initialised before the top-level await runs.
if (process.argv.includes(FAKE_SERVER_FLAG)) {
  await serveFake();
} else {
  process.exitCode = await main();
}
