import { setMaxListeners } from 'node:events';
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  createKeepAliveAgent,
  DEFAULT_RATE_LIMIT_RETRY,
  type RateLimitRetryPolicy,
  type StreamOutcome,
  streamCompletionWithRetries,
} from '../clients/openai/stream';
import { summarizeBenchmark } from '../src/domain/metrics/benchmark-summary';
import { requestMetrics } from '../src/domain/metrics/request-metrics';
import type { RequestRecord } from '../src/domain/metrics/request-record';
import type { BenchmarkSummary, LoadProfile } from '../src/domain/metrics/summary';
import type { BenchmarkRunSpec } from '../src/domain/run-spec';
import {
  LevelOverWatch,
  levelMeetsSlos,
  maxLevels,
  nextLevel,
  perRequestObjectives,
  type SearchPhase,
  type SearchStep,
  type SloTargets,
} from '../src/domain/slo-search';
import { arrivalOffsetsMs } from './arrivals';
import { type BenchmarkPrompt, cyclePrompts, loadJsonlPrompts, syntheticPrompts } from './prompts';

/**
 * Drives an OpenAI-compatible endpoint through a run spec's load profile and measures it the way
 * `vllm bench serve` does. One level per concurrency in a list, one for a rate, and for a sweep:
 * synchronous (concurrency 1), then maximum throughput (rate inf), then rates evenly spaced between
 * the two measured request throughputs.
 */

export interface BenchmarkProgress {
  levelIndex: number;
  /** Known in advance except for a sweep, whose rates depend on its first two levels. */
  levelCount: number;
  profile: LoadProfile;
  phase: 'WARMUP' | 'MEASURE';
  completed: number;
  failed: number;
  total: number;
  /** Output tokens received so far in this phase. */
  outputTokens: number;
  /** SLO search: climbing or bisecting; absent for other profiles. */
  searchPhase?: SearchPhase | undefined;
  /** SLO search: whether each level so far met every objective, by concurrency, in order. */
  searchSteps?: SearchStep[] | undefined;
  /** The server configuration being measured, when the runner launched it. */
  serverConfiguration?: string | undefined;
}

export interface RunBenchmarkOptions {
  /** Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1. */
  endpointUrl: string;
  apiKey?: string | undefined;
  /** Aborting stops dispatch, cancels requests in flight and rejects with `BenchmarkCancelledError`. */
  signal?: AbortSignal | undefined;
  /** Called after every finished request (and once as each phase starts). */
  onProgress?: ((progress: BenchmarkProgress) => void) | undefined;
  /**
   * A request fails when no byte arrives for this long, before the first chunk or between chunks
   * (`--timeout`); the spec's idleTimeoutS when absent.
   */
  idleTimeoutMs?: number | undefined;
  /**
   * The run stops once this many requests in a row have failed (`--max-failures`), naming their
   * causes, instead of sending every prompt to a dead endpoint; 0 never stops. Default 3.
   */
  maxFailures?: number | undefined;
  /** How requests refused with 429 are retried (Retry-After, exponential backoff, jitter). */
  rateLimitRetry?: RateLimitRetryPolicy | undefined;
}

export const DEFAULT_MAX_FAILURES = 3;

/** The run stopped because `maxFailures` requests in a row failed; the message names their causes. */
export class BenchmarkStoppedError extends Error {
  override readonly name = 'BenchmarkStoppedError';
  constructor(
    readonly failures: number,
    readonly reasons: ReadonlyMap<string, number>,
    readonly completedLevels: LevelResult[],
    anySucceeded: boolean,
  ) {
    const causes = [...reasons.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => `${count}x ${reason}`)
      .join('; ');
    super(
      `stopped after ${failures} failed requests in a row (--max-failures ${failures})${anySucceeded ? '' : ', no request succeeded'}: ${causes}`,
    );
  }
}

/** Failures in a row across the whole run, reset by any success. */
class FailureStreak {
  private count = 0;
  private reasons = new Map<string, number>();
  private anySucceeded = false;
  constructor(readonly limit: number) {}

  /** Records an outcome; true when the streak has reached the limit. */
  add(outcome: StreamOutcome): boolean {
    if (outcome.error === null) {
      this.anySucceeded = true;
      this.count = 0;
      this.reasons = new Map();
      return false;
    }
    this.count += 1;
    this.reasons.set(outcome.error, (this.reasons.get(outcome.error) ?? 0) + 1);
    return this.limit > 0 && this.count >= this.limit;
  }

  error(completedLevels: LevelResult[]): BenchmarkStoppedError {
    return new BenchmarkStoppedError(this.count, this.reasons, completedLevels, this.anySucceeded);
  }
}

class FailureLimitReached extends Error {}

