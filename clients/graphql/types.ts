/**
 * What the bot needs from the floorplan GraphQL API, as a typed interface. The real implementation
 * is `graphql-client.ts`; tests run the bot against a fake HTTP API answering the same operations.
 *
 * Money is `{ amount, currency }` with `amount` a decimal string, exactly as the API serializes its
 * `Decimal` scalar: it is never turned into a JavaScript number (see `format/money.ts`).
 */

export interface Money {
  amount: string;
  currency: string;
}

export const AXES = ['FAST', 'CHEAP', 'HIGH_CONFIDENCE', 'CONTROLLED', 'AVAILABLE'] as const;
export type Axis = (typeof AXES)[number];

export type PathKind =
  | 'OWNED_BOX'
  | 'PROVISIONED_THROUGHPUT'
  | 'CUSTOM_MODEL_IMPORT'
  | 'NATIVE_FINE_TUNE'
  | 'ON_DEMAND_TOKENS'
  | 'RENTED_INSTANCE';

export type RunStatus = 'QUEUED' | 'LEASED' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * The workload a team describes; the API's `WorkloadInput`, field for field (SDL of
 * schema/schema.graphql). Optional fields are omitted when unset.
 */
export interface WorkloadInput {
  /** Model or variant slug, e.g. "llama-3.1-8b-lora". */
  model: string;
  /** Requests per active day. */
  requestsPerDay: number;
  meanInputTokens: number;
  meanOutputTokens: number;
  activeHoursPerDay?: number;
  activeDaysPerMonth?: number;
  burstiness?: number;
  peakToMean?: number;
  horizonMonths?: number;
  minDecodeTokensPerSecond?: number;
  maxTtftMsP95?: number;
  needsCustomWeights?: boolean;
  mustOwnWeights?: boolean;
  /** Decimal string, monthly. */
  monthlyBudget?: string;
  neededByDays?: number;
  /** Fraction in [0, 1]. */
  minAcceptedRate?: number;
  region?: string;
}

export interface ServingPath {
  slug: string;
  name: string;
  kind: PathKind;
  vendor: string;
  customWeightsSupported: boolean;
  weightsExportable: boolean;
  scaleToZero: boolean;
  leadTimeDays: number | null;
  quotaWall: string | null;
  region: string | null;
}

export interface AxisVerdict {
  axis: Axis;
  pass: boolean;
  /** The verdict in the API's words. */
  sentence: string;
  /** The gap, e.g. "21 vs 30 tok/s"; null when the axis passes. */
  shortfall: string | null;
}

/** One serving option: a path serving a model variant, for this workload (the API's `PathAnswer`). */
export interface PathOption {
  optionId: string;
  pathSlug: string;
  pathName: string;
  pathKind: string;
  servedVariant: string;
  monthlyCost: Money;
  /** The other reading of a window-billed path's billing rule, when it differs. */
  costLow: Money | null;
  costHigh: Money | null;
  decodeTokensPerSecond: number | null;
  leadTimeDays: number;
  failedAxes: Axis[];
  verdicts: AxisVerdict[];
}

export interface UnlockedPath {
  optionId: string;
  pathSlug: string;
  variantSlug: string;
  monthlyCost: Money;
  shortfalls: { axis: Axis; shortfall: string }[];
}

/** A minimal set of constraints to keep (relax) and the paths that set unlocks. */
export interface KeptSet {
  kept: Axis[];
  unlocked: UnlockedPath[];
}

export interface Recommendation {
  optionId: string;
  pathSlug: string;
  variantSlug: string;
  kept: Axis[];
  monthlyCost: Money;
  reasons: string[];
}

export interface DecisionWarning {
  code: string;
  message: string;
  optionId: string;
  affectsRecommendation: boolean;
}

export interface BreakEven {
  optionA: string;
  optionB: string;
  summary: string;
  crossings: { requestsPerMonth: number; cheaperBelow: string }[];
}

export interface Decision {
  /** Set when the decision was saved. */
  id: string | null;
  requestsPerMonth: number;
  paths: PathOption[];
  minimalKeptSets: KeptSet[];
  recommendation: Recommendation | null;
  warnings: DecisionWarning[];
  breakEvens: BreakEven[];
}

/** The load a `bench` asks for, as the bot expresses it (a concurrency sweep). */
export interface BenchmarkProfileInput {
  concurrency: number[];
  prompts: number;
  inputTokens: number;
  outputTokens: number;
}

export interface CreateBenchmarkRunInput {
  box: string;
  modelVariant: string;
  profile: BenchmarkProfileInput;
  idempotencyKey: string;
  /** The Slack user who asked ("slack:U…"), recorded by the API as the requester. */
  onBehalfOf?: string;
}

