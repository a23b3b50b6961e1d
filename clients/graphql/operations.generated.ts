/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AccessChannel =
  | 'ACCOUNT_ESCALATION'
  | 'PURCHASE'
  | 'RELATIONSHIP'
  | 'SELF_SERVE_FORM'
  | 'SUPPORT_CASE';

export type AccessOutcome =
  | 'APPROVED'
  | 'DENIED'
  | 'ESCALATED'
  | 'NO_ANSWER'
  | 'PENDING'
  | 'SOFT_DENY_WRONG_LANE';

/** The five axes. To keep an axis is to accept a shortfall on it: keeping FAST means living with slower decode than asked, keeping CHEAP paying over budget, keeping HIGH_CONFIDENCE resting on weaker evidence or a lower accepted rate, keeping CONTROLLED leaving weights or runtime with the platform, keeping AVAILABLE waiting longer or hitting a quota or commitment wall. */
export type Axis =
  | 'AVAILABLE'
  | 'CHEAP'
  | 'CONTROLLED'
  | 'FAST'
  | 'HIGH_CONFIDENCE';

export type BenchmarkLevelResultInput = {
  /** Raw per-request records, when small enough to send. */
  records?: unknown;
  /** The canonical summary of one load level. */
  summary: unknown;
};

export type BenchmarkPhase =
  /** The measured requests of the level. */
  | 'MEASURE'
  /** Unmeasured requests before the level. */
  | 'WARMUP';

/** A heartbeat’s progress (BenchmarkRunProgress). */
export type BenchmarkRunProgressInput = {
  completed: number;
  failed: number;
  levelCount: number;
  levelIndex: number;
  outputTokens: number;
  phase: BenchmarkPhase;
  searchPhase?: SloSearchPhase | null | undefined;
  searchSteps?: Array<SearchStepInput> | null | undefined;
  serverConfiguration?: string | null | undefined;
  total: number;
};

/** What to measure (vLLM bench serve semantics). The runner knows its endpoint URL. */
export type BenchmarkRunSpecInput = {
  /** A JSONL prompt file on the runner's machine. */
  datasetPath?: string | null | undefined;
  /** A request with no byte for this long, before its first chunk or between chunks, fails (default 15; the runner's --timeout overrides it). */
  idleTimeoutS?: number | null | undefined;
  /** Synthetic prompt length in tokens. */
  inputTokens: number;
  /** Served model name; defaults to the variant slug. */
  model?: string | null | undefined;
  /** Measured requests per level. */
  numPrompts: number;
  /** max_tokens per request (with ignore_eos). */
  outputTokens: number;
  profile: LoadProfileInput;
  requestTimeoutS?: number | null | undefined;
  seed?: number | null | undefined;
  /** Named server configurations the box's runner knows (launch commands): each is started, measured and stopped in turn; each result records its configuration. */
  serverConfigurations?: Array<string> | null | undefined;
  slos?: ServiceLevelObjectivesInput | null | undefined;
  /** Unmeasured requests before each level (default 1). */
  warmupRequests?: number | null | undefined;
};

/** OWNED: bought, amortized and powered by you (purchase price, amortization, power set); RENTED: an instance type hired by the hour, priced per instance-hour on its RENTED_INSTANCE paths (no purchase price). */
export type BoxOwnership =
  | 'OWNED'
  | 'RENTED';

/** C = vendor source, S = secondary source, U = unconfirmed or conflicting. */
export type Confidence =
  | 'C'
  | 'S'
  | 'U';

export type CreateBenchmarkRunInput = {
  /** Box slug, e.g. dgx-spark. */
  box: string;
  endpointKind: EndpointKind;
  /** Sending the same key again returns the same run; the same key with different input is refused. */
  idempotencyKey: string;
  /** Who asked, when a service token triggers for a person (e.g. "slack:U024BE7LH"); kept in requestedBy and the audit. */
  onBehalfOf?: string | null | undefined;
  spec: BenchmarkRunSpecInput;
  /** Model variant slug. */
  variant: string;
};

export type DatasetKind =
  /** A JSONL prompt file on the runner's machine. */
  | 'JSONL'
  /** Synthetic prompts of inputTokens tokens. */
  | 'SYNTHETIC';

export type DecisionMoveKind =
  | 'COST'
  | 'KEPT_SETS'
  | 'RECOMMENDATION'
  | 'VERDICT';

export type EndpointKind =
  | 'CHAT'
  | 'COMPLETIONS';

/** A kind of evidence whose change re-checks watched decisions. */
export type EvidenceKind =
  | 'ACCESS_ATTEMPT'
  | 'BENCHMARK_RESULT'
  | 'CAPACITY_FACT'
  | 'PRICE_VALUE'
  | 'QUALITY_EVALUATION'
  | 'SLO_SWEEP';

export type LoadProfileInput = {
  /** RATE and SWEEP: gamma shape of the gaps (default 1). */
  burstiness?: number | null | undefined;
  /** CONCURRENCY: the levels, e.g. [1, 8, 32]. */
  concurrency?: Array<number> | null | undefined;
  /** SLO_SEARCH: multiplier between climbing levels (default 2). */
  growthFactor?: number | null | undefined;
  /** RATE: send everything at once (rate inf). */
  infiniteRate?: boolean | null | undefined;
  /** SWEEP: rates between synchronous and maximum (default 4). */
  intermediateRates?: number | null | undefined;
  kind: LoadProfileKind;
  /** RATE and SWEEP: cap on requests in flight; SLO_SEARCH: highest level tried (default 256). */
  maxConcurrency?: number | null | undefined;
  /** SLO_SEARCH: stop bisecting this many streams apart (default 1, the exact answer). */
  precision?: number | null | undefined;
  /** RATE: requests per second; leave out with infiniteRate. */
  requestsPerSecond?: number | null | undefined;
  /** SLO_SEARCH: the objectives. */
  slos?: SloTargetsInput | null | undefined;
  /** SLO_SEARCH: first level (default 1). */
  startConcurrency?: number | null | undefined;
  /** SLO_SEARCH: stop a level once it is certain to miss (default true). */
  stopEarly?: boolean | null | undefined;
};

export type LoadProfileKind =
  /** Fixed concurrency; a list of levels gives one result per level. */
  | 'CONCURRENCY'
  /** A request rate with gamma-distributed gaps (burstiness 1 = Poisson). */
  | 'RATE'
  /** Largest concurrency within the SLOs: climb concurrency geometrically until a level misses, then bisect; goodput per level. */
  | 'SLO_SEARCH'
  /** Synchronous, then maximum throughput, then rates in between. */
  | 'SWEEP';

/** NO_ELIGIBLE_PATH: nothing on offer can serve the workload (only base-model stand-ins, or nothing). NO_PATH_MEETS_CONSTRAINTS: eligible paths exist, but none meets every constraint you did not keep. */
export type NoRecommendationCode =
  | 'NO_ELIGIBLE_PATH'
  | 'NO_PATH_MEETS_CONSTRAINTS';

export type PathKind =
  | 'CUSTOM_MODEL_IMPORT'
  | 'NATIVE_FINE_TUNE'
  | 'ON_DEMAND_TOKENS'
  | 'OWNED_BOX'
  | 'PROVISIONED_THROUGHPUT'
  | 'RENTED_INSTANCE';

/** IMPORT: a price file and the mapping that names this component; EDIT: a catalog edit. */
export type PriceRefreshKind =
  | 'EDIT'
  | 'IMPORT';

/** A result against the history of its box, model variant and load profile: alerts need a change both significant (z-score) and material (percent). */
export type RegressionVerdict =
  | 'IMPROVED'
  | 'NOT_ENOUGH_HISTORY'
  | 'REGRESSED'
  | 'UNCHANGED';

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'LEASED'
  | 'QUEUED'
  | 'SUCCEEDED';

export type SearchStepInput = {
  /** Concurrency of the level. */
  concurrency: number;
  /** Whether the level met every objective. */
  meetsSlo: boolean;
};

export type ServiceLevelObjectivesInput = {
  e2elMs?: number | null | undefined;
  tpotMs?: number | null | undefined;
  ttftMs?: number | null | undefined;
};

export type SloSearchPhase =
  /** Bisection between the last passing and the first failing level. */
  | 'BISECT'
  /** Geometric climb until a level misses. */
  | 'CLIMB';

export type SloSweepEndReason =
  /** The highest passing and lowest failing levels are within the precision asked. */
  | 'BRACKETED'
  /** Every level up to maxConcurrency met the objectives; the limit lies above. */
  | 'CAP_REACHED'
  /** Even the lowest level missed an objective. */
  | 'NONE_MET';