export interface LevelResult {
  summary: BenchmarkSummary;
  records: RequestRecord[];
  /** SLO search: whether the level was part of the climb or the bisection. */
  searchPhase?: SearchPhase | undefined;
}

export interface BenchmarkRunResult {
  levels: LevelResult[];
}

export class BenchmarkCancelledError extends Error {
  override readonly name = 'BenchmarkCancelledError';
  constructor(readonly completedLevels: LevelResult[]) {
    super(`benchmark cancelled after ${completedLevels.length} completed levels`);
  }
}

/** Derives a per-level seed so each level gets fresh prompts (no prefix-cache hits from the previous level). */
const LEVEL_SEED_STRIDE = 7919;

export async function runBenchmark(
  spec: BenchmarkRunSpec,
  options: RunBenchmarkOptions,
): Promise<BenchmarkRunResult> {
  const dataset =
    spec.dataset.kind === 'jsonl'
      ? await loadJsonlPrompts(spec.dataset.path, spec.dataset.promptField)
      : null;
  const agent = createKeepAliveAgent(options.endpointUrl);
  const levels: LevelResult[] = [];
  const streak = new FailureStreak(options.maxFailures ?? DEFAULT_MAX_FAILURES);
  try {
    const profile = spec.profile;
    const promptsFor = (levelIndex: number) => (count: number, offset: number) =>
      dataset === null
        ? syntheticPrompts(count, spec.inputTokens, spec.seed + levelIndex * LEVEL_SEED_STRIDE + offset)
        : cyclePrompts(dataset, count, offset);
    const runOneLevel = (levelProfile: LoadProfile, levelCount: number, search?: LevelSearch) =>
      runLevel(
        spec,
        options,
        streak,
        agent,
        levelProfile,
        levels.length,
        levelCount,
        promptsFor(levels.length),
        search,
      );

    if (profile.kind === 'concurrency') {
      for (const maxConcurrency of profile.levels) {
        levels.push(await runOneLevel({ kind: 'concurrency', maxConcurrency }, profile.levels.length));
      }
    } else if (profile.kind === 'rate') {
      levels.push(await runOneLevel({ ...profile, kind: 'rate' }, 1));
    } else if (profile.kind === 'slo-search') {
      const steps: SearchStep[] = [];
      const upperBound = maxLevels(profile);
      for (;;) {
        const next = nextLevel(steps, profile);
        if (next.done) break;
        const level = await runOneLevel(
          { kind: 'concurrency', maxConcurrency: next.concurrency },
          Math.max(levels.length + 1, upperBound),
          { slos: profile.slos, phase: next.phase, stopEarly: profile.stopEarly, steps: [...steps] },
        );
        levels.push(level);
        steps.push({ concurrency: next.concurrency, meetsSlo: levelMeetsSlos(level.summary, profile.slos) });
      }
    } else {
      const levelCount = profile.intermediateRates + 2;
      const synchronous = await runOneLevel({ kind: 'concurrency', maxConcurrency: 1 }, levelCount);
      levels.push(synchronous);
      const rateProfile = (requestsPerSecond: number | 'inf'): LoadProfile => ({
        kind: 'rate',
        requestsPerSecond,
        burstiness: profile.burstiness,
        maxConcurrency: profile.maxConcurrency,
      });
      const throughput = await runOneLevel(rateProfile('inf'), levelCount);
      levels.push(throughput);
      for (const rate of sweepRates(
        synchronous.summary.requestThroughput,
        throughput.summary.requestThroughput,
        profile.intermediateRates,
      )) {
        levels.push(await runOneLevel(rateProfile(rate), levelCount));
      }
    }
  } catch (error) {
    if (error instanceof LevelCancelled) throw new BenchmarkCancelledError(levels);
    if (error instanceof FailureLimitReached) throw streak.error(levels);
    throw error;
  } finally {
    agent.destroy();
  }
  return { levels };
}

/** Rates strictly between the synchronous and maximum request throughputs, evenly spaced. */
export function sweepRates(synchronousRps: number, maximumRps: number, count: number): number[] {
  const low = Math.min(synchronousRps, maximumRps);
  const high = Math.max(synchronousRps, maximumRps);
  if (!(high > 0)) return [];
  return Array.from({ length: count }, (_, index) => low + ((high - low) * (index + 1)) / (count + 1)).filter(
    (rate) => rate > 0,
  );
}

class LevelCancelled extends Error {}

/** An SLO search level: its objectives decide goodput and when the level is clearly over. */
interface LevelSearch {
  slos: SloTargets;
  phase: SearchPhase;
  stopEarly: boolean;
  steps: SearchStep[];
}

