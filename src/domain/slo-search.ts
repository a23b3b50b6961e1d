import type { ServiceLevelObjectives } from './metrics/goodput';
import type { BenchmarkSummary, DistributionStats } from './metrics/summary';

/**
 * The SLO search (MEASUREMENT.md, "SLO sweeps and goodput"): how many concurrent streams a box
 * serves while every latency objective holds. Climb concurrency geometrically until a level misses
 * an objective, then bisect between the last level that met every objective and the first that did
 * not, until the two are `precision` apart. Pure: the runner measures, this decides what to measure
 * next and what the levels mean, and the API recomputes the same verdicts from the stored levels.
 */

/** Latency objectives on a level's statistics, in milliseconds. Any subset; at least one. */
export interface SloTargets {
  ttftP95Ms?: number | undefined;
  ttftP99Ms?: number | undefined;
  tpotMeanMs?: number | undefined;
  tpotP99Ms?: number | undefined;
  itlP99Ms?: number | undefined;
  e2elP99Ms?: number | undefined;
}

export type SloTargetKey = keyof SloTargets;

interface TargetDefinition {
  key: SloTargetKey;
  /** The name users type: `ttft_p95_ms=200`. */
  flag: string;
  label: string;
  metric: 'ttftMs' | 'tpotMs' | 'itlMs' | 'e2elMs';
  statistic: 'p95' | 'p99' | 'mean';
}

export const SLO_TARGETS: readonly TargetDefinition[] = [
  { key: 'ttftP95Ms', flag: 'ttft_p95_ms', label: 'TTFT p95', metric: 'ttftMs', statistic: 'p95' },
  { key: 'ttftP99Ms', flag: 'ttft_p99_ms', label: 'TTFT p99', metric: 'ttftMs', statistic: 'p99' },
  { key: 'tpotMeanMs', flag: 'tpot_mean_ms', label: 'TPOT mean', metric: 'tpotMs', statistic: 'mean' },
  { key: 'tpotP99Ms', flag: 'tpot_p99_ms', label: 'TPOT p99', metric: 'tpotMs', statistic: 'p99' },
  { key: 'itlP99Ms', flag: 'itl_p99_ms', label: 'ITL p99', metric: 'itlMs', statistic: 'p99' },
  { key: 'e2elP99Ms', flag: 'e2el_p99_ms', label: 'E2EL p99', metric: 'e2elMs', statistic: 'p99' },
];

export function definedTargets(slos: SloTargets): { definition: TargetDefinition; limitMs: number }[] {
  return SLO_TARGETS.flatMap((definition) => {
    const limitMs = slos[definition.key];
    return limitMs === undefined ? [] : [{ definition, limitMs }];
  });
}

/** A target by its flag (`ttft_p95_ms`), without the unit (`ttft_p95`), or `tpot` for the TPOT mean. */
function targetNamed(name: string): TargetDefinition | undefined {
  const bare = name.endsWith('_ms') ? name.slice(0, -3) : name;
  const canonical = bare === 'tpot' ? 'tpot_mean' : bare;
  return SLO_TARGETS.find((target) => target.flag === `${canonical}_ms`);
}

/** `ttft_p95_ms=200,tpot_mean_ms=20` (or Slack's `ttft_p95<=200 tpot<=20`, spaces for commas) → targets; errors name the bad part and list the valid names. */
export function parseSloList(text: string): { slos: SloTargets } | { error: string } {
  const slos: SloTargets = {};
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0)
    return { error: `give at least one objective, e.g. ttft_p95_ms=200,tpot_mean_ms=20` };
  for (const part of parts) {
    const match = /^([a-z0-9_]+)(?:=|<=)([0-9]+(?:\.[0-9]+)?)$/i.exec(part);
    const definition = match ? targetNamed((match[1] as string).toLowerCase()) : undefined;
    if (!match || !definition) {
      return {
        error: `"${part}" is not an objective; use NAME=MILLISECONDS with NAME one of ${SLO_TARGETS.map((target) => target.flag).join(', ')}`,
      };
    }
    const value = Number(match[2]);
    if (!(value > 0)) return { error: `"${part}": the limit must be greater than 0 ms` };
    slos[definition.key] = value;
  }
  return { slos };
}

export function describeSlos(slos: SloTargets): string {
  return definedTargets(slos)
    .map(({ definition, limitMs }) => `${definition.label} ≤ ${formatMs(limitMs)} ms`)
    .join(', ');
}