/** Latency objectives in ms for SLO_SEARCH; give at least one. */
export type SloTargetsInput = {
  e2elP99Ms?: number | null | undefined;
  itlP99Ms?: number | null | undefined;
  tpotMeanMs?: number | null | undefined;
  tpotP99Ms?: number | null | undefined;
  ttftP95Ms?: number | null | undefined;
  ttftP99Ms?: number | null | undefined;
};

export type WarningCode =
  | 'ASSUMED_PRICE'
  | 'ASSUMED_THROUGHPUT'
  | 'BILLING_RULE_RANGE'
  | 'NO_SLO_SWEEP'
  | 'STALE_PRICE'
  | 'STRICTER_THAN_SWEPT'
  | 'UNCONFIRMED_PRICE';

/** The workload to place. Money (monthlyBudget) is a decimal string. */
export type WorkloadInput = {
  /** Days with traffic per month (default: every day). Range: more than 0, at most 30.42; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  activeDaysPerMonth?: number;
  /** Hours of traffic per active day (default: around the clock). Range: more than 0, at most 24; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  activeHoursPerDay?: number;
  /** Months over which a bought box's price is spread; the box's own figure when omitted (36 for the Spark), never longer than the horizon. Range: a whole number from 1 to 120; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  amortizationMonths?: number | null | undefined;
  /** 1 = Poisson arrivals; above 1 = clustered. Range: 0.01 to 1,000; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  burstiness?: number;
  /** Months the workload runs; a box is never charged over more. Range: a whole number from 1 to 120; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  horizonMonths?: number;
  /** p95 time-to-first-token limit, ms (FAST); none when omitted. Range: more than 0, at most 3,600,000; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  maxTtftMsP95?: number | null | undefined;
  /** Mean input tokens per request. Range: 0 to 10,000,000; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  meanInputTokens: number;
  /** Mean output tokens per request. Range: more than 0, at most 1,000,000; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  meanOutputTokens: number;
  /** Fraction of answers that must be accepted (HIGH_CONFIDENCE); none when omitted. Range: 0 to 1; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  minAcceptedRate?: number | null | undefined;
  /** Slowest acceptable decode per stream (FAST); none when omitted. Range: more than 0, at most 100,000; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  minDecodeTokensPerSecond?: number | null | undefined;
  /** Model or variant slug, e.g. "llama-3.1-8b-lora". */
  model: string;
  /** Monthly budget (CHEAP), any plain non-negative decimal string; none when omitted. */
  monthlyBudget?: string | null | undefined;
  /** The weights must stay exportable (CONTROLLED). */
  mustOwnWeights?: boolean;
  /** Days until it must serve (AVAILABLE); none when omitted. Range: 0 to 3,650; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  neededByDays?: number | null | undefined;
  /** The fine-tuned weights must be served (a base-model-only path is not eligible). */
  needsCustomWeights?: boolean;
  /** Peak arrival rate over the mean within active hours; 1 = flat. Range: 1 to 1,000; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  peakToMean?: number;
  region?: string;
  /** Requests per active day. Range: 0 to 1,000,000,000; outside it the request fails with BAD_USER_INPUT naming the field and the range. */
  requestsPerDay: number;
};

export type AccessPathsQueryVariables = Exact<{
  accelerator?: string | null | undefined;
  region?: string | null | undefined;
}>;


export type AccessPathsQuery = { accessPaths: Array<{ slug: string, name: string, acceleratorClass: string, channel: AccessChannel, region: string | null, minimumCommitmentHours: number | null, paidUpFront: boolean, cancellable: boolean, quotaNeeded: string | null, typicalLeadTimeDays: number | null, vendor: { name: string }, minimumCommitment: { amount: string, currency: string } | null, figures: { attempts: number, medianHoursToAnswer: number | null, successRate: number | null }, attempts: Array<{ outcome: AccessOutcome, requestedAt: string, answeredAt: string | null }> }> };

export type CreateBenchmarkRunMutationVariables = Exact<{
  input: CreateBenchmarkRunInput;
}>;


export type CreateBenchmarkRunMutation = { createBenchmarkRun: { id: string, status: RunStatus, attempt: number, createdAt: string, startedAt: string | null, finishedAt: string | null, cancelRequested: boolean, failureReason: string | null, requestedBy: string, cancelledBy: string | null, box: { slug: string, name: string }, modelVariant: { slug: string, name: string }, spec: { numPrompts: number, inputTokens: number, outputTokens: number, profile:
        | { __typename: 'ConcurrencyProfile', levels: Array<number> }
        | { __typename: 'RateProfile' }
        | { __typename: 'SloSearchProfile', maxConcurrency: number | null, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
        | { __typename: 'SweepProfile' }
       }, progress: { levelIndex: number, levelCount: number, phase: BenchmarkPhase, completed: number, failed: number, total: number } | null, results: Array<{ id: string, concurrency: number | null, profileKey: string, serverConfiguration: string | null, decodeTokensPerSecond: number | null, outputTokensPerSecond: number | null, ttftP95Ms: number | null, regressionVerdict: RegressionVerdict | null, decodeRegression: { percentChange: number | null, zScore: number | null, historyUsed: number | null, reason: string | null } | null, roofline: { ceilingTokensPerSecond: number | null, efficiency: number | null }, previousComparable: { id: string, decodeTokensPerSecond: number | null, measuredAt: string } | null }>, sloSweeps: Array<{ id: string, serverConfiguration: string | null, maxConcurrencyAtSlo: number | null, firstMissConcurrency: number | null, goodputRequestsPerSecond: number | null, goodputOutputTokensPerSecond: number | null, endReason: SloSweepEndReason, summary: string, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }> } };

export type CancelBenchmarkRunMutationVariables = Exact<{
  id: string | number;
  onBehalfOf?: string | null | undefined;
}>;


export type CancelBenchmarkRunMutation = { cancelBenchmarkRun: { id: string, status: RunStatus, attempt: number, createdAt: string, startedAt: string | null, finishedAt: string | null, cancelRequested: boolean, failureReason: string | null, requestedBy: string, cancelledBy: string | null, box: { slug: string, name: string }, modelVariant: { slug: string, name: string }, spec: { numPrompts: number, inputTokens: number, outputTokens: number, profile:
        | { __typename: 'ConcurrencyProfile', levels: Array<number> }
        | { __typename: 'RateProfile' }
        | { __typename: 'SloSearchProfile', maxConcurrency: number | null, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
        | { __typename: 'SweepProfile' }
       }, progress: { levelIndex: number, levelCount: number, phase: BenchmarkPhase, completed: number, failed: number, total: number } | null, results: Array<{ id: string, concurrency: number | null, profileKey: string, serverConfiguration: string | null, decodeTokensPerSecond: number | null, outputTokensPerSecond: number | null, ttftP95Ms: number | null, regressionVerdict: RegressionVerdict | null, decodeRegression: { percentChange: number | null, zScore: number | null, historyUsed: number | null, reason: string | null } | null, roofline: { ceilingTokensPerSecond: number | null, efficiency: number | null }, previousComparable: { id: string, decodeTokensPerSecond: number | null, measuredAt: string } | null }>, sloSweeps: Array<{ id: string, serverConfiguration: string | null, maxConcurrencyAtSlo: number | null, firstMissConcurrency: number | null, goodputRequestsPerSecond: number | null, goodputOutputTokensPerSecond: number | null, endReason: SloSweepEndReason, summary: string, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }> } };

export type BenchmarkRunQueryVariables = Exact<{
  id: string | number;
}>;


export type BenchmarkRunQuery = { benchmarkRun: { id: string, status: RunStatus, attempt: number, createdAt: string, startedAt: string | null, finishedAt: string | null, cancelRequested: boolean, failureReason: string | null, requestedBy: string, cancelledBy: string | null, box: { slug: string, name: string }, modelVariant: { slug: string, name: string }, spec: { numPrompts: number, inputTokens: number, outputTokens: number, profile:
        | { __typename: 'ConcurrencyProfile', levels: Array<number> }
        | { __typename: 'RateProfile' }
        | { __typename: 'SloSearchProfile', maxConcurrency: number | null, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
        | { __typename: 'SweepProfile' }
       }, progress: { levelIndex: number, levelCount: number, phase: BenchmarkPhase, completed: number, failed: number, total: number } | null, results: Array<{ id: string, concurrency: number | null, profileKey: string, serverConfiguration: string | null, decodeTokensPerSecond: number | null, outputTokensPerSecond: number | null, ttftP95Ms: number | null, regressionVerdict: RegressionVerdict | null, decodeRegression: { percentChange: number | null, zScore: number | null, historyUsed: number | null, reason: string | null } | null, roofline: { ceilingTokensPerSecond: number | null, efficiency: number | null }, previousComparable: { id: string, decodeTokensPerSecond: number | null, measuredAt: string } | null }>, sloSweeps: Array<{ id: string, serverConfiguration: string | null, maxConcurrencyAtSlo: number | null, firstMissConcurrency: number | null, goodputRequestsPerSecond: number | null, goodputOutputTokensPerSecond: number | null, endReason: SloSweepEndReason, summary: string, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }> } };

export type BenchmarkRunsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  status?: RunStatus | null | undefined;
  statuses?: Array<RunStatus> | RunStatus | null | undefined;
}>;


export type BenchmarkRunsQuery = { benchmarkRuns: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, status: RunStatus, attempt: number, createdAt: string, startedAt: string | null, finishedAt: string | null, cancelRequested: boolean, failureReason: string | null, requestedBy: string, box: { slug: string, name: string }, modelVariant: { slug: string, name: string }, spec: { numPrompts: number, inputTokens: number, outputTokens: number, profile:
            | { __typename: 'ConcurrencyProfile', levels: Array<number> }
            | { __typename: 'RateProfile' }
            | { __typename: 'SloSearchProfile', maxConcurrency: number | null, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
            | { __typename: 'SweepProfile' }
           }, progress: { levelIndex: number, levelCount: number, phase: BenchmarkPhase, completed: number, failed: number, total: number } | null } }> } };