async function runLevel(
  spec: BenchmarkRunSpec,
  options: RunBenchmarkOptions,
  streak: FailureStreak,
  agent: http.Agent,
  profile: LoadProfile,
  levelIndex: number,
  levelCount: number,
  prompts: (count: number, offset: number) => BenchmarkPrompt[],
  search?: LevelSearch,
): Promise<LevelResult> {
  const maxConcurrency = profile.kind === 'concurrency' ? profile.maxConcurrency : profile.maxConcurrency;
  // An SLO search level sends whole rounds of its concurrency, at least two, so that it runs at that
  // concurrency: a partial last round would drain at lower concurrency and flatter the level.
  const measuredCount =
    search && maxConcurrency !== null
      ? maxConcurrency * Math.max(2, Math.ceil(spec.numPrompts / maxConcurrency))
      : spec.numPrompts;
  const searchProgress = search ? { searchPhase: search.phase, searchSteps: search.steps } : {};
  const report = (phase: BenchmarkProgress['phase']) => (counts: PhaseCounts) =>
    options.onProgress?.({ levelIndex, levelCount, profile, phase, ...counts, ...searchProgress });

  if (spec.warmupRequests > 0) {
    // Warm-up runs at the level's concurrency so that keep-alive connections are open before the
    // measured phase: connection setup is not what a level measures.
    const warmupPrompts = prompts(spec.warmupRequests, measuredCount);
    await runPhase(
      spec,
      options,
      streak,
      agent,
      warmupPrompts,
      new Array<number>(warmupPrompts.length).fill(0),
      {
        maxConcurrency: maxConcurrency ?? warmupPrompts.length,
        onCounts: report('WARMUP'),
      },
    );
  }

  const measuredPrompts = prompts(measuredCount, 0);
  const offsets =
    profile.kind === 'rate'
      ? arrivalOffsetsMs(
          measuredPrompts.length,
          profile.requestsPerSecond,
          profile.burstiness,
          spec.seed + levelIndex,
        )
      : new Array<number>(measuredPrompts.length).fill(0);
  const watch =
    search?.stopEarly === true
      ? new LevelOverWatch(search.slos, measuredPrompts.length, spec.outputTokens)
      : null;
  const recordOf = (outcome: StreamOutcome, index: number, firstSentAt: number): RequestRecord => ({
    index,
    startOffsetMs: outcome.sentAt - firstSentAt,
    endMs: outcome.endMs,
    chunks: outcome.chunks,
    serverOutputTokens: outcome.serverOutputTokens,
    serverInputTokens: outcome.serverInputTokens,
    clientOutputTokens: outcome.clientOutputTokens,
    intendedInputTokens: (measuredPrompts[index] as BenchmarkPrompt).intendedInputTokens,
    error: outcome.error,
    ...(outcome.rateLimitRetries > 0 ? { rateLimitRetries: outcome.rateLimitRetries } : {}),
  });
  let overReason: string | null = null;
  const { outcomes, stoppedEarly } = await runPhase(spec, options, streak, agent, measuredPrompts, offsets, {
    maxConcurrency: maxConcurrency ?? measuredPrompts.length,
    onCounts: report('MEASURE'),
    shouldStop:
      watch === null
        ? undefined
        : (outcome, index) => {
            const metrics = requestMetrics(recordOf(outcome, index, outcome.sentAt));
            if (metrics === null) return false;
            overReason = watch.add(metrics);
            return overReason !== null;
          },
  });

  const finished = outcomes.flatMap((outcome, index) => (outcome === undefined ? [] : [{ outcome, index }]));
  const firstSentAt = Math.min(...finished.map(({ outcome }) => outcome.sentAt));
  const records = finished.map(({ outcome, index }) => recordOf(outcome, index, firstSentAt));
  const objectives = search ? perRequestObjectives(search.slos) : spec.slos;
  const summary = summarizeBenchmark(records, {
    profile,
    objectives,
    expectedOutputTokens: spec.ignoreEos ? spec.outputTokens : undefined,
  });
  const retried = records.filter((record) => (record.rateLimitRetries ?? 0) > 0);
  if (retried.length > 0) {
    summary.warnings.push(
      `${retried.length} requests were refused with 429 and sent again (${sum(retried.map((record) => record.rateLimitRetries ?? 0))} retries, after Retry-After or a backoff); each is timed from its last send`,
    );
  }
  if (stoppedEarly) {
    summary.stoppedEarly = true;
    summary.warnings.push(
      `stopped after ${records.length} of ${measuredPrompts.length} requests: ${overReason ?? 'already over the SLO'}`,
    );
  }
  return { summary, records, ...(search ? { searchPhase: search.phase } : {}) };
}

interface PhaseCounts {
  completed: number;
  failed: number;
  total: number;
  outputTokens: number;
}

/**
 * Sends each prompt at its arrival offset, but never more than `maxConcurrency` at once (later
 * arrivals queue in order, as vLLM's semaphore does). Resolves with outcomes in prompt order.
 */
