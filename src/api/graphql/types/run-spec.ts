import type { AttemptRecord } from '../../../app/runs/queue';
import type { RunProgress } from '../../../app/runs/report';
import type { BenchmarkRunSpec } from '../../../domain/run-spec';
import type { SearchStep } from '../../../domain/slo-search';
import { builder } from '../builder';
import { EndpointKindEnum } from './enums';
import { SloSearchPhaseEnum, SloTargetsRef } from './sweeps';

/**
 * A run's spec, progress and attempt history as typed objects: the domain's shapes
 * (src/domain/run-spec.ts, src/app/runs/report.ts) with the domain's field names, so the bot and the
 * runner read generated types instead of re-parsing JSON. Closed sets are enums.
 */

const RUN_READERS = { viewer: true, runner: true } as const;

export const LoadProfileKindEnum = builder.enumType('LoadProfileKind', {
  values: {
    CONCURRENCY: { description: 'Fixed concurrency; a list of levels gives one result per level.' },
    RATE: { description: 'A request rate with gamma-distributed gaps (burstiness 1 = Poisson).' },
    SWEEP: { description: 'Synchronous, then maximum throughput, then rates in between.' },
    SLO_SEARCH: {
      description:
        'Largest concurrency within the SLOs: climb concurrency geometrically until a level misses, then bisect; goodput per level.',
    },
  } as const,
});

type Profile = BenchmarkRunSpec['profile'];
type ProfileOf<Kind extends Profile['kind']> = Extract<Profile, { kind: Kind }>;

const ConcurrencyProfileRef = builder.objectRef<ProfileOf<'concurrency'>>('ConcurrencyProfile').implement({
  authScopes: RUN_READERS,
  description: 'Fixed concurrency: one level per entry of levels.',
  fields: (t) => ({
    kind: t.field({ type: LoadProfileKindEnum, resolve: () => 'CONCURRENCY' as const }),
    levels: t.exposeIntList('levels', { description: 'Concurrency of each level, e.g. [1, 8, 32].' }),
  }),
});

const RateProfileRef = builder.objectRef<ProfileOf<'rate'>>('RateProfile').implement({
  authScopes: RUN_READERS,
  description: 'A request rate with gamma-distributed gaps.',
  fields: (t) => ({
    kind: t.field({ type: LoadProfileKindEnum, resolve: () => 'RATE' as const }),
    requestsPerSecond: t.float({
      nullable: true,
      description: 'Requests per second; null when infiniteRate.',
      resolve: (profile) => (profile.requestsPerSecond === 'inf' ? null : profile.requestsPerSecond),
    }),
    infiniteRate: t.boolean({
      description: 'Everything sent at once (rate inf).',
      resolve: (profile) => profile.requestsPerSecond === 'inf',
    }),
    burstiness: t.exposeFloat('burstiness', { description: 'Gamma shape of the gaps: 1 is Poisson.' }),
    maxConcurrency: t.exposeInt('maxConcurrency', {
      nullable: true,
      description: 'Cap on requests in flight.',
    }),
  }),
});

const SweepProfileRef = builder.objectRef<ProfileOf<'sweep'>>('SweepProfile').implement({
  authScopes: RUN_READERS,
  description: 'Synchronous, then maximum throughput, then rates in between.',
  fields: (t) => ({
    kind: t.field({ type: LoadProfileKindEnum, resolve: () => 'SWEEP' as const }),
    intermediateRates: t.exposeInt('intermediateRates'),
    burstiness: t.exposeFloat('burstiness'),
    maxConcurrency: t.exposeInt('maxConcurrency', { nullable: true }),
  }),
});

const SloSearchProfileRef = builder.objectRef<ProfileOf<'slo-search'>>('SloSearchProfile').implement({
  authScopes: RUN_READERS,
  description: 'The largest concurrency within the objectives: climb, then bisect.',
  fields: (t) => ({
    kind: t.field({ type: LoadProfileKindEnum, resolve: () => 'SLO_SEARCH' as const }),
    slos: t.field({ type: SloTargetsRef, resolve: (profile) => profile.slos }),
    startConcurrency: t.exposeInt('startConcurrency'),
    growthFactor: t.exposeFloat('growthFactor'),
    // Nullable only so that it merges with the other profiles' maxConcurrency; always set here.
    maxConcurrency: t.exposeInt('maxConcurrency', { nullable: true, description: 'Highest level tried.' }),
    precision: t.exposeInt('precision'),
    stopEarly: t.exposeBoolean('stopEarly'),
  }),
});