/** A runner heartbeat's progress (the runner's BenchmarkProgress), read leniently from JSON. */
export interface RunProgress {
  levelIndex: number;
  levelCount: number;
  phase: string;
  completed: number;
  failed: number;
  total: number;
}

export type RegressionVerdict = 'REGRESSED' | 'IMPROVED' | 'UNCHANGED' | 'NOT_ENOUGH_HISTORY';

export interface BenchmarkResultSummary {
  id: string;
  concurrency: number | null;
  profileKey: string;
  decodeTokensPerSecond: number | null;
  outputTokensPerSecond: number | null;
  ttftP95Ms: number | null;
  rooflineCeilingTokensPerSecond: number | null;
  /** Measured / ceiling, 0..1 (memory-bandwidth utilization). */
  rooflineEfficiency: number | null;
  regressionVerdict: RegressionVerdict | null;
  /** The decode-rate numbers behind the verdict, when the stored JSON has them. */
  regression: {
    percentChange: number | null;
    zScore: number | null;
    historyUsed: number | null;
    reason: string | null;
  } | null;
}

/** What the run was asked to measure, read from its spec. */
export interface RunSpecSummary {
  profileKind: string;
  concurrency: number[];
  numPrompts: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

export interface BenchmarkRun {
  id: string;
  status: RunStatus;
  box: { slug: string; name: string };
  modelVariant: { slug: string; name: string };
  spec: RunSpecSummary;
  requestedBy: string;
  attempt: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
  failureReason: string | null;
  progress: RunProgress | null;
  results: BenchmarkResultSummary[];
}

export interface AccessPath {
  slug: string;
  name: string;
  vendor: string;
  acceleratorClass: string;
  channel: string;
  region: string | null;
  minimumCommitment: Money | null;
  minimumCommitmentHours: number | null;
  paidUpFront: boolean;
  cancellable: boolean;
  quotaNeeded: string | null;
  typicalLeadTimeDays: number | null;
  medianHoursToAnswer: number | null;
  successRate: number | null;
  attempts: number;
  lastAttempt: { outcome: string; requestedAt: string; answeredAt: string | null } | null;
}

export interface SavedDecision {
  id: string;
  createdAt: string;
  createdBy: string;
  keep: string[];
  /** The workload's model and the recommendation, for one-line summaries. */
  model: string | null;
  recommendation: Pick<Recommendation, 'pathSlug' | 'monthlyCost'> | null;
}

export interface RunListFilter {
  status?: RunStatus | undefined;
  first: number;
}

export type Unsubscribe = () => void;

export interface RunProgressHandlers {
  /** The run as it is now: the API sends the whole run on every heartbeat and state change. */
  onRun(run: BenchmarkRun): void;
  /** The stream ended: `error` is set when it broke rather than completed. */
  onEnd(error?: Error): void;
}

export interface FloorplanApi {
  decide(workload: WorkloadInput, keep: Axis[]): Promise<Decision>;
  listPaths(): Promise<ServingPath[]>;
  createBenchmarkRun(input: CreateBenchmarkRunInput): Promise<BenchmarkRun>;
  cancelBenchmarkRun(id: string): Promise<BenchmarkRun>;
  /** Null when there is no such run (the API answers NOT_FOUND). */
  benchmarkRun(id: string): Promise<BenchmarkRun | null>;
  benchmarkRuns(filter: RunListFilter): Promise<BenchmarkRun[]>;
  /** GraphQL over SSE; returns a function that closes the stream. */
  subscribeRunProgress(id: string, handlers: RunProgressHandlers): Unsubscribe;
  accessPaths(accelerator: string, region?: string): Promise<AccessPath[]>;
  /** Answers and stores the decision; `name` records who saved it from Slack. */
  saveDecision(
    workload: WorkloadInput,
    keep: Axis[],
    name: string,
  ): Promise<SavedDecision & { decision: Decision }>;
  recentDecisions(last: number): Promise<SavedDecision[]>;
  /** Fetches a chart PNG from a path on the API host (`/charts/...`). */
  chartPng(path: string): Promise<Buffer>;
}

export type FloorplanApiErrorKind =
  /** The API could not be reached, timed out, or answered 5xx. */
  | 'unavailable'
  /** The input was refused (validation, unknown model or box). The message is safe to show. */
  | 'invalid-input'
  | 'not-found'
  /** The bot's service token lacks the right, or the API refused on policy. */
  | 'forbidden'
  /** Any other GraphQL error, or a response that does not match the operation. */
  | 'failed';

export class FloorplanApiError extends Error {
  override name = 'FloorplanApiError';
  constructor(
    readonly kind: FloorplanApiErrorKind,
    message: string,
    readonly operationName?: string,
  ) {
    super(message);
  }
}