function formatMs(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * The per-request objectives goodput counts against (vLLM's definition: a request is good when it
 * meets every objective). A percentile or mean target becomes a per-request limit on the same
 * metric; the tightest one wins when two targets name one metric. ITL has no per-request form in
 * vLLM: here a request meets an ITL target when its own p99 gap does.
 */
export function perRequestObjectives(slos: SloTargets): ServiceLevelObjectives {
  const tightest = (...limits: (number | undefined)[]): number | undefined => {
    const given = limits.filter((limit): limit is number => limit !== undefined);
    return given.length === 0 ? undefined : Math.min(...given);
  };
  return {
    ttftMs: tightest(slos.ttftP95Ms, slos.ttftP99Ms),
    tpotMs: tightest(slos.tpotMeanMs, slos.tpotP99Ms),
    e2elMs: slos.e2elP99Ms,
    itlP99Ms: slos.itlP99Ms,
  };
}

export interface TargetCheck {
  key: SloTargetKey;
  label: string;
  limitMs: number;
  /** The level's statistic; null when the level had no samples for it. */
  measuredMs: number | null;
  met: boolean;
}

/** Which objectives a level met. A statistic the level could not measure counts as missed. */
export function checkLevel(
  summary: Pick<BenchmarkSummary, 'ttftMs' | 'tpotMs' | 'itlMs' | 'e2elMs'>,
  slos: SloTargets,
): TargetCheck[] {
  return definedTargets(slos).map(({ definition, limitMs }) => {
    const stats: DistributionStats | null = summary[definition.metric];
    const measuredMs = stats === null ? null : (stats[definition.statistic] ?? null);
    return {
      key: definition.key,
      label: definition.label,
      limitMs,
      measuredMs,
      met: measuredMs !== null && measuredMs <= limitMs,
    };
  });
}

export function levelMeetsSlos(
  summary: Pick<BenchmarkSummary, 'ttftMs' | 'tpotMs' | 'itlMs' | 'e2elMs' | 'completed' | 'failed'>,
  slos: SloTargets,
): boolean {
  // A level where requests failed did not serve its load, whatever the latencies of the rest.
  if (summary.completed === 0 || summary.failed > 0) return false;
  return checkLevel(summary, slos).every((check) => check.met);
}

export interface SearchSettings {
  startConcurrency: number;
  /** Multiplier between climbing levels (2 doubles). */
  growthFactor: number;
  /** Highest concurrency tried; a box that meets the SLO there is reported as "at least" this. */
  maxConcurrency: number;
  /** Stop bisecting when the passing and failing levels are this close (1 = the exact integer). */
  precision: number;
}

export interface SearchStep {
  concurrency: number;
  meetsSlo: boolean;
}

export type SearchPhase = 'CLIMB' | 'BISECT';

export type NextLevel =
  | { done: false; concurrency: number; phase: SearchPhase }
  | { done: true; reason: SearchEndReason };

export type SearchEndReason =
  /** Bracketed: the highest passing and the lowest failing level are within `precision`. */
  | 'BRACKETED'
  /** Even the first level missed an objective. */
  | 'NONE_MET'
  /** Every level up to maxConcurrency met the objectives: the crossing lies above. */
  | 'CAP_REACHED';

/** The highest passing level below the lowest failing one, and that failing level. */
export function bracketOf(steps: readonly SearchStep[]): { lo: number | null; hi: number | null } {
  let hi: number | null = null;
  for (const step of steps)
    if (!step.meetsSlo && (hi === null || step.concurrency < hi)) hi = step.concurrency;
  let lo: number | null = null;
  for (const step of steps) {
    if (step.meetsSlo && (hi === null || step.concurrency < hi) && (lo === null || step.concurrency > lo))
      lo = step.concurrency;
  }
  return { lo, hi };
}

/** What to measure next, given what has been measured (in order). */
export function nextLevel(steps: readonly SearchStep[], settings: SearchSettings): NextLevel {
  const first = steps[0];
  if (first === undefined) return { done: false, concurrency: settings.startConcurrency, phase: 'CLIMB' };
  const { lo, hi } = bracketOf(steps);
  if (lo === null) {
    // Nothing passed yet: the start level missed. Below it there is nothing to learn when it is 1;
    // otherwise bisect down towards 1.
    const lowest = Math.min(...steps.map((step) => step.concurrency));
    if (lowest <= 1) return { done: true, reason: 'NONE_MET' };
    return { done: false, concurrency: Math.max(1, Math.floor(lowest / 2)), phase: 'BISECT' };
  }
  if (hi === null) {
    if (lo >= settings.maxConcurrency) return { done: true, reason: 'CAP_REACHED' };
    const next = Math.min(settings.maxConcurrency, Math.max(lo + 1, Math.ceil(lo * settings.growthFactor)));
    return { done: false, concurrency: next, phase: 'CLIMB' };
  }
  if (hi - lo <= settings.precision) return { done: true, reason: 'BRACKETED' };
  return { done: false, concurrency: Math.floor((lo + hi) / 2), phase: 'BISECT' };
}

/** Levels the search needs at most, for a progress bar: the climb to the cap, then a full bisection. */
export function maxLevels(settings: SearchSettings): number {
  let climb = 1;
  for (let level = settings.startConcurrency; level < settings.maxConcurrency; climb++) {
    level = Math.min(settings.maxConcurrency, Math.max(level + 1, Math.ceil(level * settings.growthFactor)));
  }
  const widest = Math.max(
    1,
    Math.ceil(settings.startConcurrency * settings.growthFactor) - settings.startConcurrency,
    settings.maxConcurrency - Math.floor(settings.maxConcurrency / settings.growthFactor),
  );
  const bisect = Math.max(0, Math.ceil(Math.log2(widest / Math.max(1, settings.precision))));
  return climb + bisect;
}

/** One row of a sweep's per-level table. */
export interface SweepLevel {
  concurrency: number;
  phase: SearchPhase;
  meetsSlo: boolean;
  /** True when the level was stopped before all its requests ran: it was already clearly over. */
  stoppedEarly: boolean;
  completed: number;
  failed: number;
  requestThroughput: number;
  outputThroughput: number;
  goodputRequestsPerSecond: number | null;
  goodputOutputTokensPerSecond: number | null;
  meanDecodeTokensPerSecond: number | null;
  checks: TargetCheck[];
  /** The stored benchmark result of this level, once stored. */
  resultId?: string | undefined;
}

export interface SweepOutcome {
  slos: SloTargets;
  endReason: SearchEndReason;
  /** Largest concurrency at which every objective held; null when none did. */
  maxConcurrencyAtSlo: number | null;
  /** The lowest concurrency measured to miss (the bracket's upper end); null when none missed. */
  firstMissConcurrency: number | null;
  goodputRequestsPerSecond: number | null;
  goodputOutputTokensPerSecond: number | null;
  levels: SweepLevel[];
  /** A sentence for people. */
  summary: string;
}

/** The parts of a level's summary a sweep reads. */
export type SweepLevelSummary = Pick<
  BenchmarkSummary,
  | 'profile'
  | 'completed'
  | 'failed'
  | 'requestThroughput'
  | 'outputThroughput'
  | 'requestGoodput'
  | 'outputGoodput'
  | 'stoppedEarly'
  | 'meanDecodeTokensPerSecond'
  | 'ttftMs'
  | 'tpotMs'
  | 'itlMs'
  | 'e2elMs'
>;

export function sweepLevelOf(summary: SweepLevelSummary, slos: SloTargets, phase: SearchPhase): SweepLevel {
  const concurrency = summary.profile.maxConcurrency ?? 0;
  return {
    concurrency,
    phase,
    meetsSlo: levelMeetsSlos(summary, slos),
    stoppedEarly: summary.stoppedEarly === true,
    completed: summary.completed,
    failed: summary.failed,
    requestThroughput: summary.requestThroughput,
    outputThroughput: summary.outputThroughput,
    goodputRequestsPerSecond: summary.requestGoodput,
    goodputOutputTokensPerSecond: summary.outputGoodput ?? null,
    meanDecodeTokensPerSecond: summary.meanDecodeTokensPerSecond,
    checks: checkLevel(summary, slos),
  };
}

/**
 * The phase of each measured level, by replaying the plan: the level the plan asked for at each
 * step. A level that is not the one the plan would have asked for (a report from another version,
 * or edited) is still used, labelled by where it falls: below the highest passing level, a climb.
 */
export function replayPhases(
  levels: readonly { concurrency: number; meetsSlo: boolean }[],
  settings: SearchSettings,
): SearchPhase[] {
  const steps: SearchStep[] = [];
  return levels.map((level) => {
    const planned = nextLevel(steps, settings);
    steps.push({ concurrency: level.concurrency, meetsSlo: level.meetsSlo });
    return !planned.done && planned.concurrency === level.concurrency ? planned.phase : 'CLIMB';
  });
}

/** The sweep's answer from its levels (in the order measured). */
export function sweepOutcome(
  levels: readonly SweepLevel[],
  slos: SloTargets,
  settings: SearchSettings,
): SweepOutcome {
  const { lo, hi } = bracketOf(levels);
  const at = lo === null ? undefined : levels.find((level) => level.concurrency === lo && level.meetsSlo);
  const next = nextLevel(levels, settings);
  const endReason: SearchEndReason = next.done
    ? next.reason
    : lo === null
      ? 'NONE_MET'
      : hi === null
        ? 'CAP_REACHED'
        : 'BRACKETED';
  const sloText = describeSlos(slos);
  let summary: string;
  if (lo === null) {
    summary = `No level met ${sloText}: concurrency ${hi ?? '?'} already missed (${misses(levels.find((level) => level.concurrency === hi))}).`;
  } else if (hi === null) {
    summary = `Every level up to concurrency ${lo} met ${sloText}; the limit lies above ${lo} (raise maxConcurrency to find it).`;
  } else {
    summary = `Largest concurrency at ${sloText}: ${lo} (concurrency ${hi} missed: ${misses(levels.find((level) => level.concurrency === hi))}).`;
  }
  return {
    slos,
    endReason,
    maxConcurrencyAtSlo: lo,
    firstMissConcurrency: hi,
    goodputRequestsPerSecond: at?.goodputRequestsPerSecond ?? null,
    goodputOutputTokensPerSecond: at?.goodputOutputTokensPerSecond ?? null,
    levels: [...levels],
    summary,
  };
}

function misses(level: SweepLevel | undefined): string {
  if (!level) return 'unknown';
  const missed = level.checks.filter((check) => !check.met);
  const parts = missed.map(
    (check) =>
      `${check.label} ${check.measuredMs === null ? 'not measured' : `${check.measuredMs.toFixed(1)} ms`} > ${formatMs(check.limitMs)} ms`,
  );
  if (level.failed > 0) parts.push(`${level.failed} requests failed`);
  return parts.join(', ') || 'missed';
}

/**
 * Decides during a level whether it is already clearly over: enough requests have finished past a
 * limit that the level's statistic must end above it whatever the remaining requests do. Percentile
 * p over n samples (numpy's linear rank (n − 1)·p) exceeds a limit once k ≥ n − floor((n − 1)·p)
 * samples do; that bound only grows with n, so using the most samples the level can produce is safe
 * when some requests fail. A mean exceeds its limit once the sum already does over the most samples.
 */
export class LevelOverWatch {
  private readonly over = new Map<SloTargetKey, number>();
  private tpotSum = 0;

  constructor(
    private readonly slos: SloTargets,
    /** Requests the level will send. */
    private readonly requests: number,
    /** Most ITL samples one request can give (output tokens − 1). */
    private readonly gapsPerRequest: number,
  ) {}

  /** Adds one finished request; returns the objective it proves missed, or null. */
  add(request: {
    ttftMs: number;
    tpotMs: number | null;
    interTokenLatenciesMs: readonly number[];
    e2elMs: number;
  }): string | null {
    for (const { definition, limitMs } of definedTargets(this.slos)) {
      if (definition.statistic === 'mean') {
        this.tpotSum += request.tpotMs ?? 0;
        if (this.tpotSum > limitMs * this.requests)
          return `${definition.label} already above ${formatMs(limitMs)} ms`;
        continue;
      }
      const samples =
        definition.metric === 'itlMs'
          ? request.interTokenLatenciesMs.filter((gap) => gap > limitMs).length
          : definition.metric === 'tpotMs'
            ? request.tpotMs !== null && request.tpotMs > limitMs
              ? 1
              : 0
            : (definition.metric === 'ttftMs' ? request.ttftMs : request.e2elMs) > limitMs
              ? 1
              : 0;
      const count = (this.over.get(definition.key) ?? 0) + samples;
      this.over.set(definition.key, count);
      const population = definition.metric === 'itlMs' ? this.requests * this.gapsPerRequest : this.requests;
      const quantile = definition.statistic === 'p95' ? 0.95 : 0.99;
      if (population > 0 && count >= population - Math.floor((population - 1) * quantile))
        return `${definition.label} already above ${formatMs(limitMs)} ms (${count} samples over)`;
    }
    return null;
  }
}