const LoadProfileRef = builder.unionType('LoadProfile', {
  description: "A run's load profile; select __typename (or kind) to tell them apart.",
  types: [ConcurrencyProfileRef, RateProfileRef, SweepProfileRef, SloSearchProfileRef],
  resolveType: (profile) =>
    profile.kind === 'concurrency'
      ? ConcurrencyProfileRef
      : profile.kind === 'rate'
        ? RateProfileRef
        : profile.kind === 'sweep'
          ? SweepProfileRef
          : SloSearchProfileRef,
});

type Dataset = BenchmarkRunSpec['dataset'];

const DatasetKindEnum = builder.enumType('DatasetKind', {
  values: {
    SYNTHETIC: { description: 'Synthetic prompts of inputTokens tokens.' },
    JSONL: { description: "A JSONL prompt file on the runner's machine." },
  } as const,
});

const DatasetRef = builder.objectRef<Dataset>('BenchmarkDataset').implement({
  authScopes: RUN_READERS,
  description: 'Where the prompts come from.',
  fields: (t) => ({
    kind: t.field({
      type: DatasetKindEnum,
      resolve: (dataset) => (dataset.kind === 'jsonl' ? 'JSONL' : 'SYNTHETIC'),
    }),
    path: t.string({
      nullable: true,
      description: "JSONL: the file on the runner's machine.",
      resolve: (dataset) => (dataset.kind === 'jsonl' ? dataset.path : null),
    }),
    promptField: t.string({
      nullable: true,
      description: 'JSONL: the field of each line that holds the prompt.',
      resolve: (dataset) => (dataset.kind === 'jsonl' ? dataset.promptField : null),
    }),
  }),
});

const ServiceLevelObjectivesRef = builder
  .objectRef<BenchmarkRunSpec['slos']>('ServiceLevelObjectives')
  .implement({
    authScopes: RUN_READERS,
    description: 'Per-request objectives in ms that goodput counts against; null = not set.',
    fields: (t) => ({
      ttftMs: t.float({ nullable: true, resolve: (slos) => slos.ttftMs ?? null }),
      tpotMs: t.float({ nullable: true, resolve: (slos) => slos.tpotMs ?? null }),
      e2elMs: t.float({ nullable: true, resolve: (slos) => slos.e2elMs ?? null }),
    }),
  });

export const BenchmarkRunSpecRef = builder.objectRef<BenchmarkRunSpec>('BenchmarkRunSpec').implement({
  authScopes: RUN_READERS,
  description: 'What the run measures (vLLM bench serve semantics), with every default filled in.',
  fields: (t) => ({
    endpointKind: t.field({
      type: EndpointKindEnum,
      resolve: (spec) => (spec.endpointKind === 'chat' ? 'CHAT' : 'COMPLETIONS'),
    }),
    model: t.exposeString('model', { description: 'The served model name.' }),
    profile: t.field({ type: LoadProfileRef, resolve: (spec) => spec.profile }),
    serverConfigurations: t.exposeStringList('serverConfigurations', {
      description: 'Named server configurations measured one after the other; empty: the running server.',
    }),
    numPrompts: t.exposeInt('numPrompts', { description: 'Measured requests per level.' }),
    inputTokens: t.exposeInt('inputTokens', { description: 'Synthetic prompt length in tokens.' }),
    outputTokens: t.exposeInt('outputTokens', { description: 'max_tokens per request.' }),
    dataset: t.field({ type: DatasetRef, resolve: (spec) => spec.dataset }),
    warmupRequests: t.exposeInt('warmupRequests', {
      description: 'Unmeasured requests before each level.',
    }),
    ignoreEos: t.exposeBoolean('ignoreEos'),
    seed: t.exposeFloat('seed', { description: 'Seed of the prompts and arrivals (0 to 2^32 - 1).' }),
    slos: t.field({ type: ServiceLevelObjectivesRef, resolve: (spec) => spec.slos }),
    idleTimeoutS: t.exposeFloat('idleTimeoutS', {
      description: 'A request with no byte for this long fails.',
    }),
    requestTimeoutS: t.exposeFloat('requestTimeoutS'),
  }),
});

export const BenchmarkPhaseEnum = builder.enumType('BenchmarkPhase', {
  values: {
    WARMUP: { description: 'Unmeasured requests before the level.' },
    MEASURE: { description: 'The measured requests of the level.' },
  } as const,
});

