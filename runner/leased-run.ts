import type { BenchmarkRunProgressInput, LeasedRunFragment } from '../clients/graphql/operations.generated';
import type { BenchmarkRunSpec } from '../src/domain/run-spec';
import type { SloTargets } from '../src/domain/slo-search';
import type { BenchmarkProgress } from './load';

/**
 * Between the generated contract (schema/operations/runner/) and the load runner's domain types: the
 * leased run's typed spec becomes the domain spec the load runner executes, and its progress the
 * heartbeat's input. Same field names on both sides; only GraphQL's enums and nulls differ.
 */

type LeasedSpec = LeasedRunFragment['spec'];

export type LeasedSpecReading =
  | { success: true; spec: BenchmarkRunSpec }
  | { success: false; errors: string[] };

function withoutNulls<Values extends Record<string, number | null | undefined>>(
  values: Values,
): { [Key in keyof Values]?: number } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value != null)) as {
    [Key in keyof Values]?: number;
  };
}

function profileOf(profile: LeasedSpec['profile']): BenchmarkRunSpec['profile'] | string {
  switch (profile.__typename) {
    case 'ConcurrencyProfile':
      return { kind: 'concurrency', levels: profile.levels };
    case 'RateProfile': {
      const rate = profile.infiniteRate ? ('inf' as const) : profile.requestsPerSecond;
      if (rate === null) return 'profile.requestsPerSecond: missing (and infiniteRate is false)';
      return {
        kind: 'rate',
        requestsPerSecond: rate,
        burstiness: profile.burstiness,
        maxConcurrency: profile.maxConcurrency,
      };
    }
    case 'SweepProfile':
      return {
        kind: 'sweep',
        intermediateRates: profile.intermediateRates,
        burstiness: profile.burstiness,
        maxConcurrency: profile.maxConcurrency,
      };
    case 'SloSearchProfile': {
      if (profile.maxConcurrency === null) return 'profile.maxConcurrency: missing';
      return {
        kind: 'slo-search',
        slos: withoutNulls(profile.slos) satisfies SloTargets,
        startConcurrency: profile.startConcurrency,
        growthFactor: profile.growthFactor,
        maxConcurrency: profile.maxConcurrency,
        precision: profile.precision,
        stopEarly: profile.stopEarly,
      };
    }
  }
}

/** The leased run's spec as the load runner takes it; errors name the field that cannot be read. */
export function runSpecOf(spec: LeasedSpec): LeasedSpecReading {
  const profile = profileOf(spec.profile);
  if (typeof profile === 'string') return { success: false, errors: [profile] };
  let dataset: BenchmarkRunSpec['dataset'] = { kind: 'synthetic' };
  if (spec.dataset.kind === 'JSONL') {
    if (!spec.dataset.path || !spec.dataset.promptField)
      return { success: false, errors: ['dataset: a JSONL dataset without path or promptField'] };
    dataset = { kind: 'jsonl', path: spec.dataset.path, promptField: spec.dataset.promptField };
  }
  return {
    success: true,
    spec: {
      endpointKind: spec.endpointKind === 'CHAT' ? 'chat' : 'completions',
      model: spec.model,
      profile,
      serverConfigurations: spec.serverConfigurations,
      numPrompts: spec.numPrompts,
      inputTokens: spec.inputTokens,
      outputTokens: spec.outputTokens,
      dataset,
      warmupRequests: spec.warmupRequests,
      ignoreEos: spec.ignoreEos,
      seed: spec.seed,
      slos: withoutNulls(spec.slos),
      idleTimeoutS: spec.idleTimeoutS,
      requestTimeoutS: spec.requestTimeoutS,
    },
  };
}

/** A heartbeat's progress: what the load runner reports, less the level's profile (the spec has it). */
export function progressInputOf(progress: BenchmarkProgress): BenchmarkRunProgressInput {
  return {
    levelIndex: progress.levelIndex,
    levelCount: progress.levelCount,
    phase: progress.phase,
    completed: progress.completed,
    failed: progress.failed,
    total: progress.total,
    outputTokens: progress.outputTokens,
    searchPhase: progress.searchPhase ?? null,
    searchSteps: progress.searchSteps ?? null,
    serverConfiguration: progress.serverConfiguration ?? null,
  };
}