export type BenchmarkRunProgressSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type BenchmarkRunProgressSubscription = { benchmarkRunProgress: { id: string, status: RunStatus, attempt: number, createdAt: string, startedAt: string | null, finishedAt: string | null, cancelRequested: boolean, failureReason: string | null, requestedBy: string, cancelledBy: string | null, box: { slug: string, name: string }, modelVariant: { slug: string, name: string }, spec: { numPrompts: number, inputTokens: number, outputTokens: number, profile:
        | { __typename: 'ConcurrencyProfile', levels: Array<number> }
        | { __typename: 'RateProfile' }
        | { __typename: 'SloSearchProfile', maxConcurrency: number | null, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
        | { __typename: 'SweepProfile' }
       }, progress: { levelIndex: number, levelCount: number, phase: BenchmarkPhase, completed: number, failed: number, total: number } | null, results: Array<{ id: string, concurrency: number | null, profileKey: string, serverConfiguration: string | null, decodeTokensPerSecond: number | null, outputTokensPerSecond: number | null, ttftP95Ms: number | null, regressionVerdict: RegressionVerdict | null, decodeRegression: { percentChange: number | null, zScore: number | null, historyUsed: number | null, reason: string | null } | null, roofline: { ceilingTokensPerSecond: number | null, efficiency: number | null }, previousComparable: { id: string, decodeTokensPerSecond: number | null, measuredAt: string } | null }>, sloSweeps: Array<{ id: string, serverConfiguration: string | null, maxConcurrencyAtSlo: number | null, firstMissConcurrency: number | null, goodputRequestsPerSecond: number | null, goodputOutputTokensPerSecond: number | null, endReason: SloSweepEndReason, summary: string, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }> } };

export type BenchmarkRunChangesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type BenchmarkRunChangesSubscription = { benchmarkRunChanges: { runs: Array<{ id: string, status: RunStatus, attempt: number, createdAt: string, startedAt: string | null, finishedAt: string | null, cancelRequested: boolean, failureReason: string | null, requestedBy: string, cancelledBy: string | null, box: { slug: string, name: string }, modelVariant: { slug: string, name: string }, spec: { numPrompts: number, inputTokens: number, outputTokens: number, profile:
          | { __typename: 'ConcurrencyProfile', levels: Array<number> }
          | { __typename: 'RateProfile' }
          | { __typename: 'SloSearchProfile', maxConcurrency: number | null, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
          | { __typename: 'SweepProfile' }
         }, progress: { levelIndex: number, levelCount: number, phase: BenchmarkPhase, completed: number, failed: number, total: number } | null, results: Array<{ id: string, concurrency: number | null, profileKey: string, serverConfiguration: string | null, decodeTokensPerSecond: number | null, outputTokensPerSecond: number | null, ttftP95Ms: number | null, regressionVerdict: RegressionVerdict | null, decodeRegression: { percentChange: number | null, zScore: number | null, historyUsed: number | null, reason: string | null } | null, roofline: { ceilingTokensPerSecond: number | null, efficiency: number | null }, previousComparable: { id: string, decodeTokensPerSecond: number | null, measuredAt: string } | null }>, sloSweeps: Array<{ id: string, serverConfiguration: string | null, maxConcurrencyAtSlo: number | null, firstMissConcurrency: number | null, goodputRequestsPerSecond: number | null, goodputOutputTokensPerSecond: number | null, endReason: SloSweepEndReason, summary: string, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }> }> } };

export type ModelVariantsQueryVariables = Exact<{ [key: string]: never; }>;


export type ModelVariantsQuery = { modelVariants: Array<{ slug: string, name: string, isFineTuned: boolean, weightsExportable: boolean, model: { slug: string, name: string } }> };

export type BoxesQueryVariables = Exact<{ [key: string]: never; }>;


export type BoxesQuery = { boxes: Array<{ slug: string, name: string, acceleratorClass: string, ownership: BoxOwnership, memoryGiB: string, purchasePrice: { amount: string, currency: string } | null }> };

export type DecideQueryVariables = Exact<{
  workload: WorkloadInput;
  keep?: Array<Axis> | Axis | null | undefined;
}>;


export type DecideQuery = { decide: { id: string | null, requestsPerMonth: number, tokensPerMonth: number, noRecommendation: { code: NoRecommendationCode, message: string } | null, notEligible: Array<{ optionId: string, pathSlug: string, reason: string }>, paths: Array<{ optionId: string, pathSlug: string, pathName: string, pathKind: PathKind, servedVariant: string, decodeTokensPerSecond: number | null, leadTimeDays: number | null, failedAxes: Array<Axis>, eligible: boolean, verdicts: Array<{ axis: Axis, pass: boolean, sentence: string, shortfall: string | null }>, monthlyCost: { amount: string, currency: string }, costLow: { amount: string, currency: string } | null, costHigh: { amount: string, currency: string } | null }>, minimalKeptSets: Array<{ kept: Array<Axis>, unlocked: Array<{ optionId: string, pathSlug: string, variantSlug: string, monthlyCost: { amount: string, currency: string }, shortfalls: Array<{ axis: Axis, shortfall: string }> }> }>, recommendation: { optionId: string, pathSlug: string, variantSlug: string, kept: Array<Axis>, reasons: Array<string>, monthlyCost: { amount: string, currency: string }, shortfalls: Array<{ axis: Axis, shortfall: string }> } | null, warnings: Array<{ code: WarningCode, message: string, optionId: string, affectsRecommendation: boolean }>, breakEvens: Array<{ optionA: string, optionB: string, summary: string, crossings: Array<{ requestsPerMonth: number, cheaperBelow: string }> }> } };

export type SaveDecisionMutationVariables = Exact<{
  workload: WorkloadInput;
  keep?: Array<Axis> | Axis | null | undefined;
  name?: string | null | undefined;
  onBehalfOf?: string | null | undefined;
}>;


export type SaveDecisionMutation = { saveDecision: { id: string, name: string, createdAt: string, createdBy: string, requestedBy: string, keep: Array<Axis>, workload: unknown, decision: { id: string | null, requestsPerMonth: number, paths: Array<{ optionId: string, pathSlug: string, pathName: string, pathKind: PathKind, servedVariant: string, decodeTokensPerSecond: number | null, leadTimeDays: number | null, failedAxes: Array<Axis>, eligible: boolean, monthlyCost: { amount: string, currency: string }, costLow: { amount: string, currency: string } | null, costHigh: { amount: string, currency: string } | null }>, recommendation: { optionId: string, pathSlug: string, variantSlug: string, kept: Array<Axis>, reasons: Array<string>, monthlyCost: { amount: string, currency: string } } | null, breakEvens: Array<{ optionA: string, optionB: string, summary: string, crossings: Array<{ requestsPerMonth: number, cheaperBelow: string }> }> } } };

export type RecentDecisionsQueryVariables = Exact<{
  last?: number | null | undefined;
}>;


export type RecentDecisionsQuery = { savedDecisions: Array<{ id: string, name: string, createdAt: string, createdBy: string, requestedBy: string, keep: Array<Axis>, workload: unknown, decision: { recommendation: { pathSlug: string, monthlyCost: { amount: string, currency: string } } | null } }> };

export type ServingPathsQueryVariables = Exact<{ [key: string]: never; }>;


export type ServingPathsQuery = { servingPaths: Array<{ slug: string, name: string, kind: PathKind, customWeightsSupported: boolean, weightsExportable: boolean, scaleToZero: boolean, leadTimeDays: number | null, quotaWall: string | null, region: string | null, vendor: { name: string } }> };

export type WatchDecisionMutationVariables = Exact<{
  id: string | number;
  channel?: string | null | undefined;
}>;


export type WatchDecisionMutation = { watchDecision: { id: string, channel: string | null } };

export type StalePricesQueryVariables = Exact<{
  olderThanDays?: number | null | undefined;
}>;


export type StalePricesQuery = { stalePrices: { olderThanDays: number, asOf: string, decisions: Array<{ decisionId: string, watched: boolean, channels: Array<string>, recommendation: string | null, prices: Array<{ slug: string }> }>, prices: Array<{ slug: string, ageDays: number, effectiveFrom: string, unit: string, price: { amount: string, currency: string }, refresh: Array<{ kind: PriceRefreshKind, command: string, fetchFrom: string | null }> }> } };

export type BotMoneyFragment = { amount: string, currency: string };

export type BotRunSummaryFragment = { id: string, status: RunStatus, attempt: number, createdAt: string, startedAt: string | null, finishedAt: string | null, cancelRequested: boolean, failureReason: string | null, requestedBy: string, box: { slug: string, name: string }, modelVariant: { slug: string, name: string }, spec: { numPrompts: number, inputTokens: number, outputTokens: number, profile:
      | { __typename: 'ConcurrencyProfile', levels: Array<number> }
      | { __typename: 'RateProfile' }
      | { __typename: 'SloSearchProfile', maxConcurrency: number | null, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
      | { __typename: 'SweepProfile' }
     }, progress: { levelIndex: number, levelCount: number, phase: BenchmarkPhase, completed: number, failed: number, total: number } | null };

export type BotRunDetailsFragment = { cancelledBy: string | null, results: Array<{ id: string, concurrency: number | null, profileKey: string, serverConfiguration: string | null, decodeTokensPerSecond: number | null, outputTokensPerSecond: number | null, ttftP95Ms: number | null, regressionVerdict: RegressionVerdict | null, decodeRegression: { percentChange: number | null, zScore: number | null, historyUsed: number | null, reason: string | null } | null, roofline: { ceilingTokensPerSecond: number | null, efficiency: number | null }, previousComparable: { id: string, decodeTokensPerSecond: number | null, measuredAt: string } | null }>, sloSweeps: Array<{ id: string, serverConfiguration: string | null, maxConcurrencyAtSlo: number | null, firstMissConcurrency: number | null, goodputRequestsPerSecond: number | null, goodputOutputTokensPerSecond: number | null, endReason: SloSweepEndReason, summary: string, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }> };

export type BotPathOptionFragment = { optionId: string, pathSlug: string, pathName: string, pathKind: PathKind, servedVariant: string, decodeTokensPerSecond: number | null, leadTimeDays: number | null, failedAxes: Array<Axis>, eligible: boolean, monthlyCost: { amount: string, currency: string }, costLow: { amount: string, currency: string } | null, costHigh: { amount: string, currency: string } | null };

export type BotRecommendationFragment = { optionId: string, pathSlug: string, variantSlug: string, kept: Array<Axis>, reasons: Array<string>, monthlyCost: { amount: string, currency: string }, shortfalls: Array<{ axis: Axis, shortfall: string }> };

export type BotDecisionFragment = { id: string | null, requestsPerMonth: number, tokensPerMonth: number, noRecommendation: { code: NoRecommendationCode, message: string } | null, notEligible: Array<{ optionId: string, pathSlug: string, reason: string }>, paths: Array<{ optionId: string, pathSlug: string, pathName: string, pathKind: PathKind, servedVariant: string, decodeTokensPerSecond: number | null, leadTimeDays: number | null, failedAxes: Array<Axis>, eligible: boolean, verdicts: Array<{ axis: Axis, pass: boolean, sentence: string, shortfall: string | null }>, monthlyCost: { amount: string, currency: string }, costLow: { amount: string, currency: string } | null, costHigh: { amount: string, currency: string } | null }>, minimalKeptSets: Array<{ kept: Array<Axis>, unlocked: Array<{ optionId: string, pathSlug: string, variantSlug: string, monthlyCost: { amount: string, currency: string }, shortfalls: Array<{ axis: Axis, shortfall: string }> }> }>, recommendation: { optionId: string, pathSlug: string, variantSlug: string, kept: Array<Axis>, reasons: Array<string>, monthlyCost: { amount: string, currency: string }, shortfalls: Array<{ axis: Axis, shortfall: string }> } | null, warnings: Array<{ code: WarningCode, message: string, optionId: string, affectsRecommendation: boolean }>, breakEvens: Array<{ optionA: string, optionB: string, summary: string, crossings: Array<{ requestsPerMonth: number, cheaperBelow: string }> }> };

export type BotCostDecisionFragment = { id: string | null, requestsPerMonth: number, paths: Array<{ optionId: string, pathSlug: string, pathName: string, pathKind: PathKind, servedVariant: string, decodeTokensPerSecond: number | null, leadTimeDays: number | null, failedAxes: Array<Axis>, eligible: boolean, monthlyCost: { amount: string, currency: string }, costLow: { amount: string, currency: string } | null, costHigh: { amount: string, currency: string } | null }>, recommendation: { optionId: string, pathSlug: string, variantSlug: string, kept: Array<Axis>, reasons: Array<string>, monthlyCost: { amount: string, currency: string } } | null, breakEvens: Array<{ optionA: string, optionB: string, summary: string, crossings: Array<{ requestsPerMonth: number, cheaperBelow: string }> }> };

export type CliWatchDecisionMutationVariables = Exact<{
  id: string | number;
  channel?: string | null | undefined;
}>;


export type CliWatchDecisionMutation = { watchDecision: { id: string, channel: string | null, createdBy: string, createdAt: string } };

export type CliUnwatchDecisionMutationVariables = Exact<{
  id: string | number;
  channel?: string | null | undefined;
}>;


export type CliUnwatchDecisionMutation = { unwatchDecision: { id: string, watches: Array<{ id: string, channel: string | null, createdBy: string, createdAt: string }> } };

export type CliDecisionHistoryQueryVariables = Exact<{
  id: string | number;
}>;


export type CliDecisionHistoryQuery = { savedDecision: { id: string, createdAt: string, createdBy: string, decision: { recommendation: { optionId: string, pathSlug: string, monthlyCost: { amount: string, currency: string } } | null }, watches: Array<{ id: string, channel: string | null, createdBy: string, createdAt: string }>, versions: Array<{ id: string, changeId: string, createdAt: string, summary: string, change: { id: string, kind: EvidenceKind, summary: string, createdAt: string, processedBy: string | null } | null, moves: Array<{ what: DecisionMoveKind, text: string, optionId: string | null }>, causes: Array<{ kind: EvidenceKind, input: string, text: string, verified: boolean, together: boolean }>, decision: { recommendation: { optionId: string, pathSlug: string, monthlyCost: { amount: string, currency: string } } | null } }> } };

export type CliWatchFragment = { id: string, channel: string | null, createdBy: string, createdAt: string };

export type CliRecommendationFragment = { optionId: string, pathSlug: string, monthlyCost: { amount: string, currency: string } };

export type CliStalePricesQueryVariables = Exact<{
  olderThanDays?: number | null | undefined;
}>;


export type CliStalePricesQuery = { stalePrices: { olderThanDays: number, asOf: string, decisions: Array<{ decisionId: string, createdAt: string, watched: boolean, channels: Array<string>, recommendation: string | null, prices: Array<{ slug: string, pathSlug: string, unit: string, effectiveFrom: string, ageDays: number, confidence: Confidence, source: string, price: { amount: string, currency: string }, refresh: Array<{ kind: PriceRefreshKind, command: string, format: string | null, mapping: string | null, fetchFrom: string | null, catalogEdit: string | null }> }> }>, notCited: Array<{ slug: string, pathSlug: string, unit: string, effectiveFrom: string, ageDays: number, confidence: Confidence, source: string, price: { amount: string, currency: string }, refresh: Array<{ kind: PriceRefreshKind, command: string, format: string | null, mapping: string | null, fetchFrom: string | null, catalogEdit: string | null }> }>, prices: Array<{ slug: string, pathSlug: string, unit: string, effectiveFrom: string, ageDays: number, confidence: Confidence, source: string, price: { amount: string, currency: string }, refresh: Array<{ kind: PriceRefreshKind, command: string, format: string | null, mapping: string | null, fetchFrom: string | null, catalogEdit: string | null }> }> } };

export type CliStalePriceFragment = { slug: string, pathSlug: string, unit: string, effectiveFrom: string, ageDays: number, confidence: Confidence, source: string, price: { amount: string, currency: string }, refresh: Array<{ kind: PriceRefreshKind, command: string, format: string | null, mapping: string | null, fetchFrom: string | null, catalogEdit: string | null }> };

export type FailBenchmarkRunMutationVariables = Exact<{
  id: string | number;
  attempt: number;
  reason: string;
}>;


export type FailBenchmarkRunMutation = { failBenchmarkRun: { id: string, status: RunStatus } };

export type HeartbeatBenchmarkRunMutationVariables = Exact<{
  id: string | number;
  attempt: number;
  progress?: BenchmarkRunProgressInput | null | undefined;
}>;


export type HeartbeatBenchmarkRunMutation = { heartbeatBenchmarkRun: { id: string, attempt: number, cancelRequested: boolean } };

export type LeaseBenchmarkRunMutationVariables = Exact<{
  box: string;
  runner: string;
}>;


export type LeaseBenchmarkRunMutation = { leaseBenchmarkRun: { id: string, attempt: number, status: RunStatus, endpointKind: EndpointKind, cancelRequested: boolean, heartbeatAt: string | null, leaseExpiresAt: string | null, spec: { endpointKind: EndpointKind, model: string, serverConfigurations: Array<string>, numPrompts: number, inputTokens: number, outputTokens: number, warmupRequests: number, ignoreEos: boolean, seed: number, idleTimeoutS: number, requestTimeoutS: number, profile:
        | { __typename: 'ConcurrencyProfile', levels: Array<number> }
        | { __typename: 'RateProfile', requestsPerSecond: number | null, infiniteRate: boolean, burstiness: number, maxConcurrency: number | null }
        | { __typename: 'SloSearchProfile', startConcurrency: number, growthFactor: number, maxConcurrency: number | null, precision: number, stopEarly: boolean, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
        | { __typename: 'SweepProfile', intermediateRates: number, burstiness: number, maxConcurrency: number | null }
      , dataset: { kind: DatasetKind, path: string | null, promptField: string | null }, slos: { ttftMs: number | null, tpotMs: number | null, e2elMs: number | null } } } | null };

export type ReleaseBenchmarkRunMutationVariables = Exact<{
  id: string | number;
  attempt: number;
  reason: string;
}>;


export type ReleaseBenchmarkRunMutation = { releaseBenchmarkRun: { id: string, status: RunStatus } };

export type ReportBenchmarkResultMutationVariables = Exact<{
  id: string | number;
  attempt: number;
  reportKey: string;
  results: Array<BenchmarkLevelResultInput> | BenchmarkLevelResultInput;
}>;


export type ReportBenchmarkResultMutation = { reportBenchmarkResult: { id: string, status: RunStatus } };

export type LeasedRunFragment = { id: string, attempt: number, status: RunStatus, endpointKind: EndpointKind, cancelRequested: boolean, heartbeatAt: string | null, leaseExpiresAt: string | null, spec: { endpointKind: EndpointKind, model: string, serverConfigurations: Array<string>, numPrompts: number, inputTokens: number, outputTokens: number, warmupRequests: number, ignoreEos: boolean, seed: number, idleTimeoutS: number, requestTimeoutS: number, profile:
      | { __typename: 'ConcurrencyProfile', levels: Array<number> }
      | { __typename: 'RateProfile', requestsPerSecond: number | null, infiniteRate: boolean, burstiness: number, maxConcurrency: number | null }
      | { __typename: 'SloSearchProfile', startConcurrency: number, growthFactor: number, maxConcurrency: number | null, precision: number, stopEarly: boolean, slos: { ttftP95Ms: number | null, ttftP99Ms: number | null, tpotMeanMs: number | null, tpotP99Ms: number | null, itlP99Ms: number | null, e2elP99Ms: number | null } }
      | { __typename: 'SweepProfile', intermediateRates: number, burstiness: number, maxConcurrency: number | null }
    , dataset: { kind: DatasetKind, path: string | null, promptField: string | null }, slos: { ttftMs: number | null, tpotMs: number | null, e2elMs: number | null } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const BotRunSummaryFragmentDoc = new TypedDocumentString(`
    fragment BotRunSummary on BenchmarkRun {
  id
  status
  attempt
  createdAt
  startedAt
  finishedAt
  cancelRequested
  failureReason
  requestedBy
  box {
    slug
    name
  }
  modelVariant: variant {
    slug
    name
  }
  spec {
    numPrompts
    inputTokens
    outputTokens
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on SloSearchProfile {
        maxConcurrency
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
      }
    }
  }
  progress {
    levelIndex
    levelCount
    phase
    completed
    failed
    total
  }
}
    `, {"fragmentName":"BotRunSummary"}) as unknown as TypedDocumentString<BotRunSummaryFragment, unknown>;
export const BotRunDetailsFragmentDoc = new TypedDocumentString(`
    fragment BotRunDetails on BenchmarkRun {
  cancelledBy
  results {
    id
    concurrency
    profileKey
    serverConfiguration
    decodeTokensPerSecond
    outputTokensPerSecond
    ttftP95Ms
    regressionVerdict
    decodeRegression {
      percentChange
      zScore
      historyUsed
      reason
    }
    roofline {
      ceilingTokensPerSecond
      efficiency
    }
    previousComparable {
      id
      decodeTokensPerSecond
      measuredAt
    }
  }
  sloSweeps {
    id
    serverConfiguration
    maxConcurrencyAtSlo
    firstMissConcurrency
    goodputRequestsPerSecond
    goodputOutputTokensPerSecond
    endReason
    summary
    slos {
      ttftP95Ms
      ttftP99Ms
      tpotMeanMs
      tpotP99Ms
      itlP99Ms
      e2elP99Ms
    }
  }
}
    `, {"fragmentName":"BotRunDetails"}) as unknown as TypedDocumentString<BotRunDetailsFragment, unknown>;
export const BotMoneyFragmentDoc = new TypedDocumentString(`
    fragment BotMoney on Money {
  amount
  currency
}
    `, {"fragmentName":"BotMoney"}) as unknown as TypedDocumentString<BotMoneyFragment, unknown>;
export const BotPathOptionFragmentDoc = new TypedDocumentString(`
    fragment BotPathOption on PathAnswer {
  optionId
  pathSlug
  pathName
  pathKind
  servedVariant
  monthlyCost {
    ...BotMoney
  }
  costLow {
    ...BotMoney
  }
  costHigh {
    ...BotMoney
  }
  decodeTokensPerSecond
  leadTimeDays
  failedAxes
  eligible
}
    fragment BotMoney on Money {
  amount
  currency
}`, {"fragmentName":"BotPathOption"}) as unknown as TypedDocumentString<BotPathOptionFragment, unknown>;
export const BotRecommendationFragmentDoc = new TypedDocumentString(`
    fragment BotRecommendation on Recommendation {
  optionId
  pathSlug
  variantSlug
  kept
  monthlyCost {
    ...BotMoney
  }
  reasons
  shortfalls {
    axis
    shortfall
  }
}
    fragment BotMoney on Money {
  amount
  currency
}`, {"fragmentName":"BotRecommendation"}) as unknown as TypedDocumentString<BotRecommendationFragment, unknown>;
export const BotDecisionFragmentDoc = new TypedDocumentString(`
    fragment BotDecision on Decision {
  id
  requestsPerMonth
  tokensPerMonth
  noRecommendation {
    code
    message
  }
  notEligible {
    optionId
    pathSlug
    reason
  }
  paths {
    ...BotPathOption
    verdicts {
      axis
      pass
      sentence
      shortfall
    }
  }
  minimalKeptSets {
    kept
    unlocked {
      optionId
      pathSlug
      variantSlug
      monthlyCost {
        ...BotMoney
      }
      shortfalls {
        axis
        shortfall
      }
    }
  }
  recommendation {
    ...BotRecommendation
  }
  warnings {
    code
    message
    optionId
    affectsRecommendation
  }
  breakEvens {
    optionA
    optionB
    summary
    crossings {
      requestsPerMonth
      cheaperBelow
    }
  }
}
    fragment BotMoney on Money {
  amount
  currency
}
fragment BotPathOption on PathAnswer {
  optionId
  pathSlug
  pathName
  pathKind
  servedVariant
  monthlyCost {
    ...BotMoney
  }
  costLow {
    ...BotMoney
  }
  costHigh {
    ...BotMoney
  }
  decodeTokensPerSecond
  leadTimeDays
  failedAxes
  eligible
}
fragment BotRecommendation on Recommendation {
  optionId
  pathSlug
  variantSlug
  kept
  monthlyCost {
    ...BotMoney
  }
  reasons
  shortfalls {
    axis
    shortfall
  }
}`, {"fragmentName":"BotDecision"}) as unknown as TypedDocumentString<BotDecisionFragment, unknown>;
export const BotCostDecisionFragmentDoc = new TypedDocumentString(`
    fragment BotCostDecision on Decision {
  id
  requestsPerMonth
  paths {
    optionId
    pathSlug
    pathName
    pathKind
    servedVariant
    monthlyCost {
      amount
      currency
    }
    costLow {
      amount
      currency
    }
    costHigh {
      amount
      currency
    }
    decodeTokensPerSecond
    leadTimeDays
    failedAxes
    eligible
  }
  recommendation {
    optionId
    pathSlug
    variantSlug
    kept
    monthlyCost {
      amount
      currency
    }
    reasons
  }
  breakEvens {
    optionA
    optionB
    summary
    crossings {
      requestsPerMonth
      cheaperBelow
    }
  }
}
    `, {"fragmentName":"BotCostDecision"}) as unknown as TypedDocumentString<BotCostDecisionFragment, unknown>;
export const CliWatchFragmentDoc = new TypedDocumentString(`
    fragment CliWatch on DecisionWatch {
  id
  channel
  createdBy
  createdAt
}
    `, {"fragmentName":"CliWatch"}) as unknown as TypedDocumentString<CliWatchFragment, unknown>;
export const CliRecommendationFragmentDoc = new TypedDocumentString(`
    fragment CliRecommendation on Recommendation {
  optionId
  pathSlug
  monthlyCost {
    amount
    currency
  }
}
    `, {"fragmentName":"CliRecommendation"}) as unknown as TypedDocumentString<CliRecommendationFragment, unknown>;
export const CliStalePriceFragmentDoc = new TypedDocumentString(`
    fragment CliStalePrice on StalePrice {
  slug
  pathSlug
  unit
  price {
    amount
    currency
  }
  effectiveFrom
  ageDays
  confidence
  source
  refresh {
    kind
    command
    format
    mapping
    fetchFrom
    catalogEdit
  }
}
    `, {"fragmentName":"CliStalePrice"}) as unknown as TypedDocumentString<CliStalePriceFragment, unknown>;
export const LeasedRunFragmentDoc = new TypedDocumentString(`
    fragment LeasedRun on BenchmarkRun {
  id
  attempt
  status
  endpointKind
  spec {
    endpointKind
    model
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on RateProfile {
        requestsPerSecond
        infiniteRate
        burstiness
        maxConcurrency
      }
      ... on SweepProfile {
        intermediateRates
        burstiness
        maxConcurrency
      }
      ... on SloSearchProfile {
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
        startConcurrency
        growthFactor
        maxConcurrency
        precision
        stopEarly
      }
    }
    serverConfigurations
    numPrompts
    inputTokens
    outputTokens
    dataset {
      kind
      path
      promptField
    }
    warmupRequests
    ignoreEos
    seed
    slos {
      ttftMs
      tpotMs
      e2elMs
    }
    idleTimeoutS
    requestTimeoutS
  }
  cancelRequested
  heartbeatAt
  leaseExpiresAt
}
    `, {"fragmentName":"LeasedRun"}) as unknown as TypedDocumentString<LeasedRunFragment, unknown>;
export const AccessPathsDocument = new TypedDocumentString(`
    query AccessPaths($accelerator: String, $region: String) {
  accessPaths(accelerator: $accelerator, region: $region) {
    slug
    name
    vendor {
      name
    }
    acceleratorClass
    channel
    region
    minimumCommitment {
      ...BotMoney
    }
    minimumCommitmentHours
    paidUpFront
    cancellable
    quotaNeeded
    typicalLeadTimeDays
    figures {
      attempts
      medianHoursToAnswer
      successRate
    }
    attempts {
      outcome
      requestedAt
      answeredAt
    }
  }
}
    fragment BotMoney on Money {
  amount
  currency
}`) as unknown as TypedDocumentString<AccessPathsQuery, AccessPathsQueryVariables>;
export const CreateBenchmarkRunDocument = new TypedDocumentString(`
    mutation CreateBenchmarkRun($input: CreateBenchmarkRunInput!) {
  createBenchmarkRun(input: $input) {
    ...BotRunSummary
    ...BotRunDetails
  }
}
    fragment BotRunSummary on BenchmarkRun {
  id
  status
  attempt
  createdAt
  startedAt
  finishedAt
  cancelRequested
  failureReason
  requestedBy
  box {
    slug
    name
  }
  modelVariant: variant {
    slug
    name
  }
  spec {
    numPrompts
    inputTokens
    outputTokens
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on SloSearchProfile {
        maxConcurrency
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
      }
    }
  }
  progress {
    levelIndex
    levelCount
    phase
    completed
    failed
    total
  }
}
fragment BotRunDetails on BenchmarkRun {
  cancelledBy
  results {
    id
    concurrency
    profileKey
    serverConfiguration
    decodeTokensPerSecond
    outputTokensPerSecond
    ttftP95Ms
    regressionVerdict
    decodeRegression {
      percentChange
      zScore
      historyUsed
      reason
    }
    roofline {
      ceilingTokensPerSecond
      efficiency
    }
    previousComparable {
      id
      decodeTokensPerSecond
      measuredAt
    }
  }
  sloSweeps {
    id
    serverConfiguration
    maxConcurrencyAtSlo
    firstMissConcurrency
    goodputRequestsPerSecond
    goodputOutputTokensPerSecond
    endReason
    summary
    slos {
      ttftP95Ms
      ttftP99Ms
      tpotMeanMs
      tpotP99Ms
      itlP99Ms
      e2elP99Ms
    }
  }
}`) as unknown as TypedDocumentString<CreateBenchmarkRunMutation, CreateBenchmarkRunMutationVariables>;
export const CancelBenchmarkRunDocument = new TypedDocumentString(`
    mutation CancelBenchmarkRun($id: ID!, $onBehalfOf: String) {
  cancelBenchmarkRun(id: $id, onBehalfOf: $onBehalfOf) {
    ...BotRunSummary
    ...BotRunDetails
  }
}
    fragment BotRunSummary on BenchmarkRun {
  id
  status
  attempt
  createdAt
  startedAt
  finishedAt
  cancelRequested
  failureReason
  requestedBy
  box {
    slug
    name
  }
  modelVariant: variant {
    slug
    name
  }
  spec {
    numPrompts
    inputTokens
    outputTokens
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on SloSearchProfile {
        maxConcurrency
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
      }
    }
  }
  progress {
    levelIndex
    levelCount
    phase
    completed
    failed
    total
  }
}
fragment BotRunDetails on BenchmarkRun {
  cancelledBy
  results {
    id
    concurrency
    profileKey
    serverConfiguration
    decodeTokensPerSecond
    outputTokensPerSecond
    ttftP95Ms
    regressionVerdict
    decodeRegression {
      percentChange
      zScore
      historyUsed
      reason
    }
    roofline {
      ceilingTokensPerSecond
      efficiency
    }
    previousComparable {
      id
      decodeTokensPerSecond
      measuredAt
    }
  }
  sloSweeps {
    id
    serverConfiguration
    maxConcurrencyAtSlo
    firstMissConcurrency
    goodputRequestsPerSecond
    goodputOutputTokensPerSecond
    endReason
    summary
    slos {
      ttftP95Ms
      ttftP99Ms
      tpotMeanMs
      tpotP99Ms
      itlP99Ms
      e2elP99Ms
    }
  }
}`) as unknown as TypedDocumentString<CancelBenchmarkRunMutation, CancelBenchmarkRunMutationVariables>;
export const BenchmarkRunDocument = new TypedDocumentString(`
    query BenchmarkRun($id: ID!) {
  benchmarkRun(id: $id) {
    ...BotRunSummary
    ...BotRunDetails
  }
}
    fragment BotRunSummary on BenchmarkRun {
  id
  status
  attempt
  createdAt
  startedAt
  finishedAt
  cancelRequested
  failureReason
  requestedBy
  box {
    slug
    name
  }
  modelVariant: variant {
    slug
    name
  }
  spec {
    numPrompts
    inputTokens
    outputTokens
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on SloSearchProfile {
        maxConcurrency
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
      }
    }
  }
  progress {
    levelIndex
    levelCount
    phase
    completed
    failed
    total
  }
}
fragment BotRunDetails on BenchmarkRun {
  cancelledBy
  results {
    id
    concurrency
    profileKey
    serverConfiguration
    decodeTokensPerSecond
    outputTokensPerSecond
    ttftP95Ms
    regressionVerdict
    decodeRegression {
      percentChange
      zScore
      historyUsed
      reason
    }
    roofline {
      ceilingTokensPerSecond
      efficiency
    }
    previousComparable {
      id
      decodeTokensPerSecond
      measuredAt
    }
  }
  sloSweeps {
    id
    serverConfiguration
    maxConcurrencyAtSlo
    firstMissConcurrency
    goodputRequestsPerSecond
    goodputOutputTokensPerSecond
    endReason
    summary
    slos {
      ttftP95Ms
      ttftP99Ms
      tpotMeanMs
      tpotP99Ms
      itlP99Ms
      e2elP99Ms
    }
  }
}`) as unknown as TypedDocumentString<BenchmarkRunQuery, BenchmarkRunQueryVariables>;
export const BenchmarkRunsDocument = new TypedDocumentString(`
    query BenchmarkRuns($first: Int!, $after: String, $status: RunStatus, $statuses: [RunStatus!]) {
  benchmarkRuns(
    first: $first
    after: $after
    status: $status
    statuses: $statuses
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...BotRunSummary
      }
    }
  }
}
    fragment BotRunSummary on BenchmarkRun {
  id
  status
  attempt
  createdAt
  startedAt
  finishedAt
  cancelRequested
  failureReason
  requestedBy
  box {
    slug
    name
  }
  modelVariant: variant {
    slug
    name
  }
  spec {
    numPrompts
    inputTokens
    outputTokens
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on SloSearchProfile {
        maxConcurrency
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
      }
    }
  }
  progress {
    levelIndex
    levelCount
    phase
    completed
    failed
    total
  }
}`) as unknown as TypedDocumentString<BenchmarkRunsQuery, BenchmarkRunsQueryVariables>;
export const BenchmarkRunProgressDocument = new TypedDocumentString(`
    subscription BenchmarkRunProgress($id: ID!) {
  benchmarkRunProgress(id: $id) {
    ...BotRunSummary
    ...BotRunDetails
  }
}
    fragment BotRunSummary on BenchmarkRun {
  id
  status
  attempt
  createdAt
  startedAt
  finishedAt
  cancelRequested
  failureReason
  requestedBy
  box {
    slug
    name
  }
  modelVariant: variant {
    slug
    name
  }
  spec {
    numPrompts
    inputTokens
    outputTokens
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on SloSearchProfile {
        maxConcurrency
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
      }
    }
  }
  progress {
    levelIndex
    levelCount
    phase
    completed
    failed
    total
  }
}
fragment BotRunDetails on BenchmarkRun {
  cancelledBy
  results {
    id
    concurrency
    profileKey
    serverConfiguration
    decodeTokensPerSecond
    outputTokensPerSecond
    ttftP95Ms
    regressionVerdict
    decodeRegression {
      percentChange
      zScore
      historyUsed
      reason
    }
    roofline {
      ceilingTokensPerSecond
      efficiency
    }
    previousComparable {
      id
      decodeTokensPerSecond
      measuredAt
    }
  }
  sloSweeps {
    id
    serverConfiguration
    maxConcurrencyAtSlo
    firstMissConcurrency
    goodputRequestsPerSecond
    goodputOutputTokensPerSecond
    endReason
    summary
    slos {
      ttftP95Ms
      ttftP99Ms
      tpotMeanMs
      tpotP99Ms
      itlP99Ms
      e2elP99Ms
    }
  }
}`) as unknown as TypedDocumentString<BenchmarkRunProgressSubscription, BenchmarkRunProgressSubscriptionVariables>;
export const BenchmarkRunChangesDocument = new TypedDocumentString(`
    subscription BenchmarkRunChanges {
  benchmarkRunChanges {
    runs {
      ...BotRunSummary
      ...BotRunDetails
    }
  }
}
    fragment BotRunSummary on BenchmarkRun {
  id
  status
  attempt
  createdAt
  startedAt
  finishedAt
  cancelRequested
  failureReason
  requestedBy
  box {
    slug
    name
  }
  modelVariant: variant {
    slug
    name
  }
  spec {
    numPrompts
    inputTokens
    outputTokens
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on SloSearchProfile {
        maxConcurrency
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
      }
    }
  }
  progress {
    levelIndex
    levelCount
    phase
    completed
    failed
    total
  }
}
fragment BotRunDetails on BenchmarkRun {
  cancelledBy
  results {
    id
    concurrency
    profileKey
    serverConfiguration
    decodeTokensPerSecond
    outputTokensPerSecond
    ttftP95Ms
    regressionVerdict
    decodeRegression {
      percentChange
      zScore
      historyUsed
      reason
    }
    roofline {
      ceilingTokensPerSecond
      efficiency
    }
    previousComparable {
      id
      decodeTokensPerSecond
      measuredAt
    }
  }
  sloSweeps {
    id
    serverConfiguration
    maxConcurrencyAtSlo
    firstMissConcurrency
    goodputRequestsPerSecond
    goodputOutputTokensPerSecond
    endReason
    summary
    slos {
      ttftP95Ms
      ttftP99Ms
      tpotMeanMs
      tpotP99Ms
      itlP99Ms
      e2elP99Ms
    }
  }
}`) as unknown as TypedDocumentString<BenchmarkRunChangesSubscription, BenchmarkRunChangesSubscriptionVariables>;
export const ModelVariantsDocument = new TypedDocumentString(`
    query ModelVariants {
  modelVariants {
    slug
    name
    isFineTuned
    weightsExportable
    model {
      slug
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ModelVariantsQuery, ModelVariantsQueryVariables>;
export const BoxesDocument = new TypedDocumentString(`
    query Boxes {
  boxes {
    slug
    name
    acceleratorClass
    ownership
    memoryGiB
    purchasePrice {
      amount
      currency
    }
  }
}
    `) as unknown as TypedDocumentString<BoxesQuery, BoxesQueryVariables>;
export const DecideDocument = new TypedDocumentString(`
    query Decide($workload: WorkloadInput!, $keep: [Axis!]) {
  decide(workload: $workload, keep: $keep) {
    ...BotDecision
  }
}
    fragment BotMoney on Money {
  amount
  currency
}
fragment BotPathOption on PathAnswer {
  optionId
  pathSlug
  pathName
  pathKind
  servedVariant
  monthlyCost {
    ...BotMoney
  }
  costLow {
    ...BotMoney
  }
  costHigh {
    ...BotMoney
  }
  decodeTokensPerSecond
  leadTimeDays
  failedAxes
  eligible
}
fragment BotRecommendation on Recommendation {
  optionId
  pathSlug
  variantSlug
  kept
  monthlyCost {
    ...BotMoney
  }
  reasons
  shortfalls {
    axis
    shortfall
  }
}
fragment BotDecision on Decision {
  id
  requestsPerMonth
  tokensPerMonth
  noRecommendation {
    code
    message
  }
  notEligible {
    optionId
    pathSlug
    reason
  }
  paths {
    ...BotPathOption
    verdicts {
      axis
      pass
      sentence
      shortfall
    }
  }
  minimalKeptSets {
    kept
    unlocked {
      optionId
      pathSlug
      variantSlug
      monthlyCost {
        ...BotMoney
      }
      shortfalls {
        axis
        shortfall
      }
    }
  }
  recommendation {
    ...BotRecommendation
  }
  warnings {
    code
    message
    optionId
    affectsRecommendation
  }
  breakEvens {
    optionA
    optionB
    summary
    crossings {
      requestsPerMonth
      cheaperBelow
    }
  }
}`) as unknown as TypedDocumentString<DecideQuery, DecideQueryVariables>;
export const SaveDecisionDocument = new TypedDocumentString(`
    mutation SaveDecision($workload: WorkloadInput!, $keep: [Axis!], $name: String, $onBehalfOf: String) {
  saveDecision(
    workload: $workload
    keep: $keep
    name: $name
    onBehalfOf: $onBehalfOf
  ) {
    id
    name
    createdAt
    createdBy
    requestedBy
    keep
    workload
    decision {
      ...BotCostDecision
    }
  }
}
    fragment BotCostDecision on Decision {
  id
  requestsPerMonth
  paths {
    optionId
    pathSlug
    pathName
    pathKind
    servedVariant
    monthlyCost {
      amount
      currency
    }
    costLow {
      amount
      currency
    }
    costHigh {
      amount
      currency
    }
    decodeTokensPerSecond
    leadTimeDays
    failedAxes
    eligible
  }
  recommendation {
    optionId
    pathSlug
    variantSlug
    kept
    monthlyCost {
      amount
      currency
    }
    reasons
  }
  breakEvens {
    optionA
    optionB
    summary
    crossings {
      requestsPerMonth
      cheaperBelow
    }
  }
}`) as unknown as TypedDocumentString<SaveDecisionMutation, SaveDecisionMutationVariables>;
export const RecentDecisionsDocument = new TypedDocumentString(`
    query RecentDecisions($last: Int) {
  savedDecisions(last: $last) {
    id
    name
    createdAt
    createdBy
    requestedBy
    keep
    workload
    decision {
      recommendation {
        pathSlug
        monthlyCost {
          ...BotMoney
        }
      }
    }
  }
}
    fragment BotMoney on Money {
  amount
  currency
}`) as unknown as TypedDocumentString<RecentDecisionsQuery, RecentDecisionsQueryVariables>;
export const ServingPathsDocument = new TypedDocumentString(`
    query ServingPaths {
  servingPaths {
    slug
    name
    kind
    vendor {
      name
    }
    customWeightsSupported
    weightsExportable
    scaleToZero
    leadTimeDays
    quotaWall
    region
  }
}
    `) as unknown as TypedDocumentString<ServingPathsQuery, ServingPathsQueryVariables>;
export const WatchDecisionDocument = new TypedDocumentString(`
    mutation WatchDecision($id: ID!, $channel: String) {
  watchDecision(id: $id, channel: $channel) {
    id
    channel
  }
}
    `) as unknown as TypedDocumentString<WatchDecisionMutation, WatchDecisionMutationVariables>;
export const StalePricesDocument = new TypedDocumentString(`
    query StalePrices($olderThanDays: Int) {
  stalePrices(olderThanDays: $olderThanDays) {
    olderThanDays
    asOf
    decisions {
      decisionId
      watched
      channels
      recommendation
      prices {
        slug
      }
    }
    prices {
      slug
      ageDays
      effectiveFrom
      price {
        ...BotMoney
      }
      unit
      refresh {
        kind
        command
        fetchFrom
      }
    }
  }
}
    fragment BotMoney on Money {
  amount
  currency
}`) as unknown as TypedDocumentString<StalePricesQuery, StalePricesQueryVariables>;
export const CliWatchDecisionDocument = new TypedDocumentString(`
    mutation CliWatchDecision($id: ID!, $channel: String) {
  watchDecision(id: $id, channel: $channel) {
    ...CliWatch
  }
}
    fragment CliWatch on DecisionWatch {
  id
  channel
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<CliWatchDecisionMutation, CliWatchDecisionMutationVariables>;
export const CliUnwatchDecisionDocument = new TypedDocumentString(`
    mutation CliUnwatchDecision($id: ID!, $channel: String) {
  unwatchDecision(id: $id, channel: $channel) {
    id
    watches {
      ...CliWatch
    }
  }
}
    fragment CliWatch on DecisionWatch {
  id
  channel
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<CliUnwatchDecisionMutation, CliUnwatchDecisionMutationVariables>;
export const CliDecisionHistoryDocument = new TypedDocumentString(`
    query CliDecisionHistory($id: ID!) {
  savedDecision(id: $id) {
    id
    createdAt
    createdBy
    decision {
      recommendation {
        ...CliRecommendation
      }
    }
    watches {
      ...CliWatch
    }
    versions {
      id
      changeId
      createdAt
      summary
      change {
        id
        kind
        summary
        createdAt
        processedBy
      }
      moves {
        what
        text
        optionId
      }
      causes {
        kind
        input
        text
        verified
        together
      }
      decision {
        recommendation {
          ...CliRecommendation
        }
      }
    }
  }
}
    fragment CliWatch on DecisionWatch {
  id
  channel
  createdBy
  createdAt
}
fragment CliRecommendation on Recommendation {
  optionId
  pathSlug
  monthlyCost {
    amount
    currency
  }
}`) as unknown as TypedDocumentString<CliDecisionHistoryQuery, CliDecisionHistoryQueryVariables>;
export const CliStalePricesDocument = new TypedDocumentString(`
    query CliStalePrices($olderThanDays: Int) {
  stalePrices(olderThanDays: $olderThanDays) {
    olderThanDays
    asOf
    decisions {
      decisionId
      createdAt
      watched
      channels
      recommendation
      prices {
        ...CliStalePrice
      }
    }
    notCited {
      ...CliStalePrice
    }
    prices {
      ...CliStalePrice
    }
  }
}
    fragment CliStalePrice on StalePrice {
  slug
  pathSlug
  unit
  price {
    amount
    currency
  }
  effectiveFrom
  ageDays
  confidence
  source
  refresh {
    kind
    command
    format
    mapping
    fetchFrom
    catalogEdit
  }
}`) as unknown as TypedDocumentString<CliStalePricesQuery, CliStalePricesQueryVariables>;
export const FailBenchmarkRunDocument = new TypedDocumentString(`
    mutation FailBenchmarkRun($id: ID!, $attempt: Int!, $reason: String!) {
  failBenchmarkRun(id: $id, attempt: $attempt, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<FailBenchmarkRunMutation, FailBenchmarkRunMutationVariables>;
export const HeartbeatBenchmarkRunDocument = new TypedDocumentString(`
    mutation HeartbeatBenchmarkRun($id: ID!, $attempt: Int!, $progress: BenchmarkRunProgressInput) {
  heartbeatBenchmarkRun(id: $id, attempt: $attempt, progress: $progress) {
    id
    attempt
    cancelRequested
  }
}
    `) as unknown as TypedDocumentString<HeartbeatBenchmarkRunMutation, HeartbeatBenchmarkRunMutationVariables>;
export const LeaseBenchmarkRunDocument = new TypedDocumentString(`
    mutation LeaseBenchmarkRun($box: String!, $runner: String!) {
  leaseBenchmarkRun(box: $box, runner: $runner) {
    ...LeasedRun
  }
}
    fragment LeasedRun on BenchmarkRun {
  id
  attempt
  status
  endpointKind
  spec {
    endpointKind
    model
    profile {
      __typename
      ... on ConcurrencyProfile {
        levels
      }
      ... on RateProfile {
        requestsPerSecond
        infiniteRate
        burstiness
        maxConcurrency
      }
      ... on SweepProfile {
        intermediateRates
        burstiness
        maxConcurrency
      }
      ... on SloSearchProfile {
        slos {
          ttftP95Ms
          ttftP99Ms
          tpotMeanMs
          tpotP99Ms
          itlP99Ms
          e2elP99Ms
        }
        startConcurrency
        growthFactor
        maxConcurrency
        precision
        stopEarly
      }
    }
    serverConfigurations
    numPrompts
    inputTokens
    outputTokens
    dataset {
      kind
      path
      promptField
    }
    warmupRequests
    ignoreEos
    seed
    slos {
      ttftMs
      tpotMs
      e2elMs
    }
    idleTimeoutS
    requestTimeoutS
  }
  cancelRequested
  heartbeatAt
  leaseExpiresAt
}`) as unknown as TypedDocumentString<LeaseBenchmarkRunMutation, LeaseBenchmarkRunMutationVariables>;
export const ReleaseBenchmarkRunDocument = new TypedDocumentString(`
    mutation ReleaseBenchmarkRun($id: ID!, $attempt: Int!, $reason: String!) {
  releaseBenchmarkRun(id: $id, attempt: $attempt, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ReleaseBenchmarkRunMutation, ReleaseBenchmarkRunMutationVariables>;
export const ReportBenchmarkResultDocument = new TypedDocumentString(`
    mutation ReportBenchmarkResult($id: ID!, $attempt: Int!, $reportKey: String!, $results: [BenchmarkLevelResultInput!]!) {
  reportBenchmarkResult(
    id: $id
    attempt: $attempt
    reportKey: $reportKey
    results: $results
  ) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ReportBenchmarkResultMutation, ReportBenchmarkResultMutationVariables>;