const SearchStepFields = {
  concurrency: 'Concurrency of the level.',
  meetsSlo: 'Whether the level met every objective.',
};

const SearchStepRef = builder.objectRef<SearchStep>('SearchStep').implement({
  authScopes: RUN_READERS,
  description: 'A level an SLO search measured so far.',
  fields: (t) => ({
    concurrency: t.exposeInt('concurrency', { description: SearchStepFields.concurrency }),
    meetsSlo: t.exposeBoolean('meetsSlo', { description: SearchStepFields.meetsSlo }),
  }),
});

export const BenchmarkRunProgressRef = builder.objectRef<RunProgress>('BenchmarkRunProgress').implement({
  authScopes: RUN_READERS,
  description: "The runner's last heartbeat: where the run is.",
  fields: (t) => ({
    levelIndex: t.exposeInt('levelIndex', { description: '0-based level being measured.' }),
    levelCount: t.exposeInt('levelCount', {
      description: 'Levels in all (a sweep’s and an SLO search’s grow as they go).',
    }),
    phase: t.field({ type: BenchmarkPhaseEnum, resolve: (progress) => progress.phase }),
    completed: t.exposeInt('completed'),
    failed: t.exposeInt('failed'),
    total: t.exposeInt('total', { description: 'Requests in this phase of the level.' }),
    outputTokens: t.exposeInt('outputTokens', {
      description: 'Output tokens received so far in this phase.',
    }),
    searchPhase: t.field({
      type: SloSearchPhaseEnum,
      nullable: true,
      description: 'SLO search: climbing or bisecting; null for other profiles.',
      resolve: (progress) => progress.searchPhase ?? null,
    }),
    searchSteps: t.field({
      type: [SearchStepRef],
      nullable: true,
      description: 'SLO search: the levels so far, in order; null for other profiles.',
      resolve: (progress) => progress.searchSteps ?? null,
    }),
    serverConfiguration: t.string({
      nullable: true,
      description: 'The server configuration being measured, when the runner launched it.',
      resolve: (progress) => progress.serverConfiguration ?? null,
    }),
  }),
});

const SearchStepInput = builder.inputType('SearchStepInput', {
  fields: (t) => ({
    concurrency: t.int({ required: true, description: SearchStepFields.concurrency }),
    meetsSlo: t.boolean({ required: true, description: SearchStepFields.meetsSlo }),
  }),
});

export const BenchmarkRunProgressInput = builder.inputType('BenchmarkRunProgressInput', {
  description: 'A heartbeat’s progress (BenchmarkRunProgress).',
  fields: (t) => ({
    levelIndex: t.int({ required: true }),
    levelCount: t.int({ required: true }),
    phase: t.field({ type: BenchmarkPhaseEnum, required: true }),
    completed: t.int({ required: true }),
    failed: t.int({ required: true }),
    total: t.int({ required: true }),
    outputTokens: t.int({ required: true }),
    searchPhase: t.field({ type: SloSearchPhaseEnum, required: false }),
    searchSteps: t.field({ type: [SearchStepInput], required: false }),
    serverConfiguration: t.string({ required: false }),
  }),
});

const AttemptEndKindEnum = builder.enumType('AttemptEndKind', {
  values: {
    LEASE_EXPIRED: { description: 'The runner stopped heartbeating; the sweeper took the run back.' },
    FAILED: { description: 'The runner failed the attempt.' },
    RELEASED: { description: 'The runner handed the run back (shutting down).' },
    CANCELLED: { description: 'Cancelled while leased.' },
  } as const,
});

const ATTEMPT_END_KINDS = {
  'lease-expired': 'LEASE_EXPIRED',
  failed: 'FAILED',
  released: 'RELEASED',
  cancelled: 'CANCELLED',
} as const;

export const RunAttemptRef = builder.objectRef<AttemptRecord>('RunAttempt').implement({
  authScopes: RUN_READERS,
  description: 'How an attempt of a run ended.',
  fields: (t) => ({
    attempt: t.exposeInt('attempt'),
    runner: t.exposeString('runner', { nullable: true, description: 'The runner that held the lease.' }),
    kind: t.field({ type: AttemptEndKindEnum, resolve: (record) => ATTEMPT_END_KINDS[record.kind] }),
    reason: t.exposeString('reason'),
    at: t.field({ type: 'DateTime', resolve: (record) => new Date(record.at) }),
  }),
});