function runPhase(
  spec: BenchmarkRunSpec,
  options: RunBenchmarkOptions,
  streak: FailureStreak,
  agent: http.Agent,
  prompts: readonly BenchmarkPrompt[],
  arrivalOffsets: readonly number[],
  phase: {
    maxConcurrency: number;
    onCounts: (counts: PhaseCounts) => void;
    /** Asked after each finished request; true ends the phase now (requests in flight are cancelled and left out). */
    shouldStop?: ((outcome: StreamOutcome, index: number) => boolean) | undefined;
  },
): Promise<{ outcomes: (StreamOutcome | undefined)[]; stoppedEarly: boolean }> {
  return new Promise((resolve, reject) => {
    const outcomes = new Array<StreamOutcome | undefined>(prompts.length);
    const counts: PhaseCounts = { completed: 0, failed: 0, total: prompts.length, outputTokens: 0 };
    const arrived: number[] = [];
    let arrivalTimer: NodeJS.Timeout | undefined;
    const requestAbort = new AbortController();
    // Every request in flight listens on this one signal; hundreds of listeners are expected here.
    setMaxListeners(Number.POSITIVE_INFINITY, requestAbort.signal);
    let inFlight = 0;
    let finished = 0;
    let cancelled = false;

    const onAbort = (): void => {
      cancelled = true;
      clearTimeout(arrivalTimer);
      requestAbort.abort();
      // In-flight requests settle promptly as cancelled; reject now rather than wait on them.
      options.signal?.removeEventListener('abort', onAbort);
      reject(new LevelCancelled());
    };
    if (options.signal?.aborted) {
      reject(new LevelCancelled());
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const dispatch = (): void => {
      while (!cancelled && inFlight < phase.maxConcurrency && arrived.length > 0) {
        const index = arrived.shift() as number;
        const prompt = prompts[index] as BenchmarkPrompt;
        inFlight++;
        void streamCompletionWithRetries(
          {
            endpointUrl: options.endpointUrl,
            endpointKind: spec.endpointKind,
            model: spec.model,
            prompt: prompt.text,
            maxTokens: spec.outputTokens,
            ignoreEos: spec.ignoreEos,
            apiKey: options.apiKey,
            agent,
            idleTimeoutMs: options.idleTimeoutMs ?? spec.idleTimeoutS * 1000,
            totalTimeoutMs: spec.requestTimeoutS * 1000,
            signal: requestAbort.signal,
          },
          options.rateLimitRetry ?? DEFAULT_RATE_LIMIT_RETRY,
        ).then((outcome) => {
          if (cancelled) return;
          if (streak.add(outcome)) {
            // A dead or broken endpoint: stop the whole run now rather than fail every prompt.
            cancelled = true;
            clearTimeout(arrivalTimer);
            requestAbort.abort();
            options.signal?.removeEventListener('abort', onAbort);
            reject(new FailureLimitReached());
            return;
          }
          outcomes[index] = outcome;
          inFlight--;
          finished++;
          if (outcome.error === null) {
            counts.completed++;
            counts.outputTokens += outputTokensSoFar(outcome);
          } else {
            counts.failed++;
          }
          phase.onCounts({ ...counts });
          if (phase.shouldStop?.(outcome, index) === true && finished < prompts.length) {
            cancelled = true;
            clearTimeout(arrivalTimer);
            requestAbort.abort();
            options.signal?.removeEventListener('abort', onAbort);
            resolve({ outcomes, stoppedEarly: true });
          } else if (finished === prompts.length) {
            options.signal?.removeEventListener('abort', onAbort);
            resolve({ outcomes, stoppedEarly: false });
          } else {
            dispatch();
          }
        });
      }
    };

    phase.onCounts({ ...counts });
    if (prompts.length === 0) {
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ outcomes: [], stoppedEarly: false });
      return;
    }
    // One timer at a time walks the arrival offsets, so a million-request phase is not a million timers.
    const phaseStart = performance.now();
    let nextArrival = 0;
    const admitArrivals = (): void => {
      arrivalTimer = undefined;
      const elapsedMs = performance.now() - phaseStart;
      while (nextArrival < prompts.length && (arrivalOffsets[nextArrival] ?? 0) <= elapsedMs) {
        arrived.push(nextArrival);
        nextArrival++;
      }
      dispatch();
      if (nextArrival < prompts.length && !cancelled) {
        const waitMs = (arrivalOffsets[nextArrival] ?? 0) - (performance.now() - phaseStart);
        arrivalTimer = setTimeout(admitArrivals, Math.max(0, waitMs));
      }
    };
    admitArrivals();
  });
}

function outputTokensSoFar(outcome: StreamOutcome): number {
  return (
    outcome.serverOutputTokens ??
    outcome.clientOutputTokens ??
    outcome.chunks.filter((chunk) => chunk.textChars > 0).length
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
